import type { Live } from '../../domain/messenger.ts';
import type { Services } from '../define.ts';

/** What a messenger change needs from the server: where avatars are served. */
export function messengerLive(services: Services): Live {
  return { origin: new URL(services.portal().clientEndpoint).origin };
}
