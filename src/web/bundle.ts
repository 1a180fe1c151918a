import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface Bundle {
  js: string;
  css: string;
  /** Content hash, so the page can reference the assets with a cache-busting query. */
  version: string;
}

/** Written by `npm run build` beside the compiled module (`dist/web/bundle.json`). */
const BUILT = new URL('./bundle.json', import.meta.url);
const ENTRY = fileURLToPath(new URL('../../web/src/main.tsx', import.meta.url));

let bundlePromise: Promise<Bundle> | undefined;

/**
 * The browser UI: the bundle `npm run build` made, or, when running from the sources (tests, `npm run dev`),
 * compiled from `web/src` in memory with esbuild, a development dependency that an installed package lacks.
 * Once per process; the sources do not change under a running server.
 */
export function webBundle(): Promise<Bundle> {
  bundlePromise ??= readFile(BUILT, 'utf8').then(
    (text) => JSON.parse(text) as Bundle,
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      return buildWebBundle();
    },
  );
  return bundlePromise;
}

/** Compiles `web/src` into one minified script and stylesheet. */
export async function buildWebBundle(): Promise<Bundle> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    outdir: '/assets',
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const file = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  const js = file('.js');
  const css = file('.css');
  const version = createHash('sha256').update(js).update(css).digest('hex').slice(0, 12);
  return { js, css, version };
}
