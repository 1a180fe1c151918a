// A Bitrix24 chat bot in plain Node: node:http for its event handler, fetch for the REST calls. It registers itself
// through an inbound webhook, and answers every message with "typing…" and then the same text. Nothing in it is
// specific to b24-local: pointed at a real portal's webhook (and a handler URL the portal can reach), it runs there.
//
//   B24_WEBHOOK_URL=http://127.0.0.1:8080/rest/1/<token>/ npm run example:bot
//
// Started again (on another BOT_PORT, or another machine), it finds its bot by CODE and moves the handler there.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export interface EchoBotOptions {
  /** Inbound webhook: `https://{portal}/rest/{user_id}/{token}/`. */
  webhookUrl: string;
  /** Where the handler listens; port 0 = any free port. */
  host?: string;
  port?: number;
  /** The handler URL as the portal reaches it (default: `http://{host}:{port}/events`). */
  publicUrl?: string;
  /** Bot CODE and CLIENT_ID: a webhook bot belongs to the application its CLIENT_ID names. */
  code?: string;
  clientId?: string;
  /** How long the bot "types" before answering, ms. */
  typingMs?: number;
}

export interface EchoBot {
  botId: number;
  handlerUrl: string;
  close(): Promise<void>;
}

export async function startEchoBot(options: EchoBotOptions): Promise<EchoBot> {
  const base = options.webhookUrl.endsWith('/') ? options.webhookUrl : `${options.webhookUrl}/`;
  const clientId = options.clientId ?? 'echo_bot';
  const call = async (method: string, params: Record<string, unknown>) => {
    const res = await fetch(`${base}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, CLIENT_ID: clientId }),
    });
    const body = (await res.json()) as { result?: unknown; error?: string; error_description?: string };
    if (body.error) throw new Error(`${method}: ${body.error} ${body.error_description ?? ''}`);
    return body.result;
  };

  // b24-local sends each event at least once and marks it with X-B24-Event-Id; a portal sends neither.
  const handled = new Set<string>();
  const server: Server = createServer((req, res) => {
    onEvent(req).then(
      () => res.writeHead(200).end(),
      // A failed answer asks for the event again (b24-local retries; a portal does not).
      (error) => {
        console.error('echo bot:', error instanceof Error ? error.message : error);
        res.writeHead(500).end();
      },
    );
  });

  async function onEvent(req: IncomingMessage): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    // application/x-www-form-urlencoded with PHP-style keys: data[PARAMS][MESSAGE], data[BOT][42][BOT_ID], …
    const form = new URLSearchParams(body);
    if (form.get('event') !== 'ONIMBOTMESSAGEADD') return;
    const eventId = req.headers['x-b24-event-id'];
    if (typeof eventId === 'string' && handled.has(eventId)) return;
    const dialogId = form.get('data[PARAMS][DIALOG_ID]');
    const text = form.get('data[PARAMS][MESSAGE]') ?? '';
    const botKey = [...form.keys()].find((key) => /^data\[BOT\]\[\d+\]\[BOT_ID\]$/.test(key));
    const botId = botKey && form.get(botKey);
    if (!dialogId || !botId) return;
    await call('imbot.chat.sendTyping', { BOT_ID: botId, DIALOG_ID: dialogId });
    await new Promise((resolve) => setTimeout(resolve, options.typingMs ?? 1000));
    await call('imbot.message.add', { BOT_ID: botId, DIALOG_ID: dialogId, MESSAGE: text || '(empty message)' });
    if (typeof eventId === 'string') handled.add(eventId);
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const handlerUrl = options.publicUrl ?? `http://${host}:${port}/events`;
  try {
    const botId = await registerOrUpdate(call, options.code ?? 'echo_bot', handlerUrl);
    return {
      botId,
      handlerUrl,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  } catch (error) {
    server.close();
    throw error;
  }
}

type Call = (method: string, params: Record<string, unknown>) => Promise<unknown>;

/**
 * Registers the bot, or points the bot already registered under `code` at this handler URL: imbot.register of an
 * existing CODE returns that bot unchanged, handlers included, so a restart on another port needs imbot.update.
 */
async function registerOrUpdate(call: Call, code: string, handlerUrl: string): Promise<number> {
  // imbot.bot.list: every bot of the portal keyed by id ([] when there is none), with its CODE.
  const bots = (await call('imbot.bot.list', {})) as Record<string, { ID: number; CODE: string }> | [];
  const existing = Object.values(bots).find((bot) => bot.CODE === code);
  if (existing) {
    await call('imbot.update', { BOT_ID: existing.ID, FIELDS: { EVENT_HANDLER: handlerUrl } });
    return Number(existing.ID);
  }
  return Number(
    await call('imbot.register', {
      CODE: code,
      TYPE: 'B',
      EVENT_HANDLER: handlerUrl,
      PROPERTIES: { NAME: 'Echo', WORK_POSITION: 'Repeats what you write', COLOR: 'GREEN' },
    }),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const webhookUrl = process.env.B24_WEBHOOK_URL;
  if (!webhookUrl) {
    console.error('Set B24_WEBHOOK_URL to an inbound webhook, e.g. http://127.0.0.1:8080/rest/1/<token>/');
    process.exit(1);
  }
  startEchoBot({
    webhookUrl,
    host: process.env.BOT_HOST,
    port: Number(process.env.BOT_PORT ?? 3000),
    publicUrl: process.env.BOT_PUBLIC_URL,
  }).then(
    (bot) => {
      console.log(`echo bot ${bot.botId} is listening on ${bot.handlerUrl}; write to it in the messenger`);
      process.once('SIGINT', () => bot.close().then(() => process.exit(0)));
    },
    (error) => {
      console.error(`echo bot failed to start: ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    },
  );
}
