import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { features } from '../../src/features.ts';
import { avatarsRoute } from '../../src/files/avatars-route.ts';
import { registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { gif, PNG_1X1 } from '../helpers/images.ts';

describe('avatars route (/upload/avatar/{key})', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ features: [avatarsRoute] });
  });
  after(() => server.close());

  it('is mounted on the full server', () => {
    assert.ok(features({ adminToken: 'x' }).includes(avatarsRoute));
  });

  it('user.get PERSONAL_PHOTO resolves: the image, its type, cached for good, revalidated by ETag', async () => {
    const id = (await server.call('user.add', { EMAIL: 'photo@example.com', UF_DEPARTMENT: [1] })).body.result;
    await server.call('user.update', { ID: id, PERSONAL_PHOTO: ['me.png', PNG_1X1] });
    const [user] = (await server.call('user.get', { ID: id })).body.result;
    assert.match(user.PERSONAL_PHOTO, new RegExp(`^${server.url}/upload/avatar/[0-9a-f]{32}\\.png$`));
    const res = await fetch(user.PERSONAL_PHOTO);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), Buffer.from(PNG_1X1, 'base64'));
    const etag = res.headers.get('etag')!;
    const again = await fetch(user.PERSONAL_PHOTO, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    const head = await fetch(user.PERSONAL_PHOTO, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'image/png');
  });

  it('imbot.dialog.get `avatar` resolves', async () => {
    await registerBot(server, 'pics', 'pics-bot');
    const avatar = gif(64, 48).toString('base64');
    const chatId = (await server.call('imbot.chat.add', { CLIENT_ID: 'pics', USERS: [1], AVATAR: avatar })).body.result;
    const view = (await server.call('imbot.dialog.get', { DIALOG_ID: `chat${chatId}` })).body.result;
    const res = await fetch(view.avatar);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/gif');
    assert.equal(Buffer.from(await res.arrayBuffer()).toString('base64'), avatar);
  });

  it('anything else under the path is the server’s 404', async () => {
    for (const path of ['0123456789abcdef0123456789abcdef.png', 'nope', '..%2F..%2Fetc%2Fpasswd']) {
      const res = await fetch(`${server.url}/upload/avatar/${path}`);
      assert.equal(res.status, 404, path);
      assert.deepEqual(await res.json(), { error: 'NOT_FOUND', error_description: 'Not found' });
    }
  });
});
