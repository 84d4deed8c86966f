import { describe, expect, it } from 'vitest';
import { allowingGuard, fakeShell, guardedSession } from './fake-shell';

/**
 * Keys under guard rails that the device never shows: bracketed-paste markers (left out, even split
 * between two inputs) and keys that change nothing on the line (End at its end: no answer at all,
 * which must not hold the Enter).
 */
function session() {
  const { shell, device } = fakeShell();
  const written: string[] = [];
  (shell as unknown as { write: (b: Buffer) => void }).write = (b) => void written.push(String(b));
  const judged: string[][] = [];
  const guard = allowingGuard(judged);
  const s = guardedSession(shell, guard);
  return { s, device, written, judged };
}

describe('a line edited with keys the session follows', () => {
  it('is judged as the line editor holds it too, before the device has redrawn it', async () => {
    const { s, device, judged } = session();
    try {
      device('<sw1>');
      // a typo, three Lefts, Backspace: the device echoes the keys, the redraw after the Backspace
      // is still on its way when the Enter is judged
      s.input('rebxoot\x1b[D\x1b[D\x1b[D\x7f\r');
      device('rebxoot\b\b\b');
      await expect.poll(() => judged.length, { timeout: 2_000 }).toBe(1);
      // the screen's reading (the typo still shown) and the line editor's
      expect(judged[0]).toHaveLength(2);
      expect(judged[0]![0]).toMatch(/^rebxoot/);
      expect(judged[0]![1]).toBe('reboot');
    } finally {
      s.close('test over');
    }
  });
});

describe('keys the device never shows', () => {
  it('bracketed-paste markers are left out, even split between two inputs', () => {
    const { s, written } = session();
    try {
      s.input('\x1b[20');
      s.input('0~dis');
      s.input('play\x1b');
      s.input('[201~');
      // a lone ESC goes on (it may be the Esc key); the rest of a marker after it does not
      expect(written.join('')).toBe('display\x1b');
      s.input('\x1b');
      s.input('b');
      expect(written.join('')).toBe('display\x1b\x1bb');
    } finally {
      s.close('test over');
    }
  });

  it('a key that changes nothing (End at the end of the line) gets no answer, and the Enter is not held for it', async () => {
    const { s, device, written, judged } = session();
    try {
      device('<sw1>');
      s.input('display clock');
      device('display clock'); // the echo: the device answers keys at once
      // End a moment after the echo (not in the same millisecond, which would count as answered)
      await new Promise((resolve) => setTimeout(resolve, 5));
      s.input('\x05'); // End: the cursor is there already, the device prints nothing
      const at = Date.now();
      s.input('\r');
      await expect.poll(() => written.join(''), { timeout: 2_000 }).toBe('display clock\x05\r');
      expect(Date.now() - at).toBeLessThan(1_000); // the settle limit (300 ms), not the 3 s answer wait
      expect(judged).toEqual([['display clock']]);
    } finally {
      s.close('test over');
    }
  });
});
