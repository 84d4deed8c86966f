import { describe, expect, it } from 'vitest';
import { prettyLogs } from './index';

describe('prettyLogs', () => {
  it('is readable lines on a terminal and JSON for a collector, unless forced', () => {
    expect(prettyLogs('auto', true)).toBe(true);
    expect(prettyLogs('auto', false)).toBe(false);
    expect(prettyLogs('json', true)).toBe(false);
    expect(prettyLogs('pretty', false)).toBe(true);
  });
});
