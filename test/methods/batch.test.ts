import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { phpArray, resolveReferences } from '../../src/methods/basic/batch-commands.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

const TIME_KEYS = ['start', 'finish', 'duration', 'processing', 'date_start', 'date_finish'];

describe('batch', () => {
  let server: TestServer;
  let userHook: string;
  let deptUser: number;
  const clock = new ManualClock();

  before(async () => {
    server = await startTestServer({ clock });
    deptUser = (await server.app.domain.users.create({ name: 'Dept', last_name: 'Seven', departments: [7, 9] })).id;
    await server.app.domain.users.create({ name: 'Other', last_name: 'Nine', departments: [9] });
    const hook = await server.app.domain.identities.createWebhook(1, ['user'], 'useronly');
    userHook = `${server.url}/rest/1/${hook.token}/`;
  });
  after(() => server.close());

  it('runs named commands in order and passes $result[…] references on (the docs example)', async () => {
    const res = await server.call('batch', {
      halt: 0,
      cmd: {
        me: 'user.current',
        same: 'user.get?ID=$result[me][ID]&select[]=ID&select[]=NAME',
        dept: `user.get?ID=${deptUser}`,
        colleagues: 'user.get?FILTER[UF_DEPARTMENT]=$result[dept][0][UF_DEPARTMENT]&select[]=ID',
      },
    });
    assert.equal(res.status, 200);
    const { result } = res.body;
    assert.equal(result.result.me.ID, '1');
    assert.deepEqual(result.result.same, [{ ID: '1', NAME: 'Admin' }]);
    assert.equal(result.result.colleagues.length, 2, 'an array reference expands as an array param (7 or 9)');
    assert.deepEqual(result.result_error, []);
    assert.deepEqual(result.result_total, { same: 1, dept: 1, colleagues: 2 });
    assert.deepEqual(result.result_next, []);
    assert.deepEqual(Object.keys(result.result_time), ['me', 'same', 'dept', 'colleagues']);
    for (const time of Object.values(result.result_time) as Record<string, unknown>[]) {
      assert.deepEqual(Object.keys(time), TIME_KEYS);
    }
    assert.ok(res.body.time.operating !== undefined, 'the outer call has the full time block');
  });

  it("with OAuth every command runs in the application context (the docs' get_app: app.info)", async () => {
    const app = await server.app.domain.identities.createApp({ clientId: 'local.batch.1' });
    const { access_token } = await server.app.domain.identities.issueTokens(app, 1);
    const res = await server.call(
      'batch',
      { auth: access_token, halt: 0, cmd: { get_user: 'user.current', get_app: 'app.info' } },
      `${server.url}/rest/`,
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.result.result.get_user.ID, '1');
    assert.equal(res.body.result.result.get_app.CODE, 'local.batch.1');
    const viaWebhook = await server.call('batch', { cmd: { get_app: 'app.info' } });
    assert.equal(viaWebhook.body.result.result_error.get_app.error, 'ACCESS_DENIED');
  });

  it('a list cmd answers JSON arrays (PHP arrays with keys 0..n-1)', async () => {
    const res = await server.call('batch', { cmd: ['server.time', 'user.current', 'profile'] });
    const { result } = res.body;
    assert.ok(Array.isArray(result.result));
    assert.equal(result.result.length, 3);
    assert.equal(result.result[1].ID, '1');
    assert.ok(Array.isArray(result.result_time));
    assert.deepEqual(result.result_error, []);
  });

  it('a failed command in the middle makes the maps objects keyed by index', async () => {
    const res = await server.call('batch', { cmd: ['server.time', 'no.such.method', 'profile'] });
    const { result } = res.body;
    assert.deepEqual(Object.keys(result.result), ['0', '2']);
    assert.deepEqual(result.result_error, {
      1: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' },
    });
    assert.deepEqual(Object.keys(result.result_time), ['0', '2'], 'failed commands have no result_time');
  });

  it('halt=0 runs everything; halt=1 stops at the first error (docs error examples)', async () => {
    const cmd = { a: 'imbot.bot.list', b: 'server.time', c: 'imbot.bot.list', d: 'server.time' };
    const go = await server.call('batch', { halt: 0, cmd }, userHook);
    assert.equal(go.status, 200);
    assert.deepEqual(Object.keys(go.body.result.result_error), ['a', 'c']);
    assert.equal(go.body.result.result_error.a.error, 'insufficient_scope');
    assert.deepEqual(Object.keys(go.body.result.result), ['b', 'd']);
    for (const halt of [1, '1', true, 'true', 'Y']) {
      const stop = await server.call('batch', { halt, cmd }, userHook);
      assert.deepEqual(Object.keys(stop.body.result.result_error), ['a'], String(halt));
      assert.deepEqual(stop.body.result.result, [], 'nothing ran after the failure');
    }
    for (const halt of [0, '0', false, 'false', 'N']) {
      const on = await server.call('batch', { halt, cmd }, userHook);
      assert.deepEqual(Object.keys(on.body.result.result), ['b', 'd'], String(halt));
    }
  });

  it('list commands report result_total and result_next', async () => {
    for (let i = 0; i < 55; i++) await server.app.domain.users.create({ name: `Bulk${i}`, last_name: 'Batch' });
    const res = await server.call('batch', {
      cmd: { page1: 'user.get?FILTER[LAST_NAME]=Batch', page2: 'user.get?FILTER[LAST_NAME]=Batch&start=50' },
    });
    const { result } = res.body;
    assert.deepEqual(result.result_total, { page1: 55, page2: 55 });
    assert.deepEqual(result.result_next, { page1: 50 });
    assert.equal(result.result.page2.length, 5);
  });

  it('batch inside batch → ERROR_BATCH_METHOD_NOT_ALLOWED for that command', async () => {
    const res = await server.call('batch', { cmd: { inner: 'batch?cmd[x]=server.time', ok: 'server.time' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.result.result_error.inner.error, 'ERROR_BATCH_METHOD_NOT_ALLOWED');
    assert.ok(res.body.result.result.ok);
  });

  it('50 commands run; the 51st and later are not run and fail with ERROR_BATCH_LENGTH_EXCEEDED (the page)', async () => {
    const fifty = Array.from({ length: 50 }, () => 'server.time');
    const ok = await server.call('batch', { cmd: fifty });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.result.result.length, 50);
    const more = Object.fromEntries([...fifty, 'server.time', 'user.current'].map((c, i) => [`c${i}`, c]));
    const res = await server.call('batch', { cmd: more });
    assert.equal(res.status, 200);
    assert.equal(Object.keys(res.body.result.result).length, 50);
    const overflow = { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' };
    assert.deepEqual(res.body.result.result_error, { c50: overflow, c51: overflow });
    const halted = await server.call('batch', { halt: 1, cmd: more });
    assert.deepEqual(halted.body.result.result_error, { c50: overflow });
  });

  it("a form body with double-encoded commands (the docs' URL form)", async () => {
    // The inner query is encoded once as a query string, then the whole command once more as a form value.
    const inner = `user.get?${new URLSearchParams({ 'FILTER[ID]': '$result[me][ID]', 'FILTER[%NAME]': 'dm & x' })}`;
    assert.match(inner, /%26/);
    const body = `halt=0&cmd[me]=user.current&cmd[again]=${encodeURIComponent(inner)}&cmd[plain]=${encodeURIComponent(
      'user.get?FILTER[ID]=$result[me][ID]&select[]=NAME',
    )}`;
    assert.match(body, /%2526/, 'an & inside a value is encoded twice');
    const res = await fetch(`${server.webhook}batch.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    }).then((r) => r.json());
    assert.deepEqual(res.result.result.again, [], '"dm & x" is one value, not split at the &');
    assert.deepEqual(res.result.result.plain, [{ NAME: 'Admin' }]);
  });

  it('the SDK object form {method, params} is accepted in JSON', async () => {
    const res = await server.call('batch', {
      cmd: {
        me: { method: 'user.current', params: {} },
        same: { method: 'user.get', params: { FILTER: { ID: '$result[me][ID]' }, select: ['ID'] } },
        bare: { method: 'server.time' },
      },
    });
    assert.deepEqual(res.body.result.result.same, [{ ID: '1' }]);
    assert.equal(typeof res.body.result.result.bare, 'string');
  });

  it('a command that is neither form → INVALID_REQUEST for that command', async () => {
    const res = await server.call('batch', { cmd: { a: { params: {} }, b: ['x'], c: 'server.time' } });
    assert.equal(res.body.result.result_error.a.error, 'INVALID_REQUEST');
    assert.equal(res.body.result.result_error.b.error, 'INVALID_REQUEST');
    assert.ok(res.body.result.result.c);
  });

  it('no cmd → five empty maps; a cmd that is no list → INVALID_REQUEST', async () => {
    const empty = await server.call('batch', {});
    assert.deepEqual(empty.body.result, {
      result: [],
      result_error: [],
      result_total: [],
      result_next: [],
      result_time: [],
    });
    const bad = await server.call('batch', { cmd: 'server.time' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'INVALID_REQUEST');
    const badHalt = await server.call('batch', { cmd: [], halt: 'sometimes' });
    assert.equal(badHalt.status, 400);
  });

  it('a reference to a missing path reads as empty', async () => {
    // `%NAME` with an empty value matches every name; the literal "$result[…]" text would match none.
    const res = await server.call('batch', {
      cmd: {
        me: 'user.current',
        missing: 'user.get?FILTER[%NAME]=$result[me][NOPE]&start=-1',
        failed: 'user.get?FILTER[%NAME]=$result[x][y]&start=-1',
      },
    });
    assert.ok(res.body.result.result.missing.length > 1);
    assert.ok(res.body.result.result.failed.length > 1);
  });
});

describe('batch helpers', () => {
  const soFar = {
    result: { me: { ID: '1', NAME: 'Ann', UF_DEPARTMENT: [1, 5] }, list: [{ ID: '7' }] },
    next: { list: 50 },
    total: { list: 120 },
    time: {},
    error: { bad: { error: 'X', error_description: 'y' } },
  };

  it('resolves whole-value references to the value itself, and references inside text to their text', () => {
    assert.deepEqual(
      resolveReferences(
        {
          ID: '$result[me][ID]',
          DEPT: '$result[me][UF_DEPARTMENT]',
          FIRST: '$result[list][0][ID]',
          NEXT: '$next[list]',
          TOTAL: '$TOTAL[list]',
          ERR: '$error[bad][error]',
          TEXT: 'Hello $result[me][NAME], page $next[list]!',
          nested: { deep: ['$result[me][ID]'] },
          plain: 'costs $5',
        },
        soFar,
      ),
      {
        ID: '1',
        DEPT: [1, 5],
        FIRST: '7',
        NEXT: 50,
        TOTAL: 120,
        ERR: 'X',
        TEXT: 'Hello Ann, page 50!',
        nested: { deep: ['1'] },
        plain: 'costs $5',
      },
    );
  });

  it('missing paths read as empty strings', () => {
    assert.deepEqual(
      resolveReferences({ a: '$result[me][X]', b: '$result[nobody][ID]', c: 'x$result[me][X]y' }, soFar),
      {
        a: '',
        b: '',
        c: 'xy',
      },
    );
  });

  it('does not recurse without end on deeply nested params', () => {
    let deep: unknown = '$result[me][ID]';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    assert.doesNotThrow(() => resolveReferences(deep, soFar));
  });

  it('PHP array semantics', () => {
    assert.deepEqual(phpArray([]), []);
    assert.deepEqual(
      phpArray([
        ['0', 'a'],
        ['1', 'b'],
      ]),
      ['a', 'b'],
    );
    assert.deepEqual(phpArray([['1', 'b']]), { 1: 'b' });
    assert.deepEqual(phpArray([['x', 1]]), { x: 1 });
  });
});
