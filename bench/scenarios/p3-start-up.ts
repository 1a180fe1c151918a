import { removeDir, tempDir } from '../lib/processes.ts';
import type { Scenario } from '../lib/scenario.ts';
import { BARE_SERVER, timeB24, timeToAnswer } from '../lib/start-up.ts';
import { median, ms } from '../lib/stats.ts';
import { withDataDir } from '../lib/store.ts';

/**
 * P3: from spawning the process to the first successful REST answer (`server.time` over a webhook, polled every
 * 5 ms): the first run on an empty data directory (PostgreSQL initdb, migrations), and a restart with 100,000
 * stored messages. Baseline: `node -e` of an empty node:http server, from spawn to its first answer.
 */
export const p3StartUp: Scenario = {
  id: 'P3',
  title: 'Start-up with the embedded store',
  async run({ smoke }) {
    const runs = smoke ? 1 : 3;
    const messages = smoke ? 1_000 : 100_000;
    const baseline: number[] = [];
    const first: number[] = [];
    const restart: number[] = [];
    for (let i = 0; i < runs; i++) baseline.push(await timeToAnswer(['-e', BARE_SERVER], {}, '/'));
    let dataDir = '';
    for (let i = 0; i < runs; i++) {
      if (dataDir) removeDir(dataDir);
      dataDir = tempDir();
      first.push(await timeB24(dataDir));
    }
    try {
      await withDataDir(dataDir, (db) => fill(db, messages));
      for (let i = 0; i < runs; i++) restart.push(await timeB24(dataDir));
    } finally {
      removeDir(dataDir);
    }
    const base = median(baseline);
    const row = (name: string, samples: number[], limitMs: number) => ({
      name,
      figure: `${ms(median(samples))} (of ${samples.map((s) => Math.round(s)).join(', ')} ms)`,
      baseline: `${ms(base)} (bare node:http)`,
      ratio: median(samples) / base,
      goal: `≤ ${limitMs / 1000} s`,
      met: median(samples) <= limitMs,
    });
    return {
      rows: [
        row('first run, empty data directory', first, 8000),
        row(`restart, ${messages.toLocaleString('en')} stored messages`, restart, 1500),
      ],
      notes: [
        `Median of ${runs} runs each; the goals are absolute times, the ratio to the bare server shows how much of ` +
          'it is Node starting at all.',
      ],
    };
  },
};

/** `count` messages in 100 chats of the administrator, written with one generate_series. */
async function fill(db: import('../../src/store/db.ts').Db, count: number): Promise<void> {
  await db.query(
    `WITH c AS (INSERT INTO chats (type, title, owner_id, author_id) SELECT 'C', 'Chat ' || g, 1, 1
                FROM generate_series(1, 100) g RETURNING id),
          m AS (INSERT INTO chat_members (chat_id, user_id) SELECT id, 1 FROM c)
     INSERT INTO messages (chat_id, author_id, text, created_at)
     SELECT (SELECT min(id) FROM c) + g % 100, 1, 'Message ' || g, now() - (g || ' seconds')::interval
     FROM generate_series(1, $1) g`,
    [count],
  );
  await db.query(
    `UPDATE chats c SET last_message_id = s.last, message_count = s.n
     FROM (SELECT chat_id, max(id) AS last, count(*) AS n FROM messages GROUP BY chat_id) s WHERE c.id = s.chat_id`,
  );
}
