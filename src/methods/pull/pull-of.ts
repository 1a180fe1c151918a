import type { PullService } from '../../realtime/pull-service.ts';
import { ApiError } from '../../wire/errors.ts';
import type { Services } from '../define.ts';

/** The methods of a server without the pull feature do not exist, as on a portal without the pull module. */
export function pullOf(services: Services): PullService {
  const pull = services.extensions.pull;
  if (!pull) throw new ApiError('ERROR_METHOD_NOT_FOUND');
  return pull;
}
