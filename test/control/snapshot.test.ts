import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getHeapSnapshot } from 'node:v8';
import pg from 'pg';
import { SNAPSHOT_SESSION } from '../../src/control/snapshot.ts';
import type { Database } from '../../src/store/db.ts';
import { ident, tablesInOrder } from '../../src/store/tables.ts';
import { type B24Local, startB24Local } from '../../src/testing.ts';
import { eventually } from '../helpers/handler.ts';
import { testDatabase } from '../helpers/harness.ts';

const FIXTURES = `
users:
  - { name: Pat, last_name: Person, email: pat@example.com }
  - { name: Quinn, email: quinn@example.com }
webhooks:
  - { user_id: 2, token: pat-hook, scopes: [im, user] }
chats:
  - { title: Team, owner: 2, members: [3] }
messages:
  - { from: 2, dialogId: chat1, text: first }
  - { from: 2, dialogId: chat1, text: second }
  - { from: 3, dialogId: "2", text: seed }
`;

/** Every data table's rows (in a stable order), the sequences and the user triggers' states. */
async function storeState(db: Database) {
  const tables: Record<string, string> = {};
  for (const { name } of await tablesInOrder(db)) {
    const row = await db.one<{ rows: string }>(
      `SELECT coalesce(json_agg(t ORDER BY t::text), '[]')::text AS rows FROM ${ident(name)} t`,
    );
    tables[name] = row!.rows;
  }
  const sequences = await db.query(
    `SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 1`,
  );
  const triggers = await db.query(`SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`);
  return { tables, sequences, triggers };
}

/** The snapshot session's state in pg_stat_activity, if it exists. */
async function snapshotSession(db: Database) {
  return db.one<{ pid: number; wait_event_type: string | null }>(
    `SELECT pid, wait_event_type FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
    [SNAPSHOT_SESSION],
  );
}

/** Holds `LOCK TABLE messages` in an open transaction until released: the copy of that table waits for it. */
async function lockMessages(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE messages IN ACCESS EXCLUSIVE MODE');
  return async () => {
    await client.query('COMMIT');
    await client.end();
  };
}

async function post(base: string, method: string, params: Record<string, unknown> = {}) {
  const res = await fetch(`${base}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: await res.json() };
}

async function resetOver(b24: B24Local) {
  const res = await fetch(`${b24.url}/_b24local/reset`, {
    method: 'POST',
    headers: { authorization: `Bearer ${b24.adminToken}` },
  });
  return { status: res.status, body: await res.json() };
}

