import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { cacheRoot } from './store/cache-root.ts';

// Compiling the server's code was a third of a restart's CPU (issue 15). Node 20 keeps no compile cache for ES
// modules (`module.enableCompileCache` is Node 22), but a script compiled through `vm.Script` takes V8's code cache.
// So the package's server is one CommonJS file (scripts/build.mjs), compiled here with the cache of its last run
// (docs/decisions.md "Performance").

type Main = typeof import('./main.ts');

/** The server's code: the package's `dist/bundle/server.cjs` with its code cache, or main.ts run from the sources. */
export async function serverCode(): Promise<{ main: Main; cacheOnExit(): void }> {
  const bundle = fileURLToPath(new URL('bundle/server.cjs', import.meta.url));
  if (!existsSync(bundle)) return { main: await import('./main.ts'), cacheOnExit: () => {} };
  const loaded = await requireCached(bundle, await cacheRoot());
  // At exit the cache holds every function the run compiled (V8 compiles most at their first call), and making it
  // (tens of ms) holds no request: a start that finds no cache of its own writes one as it stops.
  return { main: loaded.exports as Main, cacheOnExit: () => process.once('exit', loaded.saveCache) };
}

export interface Cached {
  exports: unknown;
  /** V8 took the cache: nothing was compiled from scratch but what the cache lacks. */
  accepted: boolean;
  /** Writes the code compiled so far as the cache, unless it came from there (best effort, errors ignored). */
  saveCache(): void;
}

/**
 * `file`, an ASCII CommonJS module with no `import()`, compiled with its code cache from `cacheDir` when there is one
 * for this very file and Node. The build ends the file with a hash of its text (`//# hash=…`, made once rather than
 * at every start); the cache's name holds it with Node's version, so a changed file or another Node never reads a
 * cache that is not its own. (Size and modification time would not do: npm gives every file it unpacks the same
 * time.) V8 also refuses a cache made under other V8 flags; it is then made anew. No hash: no cache.
 */
export async function requireCached(file: string, cacheDir: string | undefined): Promise<Cached> {
  // Decoding 1.7 MB as UTF-8 costs ~20 ms, as Latin-1 next to nothing; the build checks it is ASCII.
  const source = await readFile(file, 'latin1');
  const hash = /\/\/# hash=([0-9a-f]+)\s*$/.exec(source.slice(-200))?.[1];
  const key = hash && `${hash}-${process.version}-${process.arch}`;
  const cacheFile = key && cacheDir && path.join(cacheDir, `${CACHE_PREFIX}${key}.v8`);
  const cachedData = cacheFile ? await readFile(cacheFile).catch(() => undefined) : undefined;
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
  const accepted = cachedData !== undefined && !script.cachedDataRejected;
  return {
    exports: module.exports,
    accepted,
    // Synchronous: it runs on the process's 'exit'.
    saveCache: () => {
      if (!cacheFile || !cacheDir || accepted) return;
      try {
        // Written beside and renamed, so a start reading it meanwhile sees a whole cache or none.
        const partial = path.join(cacheDir, `.${CACHE_PREFIX}${key}.${process.pid}`);
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, cacheFile);
        const others = readdirSync(cacheDir)
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== path.basename(cacheFile))
          .map((name) => ({ file: path.join(cacheDir, name), at: statSync(path.join(cacheDir, name)).mtimeMs }))
          .sort((a, b) => b.at - a.at);
        for (const { file } of others.slice(KEEP - 1)) rmSync(file, { force: true });
      } catch {}
    },
  };
}

const CACHE_PREFIX = 'code-';

/** Caches kept (~1.5 MB each): the newest, so two builds or Node versions used in turn do not undo each other's. */
const KEEP = 3;
