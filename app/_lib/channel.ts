import type { z } from 'zod';
import { DEFAULT_BACKOFF, nextRetry, type BackoffPolicy } from './backoff';

/**
 * The browser's one WebSocket channel: opens /ws/<path> on this page's origin, checks every frame
 * against the protocol's schema (lib/realtime/protocol.ts), sends typed frames and reconnects with the
 * one policy of backoff.ts. No React in here (use-channel.ts is the hook).
 */

export type ChannelState =
  | {
      kind: 'connecting';
      /** 0 for the first socket (and after reconnect()), then the number of this retry. */
      attempt: number;
    }
  | { kind: 'open'; since: number }
  | {
      kind: 'retrying';
      attempt: number;
      delayMs: number;
      /** Epoch ms of the next attempt. */
      retryAt: number;
      code: number;
    }
  | {
      kind: 'closed';
      /** stopped: close() was called; refused: the close code says retrying is pointless; gave_up: policy.maxAttempts. */
      reason: 'stopped' | 'refused' | 'gave_up';
      code?: number;
    };

/** What a channel needs of a socket (the browser's WebSocket, or a fake in tests). */
export interface SocketLike {
  readonly readyState: number;
  /** Bytes queued but not yet sent (a paste is paced by it); absent in some fakes. */
  readonly bufferedAmount?: number;
  /** How binary frames arrive: a channel that reads them sets 'arraybuffer' (read in order, synchronously). */
  binaryType?: string;
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

const SOCKET_OPEN = 1;

/** A frame the schema refused: dropped, and reported here. */
export interface DroppedFrame {
  path: string;
  error: string;
}

/** The handle callbacks get: send typed frames, reconnect now, or stop for good. */
export interface Channel<Out> {
  readonly state: ChannelState;
  /** Sends when the socket is open; false (nothing sent) otherwise. */
  send(frame: Out): boolean;
  /** Bytes the open socket has not sent yet (0 without a socket). */
  readonly bufferedAmount: number;
  /** A new socket now, the backoff counter reset (a user's "Reconnect"; also restarts a closed channel). */
  reconnect(): void;
  /**
   * Stop for good: no more sockets. `lingerMs` leaves an open socket open that long first, so that the
   * server has handled the last frames sent (e.g. terminal `close`) before it sees the socket go.
   */
  close(opts?: { lingerMs?: number }): void;
}

export interface ChannelOptions<In, Out> {
  /** After /ws/, e.g. `notifications` or `terminal/<id>` (encode ids yourself). */
  path: string;
  /** The server → client schema of this channel, from lib/realtime/protocol.ts. */
  schema: z.ZodType<In>;
  onMessage(frame: In, channel: Channel<Out>): void;
  /**
   * Binary frames of this channel (the terminal's output, protocol.ts): read back as messages, at once
   * or (a compressed frame) later, each still in its place among the others. Without it binary frames
   * are dropped.
   */
  decodeBinary?(data: ArrayBuffer): Decoded<In> | Promise<Decoded<In>>;
  /** Each time a socket opens: send hello / subscribe / connect here. */
  onOpen?(channel: Channel<Out>): void;
  /** Each time a socket that had opened goes away (whatever the cause); pairs with onOpen. */
  onClose?(info: { code: number }): void;
  onState?(state: ChannelState): void;
  /** Defaults to a console warning. */
  onDropped?(dropped: DroppedFrame): void;
  policy?: Partial<BackoffPolicy>;
  /** Seams for tests. */
  page?: { protocol: string; host: string };
  connect?(url: string): SocketLike;
  now?(): number;
  random?(): number;
}

/** ws: or wss: as the page is http: or https:, on the page's own host. */
export function channelUrl(path: string, page: { protocol: string; host: string }): string {
  return `${page.protocol === 'https:' ? 'wss:' : 'ws:'}//${page.host}/ws/${path.replace(/^\/+/, '')}`;
}

export type Decoded<In> = { ok: true; frame: In } | { ok: false; error: string };

/** A text frame checked against the schema: a value, never a throw. */
export function decodeFrame<In>(schema: z.ZodType<In>, data: unknown): Decoded<In> {
  if (typeof data !== 'string') return { ok: false, error: 'binary frame' };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue?.path.join('.') || 'frame'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, frame: parsed.data };
}

