import { describe, expect, it } from 'vitest';
import { compileIgnore, diffOutputs, DIFF_MAX_BYTES, normalizeOutput } from './diff';
import { comparableHash, groupOutputs, groupSummary } from './group';

const v1 = [
  'sysname core-sw-01',
  '#',
  'interface GigabitEthernet0/0/1',
  ' description uplink-to-agg',
  '#',
  'core-sw-01 uptime is 3 weeks, 2 days, 1 hour, 4 minutes',
].join('\n');

describe('compileIgnore', () => {
  it('masks what matches and keeps the rest of the line', () => {
    const r = compileIgnore(['uptime is .*$']);
    expect(r.ok && r.apply(v1).split('\n').at(-1)).toBe('core-sw-01 <ignored>');
  });

  it.each([
    [['(a'], /Pattern 1 is not valid/],
    [['ok', 'x*'], /Pattern 2 matches empty text/],
    [[`${'a'.repeat(501)}`], /at most 500 characters/],
    [Array.from({ length: 31 }, (_, i) => `p${i}`), /At most 30 ignore patterns/],
  ])('refuses %j', (patterns, error) => {
    const r = compileIgnore(patterns);
    expect(!r.ok && r.error).toMatch(error);
  });

  it('stays linear on hostile output (RE2): a nested-quantifier pattern on 1 MiB of a', () => {
    const r = compileIgnore(['(a+)+$']);
    const started = Date.now();
    expect(r.ok && r.apply(`${'a'.repeat(1 << 20)}!`).length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('diffOutputs', () => {
  it('calls outputs differing only in line endings and trailing blanks unchanged', () => {
    const crlf = `${v1.replace(/\n/g, '  \r\n')}\r\n\r\n`;
    expect(normalizeOutput(crlf)).toBe(v1);
    expect(diffOutputs(v1, crlf)).toMatchObject({ changed: false, patch: null });
  });

  it('calls a change only in ignored parts unchanged', () => {
    const later = v1.replace('3 weeks, 2 days, 1 hour, 4 minutes', '3 weeks, 2 days, 9 hours, 0 minutes');
    expect(diffOutputs(v1, later).changed).toBe(true);
    const ignore = compileIgnore(['uptime is .*$']);
    expect(ignore.ok && diffOutputs(v1, later, { ignore: ignore.apply }).changed).toBe(false);
  });

  it('shows exactly the changed line as a unified diff with its context', () => {
    const later = v1.replace('uplink-to-agg', 'uplink-to-agg-02');
    const d = diffOutputs(v1, later, { labels: ['run 1', 'run 2'] });
    expect(d).toMatchObject({ changed: true, added: 1, removed: 1, cut: false, tooDifferent: false });
    expect(d.patch).toContain('--- run 1');
    expect(d.patch).toContain('+++ run 2');
    expect(d.patch).toContain('- description uplink-to-agg\n+ description uplink-to-agg-02\n');
    expect(d.patch).toContain(' interface GigabitEthernet0/0/1\n');
  });

  it('bounds a multi-MiB output: compares the first part and says so', () => {
    const line = 'interface GigabitEthernet0/0/1 description x\n';
    const big = line.repeat(Math.ceil((DIFF_MAX_BYTES * 1.5) / line.length));
    const started = Date.now();
    const d = diffOutputs(big, `${big}extra line\n`);
    expect(d.cut).toBe(true);
    expect(d.changed).toBe(false); // the change is past the compared part
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gives up line by line when two outputs are wholly different, with counts', () => {
    const a = Array.from({ length: 6000 }, (_, i) => `a ${i}`).join('\n');
    const b = Array.from({ length: 6000 }, (_, i) => `b ${i}`).join('\n');
    const started = Date.now();
    const d = diffOutputs(a, b);
    expect(d).toMatchObject({ changed: true, tooDifferent: true, patch: null, added: 6000, removed: 6000 });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('groupOutputs', () => {
  const cfg = (desc: string) => `sysname x\n description ${desc}\n`;

  it('groups identical outputs, biggest group first, and names the majority', () => {
    const items = [
      ...Array.from({ length: 5 }, (_, i) => ({ device: `sw-${i + 1}`, output: cfg('a') })),
      { device: 'sw-10', output: cfg('b') },
      { device: 'sw-7', output: cfg('b') },
      { device: 'sw-9', output: cfg('c') },
    ];
    const g = groupOutputs(items);
    expect(g.variants.map((v) => v.devices)).toEqual([
      ['sw-1', 'sw-2', 'sw-3', 'sw-4', 'sw-5'],
      ['sw-7', 'sw-10'],
      ['sw-9'],
    ]);
    expect(g.majority).toBe(comparableHash(cfg('a')));
    expect(groupSummary(g)).toEqual({ identical: 5, variantDevices: 3, variants: 2 });
  });

  it('has no majority when the largest groups tie', () => {
    const g = groupOutputs([
      { device: 'a', output: 'x' },
      { device: 'b', output: 'y' },
    ]);
    expect(g.majority).toBeNull();
    expect(groupSummary(g)).toEqual({ identical: 0, variantDevices: 2, variants: 2 });
    expect(groupSummary(groupOutputs([]))).toEqual({ identical: 0, variantDevices: 0, variants: 0 });
  });

  it('applies the ignore patterns before grouping', () => {
    const ignore = compileIgnore(['clock: .*$']);
    const items = [
      { device: 'a', output: 'clock: 10:00:01\nok' },
      { device: 'b', output: 'clock: 10:00:02\nok\r\n' },
    ];
    expect(groupOutputs(items).variants).toHaveLength(2);
    expect(ignore.ok && groupOutputs(items, ignore.apply).variants).toHaveLength(1);
  });
});
