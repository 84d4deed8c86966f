import { describe, expect, it } from 'vitest';
import { fakeConnection, fakeShell } from './fake-shell';
import { echoedChars, TerminalSession } from './session';

/** A session on a fake shell: `device` is what the device prints, `type` what the user types. */
function session(vendor: string) {
  const { shell, device } = fakeShell();
  const connection = fakeConnection(vendor);
  const lines: string[] = [];
  const s = new TerminalSession({
    userId: 'u1',
    connection,
    shell,
    timers: { resumeGraceMs: 60_000, idleTimeoutMs: 3_600_000 },
    events: { onCommand: (_s, line) => lines.push(line), onClosed: () => {} },
  });
  return {
    lines,
    device,
    type: (text: string) => expect(s.input(text)).toEqual({ ok: true }),
    done: () => s.close('test over'),
  };
}

describe('the typed line follows the echo (finding 18: `qstty size`)', () => {
  it('a key a program took without echo (q leaving top) is not glued onto the next command', () => {
    const t = session('generic');
    t.device('root@vm:~# ');
    t.type('t');
    t.device('t');
    t.type('op\r');
    t.device('op\r\n\x1b[?1h\x1b=\x1b[H\x1b[2Jtop - 10:00:01 up 1 day, load average: 0.00');
    t.type('q'); // no Enter: top quits on the key and does not echo it
    t.device('\x1b[?1l\x1b>\x1b[31;1H\r\n\x1b[?12l\x1b[?25h\x1b[K');
    t.device('\x1b[?2004hroot@vm:~# ');
    t.type('stty size\r'); // typed before its echo comes back
    expect(t.lines).toEqual(['top', 'stty size']);
    t.done();
  });

  it('keys typed in a full-screen editor (no Enter) stay out of the next line', () => {
    const t = session('generic');
    t.device('$ ');
    t.type('vi x\r');
    t.device('vi x\r\n\x1b[?1049h\x1b[H\x1b[2J~\r\n~');
    t.type('ihello');
    t.device('hello');
    t.type('\x1bZZ');
    t.device('\x1b[?1049l\r\n$ ');
    t.type('ls\r');
    expect(t.lines).toEqual(['vi x', 'ls']);
    t.done();
  });

  it('keeps keys typed ahead while output streams, echoed by the device after its prompt', () => {
    const t = session('huawei');
    t.device('<sw1>');
    t.type('display version\r');
    t.device('display version\r\nHuawei Versatile Routing Platform Software\r\n');
    t.type('disp'); // typed ahead: the device echoes it only once the command is done
    t.device('VRP (R) software, Version 8.180\r\n<sw1>');
    t.device('disp');
    t.type('lay clock\r');
    expect(t.lines).toEqual(['display version', 'display clock']);
    t.done();
  });

  it('keeps a line echoed in pieces, a redrawn line and a fast typist’s line', () => {
    const t = session('cisco_ios');
    t.device('R1#');
    t.type('show');
    t.device('sh');
    t.device('ow');
    t.type(' clock\r');
    t.device(' clock\r\n*10:00:00.000 UTC Mon Jan 1 2026\r\nR1#');
    t.type('show ip route\r'); // Enter before any echo
    t.device('show ip route\r\nCodes: C - connected\r\nR1#');
    t.type('sh run');
    t.device('sh run');
    t.type('\x1b[D\x1b[D\x1b[D\x1b[Do'); // ← ×4, then insert: the device redraws the rest of the line
    t.device('o run\b\b\b\b');
    t.type('\r');
    // the audit follows the line editor's cursor: the insert lands where the device puts it
    expect(t.lines).toEqual(['show clock', 'show ip route', 'sho run']);
    t.done();
  });

  it('a secret typed at a password prompt (no echo, no output) stays hidden, not dropped', () => {
    const t = session('cisco_ios');
    t.device('R1>');
    t.type('enable\r');
    t.device('enable\r\nPassword: ');
    for (const ch of 'hunter2') t.type(ch);
    t.type('\r');
    t.device('\r\nR1#');
    expect(t.lines).toEqual(['enable', '[input at a password prompt hidden]']);
    t.done();
  });

  it('a line erased with Ctrl+U starts afresh: a secret retyped at the password prompt that came meanwhile stays hidden', () => {
    const t = session('cisco_ios');
    t.device('R1>');
    t.type('enable\r');
    t.device('enable\r\n'); // the password prompt is not here yet
    t.type('hunt'); // typed ahead of it: not known to be a secret
    t.type('\x15'); // erased
    t.device('Password: ');
    t.type('hunter2\r');
    t.device('\r\nR1#');
    expect(t.lines).toEqual(['enable', '[input at a password prompt hidden]']);
    t.done();
  });

  it('echoedChars: the echo opens the answer, or closes it after a prompt', () => {
    expect(echoedChars('abc', 'a')).toBe(1);
    expect(echoedChars('abc', 'abc')).toBe(3);
    expect(echoedChars('xrest', 'xrest')).toBe(5);
    expect(echoedChars('disp', '...\r\n<sw1>disp'.replace(/[\r\n]/g, ''))).toBe(4);
    expect(echoedChars('q', 'root@qa-box:~# ')).toBe(0);
    expect(echoedChars('', 'anything')).toBe(0);
  });
});
