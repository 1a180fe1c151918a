// The echo bot's own tests, written as a bot developer would: b24-local started inside the test process, a person
// who "says" something, and the bot's answer awaited. `node --import tsx --test examples/echo-bot/echo-bot.test.ts`
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type B24Local, startB24Local } from 'b24-local';
import { type EchoBot, startEchoBot } from './echo-bot.ts';

describe('echo bot', () => {
  let b24: B24Local;
  let bot: EchoBot;
  let pat: number;

  const call = async (method: string, params: Record<string, unknown> = {}) => {
    const res = await fetch(`${await b24.webhookUrl(1)}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return (await res.json()) as { result?: any; error?: string };
  };

  before(async () => {
    b24 = await startB24Local();
  });
  after(async () => {
    await bot?.close();
    await b24?.stop();
  });
  // Every test starts from the same empty portal: a person and a freshly installed bot.
  beforeEach(async () => {
    await bot?.close();
    await b24.reset();
    pat = (await call('user.add', { NAME: 'Pat', EMAIL: 'pat@example.com', UF_DEPARTMENT: [1] })).result;
    bot = await startEchoBot({ webhookUrl: await b24.webhookUrl(1), typingMs: 0 });
  });

  it('types, then answers with the same text', async () => {
    const typing = b24.waitFor({ user: pat, dialogId: String(bot.botId), for: 'typing' });
    const said = await b24.say(pat, String(bot.botId), 'hello there');
    assert.equal((await typing).typing?.userId, bot.botId);
    const { message } = await b24.waitFor({ user: pat, dialogId: String(bot.botId), after: said });
    assert.equal(message?.text, 'hello there');
    assert.equal(message?.author_id, bot.botId);
  });

  it('answers once when the event arrives twice (it drops duplicates by X-B24-Event-Id)', async () => {
    b24.faults.add({ delivery: 'duplicate', bot: bot.botId, event: 'ONIMBOTMESSAGEADD', times: 1 });
    const said = await b24.say(pat, String(bot.botId), 'once');
    const { message } = await b24.waitFor({ user: pat, dialogId: String(bot.botId), after: said });
    assert.equal(message?.text, 'once');
    const posts = await waitUntil(() =>
      b24.requests({ kind: 'delivery', method: 'ONIMBOTMESSAGEADD' }).length === 2 ? true : undefined,
    );
    assert.ok(posts);
    const sent = b24.requests({ kind: 'rest', method: 'imbot.message.add' });
    assert.equal(sent.length, 1, 'one answer for two POSTs of one event');
  });

  it('keeps working when its REST calls are refused once (the event is retried)', async () => {
    b24.faults.add({ method: 'imbot.message.add', error: 'QUERY_LIMIT_EXCEEDED', times: 1 });
    const said = await b24.say(pat, String(bot.botId), 'persist');
    // The first answer fails, the handler answers 500, b24-local sends the event again a second later.
    const { message } = await b24.waitFor({ user: pat, dialogId: String(bot.botId), after: said });
    assert.equal(message?.text, 'persist');
  });

  it('answers a day later by the virtual clock: the message is dated then', async () => {
    b24.clock.freeze();
    b24.clock.advance(86_400);
    const said = await b24.say(pat, String(bot.botId), 'tomorrow');
    const { message } = await b24.waitFor({ user: pat, dialogId: String(bot.botId), after: said });
    const dated = Date.parse(String(message?.date));
    assert.ok(Math.abs(dated - b24.clock.now()) < 2000, `${message?.date} is the virtual now`);
    assert.ok(dated - Date.now() > 86_000_000, 'a day ahead of the real clock');
  });
});

/** Polls a condition until it holds (10 s at most). */
async function waitUntil<T>(check: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
