import { describe, expect, it } from 'vitest';
import { refuseCrossSiteWrite } from './same-site-write';

const opts = { allowedOrigins: ['https://portal.example.net'], trustProxy: false };
const req = (headers: Record<string, string>) =>
  new Request('http://127.0.0.1:3000/api/lab/devices/x', { method: 'POST', headers, body: '{}' });
const status = (headers: Record<string, string>, o = opts) =>
  refuseCrossSiteWrite(req(headers), o)?.status ?? 200;

describe('same-site JSON writes', () => {
  const json = { 'content-type': 'application/json', host: '127.0.0.1:3000' };
  it('accepts its own origin, an allowed origin, and a same-site Referer without Origin', () => {
    expect(status({ ...json, origin: 'http://127.0.0.1:3000' })).toBe(200);
    expect(status({ ...json, origin: 'https://portal.example.net' })).toBe(200);
    expect(status({ ...json, referer: 'http://127.0.0.1:3000/devices' })).toBe(200);
    expect(
      status({ ...json, 'content-type': 'application/json; charset=utf-8', origin: 'http://127.0.0.1:3000' }),
    ).toBe(200);
  });
  it('refuses a foreign, opaque or missing origin with 403', () => {
    expect(status({ ...json, origin: 'http://evil.example' })).toBe(403);
    expect(status({ ...json, origin: 'http://127.0.0.1:3000.evil.example' })).toBe(403);
    expect(status({ ...json, origin: 'null' })).toBe(403);
    expect(status(json)).toBe(403);
    expect(status({ ...json, referer: 'http://evil.example/x' })).toBe(403);
  });
  it('believes X-Forwarded-Host only behind a trusted proxy', () => {
    const h = {
      ...json,
      host: 'backend:3000',
      'x-forwarded-host': 'sb.example.net',
      origin: 'https://sb.example.net',
    };
    expect(status(h)).toBe(403);
    expect(status(h, { ...opts, trustProxy: true })).toBe(200);
  });
  it('refuses anything but JSON with 415', () => {
    const same = { host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' };
    expect(status({ ...same, 'content-type': 'text/plain' })).toBe(415);
    expect(status({ ...same, 'content-type': 'application/x-www-form-urlencoded' })).toBe(415);
    expect(status({ ...same, 'content-type': 'multipart/form-data; boundary=x' })).toBe(415);
    expect(status(same)).toBe(415);
  });
});
