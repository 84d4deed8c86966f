import type { ClientChannel } from 'ssh2';
import type { SshConnection } from './ssh';
import { cleanOutput, outputIsError, stripAnsi, type VendorDriver } from './drivers';
import { createDecoder, encodeInput, type DeviceEncoding } from './encoding';

export const COMMAND_TIMEOUT_MS = 30_000;
export const PROMPT_TIMEOUT_MS = 15_000;
/**
 * Silence after which the session looks at what the device last sent: an unanswered question fails
 * the command, an unrecognised prompt is reported, a first prompt is nudged with Enter.
 */
export const CLI_QUIET_MS = 1_000;
/** A single command's captured output is cut beyond this (a runaway `display` must not eat memory). */
export const MAX_COMMAND_OUTPUT_CHARS = 4 * 1024 * 1024;
/** Wide enough that devices do not wrap long lines in captured output. */
export const CLI_PTY_COLS = 256;
export const CLI_PTY_ROWS = 24;
/** What an error quotes of the device's last output. */
export const CLI_SEEN_CHARS = 200;
const TAIL_CHARS = 512;
/** How much of a command its echo must show before a prompt counts as the command's end. */
const ECHO_CHARS = 20;
const BANNER_CHARS = 4096;

/** One command as a task runs it: the questions it may ask and the answers to send. */
export interface CommandStep {
  command: string;
  answers?: { prompt: string; answer: string }[];
}

export interface CommandResult {
  command: string;
  output: string;
  /** `error`: the device's output carries one of the driver's error messages. */
  status: 'success' | 'error';
  truncated: boolean;
}

export type CliErrorCode =
  'timeout' | 'closed' | 'cancelled' | 'enable_failed' | 'shell_refused' | 'unknown_prompt' | 'question';

