import { p } from '../../wire/params/coerce.ts';
import { defineBotMethod } from './v2-bot-context.ts';
import { setManagers } from './v2-chat-managers.ts';

/** b24restdocs chat-bots-v2/imbot.v2/chats/chat-manager-delete.md. */
export default defineBotMethod({
  name: 'imbot.v2.Chat.Manager.delete',
  args: { dialogId: p.string(), userIds: p.intList().optional() },
  handler: ({ bot, args }, services) => setManagers(services, bot, args.dialogId, args.userIds, false),
});
