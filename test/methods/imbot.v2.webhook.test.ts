import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { eventDelivery } from '../../src/delivery/event-delivery.ts';
import type { ChatRow } from '../../src/domain/chats.ts';
import type { UserRow } from '../../src/domain/user-row.ts';
import { FAST, HandlerStub } from '../helpers/handler.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { v2Register } from '../helpers/v2.ts';

// b24restdocs chat-bots-v2/imbot.v2/events/events.md: a webhook-mode bot gets one form-encoded POST per event at its
// webhookUrl, `data.bot` = {id, code, auth}; a fetch-mode bot's events are only fetched.
describe('imbot.v2 events in webhook mode', () => {
  let server: TestServer;
  const clock = new ManualClock();
  const handler = new HandlerStub();
  let hookBot: number;
  let fetchBot: number;
  let ann: UserRow;
  let chat: ChatRow;

  const say = (text: string) =>
    server.app.domain.messenger.send({
      author: ann,
      byBot: false,
      target: { kind: 'chat', chat },
      text,
      extras: {},
      system: false,
      live: { origin: server.url },
    });

  before(async () => {
    await handler.start();
    server = await startTestServer({
      clock,
      config: { delivery: FAST },
      features: [eventDelivery({ adminToken: 'admin-secret' })],
    });
    hookBot = await v2Register(server, 'hook-token', 'hook_bot', { eventMode: 'webhook', webhookUrl: handler.url });
    fetchBot = await v2Register(server, 'fetch-token', 'fetch_bot');
    ann = await server.app.domain.users.create({ name: 'Ann', last_name: 'A' });
    chat = await server.app.domain.chats.create({
      type: 'C',
      title: 'Both',
      authorId: ann.id,
      users: [hookBot, fetchBot],
    });
    for (const [botId, botToken] of [
      [hookBot, 'hook-token'],
      [fetchBot, 'fetch-token'],
    ] as const) {
      const res = await server.call('imbot.v2.Command.register', {
        botId,
        botToken,
        fields: { command: 'help', title: { en: 'Help' } },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
  });
  after(async () => {
    await server.close();
    await handler.down();
  });

  it('POSTs ONIMBOTV2COMMANDADD to the webhook bot only, as PHP form fields', async () => {
    const message = await say('/help me');
    const [got] = await handler.waitFor(1);
    const { form } = got;
    assert.equal(form.event, 'ONIMBOTV2COMMANDADD');
    assert.equal(form.data.bot.id, String(hookBot));
    assert.equal(form.data.bot.code, 'hook_bot');
    assert.equal(form.data.bot.auth.user_id, String(hookBot));
    assert.equal(typeof form.data.bot.auth.application_token, 'string');
    assert.equal(form.data.command.command, '/help');
    assert.equal(form.data.command.params, 'me');
    assert.equal(form.data.command.context, 'textarea');
    assert.equal(form.data.message.id, String(message.id));
    assert.equal(form.data.message.isSystem, '0', 'booleans as "1"/"0"');
    assert.equal(form.data.chat.dialogId, `chat${chat.id}`);
    assert.equal(form.data.user.id, String(ann.id));
    assert.equal(form.data.language, 'en');
    assert.equal(form.auth.application_token, form.data.bot.auth.application_token);
    assert.ok(got.raw.startsWith('event=ONIMBOTV2COMMANDADD&'));
    // The fetch-mode bot fetches its own copy; nothing was POSTed for it.
    const polled = await server.call('imbot.v2.Event.get', { botId: fetchBot, botToken: 'fetch-token' });
    assert.deepEqual(
      polled.body.result.events.map((e: { type: string }) => e.type),
      ['ONIMBOTV2COMMANDADD'],
    );
    const urls = await server.db.query<{ url: string }>('SELECT url FROM event_deliveries');
    assert.deepEqual(urls, [{ url: handler.url }]);
  });

  it('switching to fetch stops the POSTs', async () => {
    const res = await server.call('imbot.v2.Bot.update', {
      botId: hookBot,
      botToken: 'hook-token',
      fields: { eventMode: 'fetch' },
    });
    assert.equal(res.body.result.bot.eventMode, 'fetch');
    handler.received.length = 0;
    await say('/help again');
    const polled = await server.call('imbot.v2.Event.get', { botId: hookBot, botToken: 'hook-token' });
    assert.deepEqual(
      polled.body.result.events.map((e: any) => e.data.command.params),
      ['again'],
      'only events since the switch',
    );
    assert.equal(handler.received.length, 0);
    assert.equal((await server.db.one<{ n: number }>('SELECT count(*)::int AS n FROM event_deliveries'))!.n, 1);
  });
});
