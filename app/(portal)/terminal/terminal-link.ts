import {
  MSG,
  terminalServerMessage,
  type TerminalClientMessage,
  type TerminalServerMessage,
} from '@/lib/realtime/protocol';

export type LinkStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed' | 'error';

export interface LinkHandlers {
  onOutput(data: string, resumed: boolean): void;
  onStatus(status: LinkStatus, message: string): void;
  onSession(sessionId: string): void;
  onFrame(frame: TerminalServerMessage): void;
  onRtt(ms: number): void;
}

/** Reconnect backoff after a lost socket (network blip, server restart). */
export const RECONNECT_DELAYS_MS = [500, 1000, 2000, 4000, 8000];
export const PING_INTERVAL_MS = 5000;

/**
 * One browser tab's link to a terminal session: opens /ws/terminal/:deviceId, reattaches to its
 * session after a reload or a blip, and reports what happens. No React in here.
 */
export class TerminalLink {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private ended = false;
  private disposed = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private resumedNext = false;
  private connectedOnce = false;

  constructor(
    private readonly deviceId: string,
    private sessionId: string | null,
    private readonly size: () => { cols: number; rows: number },
    private readonly h: LinkHandlers,
  ) {}

  start(): void {
    this.open();
  }

  private open(): void {
    if (this.disposed) return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}/ws/terminal/${encodeURIComponent(this.deviceId)}`);
    this.ws = ws;
    this.h.onStatus(
      this.attempt === 0 ? 'connecting' : 'reconnecting',
      this.attempt === 0 ? 'Connecting…' : 'Reconnecting…',
    );
    ws.onopen = () => {
      const { cols, rows } = this.size();
      this.raw({ type: 'connect', cols, rows, ...(this.sessionId ? { session_id: this.sessionId } : {}) });
      this.pingTimer = setInterval(() => this.raw({ type: 'ping', ts: performance.now() }), PING_INTERVAL_MS);
      this.raw({ type: 'ping', ts: performance.now() });
    };
    ws.onmessage = (ev) => this.onMessage(ev.data as string);
    ws.onclose = () => this.onClose(ws);
  }

  private onMessage(text: string): void {
    let frame: TerminalServerMessage;
    try {
      const parsed = terminalServerMessage.safeParse(JSON.parse(text));
      if (!parsed.success) return;
      frame = parsed.data;
    } catch {
      return;
    }
    switch (frame.type) {
      case MSG.output:
        this.h.onOutput(frame.data, this.resumedNext);
        this.resumedNext = false;
        return;
      case MSG.terminalConnected:
        this.attempt = 0;
        if (frame.session_id) {
          this.sessionId = frame.session_id;
          this.h.onSession(frame.session_id);
        }
        this.connectedOnce = true;
        this.resumedNext = frame.resumed === true;
        this.h.onStatus('connected', frame.message);
        break;
      case MSG.terminalError:
        if (frame.code === 'session_expired') {
          this.sessionId = null;
          this.end('closed', 'The session has ended. Reconnect to open a new one.');
        } else if (!this.connectedOnce) {
          // before a session exists an error is final (refused login, unreachable, limits)
          this.end('error', frame.error);
        }
        break;
      case MSG.terminalClosed:
        this.end('closed', frame.reason ?? 'The session was closed.');
        break;
      case MSG.pong:
        this.h.onRtt(performance.now() - frame.ts);
        return;
    }
    this.h.onFrame(frame);
  }

  private end(status: LinkStatus, message: string): void {
    this.ended = true;
    this.h.onStatus(status, message);
    this.ws?.close();
  }

  private onClose(ws: WebSocket): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    if (ws !== this.ws || this.disposed || this.ended) return;
    const delay = RECONNECT_DELAYS_MS[this.attempt];
    if (delay === undefined) {
      this.h.onStatus('error', 'Lost the connection to the portal. Use Reconnect to try again.');
      return;
    }
    this.attempt++;
    this.h.onStatus('reconnecting', `Connection lost; reconnecting in ${Math.round(delay / 100) / 10} s…`);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private raw(frame: TerminalClientMessage): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  send(frame: TerminalClientMessage): void {
    if (frame.type === 'connect') return;
    this.raw(frame);
  }

  /** Manual reconnect: reattach if the session still exists, otherwise open a new one. */
  reconnect(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.ended = false;
    this.attempt = 0;
    this.ws?.close();
    this.open();
  }

  /** End the SSH session (closing the tab). */
  close(): void {
    this.raw({ type: 'close' });
    this.ended = true;
    this.dispose();
  }

  /** Drop the socket but keep the session (page unload): it can be resumed. */
  dispose(): void {
    this.disposed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN && this.ended) setTimeout(() => ws.close(), 50);
    else ws?.close();
  }
}
