import ipaddr from 'ipaddr.js';

/** `[::1]` → `::1`: URL hostnames keep IPv6 brackets, addresses do not. */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** An IP address (v4 or v6, brackets allowed), parsed; IPv4-mapped IPv6 as IPv4. */
export function ipOf(host: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = bareHost(host);
  return ipaddr.isValid(bare) ? ipaddr.process(bare) : undefined;
}

/** `localhost`, `*.localhost` (RFC 6761 keeps them on this machine) or a loopback address. */
export function isLoopbackHost(host: string): boolean {
  const bare = bareHost(host).replace(/\.$/, '');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  return ipOf(bare)?.range() === 'loopback';
}
