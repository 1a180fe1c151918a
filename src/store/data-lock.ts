import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config/config-error.ts';

// One b24-local process per data directory: `<dataDir>/b24-local.lock` names its owner (pid, what it runs, and
// once a server listens, its URL). A second server on the same directory would otherwise start the embedded store
// a second time and stop the first one's PostgreSQL as an "orphan".

export interface DataDirOwner {
  pid: number;
  /** `serve` for a server, else the CLI command that opened the store. */
  command: string;
  url?: string;
}

/** The data directory belongs to a live server; the message is the one line a user sees. */
export class DataDirInUse extends ConfigError {
  constructor(
    readonly dataDir: string,
    readonly owner: DataDirOwner,
  ) {
    super(
      owner.url
        ? `${dataDir} is in use by the b24-local server at ${owner.url} (pid ${owner.pid}); use it, stop it, or choose another --data-dir`
        : `${dataDir} is in use by a b24-local server starting up (pid ${owner.pid}); wait for it, stop it, or choose another --data-dir`,
    );
  }
}

export interface DataDirLock {
  /** Records the URL the server listens on, for the next start to name. */
  setUrl(url: string): Promise<void>;
  release(): Promise<void>;
}

const LOCK = 'b24-local.lock';
const POLL_MS = 100;

/**
 * Takes the data directory for this process. A live server's lock fails at once with DataDirInUse; a live CLI
 * command's is waited for (it holds the store for a moment); a dead owner's is taken over.
 */
export async function lockDataDir(dataDir: string, command: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK);
  let mine: DataDirOwner = { pid: process.pid, command };
  for (;;) {
    if (await create(file, mine)) break;
    const text = await readFile(file, 'utf8').catch(() => '');
    const owner = parse(text);
    if (owner && isLiveNode(owner.pid)) {
      if (owner.command === 'serve') throw new DataDirInUse(dataDir, owner);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      continue;
    }
    // Its owner is gone (or the file is not ours): remove it unless it changed since we read it.
    if ((await readFile(file, 'utf8').catch(() => undefined)) === text) await rm(file, { force: true });
  }
  return {
    async setUrl(url) {
      mine = { ...mine, url };
      const temp = `${file}.${process.pid}`;
      await writeFile(temp, JSON.stringify(mine));
      await rename(temp, file); // atomic: a reader sees the old content or the new, never half
    },
    async release() {
      if (parse(await readFile(file, 'utf8').catch(() => ''))?.pid === process.pid) await rm(file, { force: true });
    },
  };
}

/** Writes the whole content first and links it into place, so the lock never exists half written. */
async function create(file: string, owner: DataDirOwner): Promise<boolean> {
  const temp = `${file}.${process.pid}`;
  await writeFile(temp, JSON.stringify(owner));
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

function parse(text: string): DataDirOwner | undefined {
  try {
    const owner = JSON.parse(text);
    return Number.isInteger(owner?.pid) && typeof owner.command === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** A running node process (a reused pid belongs to someone else); without /proc, a live pid is trusted. */
export function isLiveNode(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node');
  } catch {
    return true;
  }
}
