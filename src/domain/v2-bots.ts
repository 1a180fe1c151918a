import type { Db } from '../store/db.ts';
import { ApiError } from '../wire/errors.ts';
import { type Bot, type BotRow, type Bots, type BotType, HANDLER_EVENTS, type Handlers } from './bots.ts';
import { COLORS } from './chats.ts';
import type { UserRow } from './user-row.ts';
import type { Users } from './users.ts';

// Chatbots 2.0 over the one `bots` table (b24restdocs api-reference/chat-bots/chat-bots-v2/): v1 and v2 bots are
// the same rows, "visible in v2 and vice versa" (migration.md). What v1 has no column for lives in `properties`.

/** v2 type words (index.md#bot-types; BOT_INVALID_TYPE also allows `network`) → the v1 letter the messenger acts on. */
export const V2_BOT_TYPES: Record<string, BotType> = {
  bot: 'B',
  openline: 'O',
  supervisor: 'S',
  // "Receives all events without mention — similar to supervisor"; the word itself is kept in properties.type.
  personal: 'S',
  network: 'B',
};

/** A v1 letter as a v2 word; `H` ("human": typing before the answer) has no v2 type and reads as `bot`. */
const V1_TYPE_WORDS: Record<string, string> = { B: 'bot', H: 'bot', O: 'openline', S: 'supervisor' };

export const EVENT_MODES = ['fetch', 'webhook'] as const;
export type EventMode = (typeof EVENT_MODES)[number];

/** bot-register.md#backgrounds; anything else is normalized to null (change-log BOT-FIX-0408-4). */
export const BACKGROUNDS = ['azure', 'mint', 'steel', 'slate', 'teal', 'cornflower', 'sky', 'peach', 'frost'];

/** `botToken` longer than this is refused (change-log BOT-BC-0506-1, bot-update.md). */
export const MAX_BOT_TOKEN_LENGTH = 40;

/** What a v2 bot has beyond the v1 columns, read with the defaults of bot-register.md. */
export interface V2Settings {
  type: string;
  eventMode: EventMode;
  webhookUrl: string;
  isHidden: boolean;
  isReactionsEnabled: boolean;
  isSupportOpenline: boolean;
  backgroundId: string | null;
}

export function v2Settings(bot: BotRow): V2Settings {
  const props = bot.properties ?? {};
  return {
    type: typeof props.type === 'string' ? props.type : (V1_TYPE_WORDS[bot.type] ?? 'bot'),
    eventMode: bot.event_mode === 'fetch' ? 'fetch' : 'webhook',
    webhookUrl: typeof props.webhookUrl === 'string' ? props.webhookUrl : '',
    isHidden: props.isHidden === true,
    isReactionsEnabled: props.isReactionsEnabled !== false,
    isSupportOpenline: bot.openline,
    backgroundId: typeof props.backgroundId === 'string' ? props.backgroundId : null,
  };
}

export function normalizeBackground(value: unknown): string | null {
  return typeof value === 'string' && BACKGROUNDS.includes(value) ? value : null;
}

/** A v2 colour code (`lightBlue`, chat-add.md#available-colors) or a v1 name (`LIGHT_BLUE`) → the v1 name. */
export function colorName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value
    .trim()
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toUpperCase();
  return name in COLORS ? name : undefined;
}

/**
 * A v2 bot is subscribed to every bot event (bots/index.md: "the event subscription is created automatically"), so
 * each v1 handler name points where its events go: the `webhookUrl`, or the fetch queue (imbot.v2.Event.get). The
 * messenger tells a bot of what it has a handler for; V2EventSink turns what it fires for a v2 bot into ONIMBOTV2*
 * events, so no v1 POST ever goes to these values.
 */
export function v2Handlers(mode: EventMode, webhookUrl: string): Handlers {
  const target = mode === 'webhook' ? webhookUrl : 'imbot.v2.Event.get';
  return Object.fromEntries(Object.keys(HANDLER_EVENTS).map((name) => [name, target]));
}

/** The owner-only counters of the extended Bot object (entities.md#bot). */
export interface BotCounts {
  countMessage: number;
  countCommand: number;
  countChat: number;
  countUser: number;
}

export interface V2RegisterInput extends V2Settings {
  code: string;
  appKey: string;
  clientId: string;
  botToken: string | null;
  registeredBy: number;
  profile: Partial<UserRow>;
}

/** What Bot.update may change: any setting but `type`, which it does not take. */
export interface V2Changes extends Partial<Omit<V2Settings, 'type'>> {
  profile?: Partial<UserRow>;
  /** Token rotation: the bot moves to the application `custom{botToken}` (bot-update.md#token-rotation). */
  botToken?: string;
}

export class V2Bots {
  constructor(
    private readonly db: Db,
    private readonly bots: Bots,
    private readonly users: Users,
  ) {}

