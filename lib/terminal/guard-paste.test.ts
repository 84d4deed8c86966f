import { describe, expect, it } from 'vitest';
import type { Decision } from '../policy/rules';
import { fakeShell, guardedSession } from './fake-shell';
import type { TerminalOutput } from './output';
import {
  GUARD_HELD_INPUT_MAX_CHARS,
  GUARD_HELD_INPUT_PAUSE_CHARS,
  GUARD_HELD_INPUT_RESUME_CHARS,
  type SessionGuard,
} from './session';

/**
 * Keys typed behind a line the guard rails are judging (a paste) are held by the session: the page is
 * asked to stop sending past a mark and to go on below another, and a client that sends on regardless
 * is refused past the limit, then until nothing is held, so the device never gets a paste with a
 * piece missing from its middle (before, keys past 64 K were refused and the rest sent).
 */

/** Send `piece` until the session refuses it: the characters it took, and its refusal. */
function inputUntilRefused(s: { input(d: string): { ok: boolean } }, piece: string) {
  let accepted = 0;
  let answer = s.input(piece);
  while (answer.ok) {
    accepted += piece.length;
    answer = s.input(piece);
  }
  return { accepted, answer };
}

function session() {
  const { shell, device } = fakeShell();
  const written: string[] = [];
  (shell as unknown as { write: (b: Buffer) => void }).write = (b) => void written.push(String(b));
  const verdicts: ((d: Decision) => void)[] = [];
  const guard: SessionGuard = {
    active: true,
    judge: (candidates) =>
      new Promise<Decision>((resolve) => verdicts.push(resolve)).then((d) => ({
        ...d,
        command: candidates[0] ?? '',
      })),
    decided: () => {},
  };
  const s = guardedSession(shell, guard);
  const flow: boolean[] = [];
  const port: TerminalOutput = {
    output: (_d, done) => done?.(),
    closed: () => {},
    notice: () => {},
    bufferedAmount: () => 0,
    inputFlow: (paused) => flow.push(paused),
  };
  const allow = () =>
    verdicts.shift()!({ action: 'allow', rule: null, command: '', mode: null, reason: '' } as Decision);
  /** The line allowed, the device runs it and shows its prompt again (what is held is typed there). */
  const allowThenPrompt = async () => {
    allow();
    await expect.poll(() => written.join('')).toMatch(/^display clock\r/);
    device('\r\n<sw1>');
  };
  /** Attached, at the prompt, `display clock` typed and Enter pressed: the line waits to be judged. */
  const judging = async () => {
    await s.attach(port);
    device('<sw1>');
    expect(s.input('display clock\r')).toEqual({ ok: true });
    device('display clock');
    await expect.poll(() => verdicts.length).toBe(1);
  };
  return { s, written, flow, port, allow, allowThenPrompt, judging, device };
}

describe('keys held behind a line being judged', () => {
  it('ask the page to pause past the mark and to go on once the line is through', async () => {
    const { s, written, flow, allowThenPrompt, judging } = session();
    try {
      await judging();
      const piece = 'y'.repeat(8 * 1024);
      for (let held = 0; held <= GUARD_HELD_INPUT_PAUSE_CHARS; held += piece.length)
        expect(s.input(piece)).toEqual({ ok: true });
      expect(flow).toEqual([true]);
      await allowThenPrompt();
      // the Enter went out, then, at the next prompt, what was held (no Enter in it)
      await expect.poll(() => written.join('')).toMatch(/^display clock\ry+$/);
      expect(flow).toEqual([true, false]);
      expect(GUARD_HELD_INPUT_RESUME_CHARS).toBeLessThan(GUARD_HELD_INPUT_PAUSE_CHARS);
    } finally {
      s.close('test over');
    }
  });

  it('what waits behind a line that went out is typed at the next prompt, not ahead of it', async () => {
    const { s, written, allow, judging, device } = session();
    try {
      await judging();
      expect(s.input('display version')).toEqual({ ok: true });
      allow();
      await expect.poll(() => written.join('')).toBe('display clock\r');
      device('\r\nThu Dec  3 10:00:00 2026\r\n'); // the command's output: no prompt yet
      // still waiting well into the quiet time that would let it go (100 ms)
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(written.join('')).toBe('display clock\r');
      device('<sw1>');
      await expect.poll(() => written.join('')).toBe('display clock\rdisplay version');
    } finally {
      s.close('test over');
    }
  });

  it('a client that sends on regardless is refused past the limit, and until nothing is held', async () => {
    const { s, written, flow, allowThenPrompt, judging } = session();
    try {
      await judging();
      const piece = 'x'.repeat(60 * 1024);
      const { accepted, answer } = inputUntilRefused(s, piece);
      expect(accepted).toBeLessThanOrEqual(GUARD_HELD_INPUT_MAX_CHARS);
      expect(accepted).toBeGreaterThan(GUARD_HELD_INPUT_MAX_CHARS - piece.length);
      expect(answer).toEqual({
        ok: false,
        error: 'Too much typed while a line is being checked; wait a moment.',
      });
      // a short piece after the refused one is refused too: nothing after a hole
      expect(s.input('\rdisplay version\r').ok).toBe(false);
      expect(flow).toEqual([true]);
      await allowThenPrompt();
      await expect.poll(() => flow).toEqual([true, false]);
      const sent = written.join('');
      expect(sent).toBe(`display clock\r${'x'.repeat(accepted)}`);
      expect(sent).not.toContain('display version');
      // nothing held any more: typing goes on
      expect(s.input('\x15')).toEqual({ ok: true });
    } finally {
      s.close('test over');
    }
  });

  it('Ctrl+C drops what is held (even past the limit) and the device gets the interrupt after the line', async () => {
    const { s, written, flow, allow, judging } = session();
    try {
      await judging();
      inputUntilRefused(s, 'display version\r'.repeat(4096)); // the page is asked to pause, then refused
      expect(flow).toEqual([true]);
      // refused past the limit, yet an interrupt is taken: it stops the paste
      expect(s.input('\x03')).toEqual({ ok: true });
      expect(flow).toEqual([true, false]);
      allow();
      await expect.poll(() => written.join('')).toBe('display clock\r\x03');
      expect(s.input('display cpu-usage')).toEqual({ ok: true });
    } finally {
      s.close('test over');
    }
  });

  it('a tab that attaches while keys are held is told to wait too', async () => {
    const { s, port, allowThenPrompt, judging } = session();
    try {
      await judging();
      s.input('z'.repeat(GUARD_HELD_INPUT_PAUSE_CHARS + 1));
      const later: boolean[] = [];
      await s.attach({ ...port, inputFlow: (p) => later.push(p) });
      expect(later).toEqual([true]);
      await allowThenPrompt();
      await expect.poll(() => later).toEqual([true, false]);
    } finally {
      s.close('test over');
    }
  });
});
