import { describeLoad, type LoadRequest, type LoadResult, load } from '../lib/load.ts';
import { type B24, cli, rest, startB24, startProcess } from '../lib/processes.ts';
import { profileDir, summariseProfiles } from '../lib/profile.ts';
import type { Row, Scenario } from '../lib/scenario.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };
const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };
const GOAL = 'throughput ≥ 0.7×, p99 ≤ 2×';
const APP = { clientId: 'bench.app', clientSecret: 'benchsecret' };

interface Variant {
  name: string;
  request: LoadRequest;
  /** Commands per request (a batch carries 50). */
  commands: number;
}

/**
 * P1: imbot.chat.sendTyping over the wire in the shapes SDKs send it, each against a bare node:http server that
 * parses the same body and answers a same-sized JSON, measured right before it with the same request. The server,
 * the baseline and the load generator are three processes.
 */
export const p1Rest: Scenario = {
  id: 'P1',
  title: 'REST hot path: imbot.chat.sendTyping',
  async run(options) {
    const baseline = await startProcess(['bench/baseline-server.mjs'], {});
    let b24 = await startP1Server();
    try {
      const variants = await setUp(b24);
      const rows: Row[] = [];
      const missed: Variant[] = [];
      for (const variant of variants) {
        if (!options.smoke) await load(variant.request, options.connections, 2); // JIT warm-up, not measured
        const base = await load({ ...variant.request, url: baseline.url }, options.connections, options.seconds);
        const ours = await load(variant.request, options.connections, options.seconds);
        const row = toRow(variant, ours, base);
        rows.push(row);
        if (row.met === false) missed.push(variant);
      }
      const notes = [
        `${options.connections} connections, ${options.seconds} s per run, each b24-local run right after its ` +
          'baseline run with the same request; autocannon runs in a process of its own. Throughput is the mean ' +
          'req/s; p99 is the latency of the slowest 1 %.',
      ];
      if (missed.length > 0 && !options.smoke) {
        // Profiled in a second server so the profiler's overhead never touches the measured figures.
        await b24.destroy();
        const prof = profileDir();
        b24 = await startP1Server(prof.nodeArgs);
        const again = await setUp(b24);
        const variant = again.find((v) => v.name === missed[0].name)!;
        await load(variant.request, options.connections, options.seconds);
        await b24.stop();
        notes.push(`Profile of "${variant.name}" under the same load:`, '', summariseProfiles(prof.dir));
      }
      return { rows, notes };
    } finally {
      await b24.destroy();
      await baseline.stop();
    }
  },
};

function startP1Server(nodeArgs: string[] = []): Promise<B24> {
  return startB24({ env: { B24_APP: `${APP.clientId}:${APP.clientSecret}` }, nodeArgs });
}

/** A webhook bot and an OAuth bot, each in a chat with user 1; the requests of every variant. */
async function setUp(b24: B24): Promise<Variant[]> {
  const hook = b24.webhook;
  const botId = await rest(hook, 'imbot.register', {
    CODE: 'bench',
    EVENT_HANDLER: 'http://127.0.0.1:9/h',
    PROPERTIES: { NAME: 'Bench' },
  });
  const chatId = await rest(hook, 'imbot.chat.add', { BOT_ID: botId, USERS: [1] });
  // The OAuth token comes from the CLI, as a developer would get one (README "CLI").
  const auth = (await cli(['token', '--client-id', APP.clientId, '--user', '1', '--data-dir', b24.dataDir]))
    .access_token as string;
  const oauthBase = `${b24.url}/rest/`;
  const oauthBot = await rest(oauthBase, 'imbot.register', {
    auth,
    CODE: 'bench_oauth',
    EVENT_HANDLER: 'http://127.0.0.1:9/h',
    PROPERTIES: { NAME: 'Bench OAuth' },
  });
  const oauthChat = await rest(oauthBase, 'imbot.chat.add', { auth, BOT_ID: oauthBot, USERS: [1] });

  const json = JSON.stringify({ BOT_ID: botId, DIALOG_ID: `chat${chatId}` });
  const form = `BOT_ID=${botId}&DIALOG_ID=chat${chatId}`;
  const cmd = Object.fromEntries(
    Array.from({ length: 50 }, (_, i) => [`t${i}`, `imbot.chat.sendTyping?BOT_ID=${botId}&DIALOG_ID=chat${chatId}`]),
  );
  return [
    {
      name: 'webhook, JSON body',
      commands: 1,
      request: { url: `${hook}imbot.chat.sendTyping`, headers: JSON_HEADERS, body: json },
    },
    {
      name: 'webhook, form to .json (CRest)',
      commands: 1,
      request: { url: `${hook}imbot.chat.sendTyping.json`, headers: FORM_HEADERS, body: form },
    },
    {
      name: 'webhook, GET query (@2bad/bitrix)',
      commands: 1,
      request: { url: `${hook}imbot.chat.sendTyping?${form}`, method: 'GET' },
    },
    {
      name: 'OAuth, `auth` in the JSON body',
      commands: 1,
      request: {
        url: `${oauthBase}imbot.chat.sendTyping`,
        headers: JSON_HEADERS,
        body: JSON.stringify({ auth, BOT_ID: oauthBot, DIALOG_ID: `chat${oauthChat}` }),
      },
    },
    {
      name: 'batch of 50 sendTyping',
      commands: 50,
      request: { url: `${hook}batch`, headers: JSON_HEADERS, body: JSON.stringify({ halt: 0, cmd }) },
    },
  ];
}

function toRow(variant: Variant, ours: LoadResult, base: LoadResult): Row {
  const ratio = ours.rps / base.rps;
  const latencyRatio = ours.p99 / Math.max(base.p99, 1);
  if (variant.commands > 1) {
    // A batch does 50 commands per request: compared by commands per second, with no goal of its own.
    return {
      name: variant.name,
      figure: `${Math.round(ours.rps * variant.commands)} commands/s (${describeLoad(ours)})`,
      baseline: describeLoad(base),
      ratio: (ours.rps * variant.commands) / base.rps,
      latencyRatio,
    };
  }
  const failed = ours.errors + ours.non2xx > 0;
  return {
    name: variant.name,
    figure: describeLoad(ours),
    baseline: describeLoad(base),
    ratio,
    latencyRatio,
    goal: GOAL,
    met: !failed && ratio >= 0.7 && latencyRatio <= 2,
  };
}
