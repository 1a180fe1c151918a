import { type ChatRow, COLORS, type MemberRow } from './chats.ts';

// Who may do what in a chat (b24restdocs api-reference/chat-bots/outdated/chats/fields.md, "permissions" and
// "restrictions"; the values are the defaults its example shows). Nothing changes them yet, so they are constants.

export type ChatRole = 'owner' | 'manager' | 'member' | 'guest';

/** Minimum role per action: `member` every participant, `manager` the owner and managers, `owner` the owner. */
export const CHAT_PERMISSIONS = {
  manage_users_add: 'member',
  manage_users_delete: 'manager',
  manage_ui: 'member',
  manage_settings: 'owner',
  manage_messages: 'member',
  can_post: 'member',
} as const satisfies Record<string, ChatRole>;

export type ChatAction = keyof typeof CHAT_PERMISSIONS;

const RANK: Record<ChatRole, number> = { guest: 0, member: 1, manager: 2, owner: 3 };

export function roleOf(chat: Pick<ChatRow, 'owner_id'>, member: MemberRow | undefined): ChatRole {
  if (!member) return 'guest';
  if (chat.owner_id === member.user_id) return 'owner';
  return member.is_manager ? 'manager' : 'member';
}

export function can(role: ChatRole, action: ChatAction): boolean {
  return RANK[role] >= RANK[CHAT_PERMISSIONS[action]];
}

/**
 * What the chat's kind allows at all. A private dialog keeps its two members, has no title or avatar of its own.
 * The owner never leaves without handing the chat over (LEAVE_OWNER_FORBIDDEN of imbot.chat.leave).
 */
export function restrictionsOf(chat: Pick<ChatRow, 'type'>) {
  const group = chat.type !== 'P';
  return {
    avatar: group,
    rename: group,
    extend: group,
    call: true,
    mute: true,
    leave: group,
    leave_owner: false,
    send: true,
    user_list: true,
    // The chats page's example (im.dialog.get) ends with these two: empty for a chat that is not a link's.
    path: '',
    path_title: '',
  };
}

/** `type` of imbot.dialog.get: the word for the `message_type` letter. */
export const CHAT_TYPE_WORDS: Record<ChatRow['type'], string> = { P: 'private', C: 'chat', O: 'open' };

const COLOR_NAMES = Object.keys(COLORS);

/**
 * The chat's colour name. Every chat has one on the platform (dialog.get always shows a HEX colour); a chat created
 * without COLOR gets one picked by its id, so the same chat always shows the same colour.
 */
export function chatColor(chat: Pick<ChatRow, 'id' | 'color'>): string {
  return chat.color || COLOR_NAMES[(chat.id - 1) % COLOR_NAMES.length];
}

/** Owner first, then the members marked as managers (the owner always manages). */
export function managerList(
  chat: Pick<ChatRow, 'owner_id'>,
  members: Pick<MemberRow, 'user_id' | 'is_manager'>[],
): number[] {
  const ids = members.filter((m) => m.is_manager && m.user_id !== chat.owner_id).map((m) => m.user_id);
  const ownerIsMember = members.some((m) => m.user_id === chat.owner_id);
  return ownerIsMember ? [chat.owner_id, ...ids.sort((a, b) => a - b)] : ids.sort((a, b) => a - b);
}
