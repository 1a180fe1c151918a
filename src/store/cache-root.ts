import { lstat, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

// What b24-local keeps per user across data directories: initdb's clusters (initdb-cache.ts) and V8's code cache
// of the server bundle (server-code.ts).

/**
 * `$XDG_CACHE_HOME/b24-local`, else `~/.cache/b24-local`, else `<tmp>/b24-local-cache-<uid>`: the first that can
 * be made and is ours alone (a directory, owned by us, not writable by others), or undefined.
 */
export async function cacheRoot(): Promise<string | undefined> {
  const xdg = process.env.XDG_CACHE_HOME;
  const home = (() => {
    try {
      return os.homedir();
    } catch {
      return '';
    }
  })();
  const candidates = [
    xdg && path.isAbsolute(xdg) ? path.join(xdg, 'b24-local') : home && path.join(home, '.cache', 'b24-local'),
    path.join(os.tmpdir(), `b24-local-cache-${process.getuid?.() ?? 'user'}`),
  ];
  for (const dir of candidates) {
    if (!dir) continue;
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const info = await lstat(dir);
      const ours = process.getuid === undefined || info.uid === process.getuid();
      if (info.isDirectory() && ours && (info.mode & 0o022) === 0) return dir;
    } catch {}
  }
  return undefined;
}
