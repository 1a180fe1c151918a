import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/harness.ts';

describe('user.search', () => {
  let server: TestServer;
  const ids: Record<string, number> = {};

  before(async () => {
    server = await startTestServer();
    const { users } = server.app.domain;
    ids.john = (await users.create({ name: 'John', last_name: 'Smith', work_position: 'Sales manager' })).id;
    ids.joan = (await users.create({ name: 'Joan', last_name: 'Johnson', second_name: 'Mary' })).id;
    ids.mark = (await users.create({ name: 'Mark', last_name: 'Ojohn', user_type: 'extranet' })).id;
  });
  after(() => server.close());

  const search = async (params: Record<string, unknown>) => {
    const res = await server.call('user.search', params);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.result.map((u: { ID: string }) => Number(u.ID));
  };

  it('NAME, LAST_NAME, SECOND_NAME and WORK_POSITION match from the start ("right LIKE")', async () => {
    assert.deepEqual(await search({ FILTER: { NAME: 'jo' } }), [ids.john, ids.joan]);
    assert.deepEqual(await search({ FILTER: { LAST_NAME: 'john' } }), [ids.joan], 'not Ojohn: only prefixes');
    assert.deepEqual(await search({ FILTER: { SECOND_NAME: 'Ma' } }), [ids.joan]);
    assert.deepEqual(await search({ FILTER: { WORK_POSITION: 'sales' } }), [ids.john]);
    assert.deepEqual(await search({ FILTER: { NAME: 'jo', LAST_NAME: 'sm' } }), [ids.john]);
  });

  it('FIND searches all of them; every word must match', async () => {
    assert.deepEqual(await search({ FIND: 'john' }), [ids.john, ids.joan]);
    assert.deepEqual(await search({ FILTER: { FIND: 'manager' } }), [ids.john], 'a word inside the job title');
    assert.deepEqual(await search({ FIND: 'joan johnson' }), [ids.joan]);
    assert.deepEqual(await search({ FIND: 'nobody' }), []);
  });

  it('FIND wins over the per-field search keys; other filter keys still apply', async () => {
    assert.deepEqual(await search({ FILTER: { FIND: 'jo', NAME: 'Mark' } }), [ids.john, ids.joan]);
    assert.deepEqual(await search({ FILTER: { FIND: 'jo', '!ID': ids.john } }), [ids.joan]);
  });

  it('USER_TYPE and the user.get operators work as in user.get', async () => {
    assert.deepEqual(await search({ FILTER: { USER_TYPE: 'extranet' } }), [ids.mark]);
    assert.deepEqual(await search({ FILTER: { '%LAST_NAME': 'john' } }), [ids.joan, ids.mark]);
  });

  it('no departments exist locally, so UF_DEPARTMENT_NAME finds nobody', async () => {
    assert.deepEqual(await search({ FILTER: { UF_DEPARTMENT_NAME: 'Sales' } }), []);
  });

  it('pages and totals like user.get', async () => {
    const res = await server.call('user.search', { FIND: 'jo', start: 1 });
    assert.equal(res.body.total, 2);
    assert.equal(res.body.result.length, 1);
  });
});