export class CliError extends Error {
  constructor(
    public readonly code: CliErrorCode,
    message: string,
    /** The command that was running, if any. */
    public readonly command: string | null = null,
    /** Its output received so far, cleaned. */
    public readonly partialOutput = '',
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The last `CLI_SEEN_CHARS` characters the device sent, printable, for an error message. */
export function seen(tail: string): string {
  const text = stripAnsi(tail).replace(/\r\n?/g, '\n').slice(-CLI_SEEN_CHARS);
  return text.trim() === '' ? 'nothing' : `«${text.replace(/[\x00-\x09\x0b-\x1f\x7f]/g, '·')}»`;
}

/** `1 s`, `0.4 s`, `30 s`: a wait's length for a message. */
export function seconds(ms: number): string {
  return ms < 9_950 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms / 1000)} s`;
}

/** The last line of output (the prompt or question waiting at the end), without a lone CR rewind. */
export function lastLine(tail: string): string {
  const line = tail.slice(tail.lastIndexOf('\n') + 1);
  return line.slice(line.lastIndexOf('\r') + 1);
}

/** The prompt pattern for the device whose prompt line this is, or null when the driver does not know it. */
export function learnPrompt(driver: VendorDriver, line: string): RegExp | null {
  const name = driver.promptName(line.trim());
  return name === null ? null : driver.promptFor(name);
}

/**
 * One command's run, decided from the output alone: collects it until the device's prompt comes back,
 * presses the pager key at a pager prompt, answers the questions the step expects, and on silence
 * tells an unexpected question apart from output that is only slow. Pure apart from `write`.
 */
export class CommandRun {
  private raw = '';
  private tail = '';
  /** Where in `raw` the last answer was sent: a question is answered once. */
  private answeredAt = 0;
  /**
   * Whether the command's echo has come back. A prompt before it is a stale one (from an Enter pressed
   * earlier) and does not end the command; a device that never echoes is caught when it goes silent.
   */
  private echoed: boolean;
  private readonly echo: string;
  /** Where the command's echo line starts in `raw`. */
  private start = 0;
  truncated = false;

  constructor(
    private readonly driver: VendorDriver,
    private prompt: RegExp,
    private readonly step: CommandStep,
    private readonly write: (keys: string) => void,
  ) {
    this.echo = step.command.trim().slice(0, ECHO_CHARS);
    this.echoed = this.echo === '';
  }

  /** Feed output; returns true once the prompt is at the end of what arrived. */
  feed(text: string): boolean {
    if (this.raw.length < MAX_COMMAND_OUTPUT_CHARS) this.raw += text;
    else this.truncated = true;
    this.tail = (this.tail + text).slice(-TAIL_CHARS);
    if (!this.echoed) {
      const at = this.raw.slice(0, TAIL_CHARS * 4).indexOf(this.echo);
      if (at >= 0) {
        this.echoed = true;
        // what came before the echo's line is a stale prompt, not this command's output
        this.start = this.raw.lastIndexOf('\n', at) + 1;
      }
    }
    if (this.driver.pager.test(this.tail)) {
      this.write(this.driver.pagerKey);
      return false;
    }
    if (this.echoed && this.prompt.test(this.tail)) return true;
    this.answer();
    return false;
  }

  private answer(): void {
    // never from the command's own echo, which may contain the very question text
    if (!this.echoed) return;
    const echoEnd = this.raw.indexOf('\n', this.start);
    if (echoEnd < 0) return;
    this.answeredAt = Math.max(this.answeredAt, echoEnd + 1);
    const since = this.raw.length - this.answeredAt;
    if (since <= 0) return;
    const line = lastLine(this.tail.slice(-Math.min(since, TAIL_CHARS))).toLowerCase();
    if (!line) return;
    const a = this.step.answers?.find((x) => line.includes(x.prompt.toLowerCase()));
    if (!a) return;
    this.answeredAt = this.raw.length;
    this.write(`${a.answer}\r`);
  }

  /**
   * The device has been silent. A question at the end that no answer matched fails the command; a
   * prompt of this platform that is not the learned one (the command renamed the device) is learned.
   */
  quiet(): CliError | 'done' | null {
    const line = lastLine(this.tail);
    if (this.raw.length > this.answeredAt && this.driver.question.test(this.tail)) {
      return new CliError(
        'question',
        `"${this.step.command}" asked «${line.trim()}» and no answer was given for it; add an answer to the command (e.g. ${line.trim().slice(-12)} → y).`,
        this.step.command,
        this.partial(),
      );
    }
    if (this.prompt.test(this.tail)) return 'done'; // a device that does not echo
    const renamed = this.driver.prompt.test(this.tail) ? learnPrompt(this.driver, line) : null;
    if (renamed) {
      this.prompt = renamed;
      return 'done';
    }
    return null;
  }

  /** The prompt pattern now in force (a command may have renamed the device). */
  get promptPattern(): RegExp {
    return this.prompt;
  }

  get seenTail(): string {
    return this.tail;
  }

  partial(): string {
    return cleanOutput(this.driver, this.raw.slice(this.start), this.step.command);
  }

  result(): CommandResult {
    const output = this.partial();
    return {
      command: this.step.command,
      output: this.truncated
        ? `${output}\n[output truncated at ${MAX_COMMAND_OUTPUT_CHARS} characters]`
        : output,
      status: outputIsError(this.driver, output) ? 'error' : 'success',
      truncated: this.truncated,
    };
  }
}

/**
 * What a CLI session needs from its transport: an SSH shell channel today; a telnet connection can
 * provide the same. `onClose` fires once, whether the channel or the whole connection went away.
 */
export interface CliTransport {
  write(data: Buffer | string): void;
  onData(listener: (chunk: Buffer) => void): void;
  onClose(listener: () => void): void;
  close(): void;
}

/**
 * An interactive shell on a device, whatever the transport (an SSH shell channel, a telnet connection):
 * what a terminal session and a CLI session need. `onClose` says whether the device ended the shell
 * or the connection was lost.
 */
export interface DeviceShell extends CliTransport {
  onClose(listener: (why: 'ended' | 'lost') => void): void;
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
}

export interface ShellSize {
  term: string;
  cols: number;
  rows: number;
}

/** The PTY a CLI session (tasks, detection) asks for: wide, so devices do not wrap captured lines. */
export const CLI_SHELL: ShellSize = { term: 'vt100', cols: CLI_PTY_COLS, rows: CLI_PTY_ROWS };

/** Open a shell channel (PTY) on an SSH connection. */
export async function openSshShell(conn: SshConnection, size: ShellSize = CLI_SHELL): Promise<DeviceShell> {
  const stream = await new Promise<ClientChannel>((resolve, reject) =>
    conn.client.shell({ term: size.term, cols: size.cols, rows: size.rows }, (err, s) => {
      if (!err) return resolve(s);
      // a connection that drops while the shell is requested surfaces as "Unable to request a pty"
      reject(
        conn.socket.destroyed || !conn.socket.writable
          ? new CliError('closed', 'The device closed the connection before a shell opened.')
          : new CliError('shell_refused', `The device refused to open a shell: ${err.message}`),
      );
    }),
  );
  let closed = false;
  const closeListeners: ((why: 'ended' | 'lost') => void)[] = [];
  const fire = (why: 'ended' | 'lost') => () => {
    if (closed) return;
    closed = true;
    for (const l of closeListeners) l(why);
  };
  stream.on('close', fire('ended'));
  stream.on('end', fire('ended'));
  conn.client.on('close', fire('lost'));
  conn.client.on('end', fire('lost'));
  conn.client.on('error', fire('lost'));
  conn.socket.on('close', fire('lost'));
  return {
    write: (data) => {
      if (!closed) stream.write(data);
    },
    onData: (l) => {
      stream.on('data', l);
      stream.stderr.on('data', l);
    },
    onClose: (l) => {
      if (closed) queueMicrotask(() => l('lost'));
      else closeListeners.push(l);
    },
    resize: (cols, rows) => {
      if (!closed) stream.setWindow(rows, cols, 0, 0);
    },
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    close: () => {
      stream.end();
      stream.close();
    },
  };
}

/** A wait in progress: it sees every decoded chunk and every silence, and ends with a value or an error. */
interface Wait {
  what: string;
  command: string | null;
  feed(text: string): void;
  quiet(): void;
  partial(): string;
  fail(err: CliError): void;
}

export interface CliOpenOptions {
  enableSecret?: string;
  timeoutMs?: number;
  /** Aborting rejects the wait in progress at once (a cancelled task). */
  signal?: AbortSignal;
  quietMs?: number;
  /**
   * The prompt this device showed at login last time (`loginPrompt` of an earlier session). When the
   * device shows exactly that line again, it is taken at once, without the Enter that confirms an
   * unknown prompt (a round trip per device in a batch); anything else is confirmed as usual.
   */
  knownPrompt?: string;
}

/**
 * A non-interactive CLI session: learn the device's prompt, enter privileged mode if the driver has one
 * and the prompt asks for it, turn paging off, run commands one after another. Every wait ends at once
 * when the session closes or the signal aborts, saying what was running and what the device last sent.
 */
export class DeviceCli {
  private readonly decoder;
  private closed = false;
  private wait: Wait | null = null;
  private quietTimer: NodeJS.Timeout | null = null;
  private early = '';
  /**
   * What the device sent lately, for error messages (`tail`). Trimmed only now and then: a device
   * echoes a command a character at a time, and cutting it to TAIL_CHARS on every chunk copied it.
   */
  private sent = '';
  private prompt: RegExp;
  private promptLine = '';
  private readonly quietMs: number;
  /** What the device printed from login up to its first prompt (the banner), first 4 KB. */
  banner = '';
  /** The prompt the device showed at login, before enable (for `CliOpenOptions.knownPrompt`). */
  loginPrompt = '';

  private constructor(
    private readonly transport: CliTransport,
    readonly driver: VendorDriver,
    private readonly encoding: DeviceEncoding,
    private readonly signal: AbortSignal | undefined,
    quietMs: number,
  ) {
    this.prompt = driver.prompt;
    this.quietMs = quietMs;
    this.decoder = createDecoder(encoding);
    transport.onData((chunk) => this.onData(this.decoder.write(chunk)));
    transport.onClose(() => this.onClose());
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  static async open(
    transport: CliTransport,
    driver: VendorDriver,
    encoding: DeviceEncoding,
    opts: CliOpenOptions = {},
  ): Promise<DeviceCli> {
    const cli = new DeviceCli(transport, driver, encoding, opts.signal, opts.quietMs ?? CLI_QUIET_MS);
    // one time budget for the prompt, enable and the session setup together
    const deadline = Date.now() + (opts.timeoutMs ?? PROMPT_TIMEOUT_MS);
    const left = () => Math.max(1, deadline - Date.now());
    try {
      await cli.findPrompt(left(), opts.knownPrompt?.trim() || null);
      if (driver.enable && opts.enableSecret && driver.modeOf(cli.promptLine) === 'user') {
        await cli.enable(opts.enableSecret, left());
      }
      for (const setup of driver.sessionSetup) await cli.run({ command: setup }, left());
    } catch (err) {
      cli.close();
      throw err;
    }
    return cli;
  }

  /** The mode the device's prompt showed last. */
  get mode() {
    return this.driver.modeOf(this.promptLine);
  }

  /** The device's prompt as last seen (e.g. `<lab-vrp-01>`). */
  get currentPrompt(): string {
    return this.promptLine.trim();
  }

  /** The last TAIL_CHARS characters the device sent. */
  private get tail(): string {
    return this.sent.slice(-TAIL_CHARS);
  }

  private onData(text: string): void {
    if (!text) return;
    this.sent += text;
    if (this.sent.length > 8 * TAIL_CHARS) this.sent = this.sent.slice(-TAIL_CHARS);
    if (!this.wait) {
      this.early = (this.early + text).slice(-MAX_COMMAND_OUTPUT_CHARS);
      return;
    }
    this.armQuiet();
    this.wait.feed(text);
  }

  private armQuiet(): void {
    // one timer per wait, pushed back by every chunk (a device echoes a command a character at a time)
    if (this.quietTimer) this.quietTimer.refresh();
    else this.quietTimer = setTimeout(() => this.wait?.quiet(), this.quietMs);
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    const w = this.wait;
    if (!w) return;
    const running = w.command ? `while running "${w.command}"` : `while ${w.what}`;
    w.fail(
      new CliError(
        'closed',
        `The device closed the session ${running}; it last sent ${seen(this.tail)}.`,
        w.command,
        w.partial(),
      ),
    );
  }

  private readonly onAbort = (): void => {
    const w = this.wait;
    if (w) w.fail(new CliError('cancelled', `Cancelled while ${w.what}.`, w.command, w.partial()));
  };

  /**
   * Run one wait: `start` sends what starts it (if anything) and returns the handlers. Output that
   * arrived while nobody waited is fed first when `keepEarly` (the login banner and first prompt) and
   * dropped otherwise (a stale prompt is not the answer to what is sent next).
   */
  private begin<T>(
    what: string,
    command: string | null,
    timeoutMs: number,
    keepEarly: boolean,
    start: (
      finish: (value: T) => void,
      fail: (err: CliError) => void,
    ) => Omit<Wait, 'what' | 'command' | 'fail'>,
  ): Promise<T> {
    if (this.closed)
      return Promise.reject(
        new CliError('closed', `The device had closed the session before ${what}.`, command),
      );
    if (this.signal?.aborted) return Promise.reject(new CliError('cancelled', 'Cancelled.', command));
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const end = () => {
        done = true;
        clearTimeout(timer);
        if (this.quietTimer) clearTimeout(this.quietTimer);
        this.quietTimer = null;
        this.wait = null;
      };
      const finish = (value: T) => {
        if (done) return;
        end();
        resolve(value);
      };
      const fail = (err: CliError) => {
        if (done) return;
        end();
        reject(err);
      };
      const handlers = start(finish, fail);
      const timer = setTimeout(() => {
        const running = command ? `"${command}"` : what;
        fail(
          new CliError(
            'timeout',
            `No prompt within ${seconds(timeoutMs)} while ${command ? `running ${running}` : what}; the device last sent ${seen(this.tail)}.`,
            command,
            handlers.partial(),
          ),
        );
      }, timeoutMs);
      this.wait = { what, command, fail, ...handlers };
      this.armQuiet();
      const early = this.early;
      this.early = '';
      if (keepEarly && early && !done) handlers.feed(early);
    });
  }

  /**
   * Learn the device's prompt the way an engineer would: wait for output that ends like a prompt of
   * this platform (nudging with Enter if the device stays silent), then press Enter and take the line
   * that comes back as the device's own prompt (unless it is exactly the `known` prompt of the last
   * login). A prompt this platform does not have is reported with what the device sent.
   */
  private findPrompt(timeoutMs: number, known: string | null): Promise<void> {
    return this.begin<void>('waiting for the first prompt', null, timeoutMs, true, (finish, fail) => {
      let buf = '';
      let nudged = false;
      let candidate: string | null = null;
      let confirms = 0;
      const propose = (line: string) => {
        candidate = line;
        confirms++;
        buf = '';
        this.transport.write('\r');
      };
      const check = () => {
        const line = lastLine(buf);
        if (!this.driver.prompt.test(buf)) return;
        const shown = line.trim();
        if (shown === (candidate === null ? known : candidate.trim())) {
          this.promptLine = line;
          this.loginPrompt = shown;
          this.prompt = learnPrompt(this.driver, line) ?? this.driver.prompt;
          return finish();
        }
        if (confirms < 3) propose(line);
      };
      return {
        feed: (text) => {
          if (this.banner.length < BANNER_CHARS) this.banner = (this.banner + text).slice(0, BANNER_CHARS);
          buf = (buf + text).slice(-TAIL_CHARS);
          check();
        },
        quiet: () => {
          if (!nudged && candidate === null) {
            nudged = true;
            this.transport.write('\r');
            return;
          }
          if (buf.trim() === '' && candidate === null) return; // nothing at all: the timeout says so
          fail(
            new CliError(
              'unknown_prompt',
              `The device's prompt is not one ${this.driver.label} shows (is the vendor right?); it last sent ${seen(this.tail)}.`,
            ),
          );
        },
        partial: () => '',
      };
    });
  }

  private enable(secret: string, timeoutMs: number): Promise<void> {
    const e = this.driver.enable!;
    return this.begin<void>(
      `entering privileged mode ("${e.command}")`,
      null,
      timeoutMs,
      false,
      (finish, fail) => {
        let buf = '';
        let sent = false;
        const refused = () =>
          fail(
            new CliError(
              'enable_failed',
              `The device refused the enable secret: it answered ${seen(buf)}. Check the device's enable secret.`,
            ),
          );
        this.transport.write(encodeInput(this.encoding, `${e.command}\r`));
        return {
          feed: (text) => {
            buf = (buf + text).slice(-TAIL_CHARS);
            if (e.passwordPrompt.test(buf)) {
              if (sent) return refused(); // asked again: the secret was wrong
              sent = true;
              buf = '';
              this.transport.write(encodeInput(this.encoding, `${secret}\r`));
              return;
            }
            if (!this.prompt.test(buf)) return;
            const line = lastLine(buf);
            if (e.refused.test(buf) || this.driver.modeOf(line) === 'user') return refused();
            this.promptLine = line;
            finish();
          },
          quiet: () => {
            if (sent && e.refused.test(buf)) refused();
          },
          partial: () => '',
        };
      },
    );
  }

  /** Run one command until the device's prompt comes back. */
  run(step: CommandStep, timeoutMs = COMMAND_TIMEOUT_MS): Promise<CommandResult> {
    return this.begin<CommandResult>(
      `running "${step.command}"`,
      step.command,
      timeoutMs,
      false,
      (finish, fail) => {
        const run = new CommandRun(this.driver, this.prompt, step, (keys) => this.transport.write(keys));
        const complete = () => {
          this.prompt = run.promptPattern;
          this.promptLine = lastLine(run.seenTail);
          finish(run.result());
        };
        this.transport.write(encodeInput(this.encoding, `${step.command}\r`));
        return {
          feed: (text) => {
            if (run.feed(text)) complete();
          },
          quiet: () => {
            const q = run.quiet();
            if (q === 'done') complete();
            else if (q) fail(q);
          },
          partial: () => run.partial(),
        };
      },
    );
  }

  close(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    if (this.closed) return;
    this.closed = true;
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = null;
    try {
      this.transport.close();
    } catch {
      // already gone
    }
  }
}
