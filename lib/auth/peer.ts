// No 'server-only' marker: server.ts (plain Node) derives the client address too.
import type { IncomingHttpHeaders } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * server.ts stamps each request with the client's address under this header (after deleting any
 * value the client sent), so code inside Next can throttle and audit by address.
 */
export const PEER_HEADER = 'x-switchboard-peer';

/** The default of TRUSTED_PROXIES: a reverse proxy on the same machine. */
export const LOOPBACK_PROXIES: readonly string[] = ['127.0.0.0/8', '::1'];

/** Whether to believe X-Forwarded-For, and from which hops. */
export interface ProxyTrust {
  readonly enabled: boolean;
  isTrusted(address: string): boolean;
}

/**
 * A bare IPv4/IPv6 address from a socket address or an X-Forwarded-For entry ("[v6]:port",
 * "v4:port", IPv4-mapped IPv6, zone ids), or undefined for anything else.
 */
export function normalizeAddress(raw: string): string | undefined {
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(':'));
  s = s.replace(/%.*$/, '').toLowerCase();
  const family = isIP(s);
  if (family === 4) return s;
  if (family !== 6) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  return mapped ? mapped[1] : s;
}

/** Parse one TRUSTED_PROXIES entry: an address or a CIDR. Throws on anything else. */
function addProxy(list: BlockList, spec: string): void {
  const [addr = '', prefix, extra] = spec.trim().split('/');
  const address = normalizeAddress(addr);
  if (!address || extra !== undefined || addr.includes(']') || addr.includes('%')) {
    throw new Error(`not an IP address or CIDR: ${spec}`);
  }
  const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  if (prefix === undefined) {
    list.addAddress(address, type);
    return;
  }
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!(bits >= 0 && bits <= (type === 'ipv4' ? 32 : 128))) throw new Error(`bad prefix length: ${spec}`);
  list.addSubnet(address, bits, type);
}

/** Whether `spec` is a valid TRUSTED_PROXIES entry (for configuration parsing). */
export function isProxySpec(spec: string): boolean {
  try {
    addProxy(new BlockList(), spec);
    return true;
  } catch {
    return false;
  }
}

export function createProxyTrust(
  enabled: boolean,
  trustedProxies: readonly string[] = LOOPBACK_PROXIES,
): ProxyTrust {
  const list = new BlockList();
  for (const spec of trustedProxies) addProxy(list, spec);
  return {
    enabled,
    isTrusted: (address) => {
      const a = normalizeAddress(address);
      return a !== undefined && list.check(a, isIP(a) === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * The client's address. Each proxy appends the address it received the request from, so only the
 * right-hand end of X-Forwarded-For is written by proxies we trust; everything to the left of the
 * first untrusted hop may be forged by the client. Walk from the socket leftwards while the hop is
 * a trusted proxy; the first address that is not one is the client. Pure.
 */
export function clientAddress(
  remoteAddress: string | undefined,
  forwardedFor: string | readonly string[] | undefined,
  trust: ProxyTrust,
): string {
  let current = remoteAddress === undefined ? undefined : normalizeAddress(remoteAddress);
  if (!current) return 'unknown';
  if (!trust.enabled || !trust.isTrusted(current) || forwardedFor === undefined) return current;
  const joined = typeof forwardedFor === 'string' ? forwardedFor : forwardedFor.join(',');
  if (joined.trim() === '') return current;
  const hops = joined.split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]!);
    // A trusted proxy forwarded something that is not an address: it is the best we know.
    if (!hop) return current;
    current = hop;
    if (!trust.isTrusted(hop)) return hop;
  }
  return current;
}

/**
 * The one way to get a request's client address (HTTP requests in server.ts, WebSocket upgrades).
 */
export function peerAddress(
  req: { headers: IncomingHttpHeaders; socket: { remoteAddress?: string } },
  trust: ProxyTrust,
): string {
  return clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trust);
}
