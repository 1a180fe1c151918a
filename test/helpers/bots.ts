import assert from 'node:assert/strict';
import type { TestServer } from './harness.ts';

/** A handler URL nobody listens on: these tests never deliver events. */
export const HANDLER = 'http://127.0.0.1:9/handler';

/** Registers a v1 bot over the webhook as application `custom{clientId}`; returns its id. */
export async function registerBot(
  server: TestServer,
  clientId: string,
  code: string,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const res = await server.call('imbot.register', {
    CODE: code,
    EVENT_HANDLER: HANDLER,
    PROPERTIES: { NAME: code },
    CLIENT_ID: clientId,
    ...extra,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(typeof res.body.result, 'number');
  return res.body.result;
}

/** An OAuth application and an access token of user 1 for it; calls go to `{url}/rest/` with `auth`. */
export async function oauthApp(server: TestServer, clientId: string): Promise<{ token: string; base: string }> {
  const app = await server.app.domain.identities.createApp({ clientId });
  const grant = await server.app.domain.identities.issueTokens(app, 1);
  return { token: grant.access_token, base: `${server.url}/rest/` };
}

/** Asserts a Bitrix24 error answer: status, code and, when given, the exact description. */
export function assertError(
  res: { status: number; body: any },
  status: number,
  code: string,
  description?: string,
): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error, code, JSON.stringify(res.body));
  if (description !== undefined) assert.equal(res.body.error_description, description);
  else assert.equal(typeof res.body.error_description, 'string');
}
