import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders } from './security-headers';

describe('security headers', () => {
  it('forbid framing, sniffing and cross-site referrers', () => {
    const h = securityHeaders('127.0.0.1:3000', false);
    expect(h['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(h['X-Frame-Options']).toBe('DENY');
    expect(h['Referrer-Policy']).toBe('same-origin');
  });
  it("allow the page's own WebSockets, WebAssembly (the recordings player), and eval only in development", () => {
    const csp = contentSecurityPolicy('sb.example.net', false);
    expect(csp).toContain("connect-src 'self' ws://sb.example.net wss://sb.example.net");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).toContain("script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval';");
    expect(contentSecurityPolicy('[::1]:3000', true)).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy('[::1]:3000', true)).toContain('ws://[::1]:3000');
  });
  it('a Host header cannot inject into the policy', () => {
    for (const host of ['evil.example; script-src *', 'a b', 'x\r\nSet-Cookie: y', undefined])
      expect(contentSecurityPolicy(host, false)).toContain("connect-src 'self'; ");
  });
});
