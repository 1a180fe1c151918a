import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { UserRow } from '../../src/domain/user-row.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { v2Register } from '../helpers/v2.ts';

// A fetch-mode bot polls imbot.v2.Event.get while a person sends it 1,000 messages; half way it "restarts": a new
// poller starts from the cursor the first one kept. Every message must arrive exactly once, in order.
describe('imbot.v2.Event.get under a burst of 1,000 messages', () => {
  let server: TestServer;
  let ann: UserRow;
  let bot: UserRow;
  let botId: number;
  const token = 'burst-token';
  const COUNT = 1000;

  before(async () => {
    server = await startTestServer();
    botId = await v2Register(server, token, 'burst_bot');
    ann = await server.app.domain.users.create({ name: 'Ann', last_name: 'Sender' });
    bot = (await server.app.domain.users.get(botId))!;
  });
  after(() => server.close());

  it('each message once, in order, across a restart from the kept cursor', async () => {
    // Four senders at once, as several tabs of one person would: the dialog orders them (message id = commit order).
    const sent: number[] = [];
    const live = { origin: server.url };
    let next = 0;
    const sender = async () => {
      while (next < COUNT) {
        const text = `message ${next++}`;
        const message = await server.app.domain.messenger.send({
          author: ann,
          byBot: false,
          target: { kind: 'private', peer: bot },
          text,
          extras: {},
          system: false,
          live,
        });
        sent.push(message.id);
      }
    };
    const sending = Promise.all([sender(), sender(), sender(), sender()]);

    /** What a bot keeps across restarts: the messages it handled and the offset after them. */
    const handled: number[] = [];
    let kept: number | undefined;
    let lastBatch: number[] = [];
    const poll = async () => {
      const res = await server.call('imbot.v2.Event.get', { botId, botToken: token, offset: kept, limit: 100 });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { events, nextOffset } = res.body.result;
      for (const event of events) {
        if (event.type === 'ONIMBOTV2MESSAGEADD') handled.push(event.data.message.id);
      }
      lastBatch = events.map((e: { eventId: number }) => e.eventId);
      kept = nextOffset;
      if (!events.length) await new Promise((resolve) => setTimeout(resolve, 5));
    };

    // The first poller, until it has handled about half of the burst.
    while (handled.length < COUNT / 2) await poll();
    const cursorAtRestart = kept;

    // Restarted without its offset, a bot is given again what it had not acknowledged: at least once.
    const lost = await server.call('imbot.v2.Event.get', { botId, botToken: token, limit: 100 });
    assert.equal(lost.body.result.events[0].eventId, lastBatch[0], 'the unacknowledged batch comes again');

    // Restarted from its kept offset: the rest, exactly once.
    kept = cursorAtRestart;
    await sending;
    while (handled.length < COUNT) await poll();
    await poll();
    assert.equal(handled.length, COUNT, 'nothing more after the last');
    assert.deepEqual(
      handled,
      sent.sort((a, b) => a - b),
      'every message once, in the order sent',
    );
  });
});
