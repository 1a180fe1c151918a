#!/usr/bin/env node
// `npx b24-local [serve|<command>]`: the server, or a CLI command with JSON output; runs the build's dist/bundle/.
let cli;
try {
  cli = await import(new URL('../dist/bundle/cli.js', import.meta.url).href);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/bundle/cli.js')) throw error;
  process.stderr.write('b24-local is not built: run `npm run build` in its folder\n');
  process.exit(1);
}
await cli.runCli(process.argv.slice(2));