  /**
   * Registers a v2 bot, or returns the application's existing bot with that code unchanged (bot-register.md: "the
   * method is idempotent"). A code of another application → BOT_CODE_ALREADY_TAKEN; the 101st bot → BOT_LIMIT_EXCEEDED.
   */
  async register(input: V2RegisterInput): Promise<{ bot: Bot; created: boolean }> {
    try {
      return await this.bots.register({
        code: input.code,
        type: V2_BOT_TYPES[input.type],
        openline: input.isSupportOpenline,
        appKey: input.appKey,
        clientId: input.clientId,
        registeredBy: input.registeredBy,
        handlers: v2Handlers(input.eventMode, input.webhookUrl),
        profile: input.profile,
        v2: true,
        botToken: input.botToken,
        eventMode: input.eventMode,
        properties: {
          type: input.type,
          webhookUrl: input.webhookUrl,
          isHidden: input.isHidden,
          isReactionsEnabled: input.isReactionsEnabled,
          backgroundId: input.backgroundId,
        },
      });
    } catch (error) {
      // Bots.register speaks v1: WRONG_REQUEST is "code of another application", MAX_COUNT_ERROR the limit.
      if (error instanceof ApiError && error.code === 'WRONG_REQUEST') throw new ApiError('BOT_CODE_ALREADY_TAKEN');
      if (error instanceof ApiError && error.code === 'MAX_COUNT_ERROR') throw new ApiError('BOT_LIMIT_EXCEEDED');
      throw error;
    }
  }

  /**
   * Bot.update: profile, settings, event mode and token rotation in one transaction. Rotation to a token another bot
   * already has → BOT_TOKEN_ROTATION_FAILED, naming no reason (bot-update.md#token-rotation). Switching to `fetch`
   * starts polling at the present, so events POSTed in webhook mode are not fetched again.
   */
  async update(bot: Bot, changes: V2Changes): Promise<void> {
    const settings = v2Settings(bot);
    await this.db.tx(async (tx) => {
      if (changes.botToken !== undefined && changes.botToken !== bot.bot_token) {
        const appKey = `custom${changes.botToken}`;
        const taken = await tx.one('SELECT 1 FROM bots WHERE (app_key = $1 OR bot_token = $2) AND id <> $3', [
          appKey,
          changes.botToken,
          bot.id,
        ]);
        if (taken) throw new ApiError('BOT_TOKEN_ROTATION_FAILED');
        await this.bots.change(tx, bot.id, {
          app_key: appKey,
          client_id: changes.botToken,
          bot_token: changes.botToken,
        });
      }
      const props: Record<string, unknown> = {};
      for (const key of ['webhookUrl', 'isHidden', 'isReactionsEnabled', 'backgroundId'] as const) {
        if (changes[key] !== undefined) props[key] = changes[key];
      }
      if (Object.keys(props).length) await this.bots.change(tx, bot.id, {}, props);
      if (changes.isSupportOpenline !== undefined) {
        await this.bots.change(tx, bot.id, { openline: changes.isSupportOpenline });
      }
      const mode = changes.eventMode ?? settings.eventMode;
      const url = changes.webhookUrl ?? settings.webhookUrl;
      if (bot.v2 && (mode !== settings.eventMode || url !== settings.webhookUrl)) {
        const handlers = v2Handlers(mode, url);
        await this.bots.change(tx, bot.id, { handlers });
        this.bots.handlersSet(tx, bot, handlers);
      }
      if (changes.eventMode !== undefined && changes.eventMode !== settings.eventMode) {
        await this.bots.change(tx, bot.id, { event_mode: changes.eventMode });
        if (changes.eventMode === 'fetch') {
          await tx.query(
            `INSERT INTO v2_event_cursors (bot_id, acked) SELECT $1, COALESCE(max(id), 0) + 1 FROM event_log
             ON CONFLICT (bot_id) DO UPDATE SET acked = EXCLUDED.acked`,
            [bot.id],
          );
        }
      }
      if (changes.profile && Object.keys(changes.profile).length) await this.users.update(bot.id, changes.profile, tx);
    });
  }

  /** The bots of one application, oldest first, optionally of one v2 type (bot-list.md `filter.type`). */
  async ofApp(appKey: string, type?: string): Promise<BotRow[]> {
    const rows = await this.bots.ofApp(appKey);
    return type === undefined ? rows : rows.filter((row) => v2Settings(row).type === type);
  }

  /** The counters of several bots at once. */
  async counts(ids: number[]): Promise<Map<number, BotCounts>> {
    const rows = await this.db.query<{ id: number; m: number; c: number; ch: number; u: number }>(
      `SELECT b.id,
         (SELECT count(*)::int FROM messages WHERE author_id = b.id) AS m,
         (SELECT count(*)::int FROM commands WHERE bot_id = b.id) AS c,
         (SELECT count(*)::int FROM chat_members WHERE user_id = b.id) AS ch,
         (SELECT count(DISTINCT o.user_id)::int FROM chat_members mine
            JOIN chats ON chats.id = mine.chat_id AND chats.type = 'P'
            JOIN chat_members o ON o.chat_id = mine.chat_id AND o.user_id <> b.id
          WHERE mine.user_id = b.id) AS u
       FROM unnest($1::int[]) AS b(id)`,
      [ids],
    );
    return new Map(
      rows.map((r) => [r.id, { countMessage: r.m, countCommand: r.c, countChat: r.ch, countUser: r.u }] as const),
    );
  }
}
