import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration';
import { plural } from './plural';

describe('plural', () => {
  it('uses the singular for exactly one', () => {
    expect(plural(1, 'command')).toBe('1 command');
    expect(plural(0, 'command')).toBe('0 commands');
    expect(plural(2, 'device')).toBe('2 devices');
    expect(plural(1, 'attempt')).toBe('1 attempt');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [400, '0 s'],
    [38_000, '38 s'],
    [59_600, '1 min'],
    [60_000, '1 min'],
    [252_000, '4 min 12 s'],
    [3_600_000, '1 h'],
    [7_500_000, '2 h 5 min'],
    [90_061_000, '1 d 1 h'],
    [-5, '0 s'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatDuration in Chinese', () => {
  it.each([
    [38_000, '38秒'],
    [252_000, '4分钟12秒'],
    [7_500_000, '2小时5分钟'],
    [90_061_000, '1天1小时'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatDuration(ms, 'zh-CN')).toBe(text);
  });

  it("groups large numbers the locale's way", () => {
    expect(formatDuration(1234 * 86_400_000, 'en')).toBe('1,234 d');
    expect(formatDuration(1234 * 86_400_000, 'zh-CN')).toBe('1,234天');
  });
});
