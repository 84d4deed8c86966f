import { describe, expect, it } from 'vitest';
import { matcherOf } from './search';

describe('matcherOf', () => {
  it('matches plain text case-insensitively as typed', () => {
    const m = matcherOf('  SNMP-Agent Community ');
    expect(m.ok && m.test('snmp-agent community read cipher <secret hidden>')).toBe(true);
    expect(m.ok && m.test('snmp-agent sys-info version v3')).toBe(false);
  });

  it('treats /…/ as an RE2 pattern and refuses an invalid one', () => {
    const m = matcherOf('/^interface (Gigabit|Ten-Gigabit)Ethernet0\\/0\\/1$/');
    expect(m.ok && m.test('interface GigabitEthernet0/0/1')).toBe(true);
    expect(m.ok && m.test(' description interface GigabitEthernet0/0/1')).toBe(false);
    expect(matcherOf('/(a/')).toMatchObject({ ok: false });
  });

  it('refuses empty and oversized queries', () => {
    expect(matcherOf('   ')).toEqual({ ok: false, error: 'Enter text or a /pattern/ to search for.' });
    expect(matcherOf('x'.repeat(600))).toEqual({ ok: false, error: 'At most 500 characters.' });
  });

  it('stays linear on a nested pattern over a long line', () => {
    const m = matcherOf('/(a+)+$/');
    const started = Date.now();
    expect(m.ok && m.test(`${'a'.repeat(200_000)}!`)).toBe(false);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
