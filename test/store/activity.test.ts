import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { ACTIVITY_STEP_MS } from '../../src/domain/users.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

describe('activity of many users (the Push & Pull sweep)', () => {
  let server: TestServer;
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 12, 0, 0));
  const ids: number[] = [];

  before(async () => {
    server = await startTestServer({ clock });
    // More than one statement's worth of users.
    const rows = await server.app.db.query<{ id: number }>(
      `INSERT INTO users (name, last_name) SELECT 'Listener', g::text FROM generate_series(1, 1200) g RETURNING id`,
    );
    ids.push(...rows.map((r) => Number(r.id)));
  });
  after(() => server.close());

  const written = async () =>
    (
      await server.app.db.query<{ id: number; at: Date | null }>(
        'SELECT id, last_activity AS at FROM users WHERE id = ANY($1) ORDER BY id',
        [ids],
      )
    ).map((r) => r.at?.getTime() ?? null);

  it('writes every due user, and the cached rows, once per step', async () => {
    const users = server.app.domain.users;
    await users.get(ids[0]); // a cached row must see the new time
    const first = clock.now();
    await users.noteActivityOf(ids.slice(0, 1000));
    assert.deepEqual(await written(), [...ids.map((_, i) => (i < 1000 ? first : null))]);
    assert.equal((await users.get(ids[0]))?.last_activity?.getTime(), first);
    // A listener is no reason to keep its row in memory: an uncached row is read afresh (a change behind the cache's
    // back shows).
    await server.app.db.query(`UPDATE users SET name = 'Renamed' WHERE id = $1`, [ids[1]]);
    assert.equal((await users.get(ids[1]))?.name, 'Renamed');

    clock.advance(ACTIVITY_STEP_MS - 1);
    await users.noteActivityOf([...ids, 0, -5]);
    const now = clock.now();
    assert.deepEqual(await written(), [...ids.map((_, i) => (i < 1000 ? first : now))], 'the recent ones wait');

    clock.advance(1);
    await users.noteActivityOf(ids);
    assert.deepEqual(await written(), [...ids.map((_, i) => (i < 1000 ? clock.now() : now))], 'a step after the first');
  });
});
