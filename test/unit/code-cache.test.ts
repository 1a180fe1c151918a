import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requireCached } from '../../src/server-code.ts';

/**
 * Issue 15: the package's server is one CommonJS file compiled with V8's code cache of its last run
 * (src/server-code.ts). The cache is V8's own; these cases pin when it is taken, refused and written.
 */
describe('code cache of the server bundle', () => {
  let dir: string;
  let cacheDir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'b24-code-'));
    cacheDir = path.join(dir, 'cache');
    await writeFile(path.join(dir, 'dep.cjs'), 'module.exports = 40;');
    await mkdir(cacheDir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  /** A module like the bundle: require beside itself, __dirname, a function compiled only when called. */
  const bundle = async (name: string, answer: string, hash: string | null) => {
    const file = path.join(dir, name);
    const text =
      `'use strict';\nconst dep = require('./dep.cjs');\n` +
      `exports.where = () => __dirname;\nexports.answer = function () { return dep + ${answer}; };\n` +
      (hash ? `//# hash=${hash}\n` : '');
    await writeFile(file, text);
    return file;
  };
  const caches = async () => (await readdir(cacheDir)).filter((f) => f.startsWith('code-'));
  type Exports = { answer(): number; where(): string };

  it('runs the file without a cache, writes one, and the next load takes it', async () => {
    const file = await bundle('a.cjs', '2', 'aaaa1111');
    const first = await requireCached(file, cacheDir);
    assert.equal(first.accepted, false);
    assert.equal((first.exports as Exports).answer(), 42);
    assert.equal((first.exports as Exports).where(), dir);
    first.saveCache();
    assert.deepEqual(await caches(), [`code-aaaa1111-${process.version}-${process.arch}.v8`]);

    const second = await requireCached(file, cacheDir);
    assert.equal(second.accepted, true);
    assert.equal((second.exports as Exports).answer(), 42);
    const before = await readFile(path.join(cacheDir, (await caches())[0]));
    second.saveCache(); // taken from the cache: nothing to write
    assert.deepEqual(await readFile(path.join(cacheDir, (await caches())[0])), before);
  });

  it("never runs another file's cache: a new hash makes a new one; the newest three are kept", async () => {
    const file = await bundle('a.cjs', '3', 'bbbb2222'); // same length as before, other code
    const loaded = await requireCached(file, cacheDir);
    assert.equal(loaded.accepted, false);
    assert.equal((loaded.exports as Exports).answer(), 43);
    loaded.saveCache();
    const name = (hash: string) => `code-${hash}-${process.version}-${process.arch}.v8`;
    assert.deepEqual((await caches()).sort(), [name('aaaa1111'), name('bbbb2222')]);
    // Ages set, not waited for: aaaa1111 the oldest, then bbbb2222.
    await utimes(path.join(cacheDir, name('aaaa1111')), 1000, 1000);
    await utimes(path.join(cacheDir, name('bbbb2222')), 2000, 2000);
    for (const [hash, answer] of [
      ['eeee5555', '7'],
      ['ffff6666', '8'],
    ]) {
      (await requireCached(await bundle('a.cjs', answer, hash), cacheDir)).saveCache();
    }
    assert.deepEqual((await caches()).sort(), [name('bbbb2222'), name('eeee5555'), name('ffff6666')]);
  });

  it('a damaged cache is refused by V8, the file still runs and the cache is made anew', async () => {
    const file = await bundle('a.cjs', '4', 'cccc3333');
    const cacheFile = path.join(cacheDir, `code-cccc3333-${process.version}-${process.arch}.v8`);
    await writeFile(cacheFile, Buffer.alloc(4096, 7));
    const loaded = await requireCached(file, cacheDir);
    assert.equal(loaded.accepted, false);
    assert.equal((loaded.exports as Exports).answer(), 44);
    loaded.saveCache();
    assert.equal((await requireCached(file, cacheDir)).accepted, true);
  });

  it('a file without its hash, or no cache directory, runs without a cache and writes none', async () => {
    const unhashed = await bundle('b.cjs', '5', null);
    const before = await caches();
    const loaded = await requireCached(unhashed, cacheDir);
    assert.equal((loaded.exports as Exports).answer(), 45);
    loaded.saveCache();
    assert.deepEqual(await caches(), before);

    const noDir = await requireCached(await bundle('c.cjs', '6', 'dddd4444'), undefined);
    assert.equal(noDir.accepted, false);
    assert.equal((noDir.exports as Exports).answer(), 46);
    noDir.saveCache();
    assert.deepEqual(await caches(), before);
  });
});
