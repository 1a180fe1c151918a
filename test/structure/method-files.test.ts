import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadRegistry } from '../../src/methods/registry.ts';

// Which files under src/methods/ are REST methods: those named like one, each defining exactly that method.
describe('method files', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'b24-methods-'));
    await mkdir(path.join(dir, 'basic'));
    await writeFile(path.join(dir, 'basic/ping.ts'), "export default { name: 'ping', run: async () => true };\n");
    await writeFile(
      path.join(dir, 'basic/ping.test.ts'),
      "export default { name: 'ping.test', run: async () => 1 };\n",
    );
    await writeFile(path.join(dir, 'basic/ping-helper.ts'), "throw new Error('a kebab-case helper was loaded');\n");
    await writeFile(path.join(dir, 'root.ts'), "throw new Error('a file outside the scope folders was loaded');\n");
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('loads the files named like a method, helpers and the folder root left out', async () => {
    const registry = await loadRegistry(dir);
    assert.deepEqual(
      registry.all().map((m) => m.name),
      ['ping', 'ping.test'],
    );
  });

  it('a helper named without a hyphen stops the start, naming the file', async () => {
    const file = path.join(dir, 'basic/pinghelper.ts');
    await writeFile(file, 'export const shared = 1;\n');
    try {
      await assert.rejects(loadRegistry(dir), {
        message:
          /^methods\/basic\/pinghelper\.ts is named like a method but its default export is not the method pinghelper/,
      });
    } finally {
      await rm(file);
    }
  });

  it('a method in a file of another name stops the start', async () => {
    const file = path.join(dir, 'basic/pong.ts');
    await writeFile(file, "export default { name: 'ping.pong', run: async () => true };\n");
    try {
      await assert.rejects(loadRegistry(dir), { message: /^methods\/basic\/pong\.ts is named like a method/ });
    } finally {
      await rm(file);
    }
  });

  it('the real tree: event.test is a method like the others', async () => {
    const registry = await loadRegistry();
    assert.equal(registry.get('event.test')?.name, 'event.test');
    assert.ok(registry.get('imbot.chat.sendTyping'));
    assert.ok(registry.all().length > 100);
  });
});

// `npm test` builds dist/ first: the compiled registry loads the `.js` methods, never their `.d.ts` beside them.
describe('method files of the compiled package', () => {
  it('are the same methods as the sources', async () => {
    const compiled: { loadRegistry: typeof loadRegistry } = await import(
      new URL('../../dist/methods/registry.js', import.meta.url).href
    );
    const names = (registry: Awaited<ReturnType<typeof loadRegistry>>) => registry.all().map((m) => m.name);
    assert.deepEqual(names(await compiled.loadRegistry()), names(await loadRegistry()));
  });
});
