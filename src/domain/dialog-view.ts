import { atom } from '../wire/envelope.ts';
import { CHAT_PERMISSIONS, CHAT_TYPE_WORDS, chatColor, managerList, restrictionsOf, roleOf } from './chat-rules.ts';
import { type ChatRow, type Chats, COLORS } from './chats.ts';
import { fullName, type Users } from './users.ts';

export interface DialogViewInput {
  chat: ChatRow;
  /** Whose counters, role and read state the view shows. */
  viewerId: number;
  /** As the caller named the dialog: `chat{id}`, or the companion's user id for a private dialog. */
  dialogId: string;
  /** `https://host:port` that avatar paths are served under. */
  origin: string;
}

/**
 * A chat as imbot.dialog.get shows it to one viewer (b24restdocs api-reference/chat-bots/outdated/chats/fields.md,
 * key order as in its example): lower-case keys, integer ids, the colour as HEX, `type` as a word beside the
 * `message_type` letter. `readed_list[].date` is when the member last moved its read mark, null before its first
 * read. Views are not recorded one by one, so `first_viewers` is empty while `count_of_viewers` counts who has read
 * the last message.
 */
export async function dialogView(chats: Chats, users: Users, input: DialogViewInput): Promise<Record<string, unknown>> {
  const { chat, viewerId } = input;
  const members = await chats.memberRows(chat.id);
  const me = members.find((m) => m.user_id === viewerId);
  const [unread, viewers, people] = await Promise.all([
    me ? chats.unread(me) : { count: 0, firstId: 0 },
    chats.viewerCount(chat.id, chat.last_message_id),
    users.getMany(members.map((m) => m.user_id)),
  ]);
  const nameOf = (id: number) => {
    const user = people.get(id);
    return user ? fullName(user) : '';
  };
  return {
    id: chat.id,
    parent_chat_id: 0,
    parent_message_id: 0,
    name: chat.title,
    description: chat.description,
    owner: chat.owner_id,
    extranet: false,
    avatar: chat.avatar ? input.origin + chat.avatar : '',
    color: COLORS[chatColor(chat)],
    type: CHAT_TYPE_WORDS[chat.type],
    counter: unread.count,
    user_counter: members.length,
    message_count: chat.message_count,
    unread_id: unread.firstId,
    restrictions: restrictionsOf(chat),
    last_message_id: chat.last_message_id,
    last_id: me?.last_read_id ?? 0,
    marked_id: 0,
    disk_folder_id: 0,
    entity_type: chat.entity_type,
    entity_id: chat.entity_id,
    entity_data_1: '',
    entity_data_2: '',
    entity_data_3: '',
    mute_list: [],
    date_create: atom(chat.created_at.getTime()),
    message_type: chat.type,
    public: '',
    role: roleOf(chat, me),
    entity_link: { type: chat.entity_type, url: '', id: chat.entity_id },
    text_field_enabled: chat.text_field_enabled,
    background_id: null,
    permissions: { ...CHAT_PERMISSIONS },
    is_new: chat.message_count === 0,
    readed_list: members
      .filter((m) => m.user_id !== viewerId)
      .map((m) => ({
        user_id: m.user_id,
        user_name: nameOf(m.user_id),
        message_id: m.last_read_id,
        date: m.last_read_at ? atom(m.last_read_at.getTime()) : null,
      })),
    manager_list: managerList(chat, members),
    last_message_views: { message_id: chat.last_message_id, first_viewers: [], count_of_viewers: viewers },
    dialog_id: input.dialogId,
  };
}
