import type { Clock } from '../clock.ts';
import type { CacheBus, SharedCache } from '../store/cache-bus.ts';
import type { Db } from '../store/db.ts';
import { ApiError, fail } from '../wire/errors.ts';
import { type MaybePromise, then } from '../wire/maybe-promise.ts';
import type { Chats } from './chats.ts';
import type { EventSink } from './events.ts';
import type { UserRow } from './user-row.ts';
import type { Users } from './users.ts';

export const BOT_TYPES = ['B', 'O', 'H', 'S'] as const;
export type BotType = (typeof BOT_TYPES)[number];
export const MAX_BOTS_PER_APP = 5;

/**
 * The platform's b_im_bot columns (BotTable: CODE ≤ 50, APP_ID ≤ 128 characters): a longer code or application
 * fails its validation, so the bot is not created; here both are indexed columns a longer value could overflow.
 */
export const MAX_BOT_CODE = 50;
export const MAX_APP_KEY = 128;

/** v1 handler names (imbot.register) → the event each one receives. */
export const HANDLER_EVENTS = {
  EVENT_MESSAGE_ADD: 'ONIMBOTMESSAGEADD',
  EVENT_MESSAGE_UPDATE: 'ONIMBOTMESSAGEUPDATE',
  EVENT_MESSAGE_DELETE: 'ONIMBOTMESSAGEDELETE',
  EVENT_WELCOME_MESSAGE: 'ONIMBOTJOINCHAT',
  EVENT_BOT_DELETE: 'ONIMBOTDELETE',
} as const;
export type HandlerName = keyof typeof HANDLER_EVENTS;
export type Handlers = Partial<Record<HandlerName, string>>;

export interface BotRow {
  id: number;
  code: string;
  type: BotType;
  openline: boolean;
  app_key: string;
  client_id: string;
  registered_by: number;
  handlers: Handlers;
  bot_token: string | null;
  event_mode: string;
  v2: boolean;
  properties: Record<string, unknown>;
  created_at: Date;
}

export interface Bot extends BotRow {
  user: UserRow;
}

/** Bot profile fields (PROPERTIES of imbot.register) → users columns. */
export const BOT_PROPERTIES: Record<string, keyof UserRow> = {
  NAME: 'name',
  LAST_NAME: 'last_name',
  COLOR: 'color',
  EMAIL: 'email',
  PERSONAL_BIRTHDAY: 'personal_birthday',
  WORK_POSITION: 'work_position',
  PERSONAL_WWW: 'personal_www',
  PERSONAL_GENDER: 'personal_gender',
  PERSONAL_PHOTO: 'personal_photo',
};

export interface RegisterInput {
  code: string;
  type: BotType;
  openline: boolean;
  appKey: string;
  clientId: string;
  registeredBy: number;
  handlers: Handlers;
  profile: Partial<UserRow>;
  v2?: boolean;
  botToken?: string | null;
  eventMode?: string;
  /** v2 settings (isHidden, isReactionsEnabled, backgroundId, webhookUrl, type word): src/domain/v2-bots.ts. */
  properties?: Record<string, unknown>;
}

/** A bot's handler URLs as a registration or update set them (the delivery feature probes them). */
export interface HandlersSet {
  botId: number;
  code: string;
  appKey: string;
  /** The http(s) URLs among the handlers, each once. */
  urls: string[];
}

