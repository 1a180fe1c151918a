import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { fileDownloads } from '../../src/files/file-downloads.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { PNG_1X1 } from '../helpers/images.ts';
import { assertV2Error, v2Register } from '../helpers/v2.ts';

describe('imbot.v2.File.* and im.v2.File.*', () => {
  let server: TestServer;
  const clock = new ManualClock();
  const token = 'file-token';
  let botId: number;
  let chatId: number;
  let foreignChat: number;
  const hello = Buffer.from('Hello World!').toString('base64');

  const upload = (params: Record<string, unknown>) =>
    server.call('imbot.v2.File.upload', { botId, botToken: token, dialogId: `chat${chatId}`, ...params });
  const download = (params: Record<string, unknown>) =>
    server.call('imbot.v2.File.download', { botId, botToken: token, ...params });

  before(async () => {
    // A 128-byte limit stands in for the documented 100 MB.
    server = await startTestServer({ clock, config: { fileLimit: 128 }, features: [fileDownloads] });
    botId = await v2Register(server, token, 'filer', { properties: { name: 'Filer' } });
    const ann = await server.app.domain.users.create({ name: 'Ann', last_name: 'A' });
    chatId = (await server.app.domain.chats.create({ type: 'C', title: 'Files', authorId: botId, users: [ann.id, 1] }))
      .id;
    foreignChat = (await server.app.domain.chats.create({ type: 'C', title: 'No bot', authorId: ann.id, users: [] }))
      .id;
  });
  after(() => server.close());

  it('uploads into the chat as a message and answers the File', async () => {
    const res = await upload({ fields: { name: 'report.pdf', content: hello, message: 'Here is the report' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { file, messageId, dialogId } = res.body.result;
    assert.deepEqual(
      { ...file, id: 0, date: '' },
      {
        id: 0,
        chatId,
        date: '',
        type: 'file',
        name: 'report.pdf',
        extension: 'pdf',
        size: 12,
        image: false,
        authorId: botId,
        authorName: 'Filer',
        isTranscribable: false,
        isVideoNote: false,
        isVoiceNote: false,
      },
    );
    assert.equal(res.body.result.chatId, chatId);
    assert.equal(dialogId, `chat${chatId}`);
    const message = await server.app.domain.messenger.get(messageId);
    assert.equal(message?.text, 'Here is the report');
    assert.deepEqual(message?.params.FILE_ID, [file.id]);
  });

  it('the messageChat pull carries the file, keyed by id, as the history does', async () => {
    const published: { command: string; params: any }[] = [];
    const off = server.app.services.hub.subscribe((command) => published.push(command));
    try {
      const res = await upload({ fields: { name: 'live.txt', content: hello } });
      const { file, messageId } = res.body.result;
      const pull = published.find((c) => c.command === 'messageChat' && c.params.message.id === messageId);
      assert.ok(pull, 'a messageChat pull');
      assert.deepEqual(Object.keys(pull.params.files), [String(file.id)]);
      const live = pull.params.files[file.id];
      assert.deepEqual(
        [live.name, live.size, live.chatId, live.authorId, live.status, live.urlDownload],
        ['live.txt', 12, chatId, botId, 'done', ''],
      );
      // A message without a file keeps the empty list.
      const plain = await server.call('imbot.v2.Chat.Message.send', {
        botId,
        botToken: token,
        dialogId: `chat${chatId}`,
        fields: { message: 'no file' },
      });
      assert.equal(plain.status, 200, JSON.stringify(plain.body));
      const none = published.find((c) => c.command === 'messageChat' && c.params.message.text === 'no file');
      assert.ok(none, 'a messageChat pull');
      assert.deepEqual(none.params.files, []);
    } finally {
      off();
    }
  });

  it('an image is typed and sized', async () => {
    const res = await upload({ fields: { name: 'dot.png', content: PNG_1X1 } });
    assert.equal(res.body.result.file.type, 'image');
    assert.deepEqual(res.body.result.file.image, { height: 1, width: 1 });
  });

  it('File.download gives a one-time link that serves the content', async () => {
    const { file } = (await upload({ fields: { name: 'hello.txt', content: hello } })).body.result;
    const res = await download({ fileId: file.id });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const url: string = res.body.result.downloadUrl;
    assert.match(url, /\/rest\/download\.json\?token=imbot%7C/);
    const first = await fetch(url);
    assert.equal(first.status, 200);
    assert.equal(await first.text(), 'Hello World!');
    assert.match(first.headers.get('content-disposition') ?? '', /hello\.txt/);
    const again = await fetch(url);
    assert.equal(again.status, 404, 'used once');
    const later = (await download({ fileId: file.id })).body.result.downloadUrl;
    clock.advance(3600 * 1000);
    assert.equal((await fetch(later)).status, 404, 'expired after an hour');
  });

  it('refuses bad files, changing nothing', async () => {
    const count = async () => (await server.db.one<{ n: number }>('SELECT count(*)::int AS n FROM files'))!.n;
    const before = await count();
    assertV2Error(await upload({ fields: { content: hello } }), 400, 'FILE_EMPTY');
    assertV2Error(await upload({ fields: { name: 'x.txt' } }), 400, 'FILE_EMPTY');
    assertV2Error(
      await upload({ fields: { name: 'x.txt', content: '***not base64***' } }),
      400,
      'FILE_INVALID_CONTENT',
    );
    const big = Buffer.alloc(129, 1).toString('base64');
    assertV2Error(await upload({ fields: { name: 'big.bin', content: big } }), 400, 'FILE_TOO_LARGE');
    assertV2Error(
      await upload({ dialogId: `chat${foreignChat}`, fields: { name: 'x.txt', content: hello } }),
      403,
      'ACCESS_DENIED',
    );
    assertV2Error(await upload({}), 400, 100);
    assert.equal(await count(), before);
  });

  it('download errors', async () => {
    assertV2Error(await download({ fileId: 999999 }), 400, 'FILE_NOT_FOUND');
    const ann = await server.app.domain.users.create({ name: 'Zed', last_name: 'Z' });
    const saved = await server.app.domain.v2Files.save({
      chatId: foreignChat,
      authorId: ann.id,
      name: 'secret.txt',
      content: Buffer.from('secret'),
    });
    assertV2Error(await download({ fileId: saved.id }), 403, 'FILE_ACCESS_ERROR');
  });

  it('im.v2.File.upload / download act as the calling user', async () => {
    const res = await server.call('im.v2.File.upload', {
      dialogId: `chat${chatId}`,
      fields: { name: 'report.pdf', content: hello, message: 'Here is the report' },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { file } = res.body.result;
    assert.equal(file.authorId, 1);
    assert.equal(file.status, 'done');
    assert.equal(file.progress, 100);
    assert.match(file.urlDownload, /token=im%7C/);
    // im.dialog.messages.get lists the page's files beside its messages (im-dialog-messages-get.md `files`).
    const page = (await server.call('im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` })).body.result;
    const listed = page.files.find((f: any) => f.id === file.id);
    assert.deepEqual(
      [listed.name, listed.size, listed.chatId, listed.authorId, listed.status, listed.urlDownload],
      ['report.pdf', 12, chatId, 1, 'done', ''],
    );
    const sent = page.messages.find((m: any) => m.params.FILE_ID?.includes(file.id));
    assert.equal(sent.text, 'Here is the report');
    const link = await server.call('im.v2.File.download', { dialogId: `chat${chatId}`, fileId: file.id });
    assert.equal(await (await fetch(link.body.result.downloadUrl)).text(), 'Hello World!');
    assertV2Error(
      await server.call('im.v2.File.download', { dialogId: `chat${foreignChat}`, fileId: file.id }),
      403,
      'ACCESS_DENIED',
    );
    assertV2Error(
      await server.call('im.v2.File.download', { dialogId: 'chat999999', fileId: file.id }),
      400,
      'CHAT_NOT_FOUND',
    );
    assertV2Error(
      await server.call('im.v2.File.download', { dialogId: `chat${chatId}`, fileId: 999999 }),
      400,
      'FILE_NOT_FOUND',
    );
  });
});
