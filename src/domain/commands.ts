import type { Clock } from '../clock.ts';
import type { Db } from '../store/db.ts';
import { ApiError } from '../wire/errors.ts';
import { commandLines } from './bb-code.ts';
import type { Participant } from './bot-events.ts';
import type { ChatRow } from './chats.ts';
import { asList, decodeJsonParam, isRecord, isText } from './json-param.ts';

/** One localisation of a command (LANG of imbot.command.register). */
export interface CommandLang {
  LANGUAGE_ID: string;
  TITLE: string;
  PARAMS: string;
}

export interface CommandRow {
  id: number;
  bot_id: number;
  app_key: string;
  command: string;
  common: boolean;
  hidden: boolean;
  extranet_support: boolean;
  handler: string;
  lang: CommandLang[];
  created_at: Date;
}

export interface CommandInput {
  botId: number;
  appKey: string;
  command: string;
  handler: string;
  lang: CommandLang[];
  common: boolean;
  hidden: boolean;
  extranetSupport: boolean;
}

/** A command a message invokes, with the rest of its line. */
export interface CommandCallMatch {
  command: CommandRow;
  params: string;
}

/** The im module runs at most this many commands of one message. */
const MAX_CALLS = 10;

/** Where a command is invoked: the chat, its members and who invokes it. */
export interface CommandPlace {
  authorId: number;
  chat: ChatRow;
  participants: Participant[];
}

/**
 * A command not marked COMMON works only where its bot is (the bot's private dialog, or a chat it is a member of);
 * in an open-line chat only commands of bots with OPENLINE=Y work (im module `Command::onCommandAdd`).
 */
function usableIn(command: CommandRow, openline: boolean, place: CommandPlace): boolean {
  if (place.chat.entity_type === 'LINES' && !openline) return false;
  if (command.common) return true;
  const here = place.participants.filter((p) => place.chat.type !== 'P' || p.user_id !== place.authorId);
  return here.some((p) => p.user_id === command.bot_id);
}

/**
 * The text after `/`: Latin letters and digits, no spaces or special characters (b24restdocs imbot.command.register);
 * a leading slash is dropped as the im module does; at most 255 characters (an indexed column; the pages give no
 * limit). Null when the text cannot be a command.
 */
