import { describe, expect, it } from 'vitest';
import { clientAddress, createProxyTrust, peerAddress } from './peer';

const LOOPBACK = ['127.0.0.0/8', '::1'];
const trusted = createProxyTrust(true, LOOPBACK);
const proxies = createProxyTrust(true, ['10.0.0.0/8', '2001:db8:aa::/48', '192.0.2.7']);

describe('client address behind trusted proxies', () => {
  it('ignores X-Forwarded-For when TRUST_PROXY is off', () => {
    const off = createProxyTrust(false, LOOPBACK);
    expect(clientAddress('127.0.0.1', '203.0.113.9', off)).toBe('127.0.0.1');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(clientAddress('198.51.100.4', '203.0.113.9', trusted)).toBe('198.51.100.4');
  });

  it('takes the right-most address a trusted proxy added, not a spoofed left-most entry', () => {
    // the attacker sends "X-Forwarded-For: 1.1.1.1"; nginx appends the real address
    expect(clientAddress('127.0.0.1', '1.1.1.1, 203.0.113.9', trusted)).toBe('203.0.113.9');
    expect(clientAddress('127.0.0.1', ['1.1.1.1, 2.2.2.2', '203.0.113.9'].join(', '), trusted)).toBe(
      '203.0.113.9',
    );
  });

  it('walks back through a chain of trusted proxies (CIDR, single address, IPv6)', () => {
    expect(clientAddress('10.1.2.3', '6.6.6.6, 203.0.113.9, 192.0.2.7, 10.9.9.9', proxies)).toBe(
      '203.0.113.9',
    );
    expect(clientAddress('2001:db8:aa:1::5', '6.6.6.6, 2001:DB8:BB::1', proxies)).toBe('2001:db8:bb::1');
    expect(clientAddress('10.0.0.1', '[2001:db8:cc::2]:4711, 10.0.0.2', proxies)).toBe('2001:db8:cc::2');
    expect(clientAddress('10.0.0.1', '203.0.113.9:51000', proxies)).toBe('203.0.113.9');
  });

  it('treats IPv4-mapped IPv6 socket addresses as IPv4 (dual-stack listeners)', () => {
    expect(clientAddress('::ffff:127.0.0.1', '1.1.1.1, 203.0.113.9', trusted)).toBe('203.0.113.9');
    expect(clientAddress('::ffff:198.51.100.4', '203.0.113.9', trusted)).toBe('198.51.100.4');
    expect(clientAddress('::1', '203.0.113.9', trusted)).toBe('203.0.113.9');
  });

  it('returns the left-most address when every hop is a trusted proxy', () => {
    expect(clientAddress('127.0.0.1', '127.0.0.5, 127.0.0.2', trusted)).toBe('127.0.0.5');
    expect(clientAddress('127.0.0.1', undefined, trusted)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', '', trusted)).toBe('127.0.0.1');
  });

  it('never returns garbage: stops at the hop that forwarded it', () => {
    expect(clientAddress('127.0.0.1', '203.0.113.9, not-an-ip', trusted)).toBe('127.0.0.1');
    expect(clientAddress('10.0.0.1', '1.1.1.1, <script>, 10.0.0.2', proxies)).toBe('10.0.0.2');
    expect(clientAddress('127.0.0.1', '203.0.113.9,, ', trusted)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', 'unknown', trusted)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', '999.1.1.1', trusted)).toBe('127.0.0.1');
    expect(clientAddress(undefined, '203.0.113.9', trusted)).toBe('unknown');
  });

  it('reads the request: socket address and header', () => {
    const req = {
      headers: { 'x-forwarded-for': '1.1.1.1, 203.0.113.9' },
      socket: { remoteAddress: '127.0.0.1' },
    };
    expect(peerAddress(req, trusted)).toBe('203.0.113.9');
  });

  it('refuses a bad proxy list', () => {
    expect(() => createProxyTrust(true, ['10.0.0.0/33'])).toThrow();
    expect(() => createProxyTrust(true, ['nginx'])).toThrow();
  });
});
