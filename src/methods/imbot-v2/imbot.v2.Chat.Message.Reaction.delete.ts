import { p } from '../../wire/params/coerce.ts';
import { defineBotMethod } from './v2-bot-context.ts';
import { react } from './v2-reaction.ts';

/** b24restdocs chat-bots-v2/imbot.v2/messages/chat-message-reaction-delete.md. */
export default defineBotMethod({
  name: 'imbot.v2.Chat.Message.Reaction.delete',
  args: { messageId: p.int(), reaction: p.string() },
  handler: ({ bot, args }, services) => react(services, bot, args.messageId, args.reaction, false),
});
