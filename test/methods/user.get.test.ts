import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

describe('user.get', () => {
  let server: TestServer;
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 12, 0, 0));
  const ids: Record<string, number> = {};
  let briefHook: string;
  let basicHook: string;

  before(async () => {
    server = await startTestServer({ clock });
    const users = server.app.domain.users;
    const add = async (key: string, fields: Parameters<typeof users.create>[0]) => {
      ids[key] = (await users.create(fields)).id;
    };
    await add('ivan', {
      name: 'Ivan',
      last_name: 'Petrov',
      email: 'ivan@example.com',
      work_position: 'Developer',
      personal_city: 'New York',
      personal_birthday: '1990-05-17',
      departments: [1, 5],
      last_activity: new Date(clock.now() - 60_000),
      profile_fields: { WORK_COMPANY: 'Acme', UF_SKYPE: 'ivan.p' },
    });
    await add('ivanna', { name: 'Ivanna', last_name: 'Anderson', email: 'ivanna@example.com', departments: [5] });
    await add('john', {
      name: 'John',
      last_name: 'Smith',
      email: 'john@example.com',
      personal_city: 'Los Angeles',
      active: false,
    });
    await add('ext', { name: 'Eve', last_name: 'Extern', user_type: 'extranet', departments: [] });
    const bot = await server.call('imbot.register', {
      CODE: 'listbot',
      EVENT_HANDLER: 'http://127.0.0.1:9/h',
      PROPERTIES: { NAME: 'Ivan Bot' },
      CLIENT_ID: 'listapp',
    });
    ids.bot = bot.body.result;
    assert.ok(ids.bot > 0, JSON.stringify(bot.body));
    briefHook = `${server.url}/rest/1/${(await server.app.domain.identities.createWebhook(1, ['user_brief'], 'brief')).token}/`;
    basicHook = `${server.url}/rest/1/${(await server.app.domain.identities.createWebhook(1, ['user_basic'], 'basic')).token}/`;
  });
  after(() => server.close());

  const idsOf = (body: { result: { ID: string }[] }) => body.result.map((u) => Number(u.ID));

  it('lists every user but bots, by ID ascending, with total and the documented fields', async () => {
    const res = await server.call('user.get');
    assert.equal(res.status, 200);
    assert.deepEqual(idsOf(res.body), [1, ids.ivan, ids.ivanna, ids.john, ids.ext]);
    assert.equal(res.body.total, 5);
    assert.equal(res.body.next, undefined);
    const ivan = res.body.result[1];
    assert.equal(ivan.ID, String(ids.ivan));
    assert.equal(ivan.ACTIVE, true);
    assert.equal(ivan.IS_ONLINE, 'Y', 'active a minute ago');
    assert.equal(res.body.result[2].IS_ONLINE, 'N');
    assert.deepEqual(ivan.UF_DEPARTMENT, [1, 5]);
    assert.equal(ivan.USER_TYPE, 'employee');
    assert.match(ivan.PERSONAL_BIRTHDAY, /^1990-05-17T00:00:00[+-]\d{2}:\d{2}$/);
    assert.match(ivan.DATE_REGISTER, /^2026-01-15T00:00:00[+-]\d{2}:\d{2}$/, 'a date at midnight, as in the docs');
    assert.equal(ivan.WORK_COMPANY, 'Acme', 'a set field without a column is shown');
    assert.equal(ivan.SECOND_NAME, '', 'the documented keys are always there');
    assert.equal('WORK_COMPANY' in res.body.result[2], false, 'unset extra fields are left out');
  });

  it('reads the filter from FILTER, filter, or the top-level params', async () => {
    for (const params of [{ FILTER: { ID: ids.john } }, { filter: { ID: String(ids.john) } }, { ID: ids.john }]) {
      const res = await server.call('user.get', params);
      assert.deepEqual(idsOf(res.body), [ids.john], JSON.stringify(params));
    }
  });

  it('reads a bracket-nested GET query', async () => {
    const res = await fetch(`${server.webhook}user.get?FILTER[ID]=${ids.ivan}&select[]=ID&select[]=NAME`);
    const body = await res.json();
    assert.deepEqual(body.result, [{ ID: String(ids.ivan), NAME: 'Ivan' }]);
  });

  type Filter = Record<string, unknown> | ((ids: Record<string, number>) => Record<string, unknown>);
  const cases: [string, Filter, string[]][] = [
    ['no prefix is the whole value, any case', { NAME: 'ivan' }, ['ivan']],
    ['no prefix with % is LIKE (the docs\' "Iv%")', { NAME: 'Iv%' }, ['ivan', 'ivanna']],
    ['= is exact', { '=NAME': 'Iv%' }, []],
    ['% is a substring', { '%LAST_NAME': 'tro' }, ['ivan']],
    ["=% uses the value's own %", { '=%LAST_NAME': '%son' }, ['ivanna']],
    ['%= as well', { '%=LAST_NAME': 'Sm%' }, ['john']],
    ["!% is NOT LIKE (the docs' example)", { '!%LAST_NAME': 'an', '>ID': 1 }, ['ivan', 'john', 'ext']],
    ['!=%', { '!=%NAME': 'Iv%', '>ID': 1 }, ['john', 'ext']],
    ['!%=', { '!%=NAME': 'Iv%', '>ID': 1 }, ['john', 'ext']],
    ["@ is IN (the docs' cities)", { '@PERSONAL_CITY': ['New York', 'Los Angeles'] }, ['ivan', 'john']],
    ['!@ is NOT IN', (ids) => ({ '!@ID': [1, ids.ivan] }), ['ivanna', 'john', 'ext']],
    ['> and <', (ids) => ({ '>ID': ids.ivan, '<ID': ids.ext }), ['ivanna', 'john']],
    ['>= and <=', (ids) => ({ '>=ID': ids.ivan, '<=ID': ids.ivanna }), ['ivan', 'ivanna']],
    ['!= is not equal', { '!=NAME': 'Ivan', '>ID': 1 }, ['ivanna', 'john', 'ext']],
    ['! is not equal', { '!NAME': 'ivan', '>ID': 1 }, ['ivanna', 'john', 'ext']],
    ['a list value matches any', { ID: [0, 1] }, ['admin']],
    ['ACTIVE=true excludes fired users', { ACTIVE: true, '>ID': 1 }, ['ivan', 'ivanna', 'ext']],
    ['ACTIVE=N', { ACTIVE: 'N' }, ['john']],
    ['UF_DEPARTMENT', { UF_DEPARTMENT: 5 }, ['ivan', 'ivanna']],
    ['UF_DEPARTMENT list', { UF_DEPARTMENT: [5, 1] }, ['admin', 'ivan', 'ivanna', 'john']],
    ['USER_TYPE', { USER_TYPE: 'extranet' }, ['ext']],
    ['IS_ONLINE=Y (the calling admin is active too)', { IS_ONLINE: 'Y' }, ['admin', 'ivan']],
    ['NAME_SEARCH', { NAME_SEARCH: 'petr' }, ['ivan']],
    ['NAME_SEARCH by words', { NAME_SEARCH: 'iv sm' }, []],
    ['a date filter in ISO 8601', { '>=PERSONAL_BIRTHDAY': '1990-01-01T00:00:00+02:00' }, ['ivan']],
    ['a date filter in the portal format', { '<PERSONAL_BIRTHDAY': '01.01.1991' }, ['ivan']],
    ['DATE_REGISTER', { '>=DATE_REGISTER': '2026-01-15', '>ID': 1 }, ['ivan', 'ivanna', 'john', 'ext']],
    ['an unreadable date matches nothing', { '>DATE_REGISTER': 'yesterday' }, []],
    ['an unreadable id matches nothing', { ID: 'abc' }, []],
    ['an id beyond the integer range matches nothing', { ID: '999999999999999', UF_DEPARTMENT: 1e12 }, []],
    ['an unknown field is ignored', { NO_SUCH_FIELD: 1, ID: 1 }, ['admin']],
    ['a field stored without a column', { WORK_COMPANY: 'acme' }, ['ivan']],
    ['a bot is never listed', { '%NAME': 'Bot' }, []],
    ['a bot is never listed, even by id', (ids) => ({ ID: ids.bot }), []],
  ];
  for (const [name, filter, expected] of cases) {
    it(`filter: ${name}`, async () => {
      const res = await server.call('user.get', { filter: typeof filter === 'function' ? filter(ids) : filter });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const want = expected.map((k) => (k === 'admin' ? 1 : ids[k]));
      assert.deepEqual(idsOf(res.body), want);
      assert.equal(res.body.total, want.length);
    });
  }

  it('sort and order (any case)', async () => {
    const res = await server.call('user.get', { SORT: 'NAME', ORDER: 'desc', filter: { '>ID': 1 } });
    assert.deepEqual(
      res.body.result.map((u: { NAME: string }) => u.NAME),
      ['John', 'Ivanna', 'Ivan', 'Eve'],
    );
    const unknown = await server.call('user.get', { sort: 'NOPE', order: 'DESC' });
    assert.equal(Number(unknown.body.result[0].ID), ids.ext, 'an unknown sort field sorts by ID');
  });

  it('select: names, * and UF_*; unknown fields skipped', async () => {
    const res = await server.call('user.get', { ID: ids.ivan, select: ['ID', 'EMAIL', 'NOPE'] });
    assert.deepEqual(res.body.result, [{ ID: String(ids.ivan), EMAIL: 'ivan@example.com' }]);
    const all = await server.call('user.get', { ID: ids.ivanna, select: ['*'] });
    assert.equal(all.body.result[0].WORK_COMPANY, '', 'every field, set or not');
    assert.equal(all.body.result[0].PERSONAL_ICQ, '');
    const uf = await server.call('user.get', { ID: ids.ivan, select: ['UF_*'] });
    assert.ok(Object.keys(uf.body.result[0]).every((k) => k.startsWith('UF_')));
    assert.equal(uf.body.result[0].UF_SKYPE, 'ivan.p');
  });

  it('user_brief sees no contacts and cannot filter by them; user_basic sees e-mail but no LAST_LOGIN', async () => {
    const brief = await server.call('user.get', { ID: ids.ivan }, briefHook);
    assert.equal(brief.status, 200);
    assert.equal(brief.body.result[0].NAME, 'Ivan');
    assert.equal('EMAIL' in brief.body.result[0], false);
    assert.equal('WORK_COMPANY' in brief.body.result[0], false);
    const byEmail = await server.call('user.get', { EMAIL: 'ivan@example.com' }, briefHook);
    assert.equal(byEmail.body.total, 5, 'the EMAIL condition is dropped');
    const basic = await server.call('user.get', { ID: ids.ivan, select: ['*'] }, basicHook);
    assert.equal(basic.body.result[0].EMAIL, 'ivan@example.com');
    assert.equal('LAST_LOGIN' in basic.body.result[0], false);
    assert.equal('PERSONAL_WWW' in basic.body.result[0], false);
  });

  describe('paging', () => {
    before(async () => {
      for (let i = 0; i < 120; i++) await server.app.domain.users.create({ name: `Bulk${i}`, last_name: 'Page' });
    });
    it('50 per page, next while more rows exist', async () => {
      const first = await server.call('user.get', { filter: { LAST_NAME: 'Page' } });
      assert.equal(first.body.result.length, 50);
      assert.equal(first.body.total, 120);
      assert.equal(first.body.next, 50);
      const last = await server.call('user.get', { filter: { LAST_NAME: 'Page' }, start: '100' });
      assert.equal(last.body.result.length, 20);
      assert.equal(last.body.next, undefined);
      assert.equal(last.body.result[0].NAME, 'Bulk100');
      const odd = await server.call('user.get', { filter: { LAST_NAME: 'Page' }, start: 70 });
      assert.equal(odd.body.result[0].NAME, 'Bulk70', 'any offset, not only multiples of 50');
      assert.equal(odd.body.next, undefined, '70 + 50 is not below 120');
      const middle = await server.call('user.get', { filter: { LAST_NAME: 'Page' }, start: 60 });
      assert.equal(middle.body.next, 110, 'next = start + 50');
    });
    it('start=-1 skips the count: total 0, no next', async () => {
      const res = await server.call('user.get', { filter: { LAST_NAME: 'Page' }, start: -1 });
      assert.equal(res.body.result.length, 50);
      assert.equal(res.body.total, 0);
      assert.equal(res.body.next, undefined);
    });
    it('a non-numeric start reads as 0; a start past the end gives an empty page', async () => {
      const res = await server.call('user.get', { filter: { LAST_NAME: 'Page' }, start: 'abc' });
      assert.equal(res.body.result[0].NAME, 'Bulk0');
      const past = await server.call('user.get', { filter: { LAST_NAME: 'Page' }, start: 1e15 });
      assert.equal(past.status, 200);
      assert.deepEqual(past.body.result, []);
      assert.equal(past.body.total, 120);
    });
  });

  it('a user scope is required', async () => {
    const hook = await server.app.domain.identities.createWebhook(1, ['imbot'], 'imbotonly');
    const res = await server.call('user.get', {}, `${server.url}/rest/1/${hook.token}/`);
    assert.equal(res.status, 403);
    assert.equal(res.body.error, 'insufficient_scope');
  });

  it('junk never fails the request', async () => {
    for (const filter of [
      { ID: { a: { b: 1 } } },
      { '>=': 1 },
      { '': 'x' },
      { NAME: null },
      { UF_DEPARTMENT: false },
    ]) {
      const res = await server.call('user.get', { filter, sort: { a: 1 }, order: [], select: 'ID' });
      assert.equal(res.status, 200, JSON.stringify({ filter, body: res.body }));
    }
  });
});
