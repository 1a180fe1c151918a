import type { Db } from '../store/db.ts';
import type { CommandLang, CommandRow } from './commands.ts';

/** What the v2 command methods need beyond Commands (imbot.v2.Command.*). */
export class V2Commands {
  constructor(private readonly db: Db) {}

  /** A bot's commands, oldest first (Command.list). */
  ofBot(botId: number): Promise<CommandRow[]> {
    return this.db.query<CommandRow>('SELECT * FROM commands WHERE bot_id = $1 ORDER BY id', [botId]);
  }

  /**
   * The v1 ONIMCOMMANDADD handler URL the application's commands share, '' when none: a v2 command is registered
   * with it, so that Commands, which moves every command of an application to the newest URL, keeps its v1
   * commands where they were. v2 bots get their command calls as ONIMBOTV2COMMANDADD whatever the URL.
   */
  async appHandler(appKey: string): Promise<string> {
    const row = await this.db.one<{ handler: string }>(
      `SELECT handler FROM commands WHERE app_key = $1 AND handler <> '' ORDER BY id DESC LIMIT 1`,
      [appKey],
    );
    return row?.handler ?? '';
  }

  /** `common` of Command.update, which imbot.command.update cannot change. */
  async setCommon(commandId: number, common: boolean): Promise<void> {
    await this.db.query('UPDATE commands SET common = $2 WHERE id = $1', [commandId, common]);
  }
}

/** `{langCode: text}` titles and params (command-register.md) as the LANG list Commands keeps. */
export function commandLangs(title: Record<string, unknown>, params: Record<string, unknown> = {}): CommandLang[] {
  return Object.entries(title).flatMap(([lang, text]) =>
    typeof text === 'string' && text.trim()
      ? [{ LANGUAGE_ID: lang.toLowerCase(), TITLE: text, PARAMS: typeof params[lang] === 'string' ? params[lang] : '' }]
      : [],
  );
}
