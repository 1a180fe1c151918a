#!/usr/bin/env node
// `npm run build` (and `prepare`, which `npm install` runs): the TypeScript sources compiled to dist/, the SQL
// migrations beside them and the browser bundle made once, so the installed package runs on Node alone.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
cpSync(path.join(root, 'src/store/migrations'), path.join(dist, 'store/migrations'), { recursive: true });
const { buildWebBundle } = await import(path.join(dist, 'web/bundle.js'));
mkdirSync(path.join(dist, 'web'), { recursive: true });
writeFileSync(path.join(dist, 'web/bundle.json'), JSON.stringify(await buildWebBundle()));
