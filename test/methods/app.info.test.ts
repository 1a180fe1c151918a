import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestServer } from '../helpers/harness.ts';

describe('app.info', () => {
  it('answers the OAuth application, LICENSE after the limits profile', async () => {
    const server = await startTestServer({ config: { limits: 'standard' } });
    try {
      const app = await server.app.domain.identities.createApp({ clientId: 'local.abc.123', scopes: ['imbot'] });
      const { access_token } = await server.app.domain.identities.issueTokens(app, 1);
      const res = await server.call('app.info', { auth: access_token }, `${server.url}/rest/`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.result, {
        ID: app.id,
        CODE: 'local.abc.123',
        VERSION: 1,
        STATUS: 'L',
        INSTALLED: true,
        PAYMENT_EXPIRED: 'N',
        DAYS: null,
        LANGUAGE_ID: 'en',
        LICENSE: 'en_std',
        LICENSE_TYPE: 'std',
        LICENSE_FAMILY: 'std',
      });
    } finally {
      await server.close();
    }
  });

  it('app.info LICENSE_TYPE / LICENSE_FAMILY: limits off reads as a self-hosted box, with the three keys of the example', async () => {
    const server = await startTestServer({ config: { limits: 'off' } });
    try {
      const app = await server.app.domain.identities.createApp({});
      const { access_token } = await server.app.domain.identities.issueTokens(app, 1);
      const res = await server.call('app.info', { auth: access_token }, `${server.url}/rest/`);
      assert.deepEqual(Object.keys(res.body.result).slice(-3), ['LICENSE', 'LICENSE_TYPE', 'LICENSE_FAMILY']);
      assert.equal(res.body.result.LICENSE, 'en_selfhosted');
      assert.equal(res.body.result.LICENSE_TYPE, 'selfhosted');
      assert.equal(res.body.result.LICENSE_FAMILY, 'selfhosted');
    } finally {
      await server.close();
    }
  });

  it('a webhook → 400 ACCESS_DENIED "Application context required"', async () => {
    const server = await startTestServer();
    try {
      const res = await server.call('app.info');
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, {
        error: 'ACCESS_DENIED',
        error_description: 'Access denied! Application context required',
      });
    } finally {
      await server.close();
    }
  });
});
