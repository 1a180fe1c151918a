import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../src/store/db.ts';
import { eventually, HandlerStub } from '../helpers/handler.ts';
import { testDatabase } from '../helpers/harness.ts';
import { type ServerProcess, startServerProcess } from '../helpers/processes.ts';
import { messageTexts, TestSocket, v5Url } from '../helpers/pull.ts';

/**
 * Issue 11, crash loop: the real server under mixed load (users writing to a bot over REST, the bot writing back,
 * batches, a live event handler, a Push & Pull subscriber) is killed with SIGKILL at a random point, CRASH_KILLS
 * times (2 in the suite, 20 in `npm run reliability`), and started again on the same database. Then: every
 * acknowledged message is stored exactly once (one in flight at a kill at most once), every acknowledged message
 * to the bot reached its handler, each event under one X-B24-Event-Id however often it was re-sent, and nothing
 * reached a subscriber twice or that nobody sent. CRASH_REPORT names a file for the figures.
 */
const KILLS = Number(process.env.CRASH_KILLS ?? 2);
const TOKEN = 'crashtoken';

describe('crash loop: SIGKILL at random points under mixed load', () => {
  const handler = new HandlerStub();
  let db: Database;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  let botId: number;
  let sequence = 0;
  /** Texts the server acknowledged, by kind; texts sent without an answer (in flight at a kill). */
  const toBot = new Set<string>();
  const fromBot = new Set<string>();
  const unanswered = new Set<string>();
  /** Every text each subscriber connection heard (one entry per connection). */
  const heard: string[][] = [];

  const rest = async (method: string, params: Record<string, unknown>) => {
    const res = await fetch(`${server!.url}/rest/1/${TOKEN}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  before(async () => {
    await handler.start();
    // Deliveries take a moment, so a kill finds some of them in flight.
    handler.delayMs = () => Math.floor(Math.random() * 40);
    db = await testDatabase();
    env = {
      DATABASE_URL: db.url,
      B24_WEBHOOK: `1:${TOKEN}`,
      B24_LIMITS: 'off',
      B24_DELIVERY_TIMEOUT: '2',
      B24_DELIVERY_RETRY_MIN: '0.2',
      B24_DELIVERY_RETRY_MAX: '0.5',
    };
  });
  after(async () => {
    await server?.stop('SIGKILL');
    await db.close();
    await handler.down();
  });

  /** One writer: sends until `stop` is set; a call the kill cut off counts as unanswered. */
  async function writer(kind: 'toBot' | 'fromBot' | 'batch', stop: { done: boolean }, acked: { n: number }) {
    while (!stop.done) {
      const texts = Array.from({ length: kind === 'batch' ? 3 : 1 }, () => `cl ${kind} ${++sequence}`);
      for (const t of texts) unanswered.add(t);
      try {
        if (kind === 'batch') {
          const cmd = Object.fromEntries(
            texts.map((t, i) => [
              `m${i}`,
              `im.message.add?${new URLSearchParams({ DIALOG_ID: String(botId), MESSAGE: t })}`,
            ]),
          );
          const res = await rest('batch', { halt: 1, cmd });
          assert.equal(res.status, 200, JSON.stringify(res.body));
          for (const [i, t] of texts.entries()) {
            assert.equal(typeof res.body.result.result[`m${i}`], 'number', JSON.stringify(res.body));
            toBot.add(t);
          }
        } else {
          const res =
            kind === 'toBot'
              ? await rest('im.message.add', { DIALOG_ID: String(botId), MESSAGE: texts[0] })
              : await rest('imbot.message.add', {
                  BOT_ID: botId,
                  CLIENT_ID: 'crash',
                  DIALOG_ID: '1',
                  MESSAGE: texts[0],
                });
          assert.equal(res.status, 200, JSON.stringify(res.body));
          assert.equal(typeof res.body.result, 'number', JSON.stringify(res.body));
          (kind === 'toBot' ? toBot : fromBot).add(texts[0]);
        }
        for (const t of texts) unanswered.delete(t);
        acked.n++;
      } catch (error) {
        // Only the kill may cut a call off; an answer the server gave must have been a success.
        if (error instanceof assert.AssertionError) throw error;
        return;
      }
    }
  }

  /** A Push & Pull subscriber of user 1 (the bot's dialog partner): what it hears goes to `heard`. */
  async function subscribe(): Promise<TestSocket> {
    const config = await rest('pull.config.get', {});
    assert.equal(config.status, 200, JSON.stringify(config.body));
    const socket = await TestSocket.open(v5Url(config.body.result));
    const texts: string[] = [];
    heard.push(texts);
    socket.ws.on('message', (data) => texts.push(...messageTexts(data.toString())));
    return socket;
  }

  it(`${KILLS} kills at random points lose no acknowledged message or event and duplicate none`, async () => {
    server = await startServerProcess(env);
    const reg = await rest('imbot.register', {
      CODE: 'crash_bot',
      CLIENT_ID: 'crash',
      EVENT_HANDLER: handler.url,
      PROPERTIES: { NAME: 'Crash' },
    });
    botId = reg.body.result;
    assert.equal(typeof botId, 'number', JSON.stringify(reg.body));

    const startMs: number[] = [];
    for (let kill = 1; kill <= KILLS; kill++) {
      const socket = await subscribe();
      const stop = { done: false };
      const acked = { n: 0 };
      const writers = [
        writer('toBot', stop, acked),
        writer('toBot', stop, acked),
        writer('fromBot', stop, acked),
        writer('batch', stop, acked),
      ];
      // The load is running (something acknowledged in this life), then a random moment later: SIGKILL.
      await eventually(() => acked.n > 0, 120_000);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2000));
      assert.equal(await server.stop('SIGKILL'), 'SIGKILL');
      stop.done = true;
      await Promise.all(writers);
      socket.close();
      const started = Date.now();
      server = await startServerProcess(env);
      startMs.push(Date.now() - started);
    }

    // The last life runs to the end: a quiet round every subscriber must hear in full.
    const socket = await subscribe();
    const quiet: string[] = [];
    for (let i = 0; i < 5; i++) {
      const a = `cl quiet ${++sequence}`;
      assert.equal((await rest('im.message.add', { DIALOG_ID: String(botId), MESSAGE: a })).status, 200);
      toBot.add(a);
      const b = `cl quiet ${++sequence}`;
      const res = await rest('imbot.message.add', { BOT_ID: botId, CLIENT_ID: 'crash', DIALOG_ID: '1', MESSAGE: b });
      assert.equal(res.status, 200);
      fromBot.add(b);
      quiet.push(a, b);
    }
    const last = heard[heard.length - 1];
    await eventually(() => quiet.every((t) => last.includes(t)), 60_000);
    socket.close();

    // Every acknowledged message to the bot reaches its handler (those a kill caught in flight after their lease).
    const events = () => handler.received.filter((r) => r.form.event === 'ONIMBOTMESSAGEADD');
    await eventually(() => {
      const got = new Set(events().map((r) => String(r.form.data.PARAMS.MESSAGE)));
      return [...toBot].every((t) => got.has(t));
    }, 300_000);

    // Stored: each acknowledged text exactly once, an unanswered one at most once.
    const rows = await db.query<{ text: string; n: string }>(
      `SELECT text, count(*) AS n FROM messages WHERE text LIKE 'cl %' GROUP BY text`,
    );
    const stored = new Map(rows.map((r) => [r.text, Number(r.n)]));
    const acknowledged = [...toBot, ...fromBot];
    const lostMessages = acknowledged.filter((t) => stored.get(t) !== 1);
    const duplicated = [...stored].filter(([, n]) => n > 1).map(([t]) => t);
    const phantoms = [...stored.keys()].filter((t) => !toBot.has(t) && !fromBot.has(t) && !unanswered.has(t));

    // Events: one id per message, another for each message; a re-sent event keeps its id.
    const idsByText = new Map<string, Set<string>>();
    for (const r of events()) {
      const text = String(r.form.data.PARAMS.MESSAGE);
      idsByText.set(text, (idsByText.get(text) ?? new Set()).add(r.eventId));
    }
    const unstableIds = [...idsByText].filter(([, ids]) => ids.size !== 1 || ids.has('undefined')).map(([t]) => t);
    const allIds = [...idsByText.values()].flatMap((ids) => [...ids]);
    const lostEvents = [...toBot].filter((t) => !idsByText.has(t));
    const failed = await db.query(`SELECT id FROM event_deliveries WHERE status = 'failed'`);

    // Push & Pull: nothing twice on one connection, nothing nobody sent, nothing from before a connection's life.
    const sent = new Set([...toBot, ...fromBot, ...unanswered]);
    const pullDuplicates = heard.flatMap((texts) => texts.filter((t, i) => texts.indexOf(t) !== i));
    const pullPhantoms = heard.flat().filter((t) => !sent.has(t));

    const report = {
      kills: KILLS,
      restartMs: startMs,
      acknowledgedMessages: acknowledged.length,
      inFlightAtKills: unanswered.size,
      inFlightStored: [...unanswered].filter((t) => stored.has(t)).length,
      lostMessages: lostMessages.length,
      duplicatedMessages: duplicated.length,
      eventsExpected: toBot.size,
      eventPosts: events().length,
      resentEvents: events().length - idsByText.size,
      lostEvents: lostEvents.length,
      unstableEventIds: unstableIds.length,
      failedDeliveries: failed.length,
      pullConnections: heard.length,
      pullHeard: heard.flat().length,
      pullDuplicates: pullDuplicates.length,
      pullPhantoms: pullPhantoms.length,
    };
    if (process.env.CRASH_REPORT) writeFileSync(process.env.CRASH_REPORT, `${JSON.stringify(report, null, 2)}\n`);
    assert.deepEqual(lostMessages, [], 'acknowledged messages not stored exactly once');
    assert.deepEqual(duplicated, [], 'messages stored twice');
    assert.deepEqual(phantoms, [], 'messages nobody sent');
    assert.deepEqual(lostEvents, [], 'acknowledged messages whose event never reached the handler');
    assert.deepEqual(unstableIds, [], 'events re-sent under another id');
    assert.equal(new Set(allIds).size, allIds.length, 'two events share an id');
    assert.equal(failed.length, 0, 'deliveries given up');
    assert.deepEqual(pullDuplicates, [], 'a subscriber heard a message twice');
    assert.deepEqual(pullPhantoms, [], 'a subscriber heard a message nobody sent');
  });
});
