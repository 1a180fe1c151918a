import { networkInterfaces } from 'node:os';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bareHost, ipOf, isLoopbackHost } from '../config/addresses.ts';
import type { Config } from '../config/config.ts';
import { errorBody } from '../wire/envelope.ts';
import { ApiError } from '../wire/errors.ts';

/** Where a browser gets or uses an administrator's or a person's session: sign-in, the admin pages and API, OAuth. */
const SESSION_PATHS = /^\/(web\/|admin(\/|$|\?)|oauth\/authorize)/;

/**
 * The names this server answers to: loopback, the listening address (every interface address when it listens on
 * all of them) and the host of B24_PUBLIC_URL. A DNS-rebinding page reaches us under its own name, so its
 * requests carry that name in Host and are refused.
 */
export function serverNames(config: Pick<Config, 'host' | 'publicUrl'>): Set<string> {
  const names = new Set<string>();
  if (['0.0.0.0', '::', ''].includes(config.host)) {
    for (const list of Object.values(networkInterfaces())) for (const entry of list ?? []) names.add(entry.address);
  } else {
    names.add(bareHost(config.host));
  }
  if (config.publicUrl && URL.canParse(config.publicUrl)) names.add(bareHost(new URL(config.publicUrl).hostname));
  return names;
}

/**
 * An onRequest hook for the session paths: Host must name this server and Origin, when the browser sends one,
 * must be this server's own (the page's origin or B24_PUBLIC_URL's), so neither a rebinding page nor a cross-site
 * form can sign in or act as the administrator (docs/decisions.md "Web messenger and admin pages").
 */
export function sameOriginGuard(config: Pick<Config, 'host' | 'publicUrl'>) {
  const names = serverNames(config);
  const publicOrigin = config.publicUrl && URL.canParse(config.publicUrl) ? new URL(config.publicUrl).origin : null;
  const known = (hostname: string) => {
    const host = bareHost(hostname);
    if (isLoopbackHost(host) || names.has(host)) return true;
    const ip = ipOf(host);
    return ip !== undefined && names.has(ip.toString());
  };
  // A callback hook, not an async one: every request passes here, most of them (REST calls) untouched.
  return (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (!SESSION_PATHS.test(req.url)) return done();
    const host = req.headers.host ?? '';
    const hostname = URL.canParse(`http://${host}`) ? new URL(`http://${host}`).hostname : '';
    let refusal: string | undefined;
    if (!hostname || !known(hostname)) {
      refusal = `Host ${clip(host)} is not an address of this server; set B24_PUBLIC_URL to the URL you open`;
    } else {
      const origin = req.headers.origin;
      const own = origin !== undefined && URL.canParse(origin) && new URL(origin).host === host.toLowerCase();
      if (origin !== undefined && !own && origin !== publicOrigin) {
        refusal = `Origin ${clip(origin)} is not this server's; cross-site requests are refused here`;
      }
    }
    if (!refusal) return done();
    reply
      .code(403)
      .type('application/json; charset=utf-8')
      .send(errorBody(new ApiError('ACCESS_DENIED', refusal)));
  };
}

const clip = (value: string) => JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