function warnDropped({ path, error }: DroppedFrame): void {
  console.warn(`[/ws/${path}] dropped a frame that does not match the protocol (${error})`);
}

/** Opens the channel's first socket at once. */
export function openChannel<In, Out = never>(opts: ChannelOptions<In, Out>): Channel<Out> {
  const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...opts.policy };
  const connect = opts.connect ?? ((url: string) => new WebSocket(url));
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const onDropped = opts.onDropped ?? warnDropped;

  let socket: SocketLike | null = null;
  let openedAt: number | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let state: ChannelState = { kind: 'connecting', attempt: 0 };

  const setState = (next: ChannelState) => {
    state = next;
    opts.onState?.(next);
  };

  /** Forget the current socket (its events are ignored from now on); onClose if it had opened. */
  const detach = (code: number): SocketLike | null => {
    const s = socket;
    socket = null;
    if (s) s.onopen = s.onmessage = s.onclose = null;
    if (openedAt !== null) {
      openedAt = null;
      opts.onClose?.({ code });
    }
    return s;
  };

  const channel: Channel<Out> = {
    get state() {
      return state;
    },
    get bufferedAmount() {
      return socket?.bufferedAmount ?? 0;
    },
    send(frame) {
      if (socket?.readyState !== SOCKET_OPEN) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
    reconnect() {
      clearTimeout(timer);
      detach(1000)?.close();
      attempt = 0;
      start();
    },
    close({ lingerMs = 0 } = {}) {
      clearTimeout(timer);
      const s = detach(1000);
      if (s && lingerMs > 0 && s.readyState === SOCKET_OPEN) setTimeout(() => s.close(), lingerMs);
      else s?.close();
      setState({ kind: 'closed', reason: 'stopped' });
    },
  };

  function start(): void {
    timer = undefined;
    setState({ kind: 'connecting', attempt });
    const s = connect(channelUrl(opts.path, opts.page ?? location));
    // a Blob (the default) is read asynchronously and could overtake the text frames around it
    if (opts.decodeBinary) s.binaryType = 'arraybuffer';
    socket = s;
    s.onopen = () => {
      openedAt = now();
      setState({ kind: 'open', since: openedAt });
      opts.onOpen?.(channel);
    };
    // frames that arrive while one is still being decoded (a compressed one) wait behind it
    let decoding: Promise<void> | null = null;
    s.onmessage = (ev) => {
      const data: unknown = ev.data;
      const decode = () =>
        opts.decodeBinary && data instanceof ArrayBuffer
          ? opts.decodeBinary(data)
          : decodeFrame(opts.schema, data);
      const deliver = (decoded: Decoded<In>) => {
        if (socket !== s) return; // replaced or closed meanwhile
        if (decoded.ok) opts.onMessage(decoded.frame, channel);
        else onDropped({ path: opts.path, error: decoded.error });
      };
      let pending: Promise<void>;
      if (decoding) pending = decoding.then(async () => deliver(await decode()));
      else {
        const decoded = decode();
        if (!(decoded instanceof Promise)) return deliver(decoded);
        pending = decoded.then(deliver);
      }
      const queued: Promise<void> = (decoding = pending
        .catch((err: unknown) => {
          setTimeout(() => {
            throw err; // a handler's error surfaces as it would have without the wait
          });
        })
        .finally(() => {
          if (decoding === queued) decoding = null;
        }));
    };
    s.onclose = (ev) => {
      const openForMs = openedAt === null ? 0 : now() - openedAt;
      detach(ev.code);
      const decision = nextRetry({ attempt, code: ev.code, openForMs }, policy, random);
      if (!decision.retry) return setState({ kind: 'closed', reason: decision.reason, code: ev.code });
      attempt = decision.attempt;
      timer = setTimeout(start, decision.delayMs);
      setState({
        kind: 'retrying',
        attempt,
        delayMs: decision.delayMs,
        retryAt: now() + decision.delayMs,
        code: ev.code,
      });
    };
  }

  start();
  return channel;
}
