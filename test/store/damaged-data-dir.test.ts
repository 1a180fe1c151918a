import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EmbeddedStartError, startEmbedded } from '../../src/store/embedded.ts';
import { runCliProcess } from '../helpers/processes.ts';

/**
 * Issue 11, defect 7: a damaged data directory made the server say `failed to start: undefined`. Now the error
 * carries PostgreSQL's own log lines and what to do. Each case damages a copy of one cluster made in `before`.
 */
describe('defect 7: a damaged data directory names the damage and what to do', () => {
  const dirs: string[] = [];
  let pristine: string;
  const tempDir = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'b24-damaged-'));
    await chmod(dir, 0o755); // as root, PostgreSQL (user postgres) must reach <dir>/pg
    dirs.push(dir);
    return dir;
  };
  /** A copy of the cluster (owner and modes kept), damaged by `damage`; resolves with its data directory. */
  const damaged = async (damage: (pg: string) => Promise<void>) => {
    const dir = await tempDir();
    execFileSync('cp', ['-a', pristine, path.join(dir, 'pg')]);
    await damage(path.join(dir, 'pg'));
    return dir;
  };
  const fails = async (dir: string, log: RegExp, advice: RegExp) => {
    await assert.rejects(startEmbedded(dir), (error: Error) => {
      assert.ok(error instanceof EmbeddedStartError, String(error));
      assert.match(error.message, /^PostgreSQL could not start on /);
      assert.match(error.message, log, 'PostgreSQL’s own log line');
      assert.match(error.message, advice, 'what to do');
      assert.doesNotMatch(error.message, /undefined/);
      return true;
    });
  };

  before(async () => {
    const dir = await tempDir();
    await (await startEmbedded(dir)).stop();
    pristine = path.join(dir, 'pg');
  });
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('zeroed pg_control', async () => {
    const dir = await damaged((pg) => writeFile(path.join(pg, 'global', 'pg_control'), Buffer.alloc(8192)));
    await fails(
      dir,
      /FATAL: .*(control file|incompatible with server)/,
      /damaged: move .* aside \(or restore it from a backup\)/,
    );
  });

  it('deleted WAL', async () => {
    const dir = await damaged(async (pg) => {
      const wal = path.join(pg, 'pg_wal');
      for (const name of await readdir(wal)) if (/^[0-9A-F]{24}$/.test(name)) await rm(path.join(wal, name));
    });
    await fails(dir, /PANIC: .*checkpoint record/, /damaged: move .* aside/);
  });

  it('garbage postmaster.pid', async () => {
    const dir = await damaged((pg) => writeFile(path.join(pg, 'postmaster.pid'), 'garbage\n'));
    await fails(dir, /FATAL: .*bogus data in lock file "postmaster\.pid"/, /remove .*postmaster\.pid and start again/);
  });

  it('wrong permissions', async () => {
    const dir = await damaged((pg) => chmod(pg, 0o777));
    await fails(dir, /FATAL: .*invalid permissions/, /mode 0700 .*chmod/);
  });

  it('the server prints it after "failed to start", without a stack, and exits 1', async () => {
    const dir = await damaged((pg) => writeFile(path.join(pg, 'global', 'pg_control'), Buffer.alloc(8192)));
    const result = await runCliProcess(['serve', '--port', '0'], { B24_DATA_DIR: dir });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^b24-local failed to start: PostgreSQL could not start on .*\n.*FATAL/);
    assert.match(result.stderr, /The data directory is damaged/);
    assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
  });
});
