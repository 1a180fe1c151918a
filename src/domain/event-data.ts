import type { UserRow } from './user-row.ts';
import { fullName } from './users.ts';

/** An `auth[…]` set, or a bot's token set, in the order the docs' examples list the keys. */
export type AuthSet = Record<string, string>;

/** What a chat-bot event says, resolved: `data[PARAMS]`, the bots addressed (with token sets), the acting user. */
export interface BotEventData {
  params: Record<string, unknown>;
  bots: { id: number; code: string; auth: AuthSet }[];
  user?: UserRow;
  command?: { id: number; command: string; params: string; context: string; messageId: number };
}

const yn = (value: boolean) => (value ? 'Y' : 'N');

/**
 * `data[USER]` of the chat-bot events (b24restdocs …/messages/events/on-imbot-message-add.md). The message events
 * carry ten keys; ONIMBOTJOINCHAT and ONIMCOMMANDADD the first six only (CIMRestService::onBotJoinChat and
 * onCommandAdd build no IS_* flags).
 */
export function userData(user: UserRow, event: string): Record<string, string> {
  const six = {
    ID: String(user.id),
    NAME: fullName(user),
    FIRST_NAME: user.name,
    LAST_NAME: user.last_name,
    WORK_POSITION: user.work_position,
    GENDER: user.personal_gender,
  };
  if (event === 'ONIMBOTJOINCHAT' || event === 'ONIMCOMMANDADD') return six;
  return {
    ...six,
    IS_BOT: yn(user.is_bot),
    IS_CONNECTOR: yn(user.user_type === 'connector'),
    IS_NETWORK: yn(user.user_type === 'network'),
    IS_EXTRANET: yn(user.user_type === 'extranet'),
  };
}

/** `data` of a chat-bot event: `BOT` (or `COMMAND`), `PARAMS`, `USER`. A bot without a token set has no `AUTH`. */
export function botEventData(event: string, data: BotEventData): Record<string, unknown> {
  const entry = (b: { id: number; code: string; auth: AuthSet }) => ({
    ...b.auth,
    ...(Object.keys(b.auth).length ? { AUTH: b.auth } : {}),
    BOT_ID: b.id,
    BOT_CODE: b.code,
  });
  // ONIMBOTDELETE: flat `data[BOT_ID]`, `data[BOT_CODE]` (…/outdated/events/on-imbot-delete.md).
  if (event === 'ONIMBOTDELETE') return { BOT_ID: data.bots[0].id, BOT_CODE: data.bots[0].code };
  const out: Record<string, unknown> = {};
  const { command } = data;
  if (command) {
    // ONIMCOMMANDADD: `data[COMMAND][commandId]` replaces `data[BOT]` (…/commands/events/on-im-command-add.md).
    out.COMMAND = {
      [command.id]: {
        ...entry(data.bots[0]),
        COMMAND: command.command,
        COMMAND_ID: command.id,
        COMMAND_PARAMS: command.params,
        COMMAND_CONTEXT: command.context,
        MESSAGE_ID: command.messageId,
      },
    };
  } else {
    out.BOT = Object.fromEntries(data.bots.map((b) => [b.id, entry(b)]));
  }
  out.PARAMS = data.params;
  // The edit and deletion events name the person only where PARAMS has FROM_USER_ID (private dialogs): elsewhere
  // CIMRestService::onBotMessageUpdate/Delete build an empty USER, which a form body does not carry.
  const change = event === 'ONIMBOTMESSAGEUPDATE' || event === 'ONIMBOTMESSAGEDELETE';
  if (data.user && (!change || Number(data.params.FROM_USER_ID) > 0)) out.USER = userData(data.user, event);
  return out;
}
