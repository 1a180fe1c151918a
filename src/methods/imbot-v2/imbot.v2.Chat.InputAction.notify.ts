import { INPUT_ACTION_DURATION, INPUT_ACTIONS } from '../../domain/input-actions.ts';
import { fullName } from '../../domain/users.ts';
import { ApiError } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineBotMethod, v2Dialog } from './v2-bot-context.ts';

/**
 * b24restdocs chat-bots-v2/imbot.v2/ui/chat-input-action-notify.md: the bot's action indicator in a dialog it is
 * in, to everyone else there: the messenger's `startWriting` carrying `statusMessageCode` and its text, then
 * `stopWriting` when `duration` is over. No code → plain "typing"; an unknown code → STATUS_MESSAGE_CODE_INVALID;
 * a duration outside 1–600 → DURATION_INVALID; none → the server's typing time, B24_TYPING_TTL (docs/decisions.md).
 */
export default defineBotMethod({
  name: 'imbot.v2.Chat.InputAction.notify',
  args: {
    dialogId: p.string(),
    statusMessageCode: p.string().optional(),
    duration: p.int().optional(),
  },
  async handler({ bot, args }, { domain }) {
    const code = args.statusMessageCode?.trim();
    const text = code === undefined || code === '' ? undefined : INPUT_ACTIONS[code];
    if (code && text === undefined) {
      throw new ApiError(
        'STATUS_MESSAGE_CODE_INVALID',
        `Unknown statusMessageCode ${code}: use one of ${Object.keys(INPUT_ACTIONS).join(', ')}`,
      );
    }
    const { min, max } = INPUT_ACTION_DURATION;
    if (args.duration !== undefined && (args.duration < min || args.duration > max)) {
      throw new ApiError('DURATION_INVALID', `duration must be an integer from ${min} to ${max} seconds`);
    }
    const dialog = await v2Dialog(domain, bot, args.dialogId);
    await domain.typing.start({
      place: dialog.place,
      userId: bot.id,
      userName: fullName(bot.user),
      ttlMs: args.duration === undefined ? undefined : args.duration * 1000,
      participants: dialog.participants,
      statusCode: text && code,
      statusText: text,
    });
    return { result: true };
  },
});
