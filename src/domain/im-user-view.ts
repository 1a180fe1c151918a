import { atom } from '../wire/envelope.ts';
import type { BotRow } from './bots.ts';
import { COLORS } from './chats.ts';
import type { UserRow } from './user-row.ts';
import { fullName } from './users.ts';

const COLOR_NAMES = Object.keys(COLORS);

/** The v1 bot TYPE letter as the messenger's `bot_data.type` word. */
const BOT_TYPE_WORDS: Record<string, string> = { B: 'bot', H: 'human', O: 'openline', S: 'supervisor' };

/**
 * A user as the messenger shows one (im.dialog.messages.get `users[]`, im.recent.list `user`, the `users` map of
 * Push & Pull commands; b24restdocs api-reference/chats/messages/im-dialog-messages-get.md): lower-case keys, the
 * colour as HEX (picked by id when the profile has none), `false` for dates that were never set.
 */
export function imUserView(user: UserRow, bot: BotRow | undefined, origin: string): Record<string, unknown> {
  const color = COLORS[user.color] ?? COLORS[COLOR_NAMES[(user.id - 1) % COLOR_NAMES.length]];
  const avatar = user.personal_photo ? (user.personal_photo.startsWith('/') ? origin : '') + user.personal_photo : '';
  return {
    id: user.id,
    active: user.active,
    name: fullName(user),
    first_name: user.name,
    last_name: user.last_name,
    work_position: user.work_position,
    color,
    avatar,
    avatar_hr: avatar,
    gender: user.personal_gender || 'M',
    birthday: '',
    extranet: false,
    network: false,
    bot: user.is_bot,
    connector: false,
    external_auth_id: user.is_bot ? 'bot' : 'default',
    status: 'online',
    idle: false,
    last_activity_date: user.last_activity ? atom(user.last_activity.getTime()) : false,
    mobile_last_date: false,
    desktop_last_date: false,
    absent: false,
    departments: user.departments,
    phones: false,
    bot_data: bot
      ? {
          code: bot.code,
          type: BOT_TYPE_WORDS[bot.type] ?? 'bot',
          app_id: bot.app_key,
          is_hidden: false,
          is_support_openline: bot.openline,
        }
      : null,
    type: user.is_bot ? 'bot' : 'user',
    website: user.personal_www,
    email: user.email,
  };
}
