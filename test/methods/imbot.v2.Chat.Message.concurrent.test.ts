import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatRow } from '../../src/domain/chats.ts';
import type { UserRow } from '../../src/domain/user-row.ts';
import { eventually } from '../helpers/handler.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { v2Register } from '../helpers/v2.ts';

// Issue 11, defect 11: imbot.v2.Chat.Message.delete once answered 500 in a full-suite run. Deletes, edits and
// reactions of one message race each other and new messages of its chat, whose members are subscribed to im.v2
// events (every change writes their streams): each call answers a success or its documented error, never a 5xx,
// and the message ends deleted exactly once.
describe('defect 11: concurrent deletes, edits and reactions of one message', () => {
  let server: TestServer;
  const token = 'race-token';
  let botId: number;
  let ann: UserRow;
  let chat: ChatRow;

  const call = (method: string, params: Record<string, unknown>) =>
    server.call(`imbot.v2.Chat.${method}`, { botId, botToken: token, ...params });

  before(async () => {
    server = await startTestServer();
    botId = await v2Register(server, token, 'race_bot', { properties: { name: 'Race' } });
    ann = await server.app.domain.users.create({ name: 'Ann', last_name: 'A' });
    chat = await server.app.domain.chats.create({ type: 'C', title: 'Race', authorId: botId, users: [ann.id, 1] });
    assert.equal((await server.call('im.v2.Event.subscribe')).body.result, true);
  });
  after(() => server.close());

  // Two deletes (and an edit) that all found the message theirs, then queued on its row: those after the first find
  // it deleted, which the page's table words as ACCESS_DENIED ("the message does not exist"), not v1's
  // CANT_EDIT_MESSAGE. Each call is sent once its predecessor waits on the row, so the soft delete goes first.
  it('a delete or edit that finds the message deleted by the call before it answers ACCESS_DENIED', async () => {
    const sent = await call('Message.send', { dialogId: `chat${chat.id}`, fields: { message: 'queued' } });
    const messageId = sent.body.result.id;
    const calls: Promise<{ status: number; body: any }>[] = [];
    const waiting = async () => {
      const [row] = await server.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'`,
      );
      return row.n;
    };
    await server.db.tx(async (tx) => {
      await tx.query('SELECT id FROM messages WHERE id = $1 FOR UPDATE', [messageId]);
      for (const next of [
        () => call('Message.delete', { messageId }),
        () => call('Message.delete', { messageId, complete: true }),
        () => call('Message.update', { messageId, fields: { message: 'late edit' } }),
      ]) {
        calls.push(next());
        const queued = calls.length;
        await eventually(async () => (await waiting()) === queued);
      }
    });
    const answers = await Promise.all(calls);
    assert.deepEqual(
      answers.map((res) => [res.status, res.body.error]),
      [
        [200, undefined],
        [403, 'ACCESS_DENIED'],
        [403, 'ACCESS_DENIED'],
      ],
      JSON.stringify(answers.map((r) => r.body)),
    );
  });

  for (const complete of [false, true]) {
    it(`${complete ? 'complete' : 'soft'} deletes racing edits, reactions and new messages: no 5xx`, async () => {
      for (let round = 0; round < 5; round++) {
        const sent = await call('Message.send', { dialogId: `chat${chat.id}`, fields: { message: `round ${round}` } });
        assert.equal(sent.status, 200, JSON.stringify(sent.body));
        const messageId = sent.body.result.id;
        const calls = [
          ...Array.from({ length: 4 }, () => call('Message.delete', { messageId, complete })),
          ...Array.from({ length: 3 }, (_, i) =>
            call('Message.update', { messageId, fields: { message: `edit ${round}.${i}` } }),
          ),
          call('Message.Reaction.add', { messageId, reaction: 'like' }),
          call('Message.send', { dialogId: `chat${chat.id}`, fields: { message: `beside ${round}` } }),
          server.call('im.message.add', { DIALOG_ID: `chat${chat.id}`, MESSAGE: `user ${round}` }),
        ];
        const answers = await Promise.all(calls);
        for (const res of answers) {
          assert.ok(res.status < 500, JSON.stringify(res.body));
          if (res.status >= 400) assert.equal(typeof res.body.error, 'string', JSON.stringify(res.body));
        }
        const deletes = answers.slice(0, 4).filter((res) => res.status === 200);
        assert.equal(
          deletes.length,
          1,
          `one delete succeeds: ${JSON.stringify(answers.slice(0, 4).map((r) => r.body))}`,
        );
        const row = await server.app.domain.messenger.get(messageId);
        if (complete) assert.equal(row, undefined);
        else assert.equal(row?.deleted, true);
      }
    });
  }
});
