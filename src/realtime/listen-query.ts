import type { PullChannel, PullChannels } from './channels.ts';
import { verifyToken } from './jwt.ts';
import type { Format } from './pull-message.ts';
import type { Resume } from './pull-server.ts';

/** What a connection listens on, from its query string. */
export interface Listening {
  userId: number;
  privateChannel: string | null;
  channels: string[];
  viaToken: boolean;
  format: Format;
  resume: Resume;
}

/** The ids a config lists are 2 (private/shared); a few more are tolerated, not hundreds. */
const MAX_CHANNELS = 8;

/**
 * Reads the two ways to connect (b24jssdk `getConnectionPath`; b24restdocs custom-push-and-pull-client.md):
 * `?token=<jwt>` (server v5), or `?CHANNEL_ID=a/b`; then `jsonRpc=true` or `format=json` (else framed text), and
 * `mid` / `tag` to resume. `missing`: neither credential; `wrong`: a bad or expired jwt, or channel ids unknown or replaced.
 */
export async function readListening(
  query: URLSearchParams,
  channels: PullChannels,
  secret: string,
  nowMs: number,
): Promise<Listening | 'missing' | 'wrong'> {
  const token = query.get('token');
  const channelIds = query.get('CHANNEL_ID');
  let found: PullChannel[];
  let userId: number | null = null;
  if (token) {
    const claims = verifyToken(token, secret, nowMs / 1000);
    if (!claims || claims.chn.length > MAX_CHANNELS) return 'wrong';
    userId = claims.sub;
    found = await lookup(channels, claims.chn);
    if (found.length !== claims.chn.length) return 'wrong';
  } else if (channelIds) {
    const ids = channelIds.split('/').filter(Boolean);
    if (ids.length === 0 || ids.length > MAX_CHANNELS) return 'wrong';
    found = await lookup(channels, ids);
    if (found.length !== ids.length) return 'wrong';
  } else {
    return 'missing';
  }
  const own = found.find((c) => c.type === 'private' && (userId === null || c.userId === userId));
  if (token && userId !== 0 && !own) return 'wrong';
  return {
    userId: own?.userId ?? 0,
    privateChannel: own?.id ?? null,
    channels: [...new Set(found.map((c) => c.id))],
    viaToken: Boolean(token),
    format: query.get('jsonRpc') === 'true' ? 'rpc' : query.get('format') === 'json' ? 'json' : 'framed',
    resume: { mid: query.get('mid'), tag: query.get('tag') },
  };
}

async function lookup(channels: PullChannels, ids: string[]): Promise<PullChannel[]> {
  const found = await Promise.all(ids.map((id) => channels.find(id)));
  return found.filter((c): c is PullChannel => c !== undefined);
}
