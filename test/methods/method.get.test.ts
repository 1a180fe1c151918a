import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

describe('method.get', () => {
  let server: TestServer;
  let userHook: string;
  before(async () => {
    server = await startTestServer();
    const hook = await server.app.domain.identities.createWebhook(1, ['user'], 'useronly');
    userHook = `${server.url}/rest/1/${hook.token}/`;
  });
  after(() => server.close());

  const check = async (name: unknown, base?: string) =>
    (await server.call('method.get', name === undefined ? {} : { name }, base)).body.result;

  it('answers isExisting and isAvailable for the caller', async () => {
    assert.deepEqual(await check('user.get', userHook), { isExisting: true, isAvailable: true });
    assert.deepEqual(await check('imbot.register', userHook), { isExisting: true, isAvailable: false });
    assert.deepEqual(await check('batch', userHook), { isExisting: true, isAvailable: true });
    assert.deepEqual(await check('no.such.method'), { isExisting: false, isAvailable: false });
  });

  it('takes the name in lower case, as the docs ask', async () => {
    assert.deepEqual(await check('imbot.chat.sendtyping'), { isExisting: true, isAvailable: true });
    assert.deepEqual(await check('imbot.chat.sendTyping'), { isExisting: false, isAvailable: false });
  });

  it('no name, an empty one or a non-string → both false, no error', async () => {
    for (const name of [undefined, '', { a: 1 }]) {
      assert.deepEqual(await check(name), { isExisting: false, isAvailable: false });
    }
  });
});