describe('reset: the start state is kept by PostgreSQL', () => {
  let dir: string;
  let fixtures: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'b24-snapshot-'));
    fixtures = path.join(dir, 'start.yaml');
    await writeFile(fixtures, FIXTURES);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('restores rows inserted, updated and deleted after the start exactly: ids, sequences, triggers', async () => {
    const db = await testDatabase();
    // A table of the user's own, filled by a trigger: the restore must not fire it, and must leave it on.
    await db.query(`CREATE TABLE user_log (id serial PRIMARY KEY, user_id int NOT NULL)`);
    await db.query(`CREATE FUNCTION log_user() RETURNS trigger LANGUAGE plpgsql AS
      $$BEGIN INSERT INTO user_log (user_id) VALUES (NEW.id); RETURN NEW; END$$`);
    await db.query(`CREATE TRIGGER user_logged AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION log_user()`);
    const b24 = await startB24Local({ databaseUrl: db.url, fixtures });
    try {
      const start = await storeState(db);
      assert.deepEqual(start.triggers, [{ tgname: 'user_logged', tgenabled: 'O' }]);
      assert.notEqual(start.tables.user_log, '[]');
      const hook = `${b24.url}/rest/2/pat-hook/`;
      const history = await post(hook, 'im.dialog.messages.get', { DIALOG_ID: 'chat1' });
      const ids = Object.fromEntries(
        history.body.result.messages.map((m: { id: number; text: string }) => [m.text, m.id]),
      );
      const added = await post(hook, 'im.message.add', { DIALOG_ID: 'chat1', MESSAGE: 'after the start' });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      const edited = await post(hook, 'im.message.update', { MESSAGE_ID: ids.first, MESSAGE: 'edited' });
      assert.equal(edited.status, 200, JSON.stringify([edited.body, ids]));
      assert.equal((await post(hook, 'im.message.delete', { MESSAGE_ID: ids.second })).status, 200);
      await b24.webhookUrl(1);
      await db.query(`DELETE FROM messages WHERE text = 'seed'`);
      await db.query(`UPDATE users SET name = 'Changed' WHERE id = 3`);
      assert.notDeepEqual((await storeState(db)).tables, start.tables);

      await b24.reset();
      assert.deepEqual(await storeState(db), start);
      const again = await post(hook, 'im.message.add', { DIALOG_ID: 'chat1', MESSAGE: 'after the reset' });
      assert.equal(again.body.result, added.body.result, 'ids start over where the start left them');

      const user = await post(await b24.webhookUrl(1), 'user.add', {
        NAME: 'New',
        EMAIL: 'n@example.com',
        UF_DEPARTMENT: [1],
      });
      assert.equal(user.status, 200, JSON.stringify(user.body));
      const logged = await db.query('SELECT 1 FROM user_log WHERE user_id = $1', [user.body.result]);
      assert.equal(logged.length, 1, 'the trigger fires again after the reset');

      // A second reset goes back to the same start, not to the state of the first.
      await b24.reset();
      assert.deepEqual(await storeState(db), start);
    } finally {
      await b24.stop();
      await db.close();
    }
  });

  it('holds no stored row in this process', async () => {
    const db = await testDatabase();
    let b24 = await startB24Local({ databaseUrl: db.url, fixtures });
    await b24.stop();
    // A text made by PostgreSQL and never sent here: found in this process's heap only if something read the row.
    await db.query(`UPDATE messages SET text = 'zqmarker' || md5(random()::text) WHERE text = 'seed'`);
    b24 = await startB24Local({ databaseUrl: db.url });
    try {
      await b24.reset(); // the copy is done
      let found = false;
      let tail = '';
      for await (const chunk of getHeapSnapshot()) {
        const text = tail + String(chunk);
        if (/zqmarker[0-9a-f]{32}/.test(text)) found = true;
        tail = text.slice(-40);
      }
      assert.equal(found, false, 'a stored row is held in the heap');
      const [row] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM messages WHERE text ~ '^zqmarker[0-9a-f]{32}$'`,
      );
      assert.equal(row.n, 1, 'the row is in the store, and in the start state reset returned to');
    } finally {
      await b24.stop();
      await db.close();
    }
  });

  it('starts without waiting for the copy; a reset asked for meanwhile waits for it', async () => {
    const db = await testDatabase();
    const release = await lockMessages(db.url);
    let b24: B24Local | undefined;
    try {
      b24 = await startB24Local({ databaseUrl: db.url });
      const session = await eventually(async () => (await snapshotSession(db))?.wait_event_type === 'Lock');
      assert.ok(session, 'the copy waits for the lock while the server serves');
      const hook = await b24.webhookUrl(1);
      assert.equal((await post(hook, 'user.current')).status, 200);
      const reset = resetOver(b24);
      await release();
      const done = await reset;
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal((await post(hook, 'user.current')).status, 401, 'the webhook made after the start is gone');
    } finally {
      await release().catch(() => {});
      await b24?.stop();
      await db.close();
    }
  });

  it('stop does not wait for a copy under way', async () => {
    const db = await testDatabase();
    const release = await lockMessages(db.url);
    try {
      const b24 = await startB24Local({ databaseUrl: db.url });
      await eventually(async () => (await snapshotSession(db))?.wait_event_type === 'Lock');
      await b24.stop(); // the copy is cancelled; without that this waits for the lock forever
      await eventually(async () => !(await snapshotSession(db)));
    } finally {
      await release();
      await db.close();
    }
  });

  it('a lost session: reset answers 503 START_STATE_LOST, everything else keeps working', async () => {
    const db = await testDatabase();
    const b24 = await startB24Local({ databaseUrl: db.url });
    try {
      const session = await snapshotSession(db);
      assert.ok(session, 'the control API keeps a session of its own');
      await db.query('SELECT pg_terminate_backend($1)', [session.pid]);
      await eventually(async () => !(await snapshotSession(db)));
      const res = await resetOver(b24);
      assert.equal(res.status, 503, JSON.stringify(res.body));
      assert.equal(res.body.error, 'START_STATE_LOST');
      assert.match(res.body.error_description, /restart the server/);
      assert.equal((await post(await b24.webhookUrl(1), 'user.current')).status, 200);
    } finally {
      await b24.stop();
      await db.close();
    }
  });
});
