import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

// `npm test` runs dependency-cruiser over src/ (.dependency-cruiser.cjs). These cases show that it fails, naming the
// rule, when a lower layer imports an upper one or files import each other; on a copy, so the tree stays untouched.
const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'node_modules/.bin/depcruise');

describe('layer rules', () => {
  let copy: string;
  before(() => {
    copy = mkdtempSync(path.join(os.tmpdir(), 'b24-layers-'));
    for (const entry of ['src', 'web', '.dependency-cruiser.cjs', 'tsconfig.json', 'package.json'])
      cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
    symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
  });
  after(() => rmSync(copy, { recursive: true, force: true }));

  const cruise = () =>
    spawnSync(bin, ['src', 'web/src', '--config', '.dependency-cruiser.cjs'], { cwd: copy, encoding: 'utf8' });

  test('main passes', () => {
    const run = cruise();
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });

  test('a domain file importing a method is refused by name', () => {
    const file = path.join(copy, 'src/domain/layer-probe.ts');
    writeFileSync(file, "export { default } from '../methods/basic/server.time.ts';\n");
    const run = cruise();
    rmSync(file);
    assert.notEqual(run.status, 0);
    assert.match(run.stdout, /domain-imports-no-edge-or-methods: src\/domain\/layer-probe\.ts/);
  });

  test('an import cycle is refused by name', () => {
    const a = path.join(copy, 'src/wire/cycle-a.ts');
    const b = path.join(copy, 'src/wire/cycle-b.ts');
    writeFileSync(a, "import { b } from './cycle-b.ts';\nexport const a = () => b;\n");
    writeFileSync(b, "import { a } from './cycle-a.ts';\nexport const b = () => a;\n");
    const run = cruise();
    rmSync(a);
    rmSync(b);
    assert.notEqual(run.status, 0);
    assert.match(run.stdout, /no-circular: src\/wire\/cycle-a\.ts/);
  });
});
