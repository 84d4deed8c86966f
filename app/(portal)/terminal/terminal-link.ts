import { openChannel, type Channel, type ChannelState } from '@/app/_lib/channel';
import {
  decodeBinaryFrame,
  MSG,
  type BinaryFrameResult,
  OUTPUT_FRAMING_PARAM,
  terminalServerMessage,
  type TerminalClientMessage,
  type TerminalServerMessage,
} from '@/lib/realtime/protocol';
import { fromServer, type LinkMessage } from './link-messages';

export type LinkStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed' | 'error';

export interface LinkHandlers {
  onOutput(data: string, resumed: boolean): void;
  /** Part of what the user typed or pasted could not be sent (the socket went away meanwhile). */
  onInputLost(chars: number): void;
  /**
   * The portal refused input (`reason`, its words; `dropped`: characters of a paste not sent after
   * it). Said once per reason while it repeats (each key typed meanwhile is refused the same way).
   */
  onInputRefused(reason: string, dropped: number): void;
  /** Ctrl+C was pressed while a paste was still being sent: the rest of it was dropped, not sent. */
  onPasteStopped(): void;
  onStatus(status: LinkStatus, message: LinkMessage): void;
  onSession(sessionId: string): void;
  onFrame(frame: TerminalServerMessage): void;
  onRtt(ms: number): void;
}

/**
 * Retries in a row after a lost socket (network blip, server restart) before the tab says so and waits
 * for the user's Reconnect; the delays are the channel's one backoff policy.
 */
export const RECONNECT_MAX_ATTEMPTS = 5;
export const PING_INTERVAL_MS = 5000;
/**
 * Input goes out in frames of at most this many characters: JSON may turn one character into six
 * bytes, so a frame stays under the server's 64 KiB limit whatever is pasted.
 */
export const INPUT_CHUNK_CHARS = 8 * 1024;
/** A long paste waits while the socket still has this much unsent, so it streams instead of piling up. */
export const INPUT_BUFFER_HIGH_BYTES = 256 * 1024;
/** The same input refusal within this long of the last is not said again (each key is refused). */
export const REFUSAL_REPEAT_MS = 3000;

/** Split input into chunks of at most `size` UTF-16 units, never between the halves of a surrogate pair. */
export function chunkInput(data: string, size = INPUT_CHUNK_CHARS): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < data.length) {
    let end = Math.min(i + size, data.length);
    const last = data.charCodeAt(end - 1);
    if (end < data.length && last >= 0xd800 && last <= 0xdbff) end--; // keep the pair together
    out.push(data.slice(i, end));
    i = end;
  }
  return out;
}

/** How long an open socket stays open after the `close` frame, so the server ends the session first. */
const CLOSE_LINGER_MS = 50;

/**
 * One browser tab's link to a terminal session: a channel on /ws/terminal/:deviceId that reattaches to
 * its session after a reload or a blip, measures latency, and reports what happens. No React in here.
 */
export class TerminalLink {
  private channel: Channel<TerminalClientMessage> | null = null;
  private ended = false;
  private disposed = false;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private resumedNext = false;
  /** This socket has a session: a later error frame (busy, no_session) does not end the tab. */
  private connectedOnce = false;
  private pendingInput: string[] = [];
  /** The server asked to stop sending input for now (keys wait behind a line being checked). */
  private inputHeld = false;
  /** The last refusal said, and when: the same one again soon is not said again. */
  private lastRefusal: { reason: string; at: number } | null = null;
  private connectedMessage: LinkMessage = { kind: 'server', text: 'Connected' };
  private pumping = false;
  /** The user pressed Reconnect: a session that has ended meanwhile is replaced at once, not reported. */
  private userReconnect = false;

  constructor(
    private readonly deviceId: string,
    private sessionId: string | null,
    private readonly size: () => { cols: number; rows: number },
    private readonly h: LinkHandlers,
  ) {}

  start(): void {
    if (this.disposed || this.channel) return;
    this.channel = openChannel<TerminalServerMessage, TerminalClientMessage>({
      // output comes as binary frames: UTF-8 text, not JSON with every control character escaped
      path: `terminal/${encodeURIComponent(this.deviceId)}?${OUTPUT_FRAMING_PARAM}=binary`,
      schema: terminalServerMessage,
      decodeBinary: (data) => {
        const asFrame = (r: BinaryFrameResult) => (r.ok ? { ok: true as const, frame: r.message } : r);
        const r = decodeBinaryFrame(new Uint8Array(data)); // a compressed frame: a promise
        return r instanceof Promise ? r.then(asFrame) : asFrame(r);
      },
      policy: { maxAttempts: RECONNECT_MAX_ATTEMPTS },
      onState: (s) => this.onState(s),
      onOpen: (ch) => {
        this.sendConnect(ch);
        this.pingTimer = setInterval(() => this.ping(), PING_INTERVAL_MS);
        this.ping();
      },
      onClose: () => this.stopPing(),
      onMessage: (frame) => this.onMessage(frame),
    });
  }

  private sendConnect(ch: Channel<TerminalClientMessage>): void {
    this.connectedOnce = false; // an error before this socket has a session is final
    this.inputHeld = false; // a new socket: the session says again if keys still wait
    const { cols, rows } = this.size();
    ch.send({ type: MSG.connect, cols, rows, ...(this.sessionId ? { session_id: this.sessionId } : {}) });
  }

