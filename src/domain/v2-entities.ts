import { LANGUAGE } from './bot-events.ts';
import type { BotRow } from './bots.ts';
import { imUserView } from './im-user-view.ts';
import type { UserRow } from './users.ts';
import { type BotCounts, v2Settings } from './v2-bots.ts';

// The objects of Chatbots 2.0 answers and events (b24restdocs api-reference/chat-bots/chat-bots-v2/entities.md):
// camelCase keys, real booleans, colours as HEX.

/** entities.md#user, in the order of its field table; built on the messenger's own user view. */
export function v2User(user: UserRow, bot: BotRow | undefined, origin: string): Record<string, unknown> {
  const im = imUserView(user, bot, origin);
  return {
    id: user.id,
    active: user.active,
    name: im.name,
    firstName: user.name,
    lastName: user.last_name,
    workPosition: user.work_position,
    color: im.color,
    avatar: im.avatar,
    gender: im.gender,
    birthday: user.personal_birthday,
    extranet: false,
    bot: user.is_bot,
    connector: false,
    externalAuthId: im.external_auth_id,
    status: 'online',
    idle: false,
    lastActivityDate: im.last_activity_date,
    mobileLastDate: false,
    desktopLastDate: false,
    absent: false,
    departments: user.departments,
    phones: false,
    type: user.is_bot ? 'bot' : user.user_type === 'extranet' ? 'extranet' : 'employee',
    website: user.personal_www,
    email: user.email,
  };
}

/**
 * entities.md#bot. The brief (public) format for anyone; `counts` given → the extended one, for the owner only
 * (bot-get.md). `moduleId` is `rest`: every bot here is registered through REST.
 */
export function v2Bot(bot: BotRow, counts?: BotCounts): Record<string, unknown> {
  const settings = v2Settings(bot);
  const brief = {
    id: bot.id,
    code: bot.code,
    type: settings.type,
    isHidden: settings.isHidden,
    isSupportOpenline: settings.isSupportOpenline,
    isReactionsEnabled: settings.isReactionsEnabled,
    backgroundId: settings.backgroundId,
    language: LANGUAGE,
  };
  if (!counts) return brief;
  return { ...brief, moduleId: 'rest', eventMode: settings.eventMode, ...counts };
}
