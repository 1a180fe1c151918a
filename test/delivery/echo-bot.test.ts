import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type EchoBot, startEchoBot } from '../../examples/echo-bot/echo-bot.ts';
import { eventDelivery } from '../../src/delivery/event-delivery.ts';
import type { PullCommand } from '../../src/realtime/hub.ts';
import { eventually, FAST } from '../helpers/handler.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

/** examples/echo-bot against a server: a person writes to it and sees "typing…", then the echo. */
describe('example echo bot', () => {
  let server: TestServer;
  let bot: EchoBot;
  const pulls: PullCommand[] = [];

  before(async () => {
    server = await startTestServer({ config: { delivery: FAST }, features: [eventDelivery({ adminToken: 'a' })] });
    server.app.services.hub.subscribe((command) => pulls.push(command));
    bot = await startEchoBot({ webhookUrl: server.webhook, typingMs: 50 });
  });
  after(async () => {
    await bot.close();
    await server.close();
  });

  it('registers itself, shows typing and echoes a message', async () => {
    const sent = await server.call('im.message.add', { DIALOG_ID: String(bot.botId), MESSAGE: 'Hello, bot!' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const answer = await eventually(async () => {
      const rows = await server.db.query<{ text: string }>(
        'SELECT text FROM messages WHERE author_id = $1 ORDER BY id',
        [bot.botId],
      );
      return rows[0];
    });
    assert.equal(answer.text, 'Hello, bot!');
    const typing = pulls.find((c) => c.command === 'startWriting' && c.params.userId === bot.botId);
    assert.ok(typing, 'the bot was typing before it answered');
    // Answered deliveries are recorded with the dispatcher's next claim: waited for, not raced.
    const delivery = await eventually(async () => {
      const [row] = await server.db.query(
        `SELECT d.status FROM event_deliveries d JOIN event_log l ON l.id = d.event_id WHERE $1 = ANY(l.bot_ids)`,
        [bot.botId],
      );
      return row?.status === 'delivered' ? row : null;
    });
    assert.equal(delivery.status, 'delivered');
  });

  it('after a restart on another port, moves its handler there (imbot.update) and answers from there', async () => {
    const before = bot;
    await before.close();
    bot = await startEchoBot({ webhookUrl: server.webhook, typingMs: 0 });
    assert.equal(bot.botId, before.botId, 'the same CODE is the same bot');
    assert.notEqual(bot.handlerUrl, before.handlerUrl);
    const [row] = await server.db.query('SELECT handlers FROM bots WHERE id = $1', [bot.botId]);
    assert.equal(row.handlers.EVENT_MESSAGE_ADD, bot.handlerUrl);

    const sent = await server.call('im.message.add', { DIALOG_ID: String(bot.botId), MESSAGE: 'Still there?' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const answer = await eventually(async () => {
      const rows = await server.db.query<{ text: string }>(
        "SELECT text FROM messages WHERE author_id = $1 AND text = 'Still there?'",
        [bot.botId],
      );
      return rows[0];
    });
    assert.equal(answer.text, 'Still there?');
  });
});