  private onState(s: ChannelState): void {
    switch (s.kind) {
      case 'connecting':
        if (s.attempt === 0) this.h.onStatus('connecting', { kind: 'connecting' });
        else this.h.onStatus('reconnecting', { kind: 'reconnecting' });
        return;
      case 'retrying':
        this.h.onStatus('reconnecting', { kind: 'retrying', seconds: Math.round(s.delayMs / 100) / 10 });
        return;
      case 'closed':
        // `stopped` is this link's own doing (end, close, dispose), already reported
        if (s.reason !== 'stopped') {
          this.h.onStatus('error', { kind: 'portalLost' });
        }
        return;
      case 'open':
        return; // connected once the server says so (terminal_connected)
    }
  }

  private onMessage(frame: TerminalServerMessage): void {
    switch (frame.type) {
      case MSG.output:
        this.h.onOutput(frame.data, this.resumedNext);
        this.resumedNext = false;
        return;
      case MSG.terminalConnected:
        if (frame.session_id) {
          this.sessionId = frame.session_id;
          this.h.onSession(frame.session_id);
        }
        this.connectedOnce = true;
        this.userReconnect = false;
        this.resumedNext = frame.resumed === true;
        this.connectedMessage = fromServer(frame.message);
        this.h.onStatus('connected', this.connectedMessage);
        break;
      case MSG.terminalNotice:
        // an idle warning shows in the status line until activity clears it
        this.h.onStatus('connected', frame.message ? fromServer(frame.message) : this.connectedMessage);
        break;
      case MSG.terminalError:
        if (frame.code === 'session_expired') {
          this.sessionId = null;
          if (this.userReconnect && this.channel) return this.sendConnect(this.channel); // a new one
          this.end('closed', { kind: 'sessionEnded' });
        } else if (!this.connectedOnce) {
          // before a session exists an error is final (refused login, unreachable, limits)
          this.end('error', { kind: 'server', text: frame.error });
        } else if (frame.code === 'busy') this.inputRefused(frame.error);
        break;
      case MSG.inputFlow:
        this.inputHeld = frame.paused;
        if (!frame.paused) this.pump();
        return;
      case MSG.terminalClosed:
        // Over for good (the device dropped it, idle, closed elsewhere): Reconnect must open a new
        // session. Keeping the id made the first click ask for this one and only learn it had ended.
        this.sessionId = null;
        this.end('closed', frame.reason ? fromServer(frame.reason) : { kind: 'sessionClosed' });
        break;
      case MSG.pong:
        this.h.onRtt(performance.now() - frame.ts);
        return;
    }
    this.h.onFrame(frame);
  }

  private ping(): void {
    this.channel?.send({ type: MSG.ping, ts: performance.now() });
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  /** The session is over (or never began): say why and stop retrying until the user reconnects. */
  private end(status: LinkStatus, message: LinkMessage): void {
    this.ended = true;
    this.h.onStatus(status, message);
    this.channel?.close();
  }

  send(frame: TerminalClientMessage): void {
    if (frame.type === MSG.connect) return;
    if (frame.type === MSG.input) return this.sendInput(frame.data);
    this.channel?.send(frame);
  }

  /**
   * Typing goes out at once; a long paste in chunks, paced by what the socket has not sent yet (and
   * by the session, while keys wait behind a line the guard rails check). Ctrl+C stops a paste: what
   * is still waiting here is dropped, and the Ctrl+C goes at once, ahead of any pause, so that the
   * session drops what it holds of the paste too and the device gets the interrupt.
   */
  private sendInput(data: string): void {
    const interrupt = data.indexOf('\x03');
    if (interrupt >= 0 && (this.pendingInput.length > 0 || this.inputHeld)) {
      this.pendingInput = [];
      this.h.onPasteStopped();
      const ch = this.channel;
      const rest = data.slice(interrupt);
      if (!ch?.send({ type: MSG.input, data: rest })) this.h.onInputLost(rest.length);
      return;
    }
    this.pendingInput.push(...chunkInput(data));
    this.pump();
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    while (this.pendingInput.length > 0 && !this.inputHeld) {
      const ch = this.channel;
      if (ch && ch.bufferedAmount > INPUT_BUFFER_HIGH_BYTES) {
        setTimeout(() => this.pump(), 20);
        break;
      }
      const chunk = this.pendingInput.shift()!;
      if (!ch?.send({ type: MSG.input, data: chunk })) {
        const lost = chunk.length + this.pendingInput.reduce((n, c) => n + c.length, 0);
        this.pendingInput = [];
        this.h.onInputLost(lost);
      }
    }
    this.pumping = false;
  }

  /**
   * Input the session refused (a command running in command mode, a guest at the keyboard, keys
   * sent past the limit while a line is checked): the rest of a paste is not sent either, so the
   * device never gets a paste with a piece missing from its middle.
   */
  private inputRefused(reason: string): void {
    const dropped = this.pendingInput.reduce((n, c) => n + c.length, 0);
    this.pendingInput = [];
    const now = Date.now();
    const last = this.lastRefusal;
    this.lastRefusal = { reason, at: now };
    if (dropped === 0 && last?.reason === reason && now - last.at < REFUSAL_REPEAT_MS) return;
    this.h.onInputRefused(reason, dropped);
  }

  /** Manual reconnect: reattach if the session still exists, otherwise open a new one. */
  reconnect(): void {
    if (this.disposed) return;
    this.ended = false;
    this.userReconnect = true;
    if (this.channel) this.channel.reconnect();
    else this.start();
  }

  /** End the SSH session (closing the tab). */
  close(): void {
    this.channel?.send({ type: MSG.close });
    this.ended = true;
    this.dispose();
  }

  /** Drop the socket but keep the session (page unload): it can be resumed. */
  dispose(): void {
    this.disposed = true;
    this.stopPing();
    this.channel?.close(this.ended ? { lingerMs: CLOSE_LINGER_MS } : undefined);
  }
}
