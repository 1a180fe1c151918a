import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command as CommanderCommand, CommanderError, Option } from 'commander';
import type { AdminOperations, Input } from './admin/operations.ts';
import type { Config } from './config/config.ts';
import { ConfigError } from './config/config-error.ts';
import { CONFIG_FLAGS, type ConfigFlag } from './config/flags.ts';
import { isLiveNode, lockDataDir } from './store/data-lock.ts';
import { ApiError } from './wire/errors.ts';

// `b24-local <command>`: JSON on stdout, errors on stderr with a non-zero exit. With a server running on the
// same data directory (`<dataDir>/server.json`, its pid alive and answering) the command goes through its admin
// API; otherwise the CLI opens the store itself, does the work and closes it. Arguments are parsed by commander:
// `--help` and `help <command>` print usage, unknown commands and flags exit 2 naming the nearest valid one.
// The server's modules (Fastify, pino, the store, the method registry) are imported only by the paths that use
// them: `--help`, `--version` and a command sent to a running server load commander and the config alone.

interface Operation {
  /** `--flag <value>` → admin API field; `required` flags are checked before anything starts. */
  flags?: Record<string, { field: string; help: string; required?: true; value?: string }>;
  /** Flags without a value. */
  switches?: Record<string, { field: string; help: string }>;
  help: string;
  http: [method: 'GET' | 'POST' | 'DELETE', path: (input: Input) => string];
  /** The work without a server; control commands (under `/_b24local/`, bare JSON) have none. */
  run?: (ops: AdminOperations, input: Input) => Promise<unknown>;
  /** One line, byte for byte what the matching endpoint sends. */
  compact?: boolean;
}

const OPERATIONS: Record<string, Operation> = {
  'user add': {
    help: 'add a user (who can sign in to the web messenger with --login and --password)',
    flags: {
      name: { field: 'name', help: 'first name', required: true },
      'last-name': { field: 'last_name', help: 'last name' },
      email: { field: 'email', help: 'e-mail' },
      login: { field: 'login', help: 'sign-in name for the web messenger' },
      password: { field: 'password', help: 'sign-in password' },
    },
    switches: { admin: { field: 'admin', help: 'a portal administrator' } },
    http: ['POST', () => 'users'],
    run: (ops, input) => ops.createUser(input),
  },
  'user list': { help: 'list users', http: ['GET', () => 'users'], run: (ops) => ops.listUsers() },
  'webhook add': {
    help: 'add an inbound webhook; prints its ready URL',
    flags: {
      user: { field: 'user_id', help: 'the user the webhook acts as', required: true, value: 'id' },
      token: { field: 'token', help: 'the code in the URL (random when omitted)' },
      scopes: { field: 'scopes', help: 'comma-separated scopes (all when omitted)', value: 'a,b' },
      title: { field: 'title', help: 'a name to tell it apart' },
    },
    http: ['POST', () => 'webhooks'],
    run: (ops, input) => ops.createWebhook(input),
  },
  'webhook list': { help: 'list webhooks', http: ['GET', () => 'webhooks'], run: (ops) => ops.listWebhooks() },
  'webhook delete': {
    help: 'delete a webhook',
    flags: { id: { field: 'id', help: 'the webhook id (webhook list)', required: true } },
    http: ['DELETE', (input) => `webhooks/${encodeURIComponent(String(input.id ?? ''))}`],
    run: (ops, input) => ops.deleteWebhook(input),
  },
  'app add': {
    help: 'add a local OAuth application',
    flags: {
      'client-id': { field: 'client_id', help: 'client id (generated when omitted)' },
      'client-secret': { field: 'client_secret', help: 'client secret (generated when omitted)' },
      scopes: { field: 'scopes', help: 'comma-separated scopes (all when omitted)', value: 'a,b' },
      'redirect-uri': { field: 'redirect_uri', help: 'where /oauth/authorize/ sends the code', value: 'url' },
      title: { field: 'title', help: 'a name to tell it apart' },
    },
    http: ['POST', () => 'apps'],
    run: (ops, input) => ops.createApp(input),
  },
  'app list': { help: 'list OAuth applications', http: ['GET', () => 'apps'], run: (ops) => ops.listApps() },
  token: {
    help: 'a token pair for a user of an application, as /oauth/token/ answers it',
    flags: {
      'client-id': { field: 'client_id', help: 'the application', required: true },
      user: { field: 'user_id', help: 'the user', required: true, value: 'id' },
    },
    http: ['POST', () => 'tokens'],
    run: (ops, input) => ops.issueToken(input),
    compact: true,
  },
  'bot list': { help: 'list bots with their applications', http: ['GET', () => 'bots'], run: (ops) => ops.listBots() },
  ...controlOperations(),
};