export class Bots {
  private readonly handlerListeners: ((set: HandlersSet) => void)[] = [];
  private readonly cache: SharedCache<number, BotRow | null>;
  /** Bots are read on every imbot call: each row's Bot is reused while its user's cached row is the same object. */
  private readonly composed = new WeakMap<BotRow, Bot>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly users: Users,
    private readonly chats: Chats,
    private readonly events: EventSink,
    caches: CacheBus,
  ) {
    this.cache = caches.cache('bots');
  }

  /** At once when the bot and its user are cached, else after reading them. */
  get(id: number): MaybePromise<Bot | undefined> {
    const row = this.cache.get(id);
    if (row === undefined) return this.read(id).then((read) => this.withUser(read));
    return this.withUser(row);
  }

  private async read(id: number): Promise<BotRow | null> {
    const row = (await this.db.one<BotRow>('SELECT * FROM bots WHERE id = $1', [id])) ?? null;
    this.cache.fill(id, row);
    return row;
  }

  private withUser(row: BotRow | null): MaybePromise<Bot | undefined> {
    if (!row) return undefined;
    return then(this.users.get(row.id), (user) => {
      if (!user) return undefined;
      let bot = this.composed.get(row);
      if (bot?.user !== user) {
        bot = { ...row, user };
        this.composed.set(row, bot);
      }
      return bot;
    });
  }

  async byCode(code: string): Promise<BotRow | undefined> {
    return this.db.one<BotRow>('SELECT * FROM bots WHERE code = $1', [code]);
  }

  /** Bots of one application, oldest first (the "first registered bot" is the default BOT_ID). */
  ofApp(appKey: string): Promise<BotRow[]> {
    return this.db.query<BotRow>('SELECT * FROM bots WHERE app_key = $1 ORDER BY id', [appKey]);
  }

  all(): Promise<BotRow[]> {
    return this.db.query<BotRow>('SELECT * FROM bots ORDER BY id');
  }

  /**
   * The bot an imbot call acts as: BOT_ID given → it must exist (BOT_ID_ERROR) and belong to the calling
   * application (APP_ID_ERROR); absent → the application's first bot (BOT_ID_ERROR when it has none).
   */
  resolve(appKey: string, botId: number | undefined): MaybePromise<Bot> {
    if (botId === undefined) return this.firstOf(appKey).then((first) => this.ownedBy(appKey, first));
    return this.ownedBy(appKey, botId);
  }

  private async firstOf(appKey: string): Promise<number> {
    const first = await this.db.one<{ id: number }>('SELECT id FROM bots WHERE app_key = $1 ORDER BY id LIMIT 1', [
      appKey,
    ]);
    if (!first) throw fail('BOT_ID_ERROR');
    return first.id;
  }

  private ownedBy(appKey: string, botId: number): MaybePromise<Bot> {
    return then(this.get(botId), (bot) => {
      if (!bot) throw fail('BOT_ID_ERROR');
      if (bot.app_key !== appKey) throw fail('APP_ID_ERROR');
      return bot;
    });
  }

  async register(input: RegisterInput): Promise<{ bot: Bot; created: boolean }> {
    return this.db.tx(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`bots:${input.appKey}`]);
      const existing = await tx.one<BotRow>('SELECT * FROM bots WHERE code = $1', [input.code]);
      if (existing) {
        // Registering an existing code again returns that bot to its own application (docs/decisions.md).
        if (existing.app_key !== input.appKey) throw new ApiError('WRONG_REQUEST', "Bot can't be created");
        const bot = await this.get(existing.id);
        return { bot: bot!, created: false };
      }
      const count = await tx.one<{ n: number }>('SELECT count(*)::int AS n FROM bots WHERE app_key = $1', [
        input.appKey,
      ]);
      const limit = input.v2 ? 100 : MAX_BOTS_PER_APP;
      if (count!.n >= limit) {
        throw new ApiError('MAX_COUNT_ERROR', `Has reached the maximum number of bots for application (max: ${limit})`);
      }
      const user = await this.users.create({ ...input.profile, is_bot: true, user_type: 'bot' }, tx);
      const row = await tx.one<BotRow>(
        `INSERT INTO bots (id, code, type, openline, app_key, client_id, registered_by, handlers, v2, bot_token, event_mode, created_at, properties)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`,
        [
          user.id,
          input.code,
          input.type,
          input.openline,
          input.appKey,
          input.clientId,
          input.registeredBy,
          input.handlers,
          input.v2 ?? false,
          input.botToken ?? null,
          input.eventMode ?? 'webhook',
          new Date(this.clock.now()),
          input.properties ?? {},
        ],
      );
      // One application has one set of handler URLs (imbot.register warning): the newest set serves all its bots.
      if (!input.v2) {
        await tx.query('UPDATE bots SET handlers = $2 WHERE app_key = $1 AND NOT v2', [input.appKey, input.handlers]);
        this.forgetApp(input.appKey);
      }
      this.handlersSet(tx, row!, input.handlers);
      this.cache.set(row!.id, row!);
      return { bot: { ...row!, user }, created: true };
    });
  }

  async update(
    bot: Bot,
    changes: { code?: string; type?: BotType; handlers?: Handlers; profile?: Partial<UserRow> },
  ): Promise<void> {
    await this.db.tx(async (tx) => {
      if (changes.type !== undefined) await tx.query('UPDATE bots SET type = $2 WHERE id = $1', [bot.id, changes.type]);
      if (changes.code !== undefined && changes.code !== bot.code) {
        const taken = await tx.one('SELECT 1 FROM bots WHERE code = $1 AND id <> $2', [changes.code, bot.id]);
        if (taken) throw new ApiError('WRONG_REQUEST', "Bot can't be updated");
        await tx.query('UPDATE bots SET code = $2 WHERE id = $1', [bot.id, changes.code]);
      }
      if (changes.handlers && Object.keys(changes.handlers).length) {
        await tx.query('UPDATE bots SET handlers = handlers || $2 WHERE app_key = $1 AND v2 = $3', [
          bot.app_key,
          changes.handlers,
          bot.v2,
        ]);
        this.handlersSet(tx, bot, changes.handlers);
      }
      if (changes.profile && Object.keys(changes.profile).length) await this.users.update(bot.id, changes.profile, tx);
    });
    this.forgetApp(bot.app_key);
  }

  /**
   * Deletes the bot and its private dialogs; WRONG_REQUEST "Bot can't be deleted" when it is already gone. The bot
   * is told first, in the same transaction (ONIMBOTDELETE, on-imbot-delete.md), while its row still names its
   * application and EVENT_BOT_DELETE handler; `byUserId` is whose `auth` the event carries.
   */
  async unregister(bot: Bot, byUserId: number): Promise<void> {
    await this.db.tx(async (tx) => {
      const row = await tx.one('SELECT id FROM bots WHERE id = $1 FOR UPDATE', [bot.id]);
      if (!row) throw new ApiError('WRONG_REQUEST', "Bot can't be deleted");
      await this.chats.removeFromAll(bot.id, tx);
      // After the chats' row locks, as every emitter takes them before the bot's event lock (no deadlock with a
      // message in one of its chats). data is BOT_ID and BOT_CODE, which delivery takes from the logged bot.
      await this.events.emit(tx, {
        event: 'ONIMBOTDELETE',
        botIds: [bot.id],
        params: {},
        userId: byUserId,
        dialogId: '',
      });
      await tx.query('DELETE FROM bots WHERE id = $1', [bot.id]);
      await this.users.deactivate(bot.id, tx);
    });
    this.cache.delete(bot.id);
  }

  /** Calls `listener` once a registration or update that set handler URLs has committed. */
  onHandlersSet(listener: (set: HandlersSet) => void): () => void {
    this.handlerListeners.push(listener);
    return () => {
      const at = this.handlerListeners.indexOf(listener);
      if (at >= 0) this.handlerListeners.splice(at, 1);
    };
  }

  /** Tells the listeners of the handler URLs `bot` got in transaction `db`, once it commits. */
  handlersSet(db: Db, bot: Pick<BotRow, 'id' | 'code' | 'app_key'>, handlers: Handlers): void {
    if (!this.handlerListeners.length) return;
    const urls = [...new Set(Object.values(handlers))].filter((url): url is string => /^https?:\/\//i.test(url ?? ''));
    if (!urls.length) return;
    const set = { botId: bot.id, code: bot.code, appKey: bot.app_key, urls };
    db.afterCommit(() => {
      for (const listener of this.handlerListeners) listener(set);
    });
  }

  /** Drops a cached row, or every one: after this class's writes commit, after a store reset, and for tests. */
  forget(id?: number): void {
    if (id === undefined) this.cache.clear();
    else this.cache.delete(id);
  }

  /**
   * Changes a bot's columns in the caller's transaction (v2 settings, token rotation); `properties` are merged into
   * the stored ones. The cached row goes once it commits.
   */
  async change(
    db: Db,
    id: number,
    fields: Partial<Pick<BotRow, 'app_key' | 'client_id' | 'bot_token' | 'openline' | 'handlers' | 'event_mode'>>,
    properties?: Record<string, unknown>,
  ): Promise<void> {
    const columns = Object.keys(fields) as (keyof typeof fields)[];
    const sets = columns.map((c, i) => `${c} = $${i + 2}`);
    if (properties) sets.push(`properties = properties || $${columns.length + 2}`);
    if (!sets.length) return;
    const values = [...columns.map((c) => fields[c]), ...(properties ? [properties] : [])];
    await db.query(`UPDATE bots SET ${sets.join(', ')} WHERE id = $1`, [id, ...values]);
    db.afterCommit(() => this.forget(id));
  }

  private forgetApp(appKey: string): void {
    this.cache.deleteWhere((row) => row?.app_key === appKey);
  }
}
