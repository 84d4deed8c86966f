import { describe, expect, it } from 'vitest';
import { CommandRun, lastLine, learnPrompt, seen } from './cli';
import { ciscoIos, generic, huaweiVrp } from './drivers';

function runOf(
  driver = huaweiVrp,
  command = 'display clock',
  answers: { prompt: string; answer: string }[] = [],
) {
  const written: string[] = [];
  const prompt = learnPrompt(driver, driver === huaweiVrp ? '<sw1>' : 'sw1#')!;
  const run = new CommandRun(driver, prompt, { command, answers }, (k) => written.push(k));
  return { run, written };
}

describe('CommandRun', () => {
  it('ends at the prompt only after the echo: a stale prompt before it is not the end, and is not output', () => {
    const { run } = runOf();
    expect(run.feed('\r\n<sw1>')).toBe(false);
    expect(run.feed('display clock\r\n2026-12-02 08:00:00\r\n<sw1>')).toBe(true);
    expect(run.result()).toMatchObject({ status: 'success', output: '2026-12-02 08:00:00' });
  });

  it("does not end at another device's prompt or at a prompt inside a line", () => {
    const { run } = runOf();
    expect(run.feed('display clock\r\n<sw10>')).toBe(false);
    expect(run.feed('\r\n text <sw1> more')).toBe(false);
    expect(run.feed('\r\n<sw1>')).toBe(true);
  });

  it('presses the pager key at a pager prompt', () => {
    const { run, written } = runOf();
    run.feed('display clock\r\nline 1\r\n  ---- More ----');
    expect(written).toEqual([' ']);
  });

  it('answers an expected question once, never from the echo that contains its text', () => {
    const g = runOf(generic, 'read -p "Go? [y/N] " a', [{ prompt: '[y/N]', answer: 'y' }]);
    // the echo arrives without its line end first
    g.run.feed('read -p "Go? [y/N] " a');
    expect(g.written).toEqual([]);
    g.run.feed('\r\nGo? [y/N] ');
    expect(g.written).toEqual(['y\r']);
    g.run.feed('y');
    g.run.feed('\r\n');
    expect(g.written).toEqual(['y\r']);
  });

  it('on silence, an unanswered question fails the command and shows it', () => {
    const { run } = runOf(huaweiVrp, 'save');
    run.feed('save\r\nWarning: The current configuration will be written to the device. Continue? [Y/N]:');
    const q = run.quiet();
    expect(q).not.toBeNull();
    expect(q).not.toBe('done');
    expect((q as Error).message).toMatch(/"save" asked «Warning: .*Continue\? \[Y\/N\]:»/);
  });

  it('on silence, a prompt of the platform with a new name is learned (the command renamed the device)', () => {
    const { run } = runOf(huaweiVrp, 'sysname core');
    run.feed('sysname core\r\n[core]');
    expect(run.quiet()).toBe('done');
    expect(run.promptPattern.test('\r\n[core-GigabitEthernet0/0/1]')).toBe(true);
  });

  it('marks output with the vendor error as an error', () => {
    const { run } = runOf(ciscoIos, 'show nonsense');
    run.feed("show nonsense\r\n        ^\r\n% Invalid input detected at '^' marker.\r\n\r\nsw1#");
    expect(run.result().status).toBe('error');
  });
});

describe('helpers', () => {
  it('lastLine takes what follows the last newline and a CR rewind', () => {
    expect(lastLine('a\r\nb\rc')).toBe('c');
    expect(lastLine('x')).toBe('x');
  });
  it('seen quotes at most 200 printable characters', () => {
    expect(seen('')).toBe('nothing');
    const s = seen(`${'x'.repeat(500)}\x1b[1mvrp8>\x07`);
    expect(s).toMatch(/^«x+vrp8>·»$/);
    expect(s.length).toBeLessThanOrEqual(202);
  });
});
