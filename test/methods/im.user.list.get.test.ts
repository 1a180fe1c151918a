import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { assertError, type Person, person, registerBot } from '../helpers/messenger.ts';

describe('im.user.list.get', () => {
  let server: TestServer;
  let ann: Person;
  let bob: Person;
  let bot: number;

  before(async () => {
    server = await startTestServer();
    ann = await person(server, 'Ann', 'Lee');
    bob = await person(server, 'Bob', 'Stone');
    await server.app.domain.users.update(ann.id, { personal_gender: 'F', color: 'MINT' });
    bot = await registerBot(server, 'app1', 'lister');
  });
  after(() => server.close());

  it('answers the users of ID as the messenger shows them, keyed by id; unknown ids are left out', async () => {
    const res = await bob.call('im.user.list.get', { ID: [ann.id, bot, 999999] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const result = res.body.result;
    assert.deepEqual(Object.keys(result).sort(), [String(ann.id), String(bot)].sort());
    assert.equal(result[ann.id].name, 'Ann Lee');
    assert.equal(result[ann.id].color, '#4ba984');
    assert.equal(result[ann.id].gender, 'F');
    assert.equal(result[ann.id].bot, false);
    assert.equal(result[bot].bot, true);
    assert.equal(result[bot].type, 'bot');
  });

  it('RESULT_TYPE=array gives a list in the order asked; a JSON string of ids is read as the list', async () => {
    const res = await bob.call('im.user.list.get', { ID: JSON.stringify([bot, ann.id]), RESULT_TYPE: 'array' });
    assert.deepEqual(
      res.body.result.map((u: { id: number }) => u.id),
      [bot, ann.id],
    );
    const none = await bob.call('im.user.list.get', { ID: [999999] });
    assert.deepEqual(none.body.result, []);
  });

  it('ID missing or no list is INVALID_FORMAT', async () => {
    for (const params of [{}, { ID: 'abc' }]) {
      const res = await bob.call('im.user.list.get', params);
      assertError(res, 400, 'INVALID_FORMAT');
      assert.equal(res.body.error_description, 'A wrong format for the ID field is passed');
    }
  });
});
