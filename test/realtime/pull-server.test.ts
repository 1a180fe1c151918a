import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import { VirtualClock } from '../../src/clock.ts';
import type { Stamp } from '../../src/realtime/hub.ts';
import type { PullMessage } from '../../src/realtime/pull-message.ts';
import { PullServer, type Subscriber } from '../../src/realtime/pull-server.ts';

/** A listener that records what it gets; `leaveAfter` detaches it from inside a delivery. */
function listener(userId: number, leaveAfter?: { server: PullServer; count: number }) {
  const got: string[] = [];
  const subscriber: Subscriber = {
    userId,
    privateChannel: `u${userId}`,
    channels: [`u${userId}`],
    format: 'rpc',
    viaToken: false,
    since: 0,
    deliver(message: PullMessage, channel: string) {
      assert.equal(channel, `u${userId}`);
      got.push(message.command.command);
      if (leaveAfter && got.length === leaveAfter.count) leaveAfter.server.detach(subscriber);
    },
  };
  return { subscriber, got };
}

const stamp = (seq: number): Stamp => ({ epoch: 'e'.repeat(16), seq, timeMs: Date.now() });
const command = (name: string) => ({ module_id: 'im', command: name, params: {} });

describe('PullServer fan-out', () => {
  // A zero slice: every turn of the event loop serves one batch, so a big fan-out spans many turns.
  const server = () =>
    new PullServer(
      new VirtualClock(),
      () => 'h',
      { historySize: 10, historyTtlMs: 60_000, fanOutSliceMs: 0 },
      (e) => {
        throw e;
      },
    );

  it('delivers in publishing order to every user across many turns, and records each message for resume', async () => {
    const pull = server();
    const users = Array.from({ length: 1000 }, (_, i) => i + 1);
    const listeners = users.map((id) => listener(id));
    const second = listener(7); // a user with two connections gets it on both
    for (const { subscriber } of [...listeners, second]) pull.attach(subscriber, {});
    pull.publish(command('one'), { users }, stamp(1));
    pull.publish(command('two'), { users: [...users].reverse() }, stamp(2));
    pull.publish(command('three'), { users: [7] }, stamp(3));
    assert.ok(pull.stats().pendingJobs > 0, 'the fan-out did not fit in one turn');
    while (pull.stats().pendingJobs > 0) await turn();
    for (const { got } of listeners.filter((_, i) => i !== 6)) assert.deepEqual(got, ['one', 'two']);
    assert.deepEqual(listeners[6].got, ['one', 'two', 'three']);
    assert.deepEqual(second.got, ['one', 'two', 'three']);
    // A reconnecting client resumes after its last `mid` from its user's history.
    const back = listener(500);
    const mid = `${'e'.repeat(16)}${(1).toString(16).padStart(16, '0')}`;
    assert.deepEqual(
      pull.attach(back.subscriber, { mid }).map(([m]) => m.command.command),
      ['two'],
    );
  });

  it('a listener leaving during a fan-out gets nothing more; one arriving gets what reaches its user after it came', async () => {
    const pull = server();
    const users = Array.from({ length: 500 }, (_, i) => i + 1);
    const leaving = listener(3);
    const stays = listener(3, undefined);
    const leaver = listener(3, { server: pull, count: 1 });
    for (const { subscriber } of [leaving, stays, leaver]) pull.attach(subscriber, {});
    pull.detach(leaving.subscriber);
    pull.publish(command('one'), { users }, stamp(1));
    const early = listener(2);
    pull.attach(early.subscriber, {}); // `one` has passed user 2 (the first batch ran inside publish): not live
    const late = listener(400);
    pull.attach(late.subscriber, {}); // `one` has not reached user 400 yet: it comes live
    pull.publish(command('two'), { users }, stamp(2));
    while (pull.stats().pendingJobs > 0) await turn();
    assert.deepEqual(leaving.got, []);
    assert.deepEqual(leaver.got, ['one']);
    assert.deepEqual(stays.got, ['one', 'two']);
    assert.deepEqual(early.got, ['two']);
    assert.deepEqual(late.got, ['one', 'two']);
  });

  it('a client reconnecting between the slices of a fan-out gets the message exactly once, live or in its backlog', async () => {
    const pull = server();
    const users = Array.from({ length: 500 }, (_, i) => i + 1);
    const mid = (seq: number) => `${'e'.repeat(16)}${seq.toString(16).padStart(16, '0')}`;
    // Two browsers, one whose user the fan-out reaches in its first slice and one it reaches many turns later.
    const first = listener(2);
    const last = listener(450);
    for (const { subscriber } of [first, last]) pull.attach(subscriber, {});
    pull.publish(command('one'), { users }, stamp(1));
    while (pull.stats().pendingJobs > 0) await turn();
    pull.detach(first.subscriber);
    pull.detach(last.subscriber); // both drop; each last saw `one`

    pull.publish(command('two'), { users }, stamp(2));
    pull.publish(command('three'), { users: [450] }, stamp(3)); // queued behind `two`
    assert.ok(pull.stats().pendingJobs > 0, 'the fan-out is between slices');
    // Both come back now, with the `mid` of `one`.
    const heard = (got: string[], backlog: [PullMessage, string][]) => [
      ...backlog.map(([m]) => m.command.command),
      ...got,
    ];
    const firstAgain = listener(2);
    const firstBacklog = pull.attach(firstAgain.subscriber, { mid: mid(1) });
    const lastAgain = listener(450);
    const lastBacklog = pull.attach(lastAgain.subscriber, { mid: mid(1) });
    assert.deepEqual(heard([], firstBacklog), ['two'], 'already routed to user 2: in the backlog');
    assert.deepEqual(heard([], lastBacklog), [], 'not routed to user 450 yet');
    while (pull.stats().pendingJobs > 0) await turn();
    assert.deepEqual(heard(firstAgain.got, firstBacklog), ['two']);
    assert.deepEqual(heard(lastAgain.got, lastBacklog), ['two', 'three'], 'live, in order');
    // And their history holds it for the next resume.
    assert.deepEqual(heard([], pull.attach(listener(450).subscriber, { mid: mid(1) })), ['two', 'three']);
    assert.deepEqual(heard([], pull.attach(listener(2).subscriber, { mid: mid(2) })), []);
  });
});
