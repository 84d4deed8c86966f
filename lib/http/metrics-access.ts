import { timingSafeEqual } from 'node:crypto';
import { createProxyTrust } from '../auth/peer';

export interface MetricsAccessConfig {
  /** METRICS_TOKEN: opens /api/metrics from anywhere as `Authorization: Bearer <token>`. */
  METRICS_TOKEN?: string;
  /** METRICS_ALLOW: addresses / CIDRs that need no token (default loopback). */
  METRICS_ALLOW: readonly string[];
}

function tokenMatches(authorization: string | null, token: string | undefined): boolean {
  if (!token || !authorization) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) return false;
  const given = Buffer.from(m[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const lists = new WeakMap<readonly string[], ReturnType<typeof createProxyTrust>>();

/** May this request read the metrics? The bearer token, or a client address on the allow-list. Pure. */
export function metricsAllowed(
  authorization: string | null,
  peer: string | null,
  config: MetricsAccessConfig,
): boolean {
  if (tokenMatches(authorization, config.METRICS_TOKEN)) return true;
  if (!peer || config.METRICS_ALLOW.length === 0) return false;
  // an address list with the same parsing as TRUSTED_PROXIES
  let list = lists.get(config.METRICS_ALLOW);
  if (!list) lists.set(config.METRICS_ALLOW, (list = createProxyTrust(true, config.METRICS_ALLOW)));
  return list.isTrusted(peer);
}
