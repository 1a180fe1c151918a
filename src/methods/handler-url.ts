import { type HandlerPolicy, handlerUrlRefusal } from '../config/handler-allow.ts';
import { ApiError, type ErrorCode } from '../wire/errors.ts';

/**
 * A handler URL of imbot.register/update, imbot.command.*, imbot.v2.Bot.* checked against B24_HANDLER_ALLOW and
 * the refused addresses: the page's error code and text for any bad handler, the reason appended when the URL is
 * well-formed but points where events may not go (docs/decisions.md "Events"). A host without a dot gets the page's
 * text only and a hint naming B24_HANDLER_DOTLESS for the log and the inspector.
 */
export function checkHandlerUrl(value: unknown, policy: HandlerPolicy, code: ErrorCode, text: string): string {
  const refusal = handlerUrlRefusal(policy, value);
  if (!refusal) return value as string;
  const error = new ApiError(code, refusal.kind === 'target' ? `${text}: ${refusal.reason}` : text);
  if (refusal.kind === 'url') error.hint = refusal.hint;
  throw error;
}
