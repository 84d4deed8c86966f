import { randomUUID } from 'node:crypto';
import {
  CLI_QUIET_MS,
  CommandRun,
  COMMAND_TIMEOUT_MS,
  lastLine,
  learnPrompt,
  seconds,
  seen,
  type CommandResult,
  type DeviceShell,
} from '../devices/cli';
import type { DeviceConnection } from '../devices/connect';
import type { VendorDriver } from '../devices/drivers';
import { createDecoder, encodeInput, type DeviceEncoding, type StreamDecoder } from '../devices/encoding';
import { stripAnsi } from '../devices/drivers/clean';
import { DEFAULT_WATER_MARKS, flowDecision, type WaterMarks } from './flow';
import type { TerminalOutput } from './output';
import { Scrollback } from './scrollback';
import type { ScreenModel } from './screen';
import type { SessionTap } from '../recordings/recorder';
import type { CliMode } from '../devices/drivers';
import type { Decision } from '../policy/rules';
import type { ApprovalAnswer } from '../policy/approvals';
import { asksSecret, commandOnScreen } from '../policy/screen-line';
import { killLineKeys } from '../policy/cli';
import type { CursorLine } from './screen';
import type { AppLocale } from '../i18n/config';
import { guardText, type GuardText } from '../policy/guard-text';

export const COMMAND_HISTORY_MAX = 200;
/** How long before an idle session closes its reader is warned (at most a quarter of the timeout). */
export const IDLE_WARNING_MS = 60_000;

function formatIdle(ms: number): string {
  return ms >= 120_000 ? `${Math.round(ms / 60_000)} minutes` : `${Math.round(ms / 1000)} s`;
}
/**
 * Output queued towards one observer before it counts as behind: it then gets no more output until its
 * socket drains, and then the whole screen again (an observer on a slow link never slows the owner).
 */
export const OBSERVER_MAX_BUFFERED_BYTES = 1024 * 1024;

/** A read-only reader of a session (someone observing it): its own bounded buffer, never flow control. */
export interface ScreenPort extends TerminalOutput {
  /** The whole screen, replacing what the reader shows (on joining, and after it fell behind). */
  screen(data: string, cols: number, rows: number): void;
  /** The owner's terminal changed size. */
  resized(cols: number, rows: number): void;
  /** Pairing: whether this reader now has the keyboard. */
  control?(yours: boolean): void;
}

/** Who watches a session, for its owner and the live sessions list. */
export interface ObserverInfo {
  userId: string;
  name: string;
  since: number;
}

interface Observer extends ObserverInfo {
  state: 'joining' | 'live' | 'behind';
  /** Which screen is being taken (a later one supersedes it). */
  gen: number;
  /** Output outran the snapshot: this join sends the raw scrollback instead. */
  rawOnJoin: boolean;
  /** A look at a behind observer's socket, due when its last frame's write found it not yet empty. */
  recheck: NodeJS.Timeout | null;
  /** Output that came while its screen was being taken. */
  held: string[];
  heldChars: number;
}

/** Command-mode results a session keeps for a reloaded tab: the last N, each cut at N characters. */
export const COMMAND_RESULTS_MAX = 20;
export const COMMAND_RESULT_MAX_CHARS = 32 * 1024;

