import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VirtualClock } from '../../src/clock.ts';
import { OutboxEventSink } from '../../src/delivery/outbox-event-sink.ts';
import type { BotEvent } from '../../src/domain/events.ts';
import { registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

// The process that commits an event wakes its own dispatcher directly, without waiting for its NOTIFY to come back
// from PostgreSQL; a rolled-back event wakes nobody.
describe('events committed by this process wake its dispatcher directly', () => {
  let server: TestServer;
  let bot: number;

  before(async () => {
    server = await startTestServer();
    bot = await registerBot(server, 'wake', 'wake');
  });
  after(() => server.close());

  const event = (): BotEvent => ({
    event: 'ONIMBOTJOINCHAT',
    botIds: [bot],
    params: {},
    userId: 1,
    dialogId: `chat${bot}`,
  });

  it('once per committed transaction, after the commit; never for a rollback', async () => {
    let woken = 0;
    let visible: Promise<number> | undefined;
    const sink = new OutboxEventSink(new VirtualClock(), undefined, () => {
      woken++;
      visible = server.db
        .one<{ n: number }>('SELECT count(*)::int AS n FROM event_log WHERE dialog_id = $1', [`chat${bot}`])
        .then((row) => row!.n);
    });
    await server.db.tx(async (tx) => {
      await sink.emit(tx, event());
      await sink.emit(tx, event());
    });
    assert.equal(woken, 1, 'one wake for the transaction');
    assert.equal(await visible, 2, 'the events had committed when the dispatcher was woken');
    await assert.rejects(
      server.db.tx(async (tx) => {
        await sink.emit(tx, event());
        throw new Error('rolled back');
      }),
    );
    assert.equal(woken, 1, 'a rollback wakes nobody');
  });

  it('the app tells its listeners of the events it commits', async () => {
    let heard = 0;
    const stop = server.app.onEventsCommitted(() => heard++);
    await server.app.domain.identities.createApp({ clientId: 'local.wake.app' });
    const app = await server.app.domain.identities.appByClientId('local.wake.app');
    await server.db.tx((tx) =>
      server.app.domain.events.emitApp(tx, { event: 'ONAPPTEST', appId: app!.id, data: {}, userId: 0 }),
    );
    stop();
    assert.equal(heard, 1);
  });
});