export function commandName(raw: unknown): string | null {
  if (!isText(raw)) return null;
  const name = String(raw).trim().replace(/^\//, '');
  return name.length <= 255 && /^[A-Za-z0-9]+$/.test(name) ? name : null;
}

/**
 * LANG: a list of `{LANGUAGE_ID, TITLE, PARAMS?}` (JSON string, array or PHP-style list). Items without a language
 * or a title are skipped, as the im module does; null when none is left (LANG_ERROR).
 */
export function commandLang(raw: unknown): CommandLang[] | null {
  const items = asList(decodeJsonParam(raw)) ?? [];
  const langs = items.filter(isRecord).flatMap((item) =>
    isText(item.LANGUAGE_ID) && isText(item.TITLE)
      ? [
          {
            LANGUAGE_ID: String(item.LANGUAGE_ID).toLowerCase(),
            TITLE: String(item.TITLE),
            PARAMS: isText(item.PARAMS) ? String(item.PARAMS) : '',
          },
        ]
      : [],
  );
  return langs.length ? langs : null;
}

/**
 * Bot commands (imbot.command.*) and which of them a message invokes. One application has one ONIMCOMMANDADD
 * handler: registering or updating a command with a URL moves all the application's commands to it, as the im
 * module rebinds the application's single `onImCommandAdd` handler (docs/decisions.md).
 */
export class Commands {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  get(id: number): Promise<CommandRow | undefined> {
    return this.db.one<CommandRow>('SELECT * FROM commands WHERE id = $1', [id]);
  }

  /** The application's command of this name (imbot.command.answer with COMMAND instead of COMMAND_ID). */
  byName(appKey: string, command: string): Promise<CommandRow | undefined> {
    return this.db.one<CommandRow>('SELECT * FROM commands WHERE app_key = $1 AND command = $2 ORDER BY id LIMIT 1', [
      appKey,
      command.replace(/^\//, ''),
    ]);
  }

  /** Registers a command; the same bot registering the same command again gets the existing id. */
  async register(input: CommandInput): Promise<number> {
    return this.db.tx(async (tx) => {
      const row = await tx.one<{ id: number }>(
        `INSERT INTO commands (bot_id, app_key, command, common, hidden, extranet_support, handler, lang, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (bot_id, command) DO UPDATE SET command = EXCLUDED.command RETURNING id`,
        [
          input.botId,
          input.appKey,
          input.command,
          input.common,
          input.hidden,
          input.extranetSupport,
          input.handler,
          JSON.stringify(input.lang),
          new Date(this.clock.now()),
        ],
      );
      await tx.query('UPDATE commands SET handler = $2 WHERE app_key = $1', [input.appKey, input.handler]);
      return row!.id;
    });
  }

  /** Changes the given fields; a name the bot already uses is WRONG_REQUEST "Command can't be updated". */
  async update(
    command: CommandRow,
    changes: { command?: string; handler?: string; hidden?: boolean; extranetSupport?: boolean; lang?: CommandLang[] },
  ): Promise<void> {
    await this.db.tx(async (tx) => {
      if (changes.command !== undefined && changes.command !== command.command) {
        const taken = await tx.one('SELECT 1 FROM commands WHERE bot_id = $1 AND command = $2', [
          command.bot_id,
          changes.command,
        ]);
        if (taken) throw new ApiError('WRONG_REQUEST', "Command can't be updated");
      }
      await tx.query(
        `UPDATE commands SET command = COALESCE($2, command), hidden = COALESCE($3, hidden),
           extranet_support = COALESCE($4, extranet_support), lang = COALESCE($5, lang) WHERE id = $1`,
        [
          command.id,
          changes.command ?? null,
          changes.hidden ?? null,
          changes.extranetSupport ?? null,
          changes.lang ? JSON.stringify(changes.lang) : null,
        ],
      );
      if (changes.handler) {
        await tx.query('UPDATE commands SET handler = $2 WHERE app_key = $1', [command.app_key, changes.handler]);
      }
    });
  }

  async unregister(command: CommandRow): Promise<boolean> {
    const rows = await this.db.query('DELETE FROM commands WHERE id = $1 RETURNING id', [command.id]);
    return rows.length > 0;
  }

  /**
   * The commands a person's message invokes (im module `Command::onCommandAdd`): each line starting with `/name`
   * names one that is usable there (`usableIn`). Each command and parameter pair runs once, ten at most.
   */
  async matching(db: Db, message: CommandPlace & { text: string }): Promise<CommandCallMatch[]> {
    const lines = commandLines(message.text);
    if (!lines.length) return [];
    const rows = await db.query<CommandRow & { openline: boolean }>(
      `SELECT c.*, b.openline FROM commands c JOIN bots b ON b.id = c.bot_id WHERE c.command = ANY($1) ORDER BY c.id`,
      [lines.map((l) => l.command)],
    );
    const calls: CommandCallMatch[] = [];
    const seen = new Set<string>();
    for (const line of lines) {
      for (const { openline, ...command } of rows) {
        if (command.command !== line.command || !usableIn(command, openline, message)) continue;
        const key = `${command.id}\n${line.params}`;
        if (seen.has(key) || calls.length >= MAX_CALLS) continue;
        seen.add(key);
        calls.push({ command, params: line.params });
      }
    }
    return calls;
  }

  /** The bot's command of that name when it is usable at `place` (a keyboard button, im.message.command). */
  async available(db: Db, botId: number, name: string, place: CommandPlace): Promise<CommandRow | undefined> {
    const row = await db.one<CommandRow & { openline: boolean }>(
      'SELECT c.*, b.openline FROM commands c JOIN bots b ON b.id = c.bot_id WHERE c.bot_id = $1 AND c.command = $2',
      [botId, name],
    );
    if (!row) return undefined;
    const { openline, ...command } = row;
    return usableIn(command, openline, place) ? command : undefined;
  }
}
