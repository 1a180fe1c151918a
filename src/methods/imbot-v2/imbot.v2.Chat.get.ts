import { p } from '../../wire/params/coerce.ts';
import { defineBotMethod } from './v2-bot-context.ts';
import { chatAnswer, dialogChat } from './v2-chat.ts';

/** b24restdocs chat-bots-v2/imbot.v2/chats/chat-get.md: a chat or private dialog the bot takes part in. */
export default defineBotMethod({
  name: 'imbot.v2.Chat.get',
  args: { dialogId: p.string() },
  async handler({ bot, args }, services) {
    const chat = await dialogChat(services, bot, args.dialogId);
    return { chat: await chatAnswer(services, bot, chat) };
  },
});