/** The control API's verbs (src/control/index.ts); they need a running server. */
function controlOperations(): Record<string, Operation> {
  const flag = (field: string, help: string, required?: true) => ({ field, help, ...(required && { required }) });
  const clock = (action: string, help: string, flags?: Operation['flags']): Operation => ({
    help,
    flags,
    http: ['POST', () => `/_b24local/clock?action=${action}`],
  });
  return {
    'clock show': { help: "the server's virtual clock", http: ['GET', () => '/_b24local/clock'] },
    'clock freeze': clock('freeze', 'stop time where it is'),
    'clock advance': clock('advance', 'move time forward; what fell due fires', {
      seconds: flag('seconds', 'how far', true),
    }),
    'clock resume': clock('resume', 'let time run again'),
    'fault add': {
      help: 'inject a fault: a REST error/latency, or an event-delivery rule (--delivery)',
      flags: {
        method: flag('method', 'REST method name or glob (imbot.*)'),
        error: flag('error', 'error code of the catalog (QUERY_LIMIT_EXCEEDED, expired_token, …)'),
        times: flag('times', 'fire this many times, then go'),
        percent: flag('percent', 'fire on this share of matching calls'),
        app: flag('app', 'only calls of this application (client_id or custom{CLIENT_ID})'),
        webhook: flag('webhook', 'only calls through this webhook id'),
        bot: flag('bot', 'only calls (or deliveries) for this bot id'),
        'latency-ms': flag('latencyMs', 'hold matching calls this long first'),
        delivery: flag('delivery', 'fail, delay, duplicate or reorder event POSTs'),
        url: flag('url', 'deliveries to this handler URL (glob)'),
        event: flag('event', 'deliveries of this event (glob)'),
        'delay-ms': flag('delayMs', 'delay of --delivery delay'),
        'hold-ms': flag('holdMs', 'hold of --delivery reorder'),
      },
      http: ['POST', () => '/_b24local/faults'],
    },
    'fault list': { help: 'injected faults', http: ['GET', () => '/_b24local/faults'] },
    'fault delete': {
      help: 'remove one fault',
      flags: { id: flag('id', 'its id (fault list)', true) },
      http: ['DELETE', (input) => `/_b24local/faults/${encodeURIComponent(String(input.id))}`],
    },
    'fault clear': { help: 'remove every fault', http: ['DELETE', () => '/_b24local/faults'] },
    requests: {
      help: 'what the inspector saw, newest first',
      flags: {
        method: flag('method', 'method, command or event (glob)'),
        app: flag('app', 'application'),
        bot: flag('bot', 'bot id'),
        dialog: flag('dialogId', 'dialog id'),
        status: flag('status', '200, 4xx, ok or error'),
        kind: flag('kind', 'rest, pull or delivery'),
        limit: flag('limit', 'how many (100)'),
      },
      http: ['GET', (input) => `/_b24local/requests${query(input)}`],
    },
    reset: { help: 'back to the start state (env bootstrap or fixtures)', http: ['POST', () => '/_b24local/reset'] },
    say: {
      help: "a person's message, as the web messenger sends it",
      flags: {
        from: flag('from', 'the person (user id)', true),
        dialog: flag('dialogId', 'bot id, user id or chatN', true),
        message: flag('message', 'the text', true),
      },
      http: ['POST', () => '/_b24local/say'],
    },
  };
}

