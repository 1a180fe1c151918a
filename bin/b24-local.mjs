#!/usr/bin/env node
// `npx b24-local [serve|<command>]`: the server, or a CLI command with JSON output.
import { register } from 'tsx/esm/api';

register();
const [command = 'serve'] = process.argv.slice(2);
const root = new URL('../src/', import.meta.url);
if (command === 'serve' || command.startsWith('--')) {
  process.argv.splice(2, command === 'serve' ? 1 : 0);
  await import(new URL('main.ts', root).href).then((m) => m.runFromCli());
} else {
  await import(new URL('cli.ts', root).href).then((m) => m.runCli(process.argv.slice(2)));
}
