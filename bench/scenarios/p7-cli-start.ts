import { setTimeout as sleep } from 'node:timers/promises';
import { startEmbedded } from '../../src/store/embedded.ts';
import { nowMs, removeDir, startB24, tempDir } from '../lib/processes.ts';
import { profileDir, summariseProfiles } from '../lib/profile.ts';
import type { Row, Scenario } from '../lib/scenario.ts';
import { BARE_SERVER, timeB24, timeToAnswer, timeToExit } from '../lib/start-up.ts';
import { median, ms } from '../lib/stats.ts';

/**
 * P7: what a user waits for (issue 15): a CLI command (≤ 0.5 s), the first start on an empty data directory
 * (≤ 1.5 s) and a restart (≤ 0.6 s), each from spawn. Baselines: `node -e 0` for a command, an empty node:http
 * server (spawn to first answer) for a start. The embedded PostgreSQL's own start, timed alone, shows how much of
 * a start is the store.
 */
export const p7CliStart: Scenario = {
  id: 'P7',
  title: 'CLI commands, first start and restart',
  async run({ smoke }) {
    const runs = smoke ? 1 : 5;
    const starts = smoke ? 1 : 3;
    // Each sample right after a sample of its baseline, and the ratio taken pair by pair: on a machine whose load
    // swings, a baseline measured minutes apart says little.
    const paired = async (n: number, baseline: () => Promise<number>, subject: () => Promise<number>) => {
      const pairs: { base: number; value: number }[] = [];
      for (let i = 0; i < n; i++) pairs.push({ base: await baseline(), value: await subject() });
      return pairs;
    };
    const nodeZero = () => timeToExit(['-e', '0']);
    const bareServer = () => timeToAnswer(['-e', BARE_SERVER], {}, '/');
    const cli =
      (...args: string[]) =>
      () =>
        timeToExit(['bin/b24-local.mjs', ...args], env);
    let env: NodeJS.ProcessEnv = {};

    const version = await paired(runs, nodeZero, cli('--version'));
    const help = await paired(runs, nodeZero, cli('--help'));

    let dataDir = '';
    const first = await paired(starts, bareServer, async () => {
      if (dataDir) removeDir(dataDir);
      dataDir = tempDir();
      return timeB24(dataDir);
    });
    let restart: typeof first = [];
    let online: typeof first = [];
    let offline: typeof first = [];
    try {
      restart = await paired(starts, bareServer, () => timeB24(dataDir));
      env = { B24_DATA_DIR: dataDir, DATABASE_URL: '' };
      offline = await paired(starts, nodeZero, cli('bot', 'list'));
      const server = await startB24({ dataDir });
      try {
        online = await paired(runs, nodeZero, cli('bot', 'list'));
      } finally {
        await server.stop();
      }
    } finally {
      removeDir(dataDir);
    }

    // The store alone, in this process: initdb (cache off) and start, a new cluster copied from the initdb cache
    // and start, then a start of a cluster that exists.
    const initdb: typeof first = [];
    const cached: typeof first = [];
    const pgStart: typeof first = [];
    for (let i = 0; i < starts; i++) {
      const dirs = [tempDir(), tempDir()];
      try {
        const base = await bareServer();
        let began = nowMs();
        let pg = await startEmbedded(dirs[0], { initdbCache: false });
        initdb.push({ base, value: nowMs() - began });
        await pg.stop();
        began = nowMs();
        pg = await startEmbedded(dirs[1]);
        cached.push({ base, value: nowMs() - began });
        await pg.stop();
        began = nowMs();
        pg = await startEmbedded(dirs[0]);
        pgStart.push({ base, value: nowMs() - began });
        await pg.stop();
      } finally {
        for (const dir of dirs) removeDir(dir);
      }
    }

    const row = (name: string, pairs: typeof first, baseName: string, limitMs?: number): Row => {
      const values = pairs.map((p) => p.value);
      return {
        name,
        figure: `${ms(median(values))} (of ${values.map((v) => Math.round(v)).join(', ')} ms)`,
        baseline: `${ms(median(pairs.map((p) => p.base)))} (${baseName})`,
        ratio: median(pairs.map((p) => p.value / p.base)),
        ...(limitMs === undefined ? {} : { goal: `≤ ${limitMs / 1000} s`, met: median(values) <= limitMs }),
      };
    };
    const rows = [
      row('`b24-local --version`', version, '`node -e 0`', 500),
      row('`b24-local --help`', help, '`node -e 0`', 500),
      row('`b24-local bot list`, server running (admin API)', online, '`node -e 0`', 500),
      row('`b24-local bot list`, no server (opens the store)', offline, '`node -e 0`', 500),
      row('first start, empty data directory', first, 'bare node:http', 1500),
      row('restart, same data directory', restart, 'bare node:http', 600),
      row('(part) embedded PostgreSQL alone: initdb + start (`B24_INITDB_CACHE=off`)', initdb, 'bare node:http'),
      row('(part) embedded PostgreSQL alone: copy from the initdb cache + start', cached, 'bare node:http'),
      row('(part) embedded PostgreSQL alone: start', pgStart, 'bare node:http'),
    ];
    const notes = [
      `Median of ${runs} runs for a command, ${starts} for a start; each from spawning the process to its exit (a ` +
        'command) or to its first `server.time` answer (a start), each right after a run of its baseline; the ratio ' +
        "is the median of the pairs' ratios. The goals are absolute times; the ratios say how many times the bare " +
        'Node floor each one is, which a busy machine moves less.',
    ];
    if (!smoke && rows.some((r) => r.met === false)) {
      notes.push(
        'Where the time goes. *First start*: a new cluster is a copy of one made once per PostgreSQL build and ' +
          'migrations (`initdb`, `CREATE DATABASE`, migrations) and kept in `~/.cache/b24-local`; compare the two ' +
          'first part rows. *Restart*: PostgreSQL starts while the app loads; `bin/` runs an esbuild bundle, so ' +
          'Node reads and compiles a few files instead of ~500 (Node 20 has no compile cache), and ioredis, ' +
          'pino-pretty, selfsigned and yaml load only when configured. *A CLI command with no server running* ' +
          'starts PostgreSQL itself (the start part row); with a server running it goes through the admin API and ' +
          'loads only the argument parser.',
      );
      notes.push("Where a missed goal's time goes: the CLI (`--version`) and a first start, profiled once each.");
      const cliProfile = profileDir();
      await timeToExit([...cliProfile.nodeArgs, 'bin/b24-local.mjs', '--version']);
      notes.push(summariseProfiles(cliProfile.dir).replace('of the server', 'of `b24-local --version`'));
      const startProfile = profileDir();
      const dir = tempDir();
      try {
        await timeB24(dir, startProfile.nodeArgs);
        await sleep(100); // the profile is written as the process exits
      } finally {
        removeDir(dir);
      }
      notes.push(summariseProfiles(startProfile.dir).replace('of the server', 'of a first start (Node side only)'));
    }
    return { rows, notes };
  },
};
