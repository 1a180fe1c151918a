import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Method } from './define.ts';

const METHODS_DIR = path.dirname(fileURLToPath(import.meta.url));

/**
 * Every method module with its file under `methods/`, put here by the build's bundle (scripts/build.mjs), which
 * has no folder to read; empty when the modules are files.
 */
const BUNDLED: { file: string; module: unknown }[] = [];

/** Method name → definition; method names are matched case-insensitively. */
export class Registry {
  private readonly byName = new Map<string, Method>();

  add(method: Method): void {
    const key = method.name.toLowerCase();
    if (this.byName.has(key)) throw new Error(`method ${method.name} is defined twice`);
    this.byName.set(key, method);
  }

  get(name: string): Method | undefined {
    return this.byName.get(name.toLowerCase());
  }

  all(): Method[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** A method file: the method's own name (`imbot.chat.sendTyping.ts`, `batch.ts`); helpers are kebab-case. */
const METHOD_FILE = /^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*\.(ts|js)$/;

/**
 * Loads the method modules in the scope folders under `methods/`: one file per method, named exactly like it
 * (`imbot.chat.sendTyping.ts`, `event.test.ts`), its default export that method. Shared helpers beside them are
 * kebab-case (`bot-context.ts`) and not loaded. A file of the method pattern that does not define the method it is
 * named after stops the start, naming the file, instead of being served (or skipped) by accident.
 */
export async function loadRegistry(dir = METHODS_DIR): Promise<Registry> {
  const registry = new Registry();
  const bundled = dir === METHODS_DIR && BUNDLED.length > 0;
  const files = bundled
    ? BUNDLED.map((b) => b.file)
    : (await readdir(dir, { recursive: true }))
        // Compiled, dist/ holds each method's `.d.ts` beside its `.js`: declarations are not modules to load.
        .filter((f) => f.includes(path.sep) && METHOD_FILE.test(path.basename(f)) && !f.endsWith('.d.ts'))
        .sort();
  const modules = bundled
    ? BUNDLED.map((b) => b.module as { default?: Method })
    : await Promise.all(files.map((f) => import(pathToFileURL(path.join(dir, f)).href)));
  modules.forEach((mod, i) => {
    const method = mod.default as Method | undefined;
    const expected = path.basename(files[i]).replace(/\.(ts|js)$/, '');
    if (method?.name !== expected || typeof method.run !== 'function') {
      throw new Error(
        `methods/${files[i]} is named like a method but its default export is not the method ${expected}; name a helper in kebab-case`,
      );
    }
    registry.add(method);
  });
  return registry;
}
