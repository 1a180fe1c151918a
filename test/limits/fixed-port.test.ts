import assert from 'node:assert/strict';
import { it } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { startTestServer } from '../helpers/harness.ts';

// Issue 11, defect 12: the limits tests passed a whole loadConfig() result (PORT unset: 8080) to the test server,
// which then listened on 8080 and failed wherever something else did.
it('defect 12: a test server takes a free port even from a config that says 8080', async () => {
  const config = loadConfig({ B24_LIMITS: 'off', LOG_LEVEL: 'silent' });
  assert.equal(config.port, 8080);
  const server = await startTestServer({ config });
  try {
    assert.notEqual(new URL(server.url).port, '8080');
    assert.equal((await server.call('server.time')).status, 200);
  } finally {
    await server.close();
  }
});
