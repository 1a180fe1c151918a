import type { ChatRow, Chats } from './chats.ts';

/**
 * Who reads a chat for a caller of imbot.chat.get / imbot.dialog.get ("user with access to the chat"): the user
 * when a member; else the first of the calling application's bots that is one (bot applications look up the chats
 * their bots created); else, in an open chat, the user as a guest. Undefined: no access.
 */
export async function chatReader(
  chats: Chats,
  chat: ChatRow,
  userId: number,
  botIds: number[],
): Promise<number | undefined> {
  const members = await chats.members(chat.id);
  if (members.includes(userId)) return userId;
  const bot = botIds.find((id) => members.includes(id));
  if (bot !== undefined) return bot;
  return chat.type === 'O' ? userId : undefined;
}
