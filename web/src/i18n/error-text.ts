import { ApiFailure } from '../session.ts';
import { t } from './i18n.ts';

const KNOWN = ['WRONG_LOGIN', 'PASSWORD_CHANGE_REQUIRED', 'QUERY_LIMIT_EXCEEDED', 'ACCESS_DENIED'] as const;
/** Our own codes for an answer that is no Bitrix24 JSON (a proxy's error page, a server restarting). */
const UNEXPECTED = ['ERROR_UNEXPECTED_ANSWER', 'HTTP_ERROR'];

/** fetch rejects with a TypeError ("Failed to fetch", "NetworkError…") when the server cannot be reached. */
export const isNetworkError = (error: unknown) => error instanceof TypeError;

/**
 * What to tell a person about a failed call: our words for the codes people meet (and for a lost connection),
 * the server's description otherwise (it names the param or rule, which a generic text would hide).
 */
export function errorText(error: unknown): string {
  if (isNetworkError(error)) return t('errors.network');
  if (error instanceof ApiFailure) {
    if (UNEXPECTED.includes(error.code)) return t('errors.unexpected');
    const known = KNOWN.find((code) => code === error.code);
    return known ? t(`errors.${known}`) : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
