import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../../src/store/db.ts';
import { type B24, nowMs, rest, rssKiB, startB24 } from '../lib/processes.ts';
import type { Row, Scenario } from '../lib/scenario.ts';
import { kib, ms, percentile } from '../lib/stats.ts';
import { benchStore } from '../lib/store.ts';

/** Chats the stored messages are spread over; the measured chat is one of them. */
const CHATS = 100;

interface Level {
  messages: number;
  get: number[];
  add: number[];
  rss: number;
}

/**
 * P4: the latency of reading a chat's history (`im.dialog.messages.get`) and of a bot posting to it
 * (`imbot.message.add`) with 10,000 and with 1,000,000 messages in the store, and the server's memory after a warm-up
 * at each. The messages are spread over 100 chats, the measured one included, and everyone has read them (unread
 * counters stay small). The store is filled with SQL between server runs.
 */
export const p4Growth: Scenario = {
  id: 'P4',
  title: 'Growth: 10k vs 1M stored messages',
  async run({ smoke }) {
    const [small, large] = smoke ? [1_000, 10_000] : [10_000, 1_000_000];
    const calls = smoke ? 30 : 500;
    const store = await benchStore();
    let b24: B24 | undefined;
    try {
      b24 = await startB24({ env: { DATABASE_URL: store.url } });
      const botId = await rest(b24.webhook, 'imbot.register', {
        CODE: 'growth',
        CLIENT_ID: 'bench',
        EVENT_HANDLER: 'http://127.0.0.1:9/h',
        PROPERTIES: { NAME: 'Growth' },
      });
      const chatId = await rest(b24.webhook, 'imbot.chat.add', { BOT_ID: botId, USERS: [1], CLIENT_ID: 'bench' });
      await b24.destroy();
      await fill(store.db, small, chatId, botId);
      const levels: Level[] = [];
      let plans = '';
      for (const target of [small, large]) {
        if (target !== small) await fill(store.db, target, chatId, botId);
        b24 = await startB24({ env: { DATABASE_URL: store.url } });
        levels.push(await measure(b24, target, chatId, botId, calls));
        await b24.destroy();
        if (target === large) plans = await explain(store.db, chatId);
      }
      const [a, b] = levels;
      const latencyRow = (name: string, x: number[], y: number[]): Row => {
        const ratio = percentile(y, 50) / percentile(x, 50);
        return {
          name,
          figure: `${ms(percentile(y, 50))} p50, ${ms(percentile(y, 99))} p99 at ${label(large)}`,
          baseline: `${ms(percentile(x, 50))} p50, ${ms(percentile(x, 99))} p99 at ${label(small)}`,
          ratio,
          goal: 'p50 ≤ 1.5×',
          met: ratio <= 1.5,
        };
      };
      const rows: Row[] = [
        latencyRow('im.dialog.messages.get (20 newest)', a.get, b.get),
        latencyRow('imbot.message.add', a.add, b.add),
        {
          name: 'server RSS after the warm-up',
          figure: `${kib(b.rss)} at ${label(large)}`,
          baseline: `${kib(a.rss)} at ${label(small)}`,
          ratio: b.rss / a.rss,
          goal: '≤ 1.1× (no growth)',
          met: b.rss / a.rss <= 1.1,
        },
      ];
      const notes = [
        `${calls} calls of each method one at a time after ${calls / 2} warm-up calls, from the bench process; ` +
          `messages spread over ${CHATS} chats (the measured chat holds 1/${CHATS} of them).`,
        `Query plans at ${label(large)} (\`EXPLAIN ANALYZE\`):`,
        '',
        plans,
      ];
      return { rows, notes };
    } finally {
      await b24?.destroy();
      await store.stop();
    }
  },
};

const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

async function measure(b24: B24, messages: number, chatId: number, botId: number, calls: number): Promise<Level> {
  const hook = b24.webhook;
  const get = () => rest(hook, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` });
  const add = () =>
    rest(hook, 'imbot.message.add', {
      BOT_ID: botId,
      DIALOG_ID: `chat${chatId}`,
      MESSAGE: 'Hello',
      CLIENT_ID: 'bench',
    });
  // History first: the bot's new messages are unread for user 1 and would lengthen the page.
  await timed(get, calls / 2);
  const getTimes = await timed(get, calls);
  await timed(add, calls / 2);
  await sleep(500);
  const rss = rssKiB(b24.child.pid!);
  const addTimes = await timed(add, calls);
  return { messages, get: getTimes, add: addTimes, rss };
}

async function timed(call: () => Promise<unknown>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = nowMs();
    await call();
    out.push(nowMs() - start);
  }
  return out;
}

/**
 * Tops the store up to `total` messages with one generate_series, spread over CHATS chats (the measured one and
 * fillers owned by user 1), and marks everything read, as if the members had kept up.
 */
async function fill(db: Db, total: number, chatId: number, botId: number): Promise<void> {
  await db.query(
    `INSERT INTO chats (type, title, owner_id, author_id) SELECT 'C', 'Filler ' || g, 1, 1
     FROM generate_series(1, $1 - (SELECT count(*) FROM chats WHERE type = 'C')) g`,
    [CHATS],
  );
  await db.query(
    `INSERT INTO chat_members (chat_id, user_id) SELECT id, 1 FROM chats WHERE type = 'C' ON CONFLICT DO NOTHING`,
  );
  const chats = (await db.query<{ id: number }>(`SELECT id FROM chats WHERE type = 'C' ORDER BY id`)).map((r) => r.id);
  await db.query(
    `INSERT INTO messages (chat_id, author_id, text, created_at)
     SELECT ($2::int[])[1 + g % $3], CASE WHEN g % 2 = 0 THEN 1 ELSE $4 END, 'Message number ' || g,
            now() - interval '1 day' + g * interval '1 ms'
     FROM generate_series(1, $1 - (SELECT count(*) FROM messages)) g`,
    [total, chats, chats.length, botId],
  );
  await db.query(
    `UPDATE chats c SET last_message_id = s.last, message_count = s.n
     FROM (SELECT chat_id, max(id) AS last, count(*) AS n FROM messages GROUP BY chat_id) s WHERE c.id = s.chat_id`,
  );
  await db.query(`UPDATE chat_members m SET last_read_id = c.last_message_id FROM chats c WHERE c.id = m.chat_id`);
  // What autovacuum would have done by the time a real store holds this much.
  await db.query('VACUUM ANALYZE');
  if (!chats.includes(chatId)) throw new Error('the measured chat is not among the filled ones');
}

/** The plans of the queries behind both methods, at the large size. */
async function explain(db: Db, chatId: number): Promise<string> {
  const queries: [string, string][] = [
    ['history page', `SELECT * FROM messages WHERE chat_id = ${chatId} AND id >= 0 ORDER BY id DESC LIMIT 20`],
    [
      'unread counters',
      `SELECT cm.user_id, count(m.id)::int FROM chat_members cm
       LEFT JOIN messages m ON m.chat_id = cm.chat_id AND m.id > cm.last_read_id AND m.id >= cm.start_id
         AND m.author_id <> cm.user_id AND NOT m.deleted
       WHERE cm.chat_id = ${chatId} GROUP BY cm.user_id`,
    ],
  ];
  const out: string[] = [];
  for (const [name, sql] of queries) {
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${sql}`);
    out.push(`${name}:`, '```', ...plan.map((r) => r['QUERY PLAN']), '```');
  }
  return out.join('\n');
}
