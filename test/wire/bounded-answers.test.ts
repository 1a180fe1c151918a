import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

// Issue 11, defect 2: a 2.8 KB batch of 50 × im.dialog.messages.get over a chat of three 7.9 MB messages built an
// answer of gigabytes (500 RangeError: Invalid string length, 1.6 GB RSS). Message texts are now cut at 20,000
// characters as the platform cuts them, and a batch's answers added up stay under B24_BATCH_ANSWER_LIMIT.
describe('defect 2: answers and stored values are bounded', () => {
  const LIMIT = 200_000;
  let server: TestServer;
  let chatId: number;
  let botId: number;

  before(async () => {
    server = await startTestServer({ config: { batchAnswerLimit: LIMIT } });
    botId = await registerBot(server, 'big', 'bigbot');
    const chat = await server.call('im.chat.add', { TITLE: 'big', USERS: [1, botId] });
    chatId = chat.body.result;
  });
  after(() => server.close());

  it('a message text is at most 20,000 characters, cut with " (...)", in v1 as in v2', async () => {
    const huge = `${'a'.repeat(19_999)}b${'c'.repeat(1_000_000)}`;
    const cut = `${'a'.repeat(19_999)}b (...)`;
    const added = await server.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: huge });
    assert.equal(added.status, 200, JSON.stringify(added.body).slice(0, 300));
    const byBot = await server.call('imbot.message.add', {
      BOT_ID: botId,
      CLIENT_ID: 'big',
      DIALOG_ID: `chat${chatId}`,
      MESSAGE: huge,
    });
    assert.equal(byBot.status, 200, JSON.stringify(byBot.body).slice(0, 300));
    const third = await server.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'short' });
    const updated = await server.call('im.message.update', { MESSAGE_ID: third.body.result, MESSAGE: huge });
    assert.equal(updated.status, 200, JSON.stringify(updated.body).slice(0, 300));
    const history = await server.call('im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
    const texts = history.body.result.messages.map((m: { text: string }) => m.text);
    assert.equal(texts.filter((t: string) => t === cut).length, 3, JSON.stringify(texts.map((t: string) => t.length)));
  });

  it("a batch's answers stop at B24_BATCH_ANSWER_LIMIT: the commands past it fail, the call answers", async () => {
    const cmd = Array.from({ length: 50 }, () => `im.dialog.messages.get?DIALOG_ID=chat${chatId}`);
    const res = await server.call('batch', { cmd });
    assert.equal(res.status, 200);
    const done = res.body.result.result as unknown[];
    const failed = res.body.result.result_error as Record<string, { error: string }>;
    assert.ok(done.length >= 1 && done.length < 50, String(done.length));
    assert.equal(JSON.stringify(done).length <= LIMIT, true);
    assert.equal(Object.keys(failed).length, 50 - done.length);
    for (const error of Object.values(failed)) assert.equal(error.error, 'ERROR_BATCH_LENGTH_EXCEEDED');
    // Under the limit, a batch answers in full.
    const small = await server.call('batch', { cmd: ['server.time', 'server.time'] });
    assert.equal(small.body.result.result.length, 2);
    // More than 50 commands: the 51st is not run and fails alone (the batch page).
    const long = await server.call('batch', { cmd: Array(51).fill('server.time') });
    assert.equal(long.body.result.result.length, 50);
    assert.equal(long.body.result.result_error[50].error, 'ERROR_BATCH_LENGTH_EXCEEDED');
  });
});