/** GET filters as a query string (POST fields travel in the body). */
function query(input: Input): string {
  const pairs = Object.entries(input).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return pairs.length ? `?${pairs.join('&')}` : '';
}

/** Where the data is and the URL the server would be at: every command takes these. */
const STORE_FLAGS: ConfigFlag[] = ['data-dir', 'database-url', 'port', 'host', 'public-url', 'tls'];

const PROGRAM_FLAGS = ['-h', '--help', '-v', '--version'];

/** Entry of `b24-local`: sets the exit code (0 ok, 1 failed, 2 wrong usage) and exits. */
export async function runCli(argv: string[]): Promise<void> {
  const program = cliProgram();
  try {
    // No command, or only flags (`b24-local --port 9000`), means `serve`.
    const serving = argv.length === 0 || (argv[0].startsWith('-') && !PROGRAM_FLAGS.includes(argv[0]));
    // `help user add`: commander's own help command takes one word; the flag reaches the subcommand.
    const words = argv[0] === 'help' && argv.length > 2 ? [...argv.slice(1), '--help'] : argv;
    await program.parseAsync(serving ? ['serve', ...words] : words, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    throw error;
  }
}

function cliProgram(): CommanderCommand {
  const program = new CommanderCommand('b24-local')
    .description('A local Bitrix24 chat-bot REST server: point your bot at it instead of a portal.')
    .version(packageVersion(), '-v, --version')
    .exitOverride()
    .showHelpAfterError('(b24-local --help shows the commands and flags)');
  const serve = program
    .command('serve')
    .description('start the server (the default); flags override the environment variables in brackets');
  for (const flag of Object.keys(CONFIG_FLAGS) as ConfigFlag[]) serve.addOption(configOption(flag));
  serve.action(async (options: Record<string, string>) => {
    const code = await (await import('./server-code.ts')).serverCode();
    await code.main.runFromCli(settingsOf(options));
    code.cacheOnExit();
  });

  const groups = new Map<string, CommanderCommand>();
  for (const [name, operation] of Object.entries(OPERATIONS)) {
    const [first, second] = name.split(' ');
    let command: CommanderCommand;
    if (second) {
      let group = groups.get(first);
      if (!group) {
        group = program.command(first).description(`${first} commands`);
        groups.set(first, group);
      }
      command = group.command(second);
    } else command = program.command(first);
    command.description(operation.help);
    for (const [flag, spec] of Object.entries(operation.flags ?? {})) {
      const option = new Option(`--${flag} <${spec.value ?? 'value'}>`, spec.help);
      if (spec.required) option.makeOptionMandatory();
      command.addOption(option);
    }
    for (const [flag, spec] of Object.entries(operation.switches ?? {})) command.option(`--${flag}`, spec.help);
    for (const flag of STORE_FLAGS) command.addOption(configOption(flag));
    command.action((options: Record<string, string | true>) => runOperation(operation, options));
  }
  return program;
}

function configOption(flag: ConfigFlag): Option {
  const { env, help } = CONFIG_FLAGS[flag];
  return flag === 'tls' || flag === 'dev'
    ? new Option(`--${flag} [on|off]`, `${help} [${env}]`)
    : new Option(`--${flag} <value>`, `${help} [${env}]`);
}

/** The environment with the config flags put over it, by their variables' names. */
function settingsOf(options: Record<string, string | true>, base: NodeJS.ProcessEnv = process.env) {
  const settings: Record<string, string | undefined> = { ...base };
  for (const [flag, { env }] of Object.entries(CONFIG_FLAGS)) {
    const value = options[camel(flag)];
    if (value !== undefined) settings[env] = value === true ? 'on' : value;
  }
  return settings;
}

async function runOperation(operation: Operation, options: Record<string, string | true>): Promise<void> {
  let code = 0;
  try {
    const input: Input = {};
    for (const [flag, spec] of Object.entries({ ...operation.flags, ...operation.switches })) {
      const value = options[camel(flag)];
      if (value !== undefined) input[spec.field] = value;
    }
    const { loadConfig } = await import('./config/config.ts');
    const config = loadConfig(settingsOf(options, { ...process.env, LOG_LEVEL: 'silent' }));
    const result = await execute(operation, input, config);
    process.stdout.write(`${JSON.stringify(result, null, operation.compact ? undefined : 2)}\n`);
  } catch (error) {
    code = 1;
    const message =
      error instanceof ApiError
        ? `${error.code}: ${error.description}`
        : error instanceof ConfigError
          ? error.message
          : error instanceof Error
            ? error.stack
            : String(error);
    process.stderr.write(`b24-local: ${message}\n`);
  }
  // An explicit exit: nothing left open (a pool, a socket) may keep the command alive.
  process.exit(code);
}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function packageVersion(): string {
  const file = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

async function execute(command: Operation, input: Input, config: Config): Promise<unknown> {
  const server = await runningServer(config);
  if (server) {
    const [method, pathOf] = command.http;
    return adminRequest(server, method, pathOf(input), method === 'POST' ? input : undefined);
  }
  const { run } = command;
  if (!run) throw new ConfigError(`this command needs a running server on ${config.dataDir} (b24-local serve)`);
  return offline(config, (ops) => run(ops, input));
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
  if (!Number.isInteger(info.pid) || !isLiveNode(info.pid)) return undefined;
  try {
    const status = (await adminRequest(info, 'GET', 'status')) as { pid: number };
    if (status.pid === info.pid) return info;
  } catch {}
  // Opening the embedded store now would stop that server's PostgreSQL.
  throw new Error(
    `a server (pid ${info.pid}) runs on ${config.dataDir} but does not answer at ${info.url}; retry when it is up, or stop it`,
  );
}

/**
 * One admin API call; `{result}` → result, the Bitrix24 error envelope → ApiError. A route from the root
 * (`/_b24local/…`) is a control call, whose answer is the JSON itself.
 */
async function adminRequest(server: ServerFile, method: string, route: string, body?: Input): Promise<unknown> {
  const control = route.startsWith('/');
  const url = new URL(control ? route : `/admin/api/${route}`, server.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  // Loaded here: only a command sent to a running server needs them (TLS's is the heavier).
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(
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
            if (control && res.statusCode === 200) resolve(answer);
            else if (!control && 'result' in answer) resolve(answer.result);
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
  const storeCode = import('./store/open.ts');
  storeCode.catch(() => {});
  // The embedded store is ours alone while we work: a server started meanwhile waits for us; one already starting
  // is named (DataDirInUse) rather than having its PostgreSQL stopped as an orphan.
  const lock = config.databaseUrl ? undefined : await lockDataDir(config.dataDir, 'cli');
  try {
    // PostgreSQL starts in its own process while the domain's modules load and the domain is built (its queries
    // wait in the store for the migrations check); the HTTP app is not built.
    const store = await (await storeCode).spawnStore(config);
    try {
      const [{ createCore }, { AdminOperations }] = await Promise.all([
        import('./core.ts'),
        import('./admin/operations.ts'),
      ]);
      const publicUrl = config.publicUrl ?? localUrl(config);
      const core = await createCore({
        config,
        db: store.db,
        baseUrl: () => publicUrl,
        onDriverError: () => {}, // the command's own calls report a lost Redis
      });
      try {
        return await work(new AdminOperations(core.domain, () => publicUrl));
      } finally {
        await core.close();
      }
    } catch (error) {
      throw await store.causeOf(error); // the store's error names the cause and the remedy
    } finally {
      await store.close();
    }
  } finally {
    await lock?.release();
  }
}

function localUrl(config: Config): string {
  const host = ['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host;
  return `${config.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}
