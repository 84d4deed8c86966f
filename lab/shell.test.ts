import { EventEmitter } from 'node:events';

import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';

import { IosCli } from './cli-ios';
import { VrpCli } from './cli-vrp';
import { createDeviceModel } from './model';
import { KeyDecoder, LabShellSession, runExecCommand, type Key, type ShellStream } from './shell';
import type { LabEncoding } from './types';

/** In-memory stand-in for an ssh2 server channel. */
class FakeStream extends EventEmitter implements ShellStream {
  readonly out: Buffer[] = [];
  exitCode: number | undefined;
  ended = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly encoding: LabEncoding = 'utf-8') {
    super();
  }

  write(data: Buffer): boolean {
    this.out.push(data);
    for (const w of this.waiters.splice(0)) w();
    return true;
  }
  end(): void {
    this.ended = true;
  }
  exit(status: number): void {
    this.exitCode = status;
  }
  input(data: string | Buffer): void {
    this.emit('data', typeof data === 'string' ? Buffer.from(data) : data);
  }
  get text(): string {
    return iconv.decode(Buffer.concat(this.out), this.encoding === 'gbk' ? 'gbk' : 'utf8');
  }
  clear(): void {
    this.out.length = 0;
  }
  /** Waits until the output (since the last clear) matches. */
  until(re: RegExp, timeoutMs = 3000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timeout waiting for ${re}: ${JSON.stringify(this.text)}`)),
        timeoutMs,
      );
      const check = (): void => {
        if (re.test(this.text)) {
          clearTimeout(timer);
          resolve(this.text);
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }
}

const NOW = new Date('2025-11-24T06:19:00Z');

function vrpSession(opts: { rows?: number; latencyMs?: number; encoding?: LabEncoding } = {}): FakeStream {
  const stream = new FakeStream(opts.encoding);
  const cli = new VrpCli(createDeviceModel('huawei_vrp', 'SW1', { now: () => NOW }));
  new LabShellSession(stream, cli, opts).start();
  stream.clear();
  return stream;
}

describe('KeyDecoder', () => {
  it('counts CR, LF and CRLF as one Enter each, knows Up/Down and Tab, drops other escape sequences, even split across chunks', () => {
    const d = new KeyDecoder();
    const keys: Key[] = [];
    d.feed('a\r\nb\rc\n\x1b[', keys);
    d.feed('A\x1bOBd\x1b[1;5C\x1b[1;5A\x7f\x08\x03\x1a\t\x10\x0e', keys);
    expect(keys).toEqual([
      { t: 'char', ch: 'a' },
      { t: 'enter' },
      { t: 'char', ch: 'b' },
      { t: 'enter' },
      { t: 'char', ch: 'c' },
      { t: 'enter' },
      { t: 'up' }, // ESC [ A, split across the two chunks
      { t: 'down' }, // ESC O B (application cursor mode)
      { t: 'char', ch: 'd' },
      // Ctrl+Right and Ctrl+Up are dropped
      { t: 'backspace' },
      { t: 'backspace' },
      { t: 'interrupt' },
      { t: 'suspend' },
      { t: 'tab' },
      { t: 'up' }, // Ctrl+P
      { t: 'down' }, // Ctrl+N
    ]);
    const keys2: Key[] = [];
    d.feed('\r', keys2);
    d.feed('\n', keys2);
    expect(keys2).toEqual([{ t: 'enter' }]);
  });
});

describe('LabShellSession', () => {
  it('writes the banner and the prompt, echoes, erases with backspace and runs on Enter', async () => {
    const stream = new FakeStream();
    new LabShellSession(
      stream,
      new VrpCli(createDeviceModel('huawei_vrp', 'SW1', { now: () => NOW })),
    ).start();
    expect(stream.text).toMatch(/^\r\nInfo: The max number of VTY users is 5.*\r\n<SW1>$/s);
    stream.clear();
    stream.input('\x7f'); // nothing to erase
    stream.input('dix');
    stream.input('\x7f');
    stream.input('s \x1b[15~cl\r\n'); // F5: not a key the CLI knows
    expect(stream.text).toBe(
      'dix\b \bs cl\r\n2025-11-24 14:19:00+08:00\r\nMonday\r\nTime Zone(Beijing) : UTC+08:00\r\n<SW1>',
    );
  });

  it('echoes keys that arrive together as one write, as a device echoes a pasted line', () => {
    const stream = vrpSession();
    const line = `display clock | include ${'x'.repeat(200)}`;
    stream.input(line);
    expect(stream.out).toHaveLength(1);
    expect(stream.text).toBe(line);
    // the Enter's echo, the output (none: the filter matched no line) and the prompt too; keys one at
    // a time are echoed one at a time
    stream.clear();
    stream.input('\r');
    expect(stream.out).toHaveLength(1);
    expect(stream.text).toBe('\r\n<SW1>');
    stream.clear();
    for (const ch of 'dis') stream.input(ch);
    expect(stream.out.map(String)).toEqual(['d', 'i', 's']);
  });

  it('edits inside the line as IOS and VRP do: Left/Right, Ctrl+A/E, Ctrl+U/X, and runs the whole line on Enter', () => {
    const stream = vrpSession();
    stream.clear();
    stream.input('oot');
    stream.input('\x01'); // Ctrl+A: to the start
    stream.input('reb'); // inserted before `oot`, the rest drawn again
    expect(stream.text).toBe('oot\b\b\broot\b\b\beoot\b\b\bboot\b\b\b');
    stream.input('\x05'); // Ctrl+E: to the end (what was right of the cursor is written again)
    stream.input('\x1b[D\x1b[D\x7f'); // two left, erase the `o` before them
    stream.input('\x18'); // Ctrl+X: erase everything left of the cursor
    stream.clear();
    stream.input('\x1b[C\x1b[C'); // right over the `ot` left
    expect(stream.text).toBe('ot');
    stream.input('\x15\r'); // Ctrl+U: the line is empty
    expect(stream.text).toBe('ot\b\b  \b\b\r\n<SW1>');
  });

  it('? lists what may come next, then shows the prompt and the line again', () => {
    const stream = vrpSession();
    stream.input('dis?');
    expect(stream.text).toBe('dis?\r\n  display\r\n\r\n<SW1>dis');
    stream.clear();
    stream.input(' cl?');
    expect(stream.text).toBe(' cl?\r\n  clock\r\n\r\n<SW1>dis cl');
    stream.clear();
    stream.input('ock ?');
    expect(stream.text).toBe('ock ?\r\n  <cr>\r\n\r\n<SW1>dis clock ');
    stream.clear();
    // the line still runs as typed (the ? is not part of it)
    stream.input('\r');
    expect(stream.text).toMatch(/^\r\n2025-11-24 14:19:00\+08:00/);
    stream.clear();
    stream.input('xyz?');
    expect(stream.text).toBe('xyz?\r\n% Unrecognized command\r\n\r\n<SW1>xyz');
  });

  it('Tab completes an unambiguous word and leaves an ambiguous one alone (IOS)', () => {
    const stream = new FakeStream();
    const cli = new IosCli(createDeviceModel('cisco_ios', 'R1', { now: () => NOW }), { enableSecret: '' });
    new LabShellSession(stream, cli).start();
    stream.clear();
    stream.input('sh\t');
    expect(stream.text).toBe('sh\b\b  \b\bshow ');
    stream.clear();
    stream.input('cl\t\r');
    expect(stream.text).toMatch(/^cl[\b]{7} {7}[\b]{7}show clock \r\n\*?\d\d:\d\d:\d\d/);
    stream.clear();
    stream.input('e\t'); // enable or exit: nothing happens
    expect(stream.text).toBe('e');
  });

  it('Up and Down recall earlier lines; past the newest comes back the line being typed; secrets are never kept', () => {
    const stream = new FakeStream();
    const cli = new IosCli(createDeviceModel('cisco_ios', 'R1', { now: () => NOW }), { enableSecret: 'pw' });
    new LabShellSession(stream, cli).start();
    stream.input('show clock\r');
    stream.input('enable\r');
    stream.input('pw\r');
    stream.clear();
    stream.input('ter');
    stream.input('\x1b[A');
    expect(stream.text).toBe('ter\b\b\b   \b\b\benable');
    stream.clear();
    stream.input('\x1b[A');
    expect(stream.text).toBe(`${'\b'.repeat(6)}${' '.repeat(6)}${'\b'.repeat(6)}show clock`);
    stream.clear();
    stream.input('\x1b[A'); // the oldest: stays
    expect(stream.text).toBe('');
    stream.input('\x1b[B\x1b[B');
    expect(stream.text).toBe(
      `${'\b'.repeat(10)}${' '.repeat(10)}${'\b'.repeat(10)}enable${'\b'.repeat(6)}${' '.repeat(6)}${'\b'.repeat(6)}ter`,
    );
    expect(stream.text).not.toContain('pw');
  });

  it('abandons the line with Ctrl+C and goes to the top view with Ctrl+Z', () => {
    const stream = vrpSession();
    stream.input('system-view\r');
    stream.clear();
    stream.input('int g0/0/1\r');
    expect(stream.text).toBe('int g0/0/1\r\n[SW1-GigabitEthernet0/0/1]');
    stream.clear();
    stream.input('dis\x03');
    expect(stream.text).toBe('dis\r\n[SW1-GigabitEthernet0/0/1]');
    stream.clear();
    stream.input('\x1a');
    expect(stream.text).toBe('\r\n<SW1>');
  });

  it('pages long output: space for a page, Enter for a line, q to stop, erasing the More prompt', () => {
    const stream = vrpSession({ rows: 6 });
    stream.input('display current-configuration\r');
    const first = stream.text;
    expect(first.endsWith('\r\n  ---- More ----')).toBe(true);
    expect(first.split('\r\n')).toHaveLength(1 + 5 + 1);
    stream.clear();
    stream.input(' ');
    expect(stream.text.startsWith('\x1b[16D                \x1b[16D')).toBe(true);
    expect(stream.text.split('\r\n')).toHaveLength(5 + 1);
    stream.clear();
    stream.input('\r');
    expect(stream.text).toMatch(/^\x1b\[16D {16}\x1b\[16D[^\r\n]*\r\n {2}---- More ----$/);
    stream.clear();
    stream.input('x'); // ignored
    expect(stream.text).toBe('');
    stream.input('q');
    expect(stream.text).toBe('\x1b[16D                \x1b[16D<SW1>');
  });

  it('uses the IOS pager prompt and backspace erase', () => {
    const stream = new FakeStream();
    const cli = new IosCli(createDeviceModel('cisco_ios', 'R1', { now: () => NOW }), { enableSecret: '' });
    new LabShellSession(stream, cli, { rows: 5 }).start();
    stream.input('show version\r');
    expect(stream.text.endsWith('\r\n --More-- ')).toBe(true);
    stream.clear();
    stream.input('\x03');
    expect(stream.text).toBe(`${'\b'.repeat(10)}${' '.repeat(10)}${'\b'.repeat(10)}R1>`);
  });

  it('does not echo the enable secret', () => {
    const stream = new FakeStream();
    const cli = new IosCli(createDeviceModel('cisco_ios', 'R1', { now: () => NOW }), { enableSecret: 'pw' });
    new LabShellSession(stream, cli).start();
    stream.clear();
    stream.input('enable\r');
    expect(stream.text).toBe('enable\r\nPassword: ');
    stream.clear();
    stream.input('px\x7fw\r');
    expect(stream.text).toBe('\r\nR1#');
  });

  it('queues type-ahead while a command is delayed by latency', async () => {
    const stream = vrpSession({ latencyMs: 30 });
    const started = Date.now();
    stream.input('display clock\rdisplay version\rsys\r');
    expect(stream.text).toBe('display clock\r\n');
    await stream.until(/\[SW1\]$/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(85);
    const text = stream.text;
    expect(text.indexOf('Time Zone(Beijing)')).toBeLessThan(text.indexOf('<SW1>display version'));
    expect(text.indexOf('Huawei Versatile Routing Platform')).toBeLessThan(text.indexOf('<SW1>sys\r\n'));
  });

  it('sends type-ahead to the pager like a real device', () => {
    const stream = vrpSession({ rows: 6 });
    stream.input('display current-configuration\r q');
    expect(stream.text.endsWith('<SW1>')).toBe(true);
    expect(stream.text.match(/---- More ----/g)).toHaveLength(2);
  });

  it('encodes output in GBK and decodes multi-byte input split across chunks', () => {
    const stream = vrpSession({ encoding: 'gbk' });
    const bytes = iconv.encode('上联', 'gbk');
    expect(bytes).toHaveLength(4);
    stream.input(bytes.subarray(0, 1));
    expect(stream.out).toHaveLength(0);
    stream.input(bytes.subarray(1, 3));
    stream.input(bytes.subarray(3));
    expect(stream.text).toBe('上联');
    expect(Buffer.concat(stream.out).equals(bytes)).toBe(true);
    stream.clear();
    stream.input('\x7f');
    expect(stream.text).toBe('\b\b  \b\b');
  });

  it('decodes UTF-8 input split inside a character', () => {
    const stream = vrpSession();
    const bytes = Buffer.from('监', 'utf8');
    stream.input(bytes.subarray(0, 2));
    stream.input(bytes.subarray(2));
    expect(stream.text).toBe('监');
  });

  it('ends the channel when the CLI quits', () => {
    let exited = false;
    const stream = new FakeStream();
    const cli = new VrpCli(createDeviceModel('huawei_vrp', 'SW1', { now: () => NOW }));
    new LabShellSession(stream, cli, { onExit: () => (exited = true) }).start();
    stream.input('quit\r');
    expect(stream.exitCode).toBe(0);
    expect(stream.ended).toBe(true);
    expect(exited).toBe(true);
  });

  it('runs an exec command without paging', () => {
    const stream = new FakeStream();
    const cli = new VrpCli(createDeviceModel('huawei_vrp', 'SW1', { now: () => NOW }));
    runExecCommand(stream, cli, 'display current-configuration');
    expect(stream.text).not.toContain('More');
    expect(stream.text.endsWith('return\r\n')).toBe(true);
    expect(stream.exitCode).toBe(0);
    expect(stream.ended).toBe(true);
  });
});
