// No 'server-only' marker: server.ts (plain Node) derives the client address too.
import type { IncomingHttpHeaders } from 'node:http';

/**
 * server.ts stamps each request with the client's address under this header (after deleting any
 * value the client sent), so code inside Next can throttle and audit by address.
 */
export const PEER_HEADER = 'x-switchboard-peer';

/** Whether to believe X-Forwarded-For, and from which hops. */
export interface ProxyTrust {
  readonly enabled: boolean;
  isTrusted(address: string): boolean;
}

export function createProxyTrust(enabled: boolean, _trustedProxies: readonly string[] = []): ProxyTrust {
  return { enabled, isTrusted: () => true };
}

/** The client's address from the socket's address and X-Forwarded-For. Pure. */
export function clientAddress(
  remoteAddress: string | undefined,
  forwardedFor: string | readonly string[] | undefined,
  trust: ProxyTrust,
): string {
  if (trust.enabled) {
    const xff = typeof forwardedFor === 'string' ? forwardedFor : forwardedFor?.[0];
    const first = xff?.split(',')[0]?.trim();
    if (first) return first;
  }
  return remoteAddress ?? 'unknown';
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
