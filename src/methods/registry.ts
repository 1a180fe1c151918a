import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Method } from './define.ts';

const METHODS_DIR = path.dirname(fileURLToPath(import.meta.url));

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

/**
 * Loads every method module in the scope folders under `methods/`: one file per method, named exactly like it
 * (`imbot.chat.sendTyping.ts`). Shared helpers beside them are kebab-case (`bot-context.ts`) and not loaded.
 */
export async function loadRegistry(): Promise<Registry> {
  const registry = new Registry();
  const files = (await readdir(METHODS_DIR, { recursive: true })).filter(
    (f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && f.includes(path.sep) && !path.basename(f).includes('-'),
  );
  const modules = await Promise.all(files.sort().map((f) => import(pathToFileURL(path.join(METHODS_DIR, f)).href)));
  for (const mod of modules) registry.add(mod.default as Method);
  return registry;
}