export interface KeptResult {
  command: string;
  output: string;
  status: 'success' | 'error';
}
/** Output that arrives within one event-loop turn goes out as one frame, up to this size. */
export const OUTPUT_FRAME_MAX_CHARS = 64 * 1024;
/** Output this short that starts a turn (a keystroke's echo, a prompt) is sent at once, not joined. */
export const OUTPUT_ECHO_MAX_CHARS = 256;
/** An interactive line longer than this is audited truncated. */
const AUDIT_LINE_MAX_CHARS = 1000;
/** Output kept to recognise a password prompt before a typed line is audited. */
const OUTPUT_TAIL_CHARS = 200;
const PASSWORD_PROMPT = /(?:password|passphrase|secret)[^\n]{0,40}:\s*$/i;
/** The escape sequence one key sends (arrows, function keys, Alt+key): a key, not text of the line. */
const KEY_SEQUENCE = /^\x1b(?:\[[0-?]*[ -/]*[@-~]|O.|[^[O])?/s;
type LineKey =
  'home' | 'end' | 'left' | 'right' | 'backspace' | 'delete' | 'kill-left' | 'kill-right' | 'unknown';
/** Escape sequences that move the cursor on the line or delete at it (xterm, either cursor mode). */
const CURSOR_KEYS: Record<string, LineKey> = {
  '\x1b[D': 'left',
  '\x1bOD': 'left',
  '\x1b[C': 'right',
  '\x1bOC': 'right',
  '\x1b[H': 'home',
  '\x1bOH': 'home',
  '\x1b[1~': 'home',
  '\x1b[F': 'end',
  '\x1bOF': 'end',
  '\x1b[4~': 'end',
  '\x1b[3~': 'delete',
};
/** Control keys the line editors of VRP, IOS and bash agree on (others: `unknown`). */
const CONTROL_KEYS: Record<string, LineKey> = {
  '\x01': 'home',
  '\x05': 'end',
  '\x02': 'left',
  '\x06': 'right',
  '\x15': 'kill-left',
  '\x0b': 'kill-right',
};
/** Typed characters compared with the device's echo at most (a paste into `top` is not a line). */
const ECHO_MATCH_MAX_CHARS = 256;

/** What output shows as text: escape sequences and control characters removed. */
function visibleText(output: string): string {
  return stripAnsi(output).replace(/[\x00-\x1f\x7f]/g, '');
}

/**
 * How many of the characters typed and not yet echoed (`typed`, oldest first) this output echoes: a
 * line editor echoes a key at once (at the start of its answer, or redrawing the rest of the line
 * after it) or, for keys typed ahead, right after its next prompt (at the end). 0: not their echo.
 */
export function echoedChars(typed: string, visible: string): number {
  for (let n = Math.min(typed.length, visible.length, ECHO_MATCH_MAX_CHARS); n > 0; n--) {
    const head = typed.slice(0, n);
    if (visible.startsWith(head) || visible.endsWith(head)) return n;
  }
  return 0;
}

/**
 * Enter, under guard rails, waits for the device to show what was typed: output after the last key
 * and this long without more, or at most GUARD_SETTLE_MAX_MS after the last key (a device that does
 * not echo, or one that keeps printing logs).
 */
export const GUARD_SETTLE_QUIET_MS = 15;
export const GUARD_SETTLE_MAX_MS = 300;
/**
 * A line edited with Tab, arrows or Backspace that the device has not answered at all by
 * GUARD_SETTLE_MAX_MS (a slow link): the Enter waits this much longer for the device to show the line,
 * then is refused (`noEcho`): the screen would show the line as it was before those keys.
 */
export const GUARD_ANSWER_WAIT_MS = 3000;
const ANSWER_TIMES_KEPT = 8;
/** The rest of a paste waits for the device's prompt, or for this long without output (a program reading lines). */
const GUARD_PASTE_QUIET_MS = 100;
/**
 * Bracketed paste (`ESC [200~` … `ESC [201~`, sent by the page when the device's shell asked for it):
 * a shell holds the whole paste and shows it only at its end, its line breaks not run. Under guard
 * rails the markers are left out, so a paste is typed and each of its lines judged as it runs.
 */
const BRACKETED_PASTE_MARK = /\x1b\[20[01]~/g;
/**
 * Keys typed while a line is judged, confirmed or waits for approval are held (a paste waits behind
 * each of its lines). Past PAUSE the typist's page is asked to stop sending (`inputFlow(true)`), below
 * RESUME to go on, so a long paste is paced by the device instead of refused part-way; beyond MAX
 * (a client that does not stop) input is refused until what is held has gone, so nothing after a
 * refused piece reaches the device either.
 */
export const GUARD_HELD_INPUT_PAUSE_CHARS = 32 * 1024;
export const GUARD_HELD_INPUT_RESUME_CHARS = 8 * 1024;
export const GUARD_HELD_INPUT_MAX_CHARS = 2 * 1024 * 1024;
const HELD_INPUT_MARKS: WaterMarks = {
  highBytes: GUARD_HELD_INPUT_PAUSE_CHARS,
  lowBytes: GUARD_HELD_INPUT_RESUME_CHARS,
};
/** How long an Enter waits for the device to show its prompt (output still arriving) before it is refused. */
export const GUARD_PROMPT_WAIT_MS = 10_000;
/** How long a confirmation prompt in the terminal waits for the device name. */
export const GUARD_CONFIRM_TIMEOUT_MS = 120_000;

/** What a guard decided and how it ended, for the audit trail, the recording and admins. */
export type GuardOutcome = 'denied' | 'confirmed' | 'not_confirmed' | 'approved' | 'rejected' | 'unreadable';

/**
 * The command guard rails of one session (lib/policy): judges each line the device would run when
 * Enter is pressed, and command-mode commands.
 */
export interface SessionGuard {
  /** Whether any rule may restrict this user on this device (if not, Enter goes straight through). */
  readonly active: boolean;
  /** The decision on the commands a line may run (several candidates: the strictest). */
  /** `by`: a pairing guest typing in the owner's session (judged as the stricter of the two). */
  judge(candidates: string[], mode: CliMode | null, by?: string): Promise<Decision>;
  /** A decision other than a plain allow, once its outcome is known. */
  decided(
    session: TerminalSession,
    entry: { decision: Decision; line: string; outcome: GuardOutcome; by: string; approver?: string },
  ): void;
  /**
   * Ask for a second person's approval (action `approve`): resolves with the decision, or with a reason
   * when nobody approved (rejected, expired, withdrawn). `signal` withdraws the request.
   */
  approval?(
    session: TerminalSession,
    request: { decision: Decision; line: string; by: string },
    signal: AbortSignal,
  ): Promise<ApprovalAnswer>;
  /** The session closed. */
  dispose?(): void;
}

/** The last line of output as a terminal shows it (the prompt a line is typed at). */
function lastVisibleLine(output: string): string {
  const text = stripAnsi(output);
  const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  return text.slice(cut + 1).replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

const NOTICE = '\x1b[0m\x1b[1;33m';
const NOTICE_END = '\x1b[0m';

export interface SessionTimers {
  resumeGraceMs: number;
  idleTimeoutMs: number;
  /** Output counts as activity too (a session watching `top` is not idle). */
  idleCountsOutput?: boolean;
}

export interface SessionEvents {
  /** An interactive line or a command-mode command (for the audit trail). */
  /** `by`: who typed it when not the owner (a pairing guest in control). */
  onCommand(session: TerminalSession, command: string, mode: 'interactive' | 'command', by?: string): void;
  onClosed(session: TerminalSession, reason: string): void;
}

export interface SessionInit {
  userId: string;
  /** The logged-in device; the session closes it when it ends. */
  connection: DeviceConnection;
  /** The interactive shell (PTY) opened on that connection, over SSH or telnet. */
  shell: DeviceShell;
  timers: SessionTimers;
  events: SessionEvents;
  waterMarks?: WaterMarks;
  scrollbackChars?: number;
  /** The session's id (default: a new UUID); given when a recording was started under it. */
  id?: string;
  /** The terminal's size when it opened (what observers are told until the first resize). */
  size?: { cols: number; rows: number };
  /** Where the session's output, input, resizes and command lines also go (its recording). */
  tap?: SessionTap | null;
  /**
   * The session's screen model (lib/terminal/screen.ts): a port that attaches starts from its
   * snapshot; without one (or when it cannot answer) from the raw scrollback.
   */
  screen?: ScreenModel | null;
  /** Command guard rails (lib/policy); none: every line goes through. */
  guard?: SessionGuard | null;
  /** Opened read-only (a viewer, or a view-only grant): its guard holds the read-only rules. */
  readOnly?: boolean;
  /** The owner's language, for what the guard rails print in the terminal (default English). */
  locale?: AppLocale;
}

/**
 * One interactive SSH shell (PTY) and the output port attached to it (the owner's browser), if
 * any. The session outlives its port for a grace period so a reloaded page can reattach and get
 * its scrollback.
 */
export class TerminalSession {
  readonly id: string;
  readonly openedAt = Date.now();
  readonly userId: string;
  readonly deviceId: string;
  readonly deviceName: string;
  private encoding: DeviceEncoding;
  private readonly driver: VendorDriver;
  private readonly connection: DeviceConnection;
  private readonly stream: DeviceShell;
  private decoder: StreamDecoder;
  private readonly scrollback: Scrollback;
  private readonly history: string[] = [];
  private readonly results: KeptResult[] = [];
  private readonly marks: WaterMarks;
  /** What the guard rails print, in the owner's language. */
  private readonly text: GuardText;
  private attached: TerminalOutput | null = null;
  private paused = false;
  /** The port whose reader said it is behind (readerFlow), until it says it has caught up. */
  private readerBehind: TerminalOutput | null = null;
  private closed = false;
  private graceTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private lastActivity = Date.now();
  private idleWarned = false;
  private command: {
    run: CommandRun;
    done: () => void;
    fail: (reason: string) => void;
    quiet: NodeJS.Timeout | null;
  } | null = null;
  private line = '';
  /** Where the device's cursor is in `line` (Left, Home, … move it; typing inserts there). */
  private lineCursor = 0;
  /**
   * `line` is what the device's line editor holds: only keys the session can follow were typed on
   * it (printable keys, Backspace, Delete, Left/Right, Home/End, Ctrl+A/E/B/F/U/K), not Tab or history.
   */
  private lineModelled = true;
  private outputTail = '';
  /**
   * Whether the device showed a password prompt when the user started typing the current line
   * (null: no line started). Kept through backspaces, so retyping a secret cannot un-hide it.
   */
  private lineAtPasswordPrompt: boolean | null = null;
  /** Characters of the line typed since the device last echoed what was typed (see followEcho). */
  private unechoed = '';
  /** The line set aside at a prompt, until the next output shows whether it was typed ahead. */
  private dropped: { line: string; atPasswordPrompt: boolean | null } | null = null;
  /** Output of this event-loop turn, not yet gone anywhere (see toTurn). */
  private turn: string[] = [];
  private turnChars = 0;
  private turnScheduled = false;
  /** Output for the attached port, held while its screen snapshot is on its way (see flushOutput). */
  private pending: string[] = [];
  private pendingChars = 0;
  /** The port waiting for its screen snapshot: live output is held for it until the snapshot went out. */
  private replaying: TerminalOutput | null = null;
  private readonly observers = new Map<ScreenPort, Observer>();
  /** Pairing: teammates the owner invited (they may watch), by user id. */
  private readonly guests = new Map<string, { name: string }>();
  /** The guest the owner handed the keyboard to (null: the owner types). */
  private controller: string | null = null;
  /** Who typed the line being tracked (its audit entry is theirs). */
  private lineBy: string;
  private cols: number;
  private rows: number;
  /** Guard rails: an Enter is being judged (keys typed meanwhile wait in `heldKeys`). */
  private guardBusy = false;
  private heldKeys = '';
  /** The typist's page was asked to stop sending (see GUARD_HELD_INPUT_PAUSE_CHARS). */
  private inputHeld = false;
  /** Input was refused for overflowing `heldKeys`: more is refused until nothing is held. */
  private inputOverflow = false;
  /** The last line the device printed before the current line's first key (see commandOnScreen). */
  private promptHint: string | null = null;
  /** The last prompt a line was typed at. */
  private lastPrompt: string | null = null;
  /** The current line was begun while the device was busy (no prompt), typed ahead. */
  private typedAhead = false;
  private lastInputAt = 0;
  private lastOutputAt = 0;
  /** When the first key the device has not answered yet went to it (null: all answered). */
  private unansweredSince: number | null = null;
  /** The device's last few answer times (from a key to its next output), ms. */
  private readonly answerTimes: number[] = [];
  /** `typeAtPrompt` is waiting (Ctrl+C ends that wait at once). */
  private waitingForPrompt = false;
  /** The bracketed-paste marker begun at the end of the last input (see unbracket). */
  private pasteCarry = '';
  /** The last input sent ended with ESC: `[200~` at the start of the next is a split marker. */
  private inputEndsWithEsc = false;
  /** A confirmation prompt in the terminal takes the keys typed. */
  private confirming: { typed: string; done: (typed: string | null) => void } | null = null;
  /** An approval being waited for (Ctrl+C withdraws it). */
  private awaiting: AbortController | null = null;
  /**
   * Only printable keys were typed on this line so far: once the device echoed them all, the screen
   * shows the line as it is, and Enter need not wait for the output to go quiet.
   */
  private lineEdited = false;
  /** Without a screen model, after an erase that could not be checked: no typed line is trusted again. */
  private lineUnknown = false;
  /** A command-mode command is being checked against the screen: keys wait (as during the command). */
  private checkingCommand = false;
  /** Called at the next output (an Enter waiting for the device's prompt). */
  private outputWaiter: (() => void) | null = null;

  constructor(private readonly init: SessionInit) {
    this.id = init.id ?? randomUUID();
    this.userId = init.userId;
    this.deviceId = init.connection.device.id;
    this.deviceName = init.connection.device.name;
    this.encoding = init.connection.encoding;
    this.driver = init.connection.driver;
    this.connection = init.connection;
    this.stream = init.shell;
    this.marks = init.waterMarks ?? DEFAULT_WATER_MARKS;
    this.text = guardText(init.locale);
    this.lineBy = init.userId;
    this.cols = init.size?.cols ?? 80;
    this.rows = init.size?.rows ?? 24;
    this.decoder = createDecoder(this.encoding);
    this.scrollback = new Scrollback(init.scrollbackChars);
    this.stream.onData((chunk) => this.onOutput(chunk));
    this.stream.onClose((why) =>
      this.close(
        why === 'ended' ? 'The device ended the session.' : 'The connection to the device was lost.',
      ),
    );
    this.touch();
  }

  /** The character set output is decoded with and input encoded in (the device's, unless switched). */
  get currentEncoding(): DeviceEncoding {
    return this.encoding;
  }

  /**
   * Switch this session's character set (a device whose stored encoding is wrong, or one that mixes:
   * a GBK banner on a UTF-8 shell). Output from now on is decoded with it; a character split across
   * the switch is lost, nothing else.
   */
  setEncoding(encoding: DeviceEncoding): void {
    if (encoding === this.encoding) return;
    this.encoding = encoding;
    this.decoder = createDecoder(encoding);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Opened read-only: the guard rails' read-only rules decide every line (see SessionInit.readOnly). */
  get readOnly(): boolean {
    return this.init.readOnly === true;
  }

  get isAttached(): boolean {
    return this.attached !== null;
  }

  get scrollbackSize(): number {
    return this.scrollback.size;
  }

  /** The raw output kept (what restarts a screen model that fell behind). */
  rawScrollback(): string {
    return this.scrollback.snapshot();
  }

  /**
   * Attach an output port: it first receives the screen as it is (the model's snapshot, else the raw
   * scrollback), then live output. Resolves once the screen went out.
   */
  async attach(port: TerminalOutput): Promise<void> {
    if (this.closed) throw new Error('session is closed');
    if (this.attached && this.attached !== port) {
      this.attached.closed('This session was opened in another tab.');
    }
    this.attached = port;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    if (this.inputHeld) port.inputFlow?.(true); // a paste still waits behind a line
    if (this.observers.size > 0) port.observers?.(this.observerList());
    if (this.guests.size > 0) port.guests?.(this.guestList());
    this.pending = []; // output so far is in the snapshot (or the scrollback) sent below
    this.pendingChars = 0;
    const screen = this.init.screen;
    if (screen?.available) {
      this.replaying = port;
      // asked for now, so the snapshot holds exactly the output before this point; what comes
      // meanwhile waits in `pending` (the device paused if it grows past the high-water mark)
      const snap = await screen.snapshot();
      if (this.replaying !== port) return; // another tab took over, or the session closed
      this.replaying = null;
      if (snap) {
        port.output(snap.data, () => this.applyFlow());
        this.flushOutput(); // what came meanwhile, after it
        this.applyFlow(); // a device paused meanwhile resumes once the socket drains
        return;
      }
      // no snapshot: the raw scrollback holds what `pending` holds too
      this.pending = [];
      this.pendingChars = 0;
    }
    const back = this.scrollback.snapshot();
    if (back) port.output(back, () => this.applyFlow());
    this.applyFlow();
  }

  /** The port went away (its socket closed): keep the session for the grace period. */
  detach(port: TerminalOutput): void {
    if (this.attached !== port) return;
    this.attached = null;
    this.replaying = null;
    this.pending = [];
    this.pendingChars = 0;
    if (this.paused) {
      // nobody reads now: keep the device flowing into the bounded scrollback
      this.paused = false;
      this.stream.resume();
    }
    if (this.closed) return;
    this.graceTimer = setTimeout(
      () => this.close('No browser came back within the resume grace period.'),
      this.init.timers.resumeGraceMs,
    );
    this.graceTimer.unref();
  }

  /** Activity: input always, output too when it counts. Cheap: the idle timer reads the time. */
  private touch(): void {
    this.lastActivity = Date.now();
    if (this.idleWarned) {
      this.idleWarned = false;
      this.attached?.notice(null);
    }
    if (!this.idleTimer) this.armIdle(this.init.timers.idleTimeoutMs - this.idleWarnMs());
  }

  private idleWarnMs(): number {
    return Math.min(IDLE_WARNING_MS, this.init.timers.idleTimeoutMs / 4);
  }

  private armIdle(ms: number): void {
    this.idleTimer = setTimeout(() => this.checkIdle(), ms);
    this.idleTimer.unref();
  }

  /** Close after the idle timeout, warning the reader IDLE_WARNING_MS (at most a quarter of it) before. */
  private checkIdle(): void {
    this.idleTimer = null;
    if (this.closed) return;
    const timeout = this.init.timers.idleTimeoutMs;
    const warnAt = this.idleWarnMs();
    const left = timeout - (Date.now() - this.lastActivity);
    if (left <= 0) {
      const what = this.init.timers.idleCountsOutput ? 'no input or output' : 'no input';
      return this.close(`Closed after ${formatIdle(timeout)} with ${what}.`);
    }
    if (left <= warnAt && !this.idleWarned) {
      this.idleWarned = true;
      this.attached?.notice(
        `Idle: this session closes in ${Math.ceil(left / 1000)} s unless you type${this.init.timers.idleCountsOutput ? ' or the device prints something' : ''}.`,
      );
    } else if (left > warnAt && this.idleWarned) {
      this.idleWarned = false;
      this.attached?.notice(null);
    }
    this.armIdle(left > warnAt ? left - warnAt : left);
  }

  private onOutput(chunk: Buffer): void {
    const text = this.decoder.write(chunk);
    if (!text) return;
    if (this.init.guard) {
      this.lastOutputAt = Date.now();
      if (this.unansweredSince !== null) {
        // how long the device takes to answer a key (a slow link shows here)
        this.answerTimes.push(this.lastOutputAt - this.unansweredSince);
        if (this.answerTimes.length > ANSWER_TIMES_KEPT) this.answerTimes.shift();
        this.unansweredSince = null;
      }
      if (this.outputWaiter) {
        const w = this.outputWaiter;
        this.outputWaiter = null;
        w();
      }
    }
    this.toTurn(text);
    if (this.init.timers.idleCountsOutput) this.lastActivity = Date.now();
    this.outputTail =
      text.length >= OUTPUT_TAIL_CHARS
        ? text.slice(-OUTPUT_TAIL_CHARS)
        : (this.outputTail + text).slice(-OUTPUT_TAIL_CHARS);
    if (this.unechoed || this.dropped) this.followEcho(text);
    if (this.command) this.feedCommand(text);
  }

  /**
   * Bulk output arrives as many SSH chunks (a pty hands sshd 4 KB at a time): what comes in one turn
   * is joined once and that one string goes on as one frame, one recording event, one screen-model
   * write and one scrollback entry (up to OUTPUT_FRAME_MAX_CHARS at a time), except a short first
   * chunk, which goes at once: an echo must not wait. Until it goes, it is nowhere else (not in the
   * scrollback, the screen model or `pending`), so a tab attaching meanwhile gets it after its screen.
   */
  private toTurn(text: string): void {
    const first = this.turn.length === 0 && !this.turnScheduled;
    this.turn.push(text);
    this.turnChars += text.length;
    if (this.turnChars >= OUTPUT_FRAME_MAX_CHARS || (first && text.length <= OUTPUT_ECHO_MAX_CHARS))
      this.flushTurn();
    else if (!this.turnScheduled) {
      this.turnScheduled = true;
      setImmediate(() => this.flushTurn());
    }
  }

  /** This turn's output to the readers first (an echo before anything else), then the rest. */
  private flushTurn(): void {
    this.turnScheduled = false;
    if (this.turn.length === 0 || this.closed) return;
    const data = this.turn.length === 1 ? this.turn[0]! : this.turn.join('');
    this.turn = [];
    this.turnChars = 0;
    if (this.attached || this.observers.size > 0) {
      this.pending.push(data);
      this.pendingChars += data.length;
      this.flushOutput();
    }
    this.init.tap?.output(data);
    this.init.screen?.write(data);
    this.scrollback.push(data);
  }

  /** The recording, holding the output so far: a marker, a key or a resize goes after what came before it. */
  private tapped(): SessionTap | undefined {
    if (!this.init.tap) return undefined;
    this.flushTurn();
    return this.init.tap;
  }

  private flushOutput(): void {
    const port = this.attached;
    if (this.pending.length === 0) return;
    if (port && this.replaying === port) return this.holdWhileReplaying();
    const data = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    if (port) port.output(data, () => this.applyFlow());
    for (const [o, entry] of this.observers) this.toObserver(o, entry, data);
    if (port) this.applyFlow();
  }

  /** Output to one observer: held while its screen is taken, dropped while it is behind. */
  private toObserver(port: ScreenPort, o: Observer, data: string): void {
    if (o.state === 'behind') return;
    if (o.state === 'joining') {
      if (o.rawOnJoin) return; // the raw scrollback sent on joining will hold it
      o.held.push(data);
      o.heldChars += data.length;
      if (o.heldChars > OBSERVER_MAX_BUFFERED_BYTES) {
        // a flood outruns the snapshot (the model parses behind it): join from the raw scrollback,
        // which always ends with the latest output, instead of holding more
        o.rawOnJoin = true;
        o.held = [];
        o.heldChars = 0;
      }
      return;
    }
    if (port.bufferedAmount() > OBSERVER_MAX_BUFFERED_BYTES) return this.fallBehind(port, o);
    // each frame's write tells whether an observer that fell behind has drained (no polling)
    port.output(data, () => this.observerWritten(port, o));
  }

  /** The observer cannot keep up: nothing more until its socket drains, then the whole screen again. */
  private fallBehind(port: ScreenPort, o: Observer): void {
    o.state = 'behind';
    o.held = [];
    o.heldChars = 0;
    // what is queued to it drains; the write of its last frame (observerWritten) sends the screen
    this.observerWritten(port, o);
  }

  /** A frame to this observer left the process: one that is behind and drained gets the screen again. */
  private observerWritten(port: ScreenPort, o: Observer): void {
    if (o.state !== 'behind' || this.observers.get(port) !== o || this.closed) return;
    if (port.bufferedAmount() === 0) void this.sendScreen(port, o);
    // a frame without a callback (a resize) still queued after the last output: look once more soon
    else if (!o.recheck) {
      o.recheck = setTimeout(() => {
        o.recheck = null;
        this.observerWritten(port, o);
      }, 50).unref();
    }
  }

  /** Send an observer the screen as it is now, then what came meanwhile. */
  private async sendScreen(port: ScreenPort, o: Observer): Promise<void> {
    o.state = 'joining';
    o.held = [];
    o.heldChars = 0;
    o.rawOnJoin = false;
    const gen = ++o.gen;
    const screen = this.init.screen;
    const snap = screen?.available ? await screen.snapshot() : null;
    if (this.observers.get(port) !== o || o.gen !== gen || o.state !== 'joining') return;
    if (snap && !o.rawOnJoin) {
      port.screen(snap.data, snap.cols, snap.rows);
      for (const d of o.held) port.output(d);
    } else {
      // the raw scrollback already holds what was held
      port.screen(this.scrollback.snapshot(), this.cols, this.rows);
    }
    o.held = [];
    o.heldChars = 0;
    o.state = 'live';
  }

  /**
   * Someone watches the session, read-only: they get the screen as it is, then live output and resizes.
   * The owner is told who watches (TerminalOutput.observers).
   */
  async observe(port: ScreenPort, who: { userId: string; name: string }): Promise<void> {
    if (this.closed) throw new Error('session is closed');
    const o: Observer = {
      ...who,
      since: Date.now(),
      state: 'joining',
      gen: 0,
      rawOnJoin: false,
      recheck: null,
      held: [],
      heldChars: 0,
    };
    this.observers.set(port, o);
    this.announceObservers();
    await this.sendScreen(port, o);
    if (this.guests.has(who.userId)) port.control?.(this.controller === who.userId);
  }

  unobserve(port: ScreenPort): void {
    if (this.observers.delete(port)) this.announceObservers();
  }

  /** Pairing: the owner invites a teammate (the caller checked they may see the device). */
  invite(userId: string, name: string): void {
    if (userId === this.userId) return;
    this.guests.set(userId, { name });
    this.announceGuests();
  }

  /** The owner withdraws an invitation: the guest stops watching and loses control. */
  uninvite(userId: string): void {
    if (!this.guests.delete(userId)) return;
    if (this.controller === userId) this.controller = null;
    for (const [port, o] of this.observers)
      if (o.userId === userId) port.closed('The owner ended your invitation.');
    this.announceGuests();
  }

  isGuest(userId: string): boolean {
    return this.guests.has(userId);
  }

  /** Hand the keyboard to an invited guest (the caller checked they may operate the device), or take it back (null). */
  handOver(userId: string | null): boolean {
    if (userId !== null && !this.guests.has(userId)) return false;
    this.controller = userId;
    this.announceGuests();
    return true;
  }

  /** Who types now: a guest's user id, or null for the owner. */
  get inControl(): string | null {
    return this.controller;
  }

  guestList(): { userId: string; name: string; control: boolean }[] {
    return [...this.guests].map(([userId, g]) => ({
      userId,
      name: g.name,
      control: this.controller === userId,
    }));
  }

  private announceGuests(): void {
    const list = this.guestList();
    this.attached?.guests?.(list);
    for (const [port, o] of this.observers) port.control?.(this.controller === o.userId);
  }

  /** Who watches now (oldest first). */
  observerList(): ObserverInfo[] {
    return [...this.observers.values()].map(({ userId, name, since }) => ({ userId, name, since }));
  }

  private announceObservers(): void {
    this.attached?.observers?.(this.observerList());
  }

  /** The terminal's size as the device knows it. */
  get size(): { cols: number; rows: number } {
    return { cols: this.cols, rows: this.rows };
  }

  /** When the user last typed (or, when output counts, the device last printed). */
  get lastActive(): number {
    return this.lastActivity;
  }

  /** Output held for a port waiting for its snapshot: past the high-water mark the device waits too. */
  private holdWhileReplaying(): void {
    if (!this.paused && this.pendingChars >= this.marks.highBytes) {
      this.paused = true;
      this.stream.pause();
    }
  }

  /**
   * The reader behind `port` says its terminal is behind (`paused`) or has caught up: a browser cannot
   * stop reading its socket, so it says so instead (the `flow` frame). Kept per port: a tab that
   * attaches later starts unheld.
   */
  readerFlow(port: TerminalOutput, paused: boolean): void {
    if (this.attached !== port) return;
    this.readerBehind = paused ? port : null;
    this.applyFlow();
  }

  /** Apply the pure flow decision to the SSH channel. */
  private applyFlow(): void {
    const port = this.attached;
    if (!port || this.closed) return;
    // a reader that is behind counts as a full socket
    const queued = this.readerBehind === port ? Number.POSITIVE_INFINITY : port.bufferedAmount();
    const action = flowDecision(queued, this.paused, this.marks);
    if (action === 'pause') {
      this.paused = true;
      this.stream.pause();
    } else if (action === 'resume') {
      this.paused = false;
      this.stream.resume();
    }
  }

  /** Bytes waiting towards the attached port (0 when detached). */
  bufferedBytes(): number {
    return this.attached?.bufferedAmount() ?? 0;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * Keys typed by the owner, or (`by`) by the pairing guest the owner handed control to. While a guest
   * has control the owner's keys are refused until they take it back: one person types at a time.
   */
  input(data: string, by?: string): { ok: true } | { ok: false; error: string } {
    if (this.closed) return { ok: false, error: 'The session is closed.' };
    if (this.command || this.checkingCommand)
      return { ok: false, error: 'A command is running in command mode; wait for it to finish.' };
    const typist = by ?? this.userId;
    if (typist !== (this.controller ?? this.userId)) {
      return by === undefined
        ? {
            ok: false,
            error: `${this.guests.get(this.controller!)?.name ?? 'A guest'} has control: take it back to type.`,
          }
        : { ok: false, error: 'You do not have control of this session.' };
    }
    this.touch();
    if (this.lineBy !== typist) {
      // a line is one person's: what the other typed of it is audited as theirs, on its own
      this.resetLine();
      this.lineBy = typist;
    }
    // a guest at the keyboard is judged by their own rules too, even when none hold the owner
    const guarded = this.init.guard && (this.init.guard.active || typist !== this.userId);
    if (guarded || this.guardBusy) return this.guardedInput(data);
    this.sendKeys(data);
    return { ok: true };
  }

  private sendKeys(data: string): void {
    if (!data) return;
    // a key whose effect on the line the session cannot predict (Tab, arrows, Backspace, Ctrl+…)
    if (this.init.guard && /[\x00-\x1f\x7f]/.test(data)) this.lineEdited = true;
    this.trackLine(data);
    this.tapped()?.input(data);
    this.stream.write(encodeInput(this.encoding, data));
    this.noteInput(/[\r\n]/.test(data));
  }

  // ---- guard rails -------------------------------------------------------------------------------

  /**
   * Keys under guard rails: everything up to an Enter goes to the device as typed; the Enter waits
   * until the line, read from the screen as the device shows it, is judged; keys typed meanwhile wait
   * behind it (a multi-line paste is judged line by line and stops at the first line not allowed).
   */
  private guardedInput(data: string, held = false): { ok: true } | { ok: false; error: string } {
    if (!held) data = this.unbracket(data);
    if (this.confirming) {
      this.confirmKeys(data);
      return { ok: true };
    }
    if (this.awaiting) {
      if (data.includes('\x03')) this.awaiting.abort();
      return { ok: true };
    }
    if (this.guardBusy && !held && data.includes('\x03')) {
      // Ctrl+C while keys wait behind the line being judged (a paste): what waits is dropped, never
      // sent, and the interrupt (with what was typed after it) goes to the device after the line
      this.heldKeys = data.slice(data.lastIndexOf('\x03'));
      this.inputOverflow = false;
      // a wait for the prompt (typeAtPrompt) ends at once; judging a line does not
      if (this.waitingForPrompt) {
        const waiter = this.outputWaiter;
        this.outputWaiter = null;
        waiter?.();
      }
      this.heldFlow();
      return { ok: true };
    }
    // (keys taken back from `heldKeys` were accepted before; only new ones are refused)
    if (
      !held &&
      (this.inputOverflow ||
        (this.guardBusy && this.heldKeys.length + data.length > GUARD_HELD_INPUT_MAX_CHARS))
    ) {
      this.inputOverflow = true;
      return { ok: false, error: 'Too much typed while a line is being checked; wait a moment.' };
    }
    if (this.guardBusy) {
      this.heldKeys += data;
      this.heldFlow();
      return { ok: true };
    }
    // the prompt this line is typed at: the device's last line when it ends in a prompt (after a
    // program such as `top` took keys, the prompt it returned to)
    if (this.driver.prompt.test(this.outputTail)) {
      this.promptHint = lastVisibleLine(this.outputTail);
      this.lastPrompt = this.promptHint;
      this.typedAhead = false;
    } else if (this.promptHint === null) {
      // typed ahead while a command runs: the line will be read at the next prompt, most likely the
      // last one seen (a shell's terminal echoes such keys before that prompt, on the same row)
      this.promptHint = this.lastPrompt ?? lastVisibleLine(this.outputTail);
      this.typedAhead = true;
    }
    const at = data.search(/[\r\n]/);
    if (at < 0) {
      this.sendKeys(data);
      return { ok: true };
    }
    this.sendKeys(data.slice(0, at));
    const end = data[at] === '\r' && data[at + 1] === '\n' ? at + 2 : at + 1;
    this.heldKeys = data.slice(end);
    this.guardBusy = true;
    this.heldFlow();
    void this.judgeEnter(data.slice(at, end)).catch((err: unknown) => {
      this.guardDone(null, this.text.failed((err as Error).message));
    });
    return { ok: true };
  }

  /**
   * Keys without bracketed-paste markers, even one split between two inputs: the start of a marker
   * at the end of one input waits for the next, and after an input ending in ESC the rest of one is
   * left out.
   */
  private unbracket(data: string): string {
    let keys = this.pasteCarry + data;
    this.pasteCarry = '';
    if (this.inputEndsWithEsc) keys = keys.replace(/^\[20[01]~/, '');
    keys = keys.replace(BRACKETED_PASTE_MARK, '');
    const begun = /\x1b\[(?:2(?:0[01]?)?)?$/.exec(keys);
    if (begun) {
      this.pasteCarry = begun[0];
      keys = keys.slice(0, begun.index);
    }
    if (keys) this.inputEndsWithEsc = keys.endsWith('\x1b');
    return keys;
  }

  private outputOrTimeout(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.outputWaiter = null;
          resolve();
        },
        Math.max(1, ms),
      );
      timer.unref();
      this.outputWaiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Resolves once the device has printed nothing for GUARD_SETTLE_QUIET_MS, or at `by`. */
  private async quiet(by: number): Promise<void> {
    for (;;) {
      const left = GUARD_SETTLE_QUIET_MS - (Date.now() - this.lastOutputAt);
      if (left <= 0 || Date.now() >= by || this.closed) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, by - Date.now())).unref());
    }
  }

  /** A key went to the device now (the first since its last output starts a wait for its answer). */
  private noteInput(enter = false): void {
    const now = Date.now();
    // keys at a password prompt get no echo, and an Enter's answer waits for the command: neither
    // says how long the device takes to answer a key
    if (enter || this.lineAtPasswordPrompt === true) this.unansweredSince = null;
    else if (this.unansweredSince === null && this.answered()) this.unansweredSince = now;
    this.lastInputAt = now;
  }

  /**
   * How long after its last key an edited line waits for the device's answer: twice the longest
   * answer time seen lately (at least GUARD_SETTLE_MAX_MS), or GUARD_ANSWER_WAIT_MS before any was
   * seen. A key that changes nothing (End at the end of the line) gets no answer at all.
   */
  private answerWaitMs(): number {
    if (this.answerTimes.length === 0) return GUARD_ANSWER_WAIT_MS;
    const longest = Math.max(...this.answerTimes);
    return Math.min(GUARD_ANSWER_WAIT_MS, Math.max(GUARD_SETTLE_MAX_MS, 2 * longest + 50));
  }

  /** The device has printed something since the last key went to it. */
  private answered(): boolean {
    return this.lastOutputAt >= this.lastInputAt;
  }

  /** Resolves once the device has shown what was typed (see GUARD_SETTLE_QUIET_MS). */
  private settled(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.closed) return resolve();
        const now = Date.now();
        const sinceInput = now - this.lastInputAt;
        const answered = this.answered();
        const quiet = now - this.lastOutputAt;
        // plain typing the device has echoed in full: the screen already shows the line
        const echoed = answered && !this.lineEdited && this.unechoed === '';
        // typed characters not shown yet (plain or edited: a completion the device is still working
        // out): a pause in the echo (a busy device) is not the end of it; only the time limit ends
        // this wait
        const echoPending = this.unechoed !== '';
        const quietEnough = answered && !echoPending && quiet >= GUARD_SETTLE_QUIET_MS;
        if (echoed || sinceInput >= GUARD_SETTLE_MAX_MS || quietEnough) return resolve();
        const wait =
          answered && !echoPending
            ? GUARD_SETTLE_QUIET_MS - quiet
            : Math.min(GUARD_SETTLE_MAX_MS - sinceInput, GUARD_SETTLE_QUIET_MS);
        setTimeout(check, Math.max(1, wait)).unref();
      };
      check();
    });
  }

  private async readLine(): Promise<CursorLine | null> {
    await this.settled();
    if (this.closed) return null;
    this.flushTurn(); // the model reads the line after all output so far
    if (this.init.screen) return this.init.screen.cursorLine();
    // no screen model (TERMINAL_SCREEN_MODEL=off): a line typed with printable keys only is what was
    // typed, after the prompt it was typed at; one edited with Tab, arrows or Backspace cannot be read
    if (this.lineEdited || this.lineUnknown || this.promptHint === null) return null;
    const before = this.promptHint + this.line;
    return { text: before, before, alt: false };
  }

  private async judgeEnter(enter: string): Promise<void> {
    const guard = this.init.guard!;
    const by = this.lineBy;
    let line = await this.readLine();
    if (this.closed) return;
    if (!line) return this.guardDone(null, this.text.unreadable());
    let seen = commandOnScreen(this.driver, line, this.promptHint, this.typedAhead);
    // a password, an answer to a question, a key in a full-screen program
    if (seen.kind === 'none') return this.releaseEnter(enter, null);
    // keys edited on the line (Tab, arrows) that the device has not answered, or whose typed
    // characters it has not shown yet (a slow link; a completion it is still working out): the screen
    // shows the line as it was; wait for the answer while it keeps coming (see answerWaitMs)
    const answerBy = this.lastInputAt + this.answerWaitMs();
    while (this.lineEdited && (!this.answered() || this.unechoed !== '') && Date.now() < answerBy) {
      const answered = this.answered();
      const before = this.lastOutputAt;
      await this.outputOrTimeout(
        answered ? Math.min(GUARD_SETTLE_MAX_MS, answerBy - Date.now()) : answerBy - Date.now(),
      );
      if (answered && this.lastOutputAt === before) break; // answered, and nothing more came
      await this.quiet(answerBy);
      const again = await this.readLine();
      if (this.closed) return;
      if (!again) return this.guardDone(null, this.text.unreadable());
      line = again;
      seen = commandOnScreen(this.driver, line, this.promptHint, this.typedAhead);
    }
    // output still arriving (a command typed ahead, the next line of a paste): wait for the prompt
    const deadline = Date.now() + GUARD_PROMPT_WAIT_MS;
    while (seen.kind === 'waiting' && Date.now() < deadline) {
      await this.outputOrTimeout(deadline - Date.now());
      const again = await this.readLine();
      if (this.closed) return;
      if (!again) break;
      line = again;
      seen = commandOnScreen(this.driver, line, this.promptHint, this.typedAhead);
    }
    if (seen.kind === 'waiting') return this.guardDone(line, this.text.notAtPrompt());
    if (seen.kind === 'none') return this.releaseEnter(enter, null);
    // an edited line the device never answered, with keys the session cannot follow (Tab, Up, Ctrl+R)
    // or before any answer time was seen: what it holds is not known
    if (
      seen.kind === 'command' &&
      this.lineEdited &&
      !this.answered() &&
      (this.answerTimes.length === 0 || !this.lineModelled)
    )
      return this.guardDone(line, this.text.noEcho(GUARD_ANSWER_WAIT_MS));
    // characters typed that the device has not shown (a slow link; a shell holding a paste): the
    // screen shows less than the device will run, so what was typed is judged as well, and is what
    // the audit records
    let typed: string | null = null;
    if (seen.kind === 'command' && this.unechoed !== '' && this.line.trim() !== '') {
      seen = { ...seen, candidates: [...seen.candidates, this.line.trim()] };
      if (this.lineModelled) typed = this.line.trim(); // (after Tab or Up the keys are not the line)
    } else if (
      seen.kind === 'command' &&
      this.lineEdited &&
      this.lineModelled &&
      this.line.trim() !== '' &&
      !seen.candidates.includes(this.line.trim())
    ) {
      // edited with keys the session follows (arrows, Backspace, Home/End): what the line holds is
      // known whatever the screen shows yet (a device still redrawing the line)
      seen = { ...seen, candidates: [...seen.candidates, this.line.trim()] };
    }
    if (seen.kind === 'unreadable') {
      this.guardDecided({
        decision: {
          action: 'deny',
          rule: null,
          command: line.text,
          mode: null,
          reason: guardText().wideLine(),
        },
        line: line.text.trim(),
        outcome: 'unreadable',
        by,
      });
      return this.guardDone(line, this.text.wideLine());
    }
    const decision = await guard.judge(seen.candidates, seen.mode, by === this.userId ? undefined : by);
    if (this.closed) return;
    const command = typed ?? seen.candidates[0]!;
    const shown = command || decision.command;
    if (decision.action === 'allow') return this.releaseEnter(enter, command);
    const text = this.text;
    const reason = text.withRest(text.reason(decision), this.heldKeys !== '');
    this.heldKeys = '';
    if (decision.action === 'deny') {
      this.guardDecided({ decision, line: shown, outcome: 'denied', by });
      return this.eraseLine(text.notSent(reason), seen.prompt);
    }
    if (decision.action === 'confirm') {
      const typed = await this.confirm(text.confirm(reason, this.deviceName));
      if (this.closed) return;
      const ok = typed !== null && typed.trim() === this.deviceName;
      this.guardDecided({ decision, line: shown, outcome: ok ? 'confirmed' : 'not_confirmed', by });
      this.emit(`\r\n${reprint(line)}`);
      if (ok) return this.releaseEnter(enter, command);
      return this.eraseLine(typed === null ? text.cancelled(shown) : text.notConfirmed(shown), seen.prompt);
    }
    // approve
    if (!guard.approval) {
      this.guardDecided({ decision, line: shown, outcome: 'rejected', by });
      return this.eraseLine(text.noApprovals(text.reason(decision)), seen.prompt);
    }
    const wait = new AbortController();
    this.awaiting = wait;
    this.notice(text.waiting(reason));
    const answer = await guard.approval(this, { decision, line: shown, by }, wait.signal);
    this.awaiting = null;
    if (this.closed) return;
    this.guardDecided({
      decision,
      line: shown,
      outcome: answer.approved ? 'approved' : 'rejected',
      by,
      approver: answer.approved ? answer.by : undefined,
    });
    if (answer.approved) {
      this.notice(text.approved(answer.by, shown));
      this.emit(reprint(line));
      return this.releaseEnter(enter, command);
    }
    this.emit(reprint(line));
    return this.eraseLine(text.notSent(text.refusal(answer)), seen.prompt);
  }

  /** A decision other than a plain allow: audited (by the guard) and marked in the recording. */
  private guardDecided(entry: Parameters<SessionGuard['decided']>[1]): void {
    this.init.guard?.decided(this, entry);
    const what = {
      denied: 'denied',
      unreadable: 'not readable',
      confirmed: 'confirmed',
      not_confirmed: 'not confirmed',
      approved: `approved by ${entry.approver ?? '?'}`,
      rejected: 'not approved',
    }[entry.outcome];
    this.tapped()?.command(
      `[guard rails: ${what}${entry.decision.rule ? `, rule «${entry.decision.rule.name}»` : ''}] ${entry.line}`,
    );
  }

  /** The line is allowed: the Enter goes to the device, then what was typed behind it. */
  private releaseEnter(enter: string, command: string | null): void {
    if (command === null) {
      // not a command line (a password, an answer, a key in a full-screen program): audited as before
      this.sendKeys(enter);
    } else {
      this.resetLine();
      this.dropped = null;
      if (command) {
        this.remember(command);
        this.init.events.onCommand(
          this,
          command,
          'interactive',
          this.lineBy === this.userId ? undefined : this.lineBy,
        );
        this.tapped()?.command(command);
      }
      this.tapped()?.input(enter);
      this.stream.write(encodeInput(this.encoding, enter));
      this.noteInput(true);
    }
    this.guardDone(null, null, command !== null);
  }

  /**
   * Judging ended: print a notice (keeping the line as it is, when given, so the screen still shows
   * what the device holds), or type what waited behind the Enter.
   */
  private guardDone(line: CursorLine | null, notice: string | null, sentCommand = false): void {
    if (notice) {
      this.notice(notice);
      if (line) this.emit(reprint(line));
    }
    this.promptHint = null;
    this.lineEdited = false;
    // a refused line stops a paste there
    const rest = notice ? '' : this.heldKeys;
    if (rest && sentCommand && !this.closed) {
      // keys still wait (guardBusy) until then
      this.typeAtPrompt().catch((err: unknown) =>
        this.guardDone(null, this.text.failed((err as Error).message)),
      );
      return;
    }
    this.guardBusy = false;
    this.heldKeys = '';
    if (rest && !this.closed) this.guardedInput(rest, true);
    this.heldFlow();
  }

  /**
   * What waits behind a command line that went to the device (the rest of a paste, keys typed ahead)
   * is typed at the device's next prompt, not ahead of it: a shell's terminal echoes keys typed ahead
   * before that prompt, on the row the next line is read from, and a shell redraws a wrapped line
   * around them. It goes once the device shows a prompt or asks a question, or has said nothing for
   * GUARD_SETTLE_MAX_MS (a program reading input, a long quiet command), at Ctrl+C, or after
   * GUARD_PROMPT_WAIT_MS.
   */
  private async typeAtPrompt(): Promise<void> {
    const by = Date.now() + GUARD_PROMPT_WAIT_MS;
    this.waitingForPrompt = true;
    try {
      while (!this.closed && Date.now() < by && !this.heldKeys.startsWith('\x03')) {
        const tail = this.outputTail;
        const answered = this.answered();
        if (
          answered &&
          (this.driver.prompt.test(tail) || this.driver.question.test(tail) || asksSecret(tail))
        )
          break;
        const quiet = Date.now() - this.lastOutputAt;
        if (answered && quiet >= GUARD_PASTE_QUIET_MS) break;
        await this.outputOrTimeout(Math.min(by - Date.now(), GUARD_PASTE_QUIET_MS - (answered ? quiet : 0)));
      }
    } finally {
      this.waitingForPrompt = false;
    }
    if (!this.closed) this.guardDone(null, null);
  }

  /** As the keys held behind a line grow or drain, ask the typist's page to stop or go on sending. */
  private heldFlow(): void {
    const held = this.heldKeys.length;
    if (held === 0 && !this.guardBusy) this.inputOverflow = false;
    const action = flowDecision(held, this.inputHeld, HELD_INPUT_MARKS);
    if (action === 'none') return;
    this.inputHeld = action === 'pause';
    this.attached?.inputFlow?.(this.inputHeld);
  }

  /**
   * Erase the device's input line the vendor's way, then say why on a line of its own and show the
   * prompt again. If the line does not come back empty, nothing more is sent (the next Enter is judged
   * again) and the notice says so.
   */
  private async eraseLine(notice: string, prompt: string): Promise<void> {
    this.resetLine();
    this.dropped = null;
    this.stream.write(encodeInput(this.encoding, killLineKeys(this.driver.vendor)));
    this.noteInput();
    this.lineEdited = true; // the erase's echo is not predictable: wait for the output to go quiet
    // without a screen model nothing tells whether the erase worked: no line is trusted from now on
    if (!this.init.screen) this.lineUnknown = true;
    // on a slow link the echo of the line may come back after the erase went out, and its answer
    // later still: the line is cleared once the device answered and shows it empty
    const by = Date.now() + GUARD_ANSWER_WAIT_MS;
    // the line holds its prompt and nothing after it (a line whose prompt was not found: nothing
    // right of the cursor)
    const isEmpty = (l: CursorLine | null): l is CursorLine => {
      if (l === null || l.text.trimEnd() !== l.before.trimEnd()) return false;
      if (prompt === '') return true;
      const now = commandOnScreen(this.driver, l, this.promptHint);
      return now.kind === 'command' && now.candidates[0] === '';
    };
    let after = await this.readLine();
    while (!this.closed && after !== null && !(this.answered() && isEmpty(after)) && Date.now() < by) {
      await this.outputOrTimeout(by - Date.now());
      await this.quiet(by);
      after = await this.readLine();
    }
    if (this.closed) return;
    if (isEmpty(after)) {
      this.notice(notice);
      // the prompt again (without what a shell's terminal echoed before it on the same row)
      const at = prompt === '' ? -1 : after.before.indexOf(prompt);
      this.emit(at > 0 ? after.before.slice(at) : after.before);
      // what was typed or pasted while the line was erased follows a refused line: dropped too
      this.heldKeys = '';
      return this.guardDone(null, null);
    }
    this.guardDone(after, this.text.notCleared(notice));
  }

  /** A line of the portal's own in the terminal, seen by everyone who watches and in the recording. */
  private notice(text: string): void {
    this.emit(`\r\n${NOTICE}Switchboard: ${text.replace(/[\r\n]+/g, ' ')}${NOTICE_END}\r\n`);
  }

  /** Text of the portal's into the terminal's output (readers, recording, screen model). */
  private emit(text: string): void {
    if (!text || this.closed) return;
    this.toTurn(text);
  }

  /** Ask in the terminal; resolves with what was typed before Enter, or null (Ctrl+C, timeout, closed). */
  private confirm(question: string): Promise<string | null> {
    this.notice(question);
    this.emit(`${NOTICE}${this.text.deviceName()}${NOTICE_END} `);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(null), GUARD_CONFIRM_TIMEOUT_MS);
      timer.unref();
      const finish = (typed: string | null) => {
        clearTimeout(timer);
        if (this.confirming !== entry) return;
        this.confirming = null;
        resolve(typed);
      };
      const entry = { typed: '', done: finish };
      this.confirming = entry;
    });
  }

  /** Keys typed at a confirmation prompt: echoed by the portal, never sent to the device. */
  private confirmKeys(data: string): void {
    const c = this.confirming!;
    for (let i = 0; i < data.length && this.confirming === c; i++) {
      const ch = data[i]!;
      if (ch === '\x1b') i += (KEY_SEQUENCE.exec(data.slice(i, i + 32))?.[0].length ?? 1) - 1;
      else if (ch === '\r' || ch === '\n') c.done(c.typed);
      else if (ch === '\x03') c.done(null);
      else if (ch === '\x7f' || ch === '\b') {
        if (c.typed) {
          c.typed = c.typed.slice(0, -1);
          this.emit('\b \b');
        }
      } else if (ch >= ' ' && c.typed.length < 200) {
        c.typed += ch;
        this.emit(ch);
      }
    }
  }

  private resetLine(): void {
    this.line = '';
    this.lineCursor = 0;
    this.lineModelled = true;
    this.lineAtPasswordPrompt = null;
    this.unechoed = '';
  }

  /**
   * Keys the device never echoed, followed by its prompt with nothing after it, went to a program
   * (`q` leaving `top`, a key in a full-screen editor, `q` at a pager), not to the shell's line: the
   * line starts afresh at that prompt. Keys typed ahead that the device echoes right after the prompt
   * come back (the echo is the evidence); a password prompt echoes nothing and prints nothing either,
   * so a secret stays in its line until Enter.
   */
  private followEcho(output: string): void {
    const visible = visibleText(output);
    if (!visible) return;
    const dropped = this.dropped;
    this.dropped = null;
    if (dropped && visible.startsWith(dropped.line) && visible.length > this.line.length) {
      this.line = dropped.line + this.line;
      this.lineCursor = this.line.length;
      this.lineAtPasswordPrompt = dropped.atPasswordPrompt;
      this.unechoed = '';
      return;
    }
    if (!this.unechoed) return;
    const echoed = echoedChars(this.unechoed, visible);
    if (echoed > 0) this.unechoed = this.unechoed.slice(echoed);
    else if (this.driver.prompt.test(this.outputTail)) {
      this.dropped = { line: this.line, atPasswordPrompt: this.lineAtPasswordPrompt };
      this.resetLine();
    }
  }

  /**
   * Follow what the user types to audit whole lines; lines typed at a password prompt are hidden.
   * Keys that do not belong to a line are left out: those answering a pager (`---- More ----`: space,
   * `q`), escape sequences (arrows), and (followEcho) keys a program took without echoing them.
   */
  private trackLine(data: string): void {
    if (this.driver.pager.test(this.outputTail)) return;
    for (let i = 0; i < data.length; i++) {
      const ch = data[i]!;
      if (ch === '\x1b') {
        const seq = KEY_SEQUENCE.exec(data.slice(i, i + 32))?.[0] ?? ch;
        i += seq.length - 1;
        this.editLine(CURSOR_KEYS[seq] ?? 'unknown');
      } else if (ch === '\r' || ch === '\n') {
        const line = this.line.trim();
        // decided by what the device printed before the line was started, never by its own echo
        // (`... | include password:` echoes a "prompt" of its own)
        const hidden = this.lineAtPasswordPrompt === true;
        this.resetLine();
        this.dropped = null;
        if (!line) continue;
        const recorded = hidden ? '[input at a password prompt hidden]' : line.slice(0, AUDIT_LINE_MAX_CHARS);
        if (!hidden) this.remember(line);
        this.init.events.onCommand(
          this,
          recorded,
          'interactive',
          this.lineBy === this.userId ? undefined : this.lineBy,
        );
        this.tapped()?.command(recorded);
      } else if (ch === '\x7f' || ch === '\b') {
        this.editLine('backspace');
        this.unechoed = this.unechoed.slice(0, -1);
      } else if (ch === '\x03') {
        this.resetLine();
      } else if (ch >= ' ' && this.line.length < AUDIT_LINE_MAX_CHARS * 2) {
        this.lineAtPasswordPrompt ??= PASSWORD_PROMPT.test(this.outputTail);
        this.line = this.line.slice(0, this.lineCursor) + ch + this.line.slice(this.lineCursor);
        this.lineCursor++;
        this.unechoed += ch;
      } else if (ch < ' ') {
        this.editLine(CONTROL_KEYS[ch] ?? 'unknown');
      }
    }
  }

  /** A key's effect on `line`, as the line editors of VRP, IOS and bash (emacs mode) have it. */
  private editLine(key: LineKey): void {
    const { line, lineCursor: at } = this;
    switch (key) {
      case 'home':
        this.lineCursor = 0;
        return;
      case 'end':
        this.lineCursor = line.length;
        return;
      case 'left':
        this.lineCursor = Math.max(0, at - 1);
        return;
      case 'right':
        this.lineCursor = Math.min(line.length, at + 1);
        return;
      case 'backspace':
        if (at === 0) return;
        this.line = line.slice(0, at - 1) + line.slice(at);
        this.lineCursor = at - 1;
        return;
      case 'delete':
        this.line = line.slice(0, at) + line.slice(at + 1);
        return;
      case 'kill-left':
        this.line = line.slice(at);
        this.lineCursor = 0;
        // the line erased: what is typed next starts a new one (a password prompt is looked for again)
        if (this.line === '') {
          this.lineAtPasswordPrompt = null;
          this.unechoed = '';
        }
        return;
      case 'kill-right':
        this.line = line.slice(0, at);
        return;
      case 'unknown':
        this.lineModelled = false;
    }
  }

  private remember(command: string): void {
    if (this.history[this.history.length - 1] === command) return;
    this.history.push(command);
    if (this.history.length > COMMAND_HISTORY_MAX) this.history.shift();
  }

  /** The last command-mode results, oldest first. */
  getResults(): KeptResult[] {
    return [...this.results];
  }

  private keep(result: KeptResult): void {
    const output =
      result.output.length > COMMAND_RESULT_MAX_CHARS
        ? `${result.output.slice(0, COMMAND_RESULT_MAX_CHARS)}\n[cut at ${COMMAND_RESULT_MAX_CHARS} characters; the whole output is in the terminal]`
        : result.output;
    this.results.push({ ...result, output });
    if (this.results.length > COMMAND_RESULTS_MAX) this.results.shift();
  }

  getHistory(): string[] {
    return [...this.history];
  }

  resize(cols: number, rows: number): void {
    if (this.closed) return;
    this.stream.resize(cols, rows);
    this.flushTurn(); // what came at the old size is recorded and parsed at it
    this.init.tap?.resize(cols, rows);
    this.init.screen?.resize(cols, rows);
    if (cols === this.cols && rows === this.rows) return;
    this.cols = cols;
    this.rows = rows;
    for (const o of this.observers.keys()) o.resized(cols, rows);
  }

  /**
   * Command mode: run one command in the shell and return its whole output as one block. The prompt is
   * the one the device showed last (learned from the terminal's output); the run ends at once if the
   * session closes, and when the device asks a question the user is told to answer it in the terminal.
   */
  async runCommand(command: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<CommandResult> {
    if (this.closed) throw new Error('The session is closed.');
    if (this.command || this.checkingCommand) throw new Error('Another command is still running.');
    if (this.guardBusy)
      throw new Error('A line typed in the terminal is being checked; try again in a moment.');
    const guard = this.init.guard;
    if (guard?.active) {
      // the command is typed at the device's prompt: judged in the mode the prompt shows, and only if
      // nothing is typed there already (`reb` typed, then `oot` in command mode, would run `reboot`)
      this.checkingCommand = true;
      let seen: ReturnType<typeof commandOnScreen> | null = null;
      try {
        const line = await this.readLine();
        seen = line ? commandOnScreen(this.driver, line, this.promptHint) : null;
      } finally {
        this.checkingCommand = false;
      }
      if (this.closed) throw new Error('The session is closed.');
      const text = this.text;
      if (!seen || seen.kind !== 'command') throw new Error(text.commandNotAtPrompt());
      // typed at the prompt, shown or not yet (a slow link): the command would run with it
      const typed = seen.candidates[0] || this.line.trim();
      if (typed !== '') throw new Error(text.commandTyped(typed));
      const decision = await guard.judge([command], seen.mode);
      if (decision.action !== 'allow') {
        this.guardDecided({ decision, line: command, outcome: 'denied', by: this.userId });
        throw new Error(text.commandRefused(decision));
      }
      if (this.closed) throw new Error('The session is closed.');
      if (this.command) throw new Error('Another command is still running.');
    }
    return this.sendCommand(command, timeoutMs);
  }

  private sendCommand(command: string, timeoutMs: number): Promise<CommandResult> {
    this.touch();
    this.remember(command);
    this.init.events.onCommand(this, command, 'command');
    this.tapped()?.command(command);
    const prompt = learnPrompt(this.driver, lastLine(this.outputTail)) ?? this.driver.prompt;
    return new Promise<CommandResult>((resolve, reject) => {
      const run = new CommandRun(this.driver, prompt, { command }, (keys) => this.stream.write(keys));
      const finish = () => {
        clearTimeout(timer);
        if (this.command?.quiet) clearTimeout(this.command.quiet);
        this.command = null;
      };
      const timer = setTimeout(
        () =>
          this.command?.fail(
            `No prompt within ${seconds(timeoutMs)}; the device last sent ${seen(this.outputTail)} (all of it is in the terminal).`,
          ),
        timeoutMs,
      );
      this.command = {
        run,
        quiet: null,
        done: () => {
          finish();
          const r = run.result();
          this.keep({ command, output: r.output, status: r.status });
          resolve(r);
        },
        fail: (reason) => {
          finish();
          this.keep({ command, output: reason, status: 'error' });
          reject(new Error(reason));
        },
      };
      this.stream.write(encodeInput(this.encoding, `${command}\r`));
    });
  }

  private feedCommand(text: string): void {
    const c = this.command!;
    if (c.run.feed(text)) return c.done();
    if (c.quiet) clearTimeout(c.quiet);
    c.quiet = setTimeout(() => {
      const q = c.run.quiet();
      if (q === 'done') c.done();
      else if (q) c.fail(`The device asks «${lastLine(this.outputTail).trim()}»: answer it in the terminal.`);
    }, CLI_QUIET_MS);
  }

  close(reason: string): void {
    if (this.closed) return;
    this.flushTurn(); // the last output reaches the readers, the recording and the scrollback
    this.closed = true;
    this.confirming?.done(null);
    this.awaiting?.abort();
    this.init.guard?.dispose?.();
    if (this.graceTimer) clearTimeout(this.graceTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.command?.fail(`${reason} (while running the command)`);
    this.attached?.closed(reason);
    this.attached = null;
    this.replaying = null;
    for (const o of this.observers.keys()) o.closed(reason);
    this.observers.clear();
    this.init.screen?.close();
    try {
      this.stream.close();
    } catch {
      // already gone
    }
    this.connection.close();
    void this.init.tap?.close(reason);
    this.init.events.onClosed(this, reason);
  }
}

/** Text that rebuilds a line on the screen with the cursor where it was. */
function reprint(line: CursorLine): string {
  const text = line.text;
  const left = text.length - line.before.length;
  return left > 0 ? `${text}\x1b[${left}D` : text;
}
