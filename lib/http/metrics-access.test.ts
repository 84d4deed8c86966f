import { describe, expect, it } from 'vitest';
import { parseEnv } from '../config/schema';
import { metricsAllowed } from './metrics-access';

describe('who may read /api/metrics', () => {
  it('by default: loopback only, no token', () => {
    const cfg = parseEnv({});
    expect(cfg.METRICS_TOKEN).toBeUndefined();
    expect(metricsAllowed(null, '127.0.0.1', cfg)).toBe(true);
    expect(metricsAllowed(null, '::1', cfg)).toBe(true);
    expect(metricsAllowed(null, '::ffff:127.0.0.1', cfg)).toBe(true);
    expect(metricsAllowed(null, '10.1.2.3', cfg)).toBe(false);
    expect(metricsAllowed(null, '203.0.113.9', cfg)).toBe(false);
    expect(metricsAllowed(null, null, cfg)).toBe(false);
    expect(metricsAllowed('Bearer anything-at-all-here', '203.0.113.9', cfg)).toBe(false);
  });
  it('the bearer token opens it from anywhere; a wrong one does not', () => {
    const cfg = parseEnv({ METRICS_TOKEN: 'scrape-token-0123456789', METRICS_ALLOW: 'none' });
    expect(metricsAllowed('Bearer scrape-token-0123456789', '203.0.113.9', cfg)).toBe(true);
    expect(metricsAllowed('bearer scrape-token-0123456789', null, cfg)).toBe(true);
    expect(metricsAllowed('Bearer scrape-token-012345678', '127.0.0.1', cfg)).toBe(false);
    expect(metricsAllowed('Basic c2NyYXBl', '127.0.0.1', cfg)).toBe(false);
    expect(metricsAllowed(null, '127.0.0.1', cfg)).toBe(false);
  });
  it('an allow-list of addresses and CIDRs; nonsense is a configuration error', () => {
    const cfg = parseEnv({ METRICS_ALLOW: '10.0.0.0/8, 192.0.2.7' });
    expect(metricsAllowed(null, '10.9.8.7', cfg)).toBe(true);
    expect(metricsAllowed(null, '192.0.2.7', cfg)).toBe(true);
    expect(metricsAllowed(null, '127.0.0.1', cfg)).toBe(false);
    expect(() => parseEnv({ METRICS_ALLOW: 'everyone' })).toThrow(/METRICS_ALLOW/);
    expect(() => parseEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});
