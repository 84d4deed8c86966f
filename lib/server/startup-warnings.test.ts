import { describe, expect, it } from 'vitest';
import { startupWarnings } from './startup-warnings';

const base = { HOST: '127.0.0.1', NEXTAUTH_URL: undefined, TRUST_PROXY: false, LAB: true };

describe('startupWarnings', () => {
  it('says nothing on a laptop', () => {
    expect(startupWarnings(base)).toEqual([]);
  });
  it('warns about a missing NEXTAUTH_URL when serving the network or behind a proxy, not once it is set', () => {
    expect(startupWarnings({ ...base, HOST: '0.0.0.0', LAB: false })).toEqual([
      expect.stringMatching(/^NEXTAUTH_URL is not set while the portal listens on 0\.0\.0\.0/),
    ]);
    expect(startupWarnings({ ...base, TRUST_PROXY: true })).toEqual([
      expect.stringMatching(/behind a reverse proxy/),
    ]);
    expect(startupWarnings({ ...base, HOST: '0.0.0.0', LAB: false, NEXTAUTH_URL: 'https://sb.example.net' })).toEqual([]);
  });
  it('warns that the lab is in the inventory of a portal others reach', () => {
    expect(startupWarnings({ ...base, HOST: '0.0.0.0', NEXTAUTH_URL: 'https://sb.example.net' })).toEqual([
      expect.stringMatching(/LAB=off/),
    ]);
  });
});
