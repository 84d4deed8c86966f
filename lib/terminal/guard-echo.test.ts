import { describe, expect, it } from 'vitest';
import { allowingGuard, fakeShell, guardedSession } from './fake-shell';

describe('the guard rails read a line once the device has echoed all of it', () => {
  it('a pause in the echo of the last keys (a busy device) does not cut the line short', async () => {
    const { shell, device } = fakeShell();
    const judged: string[][] = [];
    const audited: string[] = [];
    const guard = allowingGuard(judged);
    const s = guardedSession(shell, guard, (line) => audited.push(line));
    try {
      device('<sw1>');
      // typed fast: the device echoes the first part after the last key went out, and the last
      // key 60 ms later, long past the quiet time that ends a wait for an echo that is complete
      expect(s.input('display versio')).toEqual({ ok: true });
      expect(s.input('n\r')).toEqual({ ok: true });
      setTimeout(() => device('display versio'), 5);
      setTimeout(() => device('n'), 65);
      await expect.poll(() => audited, { timeout: 2_000 }).toEqual(['display version']);
      expect(judged).toEqual([['display version']]);
    } finally {
      s.close('test over');
    }
  });
});
