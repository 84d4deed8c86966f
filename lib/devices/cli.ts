import type { ClientChannel } from 'ssh2';
import type { SshConnection } from './ssh';
import { cleanOutput, outputIsError, type VendorDriver } from './drivers';
import { createDecoder, encodeInput, type DeviceEncoding } from './encoding';

export const COMMAND_TIMEOUT_MS = 30_000;
export const PROMPT_TIMEOUT_MS = 15_000;
/** A single command's captured output is cut beyond this (a runaway `display` must not eat memory). */
export const MAX_COMMAND_OUTPUT_CHARS = 4 * 1024 * 1024;
/** Wide enough that devices do not wrap long lines in captured output. */
export const CLI_PTY_COLS = 256;
export const CLI_PTY_ROWS = 24;
const TAIL_CHARS = 512;

export interface CommandResult {
  command: string;
  output: string;
  status: 'success' | 'error';
  truncated: boolean;
}

/**
 * Collects decoded device output until the prompt comes back, pressing the pager key whenever the
 * device pauses with a pager prompt. Pure apart from the `press` callback.
 */
export class OutputCollector {
  private raw = '';
  private tail = '';
  truncated = false;

  constructor(
    private readonly driver: VendorDriver,
    private readonly press: (keys: string) => void,
  ) {}

  /** Feed output; returns true once the prompt is at the end of what arrived. */
  feed(text: string): boolean {
    if (this.raw.length < MAX_COMMAND_OUTPUT_CHARS) this.raw += text;
    else this.truncated = true;
    this.tail = (this.tail + text).slice(-TAIL_CHARS);
    if (this.driver.pager.test(this.tail)) {
      this.press(this.driver.pagerKey);
      return false;
    }
    return this.driver.prompt.test(this.tail);
  }

  result(command: string): CommandResult {
    const output = cleanOutput(this.driver, this.raw, command);
    return {
      command,
      output: this.truncated
        ? `${output}\n[output truncated at ${MAX_COMMAND_OUTPUT_CHARS} characters]`
        : output,
      status: outputIsError(this.driver, output) ? 'error' : 'success',
      truncated: this.truncated,
    };
  }

  get rawText(): string {
    return this.raw;
  }
}

export class CliError extends Error {
  constructor(
    public readonly code: 'timeout' | 'closed' | 'enable_failed' | 'shell_refused',
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * A non-interactive CLI session on a device's shell channel: wait for the prompt, enter privileged
 * mode if the driver needs it, turn paging off, run commands one after another.
 */
export class DeviceCli {
  private decoder;
  private pending: { collector: OutputCollector; resolve: () => void; reject: (e: Error) => void } | null =
    null;
  private closed = false;
  private preamble = '';

  private constructor(
    private readonly stream: ClientChannel,
    private readonly driver: VendorDriver,
    private readonly encoding: DeviceEncoding,
  ) {
    this.decoder = createDecoder(encoding);
    stream.on('data', (chunk: Buffer) => this.onData(this.decoder.write(chunk)));
    stream.stderr.on('data', (chunk: Buffer) => this.onData(this.decoder.write(chunk)));
    stream.on('close', () => {
      this.closed = true;
      this.pending?.reject(new CliError('closed', 'The device closed the session.'));
      this.pending = null;
    });
  }

  static async open(
    conn: SshConnection,
    driver: VendorDriver,
    encoding: DeviceEncoding,
    opts: { enableSecret?: string; promptTimeoutMs?: number } = {},
  ): Promise<DeviceCli> {
    const stream = await new Promise<ClientChannel>((resolve, reject) =>
      conn.client.shell({ term: 'vt100', cols: CLI_PTY_COLS, rows: CLI_PTY_ROWS }, (err, s) => {
        if (!err) return resolve(s);
        // a connection that drops while the shell is requested surfaces as "Unable to request a pty"
        reject(
          conn.socket.destroyed || !conn.socket.writable
            ? new CliError('closed', 'The device closed the connection before a shell opened.')
            : new CliError('shell_refused', `The device refused to open a shell: ${err.message}`),
        );
      }),
    );
    const cli = new DeviceCli(stream, driver, encoding);
    const timeout = opts.promptTimeoutMs ?? PROMPT_TIMEOUT_MS;
    // the first prompt is in what this wait collected (the preamble was handed to it and emptied)
    const first = await cli.waitFor((c) => c.feed(''), timeout, 'the first prompt');
    if (
      driver.enable &&
      opts.enableSecret &&
      driver.enable.unprivilegedPrompt.test(first.rawText.slice(-TAIL_CHARS))
    ) {
      await cli.enable(opts.enableSecret, timeout);
    }
    if (driver.disablePaging) await cli.run(driver.disablePaging, timeout);
    return cli;
  }

  private onData(text: string): void {
    if (!this.pending) {
      this.preamble = (this.preamble + text).slice(-TAIL_CHARS);
      return;
    }
    if (this.pending.collector.feed(text)) {
      const p = this.pending;
      this.pending = null;
      p.resolve();
    }
  }

  private waitFor(
    start: (c: OutputCollector) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<OutputCollector> {
    if (this.closed) return Promise.reject(new CliError('closed', 'The device closed the session.'));
    const collector = new OutputCollector(this.driver, (k) => this.stream.write(k));
    return new Promise<OutputCollector>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = null;
        reject(
          new CliError(
            'timeout',
            `No prompt from the device within ${Math.round(timeoutMs / 1000)} s (waiting for ${what}).`,
          ),
        );
      }, timeoutMs);
      this.pending = {
        collector,
        resolve: () => {
          clearTimeout(timer);
          resolve(collector);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      // output that arrived before anyone waited (e.g. the login banner and prompt)
      const early = this.preamble;
      this.preamble = '';
      if (start(collector) || (early && collector.feed(early))) {
        this.pending = null;
        clearTimeout(timer);
        resolve(collector);
      }
    });
  }

  async run(command: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<CommandResult> {
    const collector = await this.waitFor(
      () => {
        this.stream.write(encodeInput(this.encoding, `${command}\r`));
        return false;
      },
      timeoutMs,
      `"${command}"`,
    );
    return collector.result(command);
  }

  private async enable(secret: string, timeoutMs: number): Promise<void> {
    const e = this.driver.enable!;
    // wait for "Password:" (not a prompt the collector knows), then send the secret
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      const onData = (chunk: Buffer) => {
        buf += chunk.toString('latin1');
        if (e.passwordPrompt.test(buf)) {
          this.stream.off('data', onData);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.stream.off('data', onData);
        reject(new CliError('timeout', 'No password prompt after "enable".'));
      }, timeoutMs);
      this.stream.on('data', onData);
      this.stream.write(`${e.command}\r`);
    });
    this.preamble = '';
    const collector = await this.waitFor(
      () => {
        this.stream.write(`${secret}\r`);
        return false;
      },
      timeoutMs,
      'the privileged prompt',
    );
    if (!e.privilegedPrompt.test(collector.rawText.slice(-TAIL_CHARS))) {
      throw new CliError('enable_failed', 'The enable secret was refused.');
    }
  }

  close(): void {
    this.closed = true;
    this.stream.end();
    this.stream.close();
  }
}
