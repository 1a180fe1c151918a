import ipaddr from 'ipaddr.js';
import { bareHost, ipOf } from './addresses.ts';
import { ConfigError } from './config-error.ts';

type Ip = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Where event handlers may be: `B24_HANDLER_ALLOW`, a comma- or space-separated list of host names (`bot.example`),
 * name suffixes (`*.example`), addresses and CIDR ranges (`10.0.0.0/8`, `fd00::/8`). Empty: any host but the
 * refused ranges below.
 */
export interface HandlerPolicy {
  names: string[];
  suffixes: string[];
  ranges: [Ip, number][];
  /** Hosts without a dot after their first character (`localhost`, `[::1]`) are taken (B24_HANDLER_DOTLESS). */
  dotlessHosts: boolean;
}

export const OPEN_POLICY: HandlerPolicy = { names: [], suffixes: [], ranges: [], dotlessHosts: false };

/**
 * Refused unless an address or range of the allow-list names them: link-local (169.254.0.0/16, fe80::/10; the cloud
 * metadata services of AWS, GCP and Azure live at 169.254.169.254), the metadata addresses outside it (AWS IPv6
 * fd00:ec2::254, Alibaba 100.100.100.200, Oracle 192.0.0.192), and nowhere-addresses (unspecified, broadcast,
 * multicast). Loopback and private ranges stay allowed: bots under development run there.
 */
const REFUSED_RANGES = new Set(['linkLocal', 'unspecified', 'broadcast', 'multicast']);
const METADATA_ADDRESSES = ['fd00:ec2::254', '100.100.100.200', '192.0.0.192'].map((a) => ipaddr.parse(a).toString());
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data']);

export function handlerPolicy(value: string | undefined, dotlessHosts = false): HandlerPolicy {
  const policy: HandlerPolicy = { names: [], suffixes: [], ranges: [], dotlessHosts };
  for (const entry of (value ?? '').split(/[\s,]+/).filter(Boolean)) {
    const lower = entry.toLowerCase().replace(/\.$/, '');
    if (ipaddr.isValidCIDR(lower)) {
      const [ip, bits] = ipaddr.parseCIDR(lower);
      policy.ranges.push([ip, bits]);
    } else if (ipOf(lower)) {
      const ip = ipOf(lower)!;
      policy.ranges.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else if (/^\*\.[a-z0-9.-]+$/.test(lower)) {
      policy.suffixes.push(lower.slice(1));
    } else if (/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(lower)) {
      policy.names.push(lower);
    } else {
      throw new ConfigError(
        `B24_HANDLER_ALLOW: ${JSON.stringify(entry)} is not a host name, *.suffix, address or CIDR`,
      );
    }
  }
  return policy;
}

const isRestricted = (policy: HandlerPolicy) => policy.names.length + policy.suffixes.length + policy.ranges.length > 0;

function inRanges(policy: HandlerPolicy, ip: Ip): boolean {
  // ipaddr's match() takes a range of the address's own kind only.
  return policy.ranges.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range as never, bits));
}

function nameListed(policy: HandlerPolicy, name: string): boolean {
  return policy.names.includes(name) || policy.suffixes.some((suffix) => name.endsWith(suffix));
}

/** Why an address may not receive events, or null. `name`: the host name it was resolved from, if any. */
export function refusedAddress(policy: HandlerPolicy, address: string, name?: string): string | null {
  const ip = ipOf(address);
  if (!ip) return `${address} is not an IP address`;
  if (inRanges(policy, ip)) return null;
  if (REFUSED_RANGES.has(ip.range()) || METADATA_ADDRESSES.includes(ip.toString())) {
    return `${ip} is a link-local or cloud metadata address (allow it with B24_HANDLER_ALLOW)`;
  }
  if (isRestricted(policy) && !(name && nameListed(policy, name))) return `${ip} is not in B24_HANDLER_ALLOW`;
  return null;
}

/**
 * Why a handler host is refused before any DNS, or null: an address is checked as above, a name against the
 * metadata names and the allow-list's names. A name the list does not name may still pass by its addresses when
 * the list has ranges; that is decided at connection time.
 */
export function refusedHost(policy: HandlerPolicy, hostname: string): string | null {
  const host = bareHost(hostname).replace(/\.$/, '');
  if (ipOf(host)) return refusedAddress(policy, host);
  if (METADATA_NAMES.has(host)) return `${host} is a cloud metadata host`;
  if (isRestricted(policy) && !nameListed(policy, host) && policy.ranges.length === 0) {
    return `${host} is not in B24_HANDLER_ALLOW`;
  }
  return null;
}

/** Why a handler URL is refused: not a URL, not http(s), or where it points (with the reason). */
/** `hint`: what the developer can do about it, for the log and the inspector (the answer stays the portal's). */
export type HandlerUrlRefusal =
  | { kind: 'url'; hint?: string }
  | { kind: 'protocol' }
  | { kind: 'target'; reason: string };

/**
 * The longest handler URL: the platform's bot handler columns (b_im_bot METHOD_*, varchar(255)). The URL goes into
 * indexed columns (a handler's row, a delivery's order key), which a longer one could overflow.
 */
export const MAX_HANDLER_URL = 255;

/**
 * A handler URL as registration takes it: http(s), at most MAX_HANDLER_URL characters, no `user:pass@` (the
 * credentials would travel to whoever the URL names and show in every listing of handlers), a host the policy
 * allows. Null when it is fine.
 */
export function handlerUrlRefusal(policy: HandlerPolicy, value: unknown): HandlerUrlRefusal | null {
  if (typeof value !== 'string' || value.length > MAX_HANDLER_URL || !URL.canParse(value)) return { kind: 'url' };
  const url = new URL(value);
  // Bitrix\Rest\HandlerHelper::checkCallback: a host with a dot after its first character, before the protocol.
  if (!policy.dotlessHosts && !(url.hostname.indexOf('.') > 0)) return { kind: 'url', hint: dotlessHint(url) };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'protocol' };
  if (url.username || url.password) return { kind: 'target', reason: 'credentials in the URL are refused' };
  const reason = refusedHost(policy, url.hostname);
  return reason ? { kind: 'target', reason } : null;
}

/** The hint for a handler on a host without a dot, where local bots often listen. */
function dotlessHint(url: URL): string {
  const loopback = new URL(url.href);
  loopback.hostname = '127.0.0.1';
  return (
    `the handler host "${url.hostname}" has no dot, and a portal refuses such handler URLs (Bitrix\\Rest\\HandlerHelper), ` +
    `so b24-local does by default; set B24_HANDLER_DOTLESS=on (--handler-dotless, or startB24Local's ` +
    `handlerDotless: true) to take it, or register ${loopback.href} instead`
  );
}
