import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { RevocationScope } from '../events/types';
import type { ChannelName, ChannelRoute } from './channels';
import {
  ERROR_CODES,
  MSG,
  outputFramingOf,
  parseFrame,
  type ErrorCode,
  type OutputFraming,
} from './protocol';
import type { Identity } from './upgrade';

/** Frames larger than this get an error frame (the connection stays up). */
export const WS_MAX_FRAME_BYTES_DEFAULT = 64 * 1024;
/** Frames larger than this are refused by the ws library itself (close 1009): a hard memory cap. */
export const WS_HARD_MAX_FRAME_BYTES = 1024 * 1024;
/** Frames at or above this size are compressed (permessage-deflate); keystroke frames never are. */
export const WS_COMPRESS_THRESHOLD_BYTES = 1024;
/** Terminal output waiting in a socket from which its link counts as behind (about one full frame). */
export const WS_COMPRESS_BACKLOG_BYTES = 64 * 1024;
/** A link that took terminal output this fast (uncompressed bytes) without falling behind is fast. */
export const WS_FAST_LINK_BYTES_PER_S = 10 * 1024 * 1024;
/** ...over at least this long (a link's kernel buffers alone cannot fake it). */
export const WS_FAST_LINK_PROOF_MS = 1000;
export const WS_HEARTBEAT_MS_DEFAULT = 30_000;
export const WS_CLOSE_GOING_AWAY = 1001;
export const WS_CLOSE_POLICY = 1008;
/** A close frame's reason is at most 123 bytes (RFC 6455); longer ones are cut at a character boundary. */
export const WS_CLOSE_REASON_MAX_BYTES = 123;

export function closeReason(reason: string): string {
  let out = reason;
  while (Buffer.byteLength(out) > WS_CLOSE_REASON_MAX_BYTES) out = out.slice(0, -1);
  return out;
}

/**
 * Whether one socket's terminal output is compressed. Compression pays only where the link, not the
 * CPU, sets the rate: deflate at level 1 runs at ~210 MB/s of one core and inflate at ~680 MB/s
 * (terminal text, 64 KiB frames, on the benchmark machine) while the portal relays ~60 MB/s, and
 * deflating every large frame cost 44% of the bulk throughput over loopback (bench/throughput.ts:
 * 0.35× direct against 0.62× for a client that did not offer compression, same run). On a slow link
 * it is the other way round: each compressed byte carries 4-7 bytes of terminal text (bench: 4 MB/s
 * of text through a 1 MB/s link).
 *
 * The decision serves both ways of compressing: permessage-deflate for JSON output frames, and the
 * terminal channel's own compressed binary frames (protocol.ts, BINARY_FRAME.deflatedOutput).
 *
 * Output starts uncompressed, and a socket whose link falls behind (output piles up in the socket,
 * WS_COMPRESS_BACKLOG_BYTES) is compressed from then on, until it proves fast: more than
 * WS_FAST_LINK_BYTES_PER_S taken over WS_FAST_LINK_PROOF_MS without falling behind again (a 1 MB/s
 * link carries at most ~7 MB/s of text compressed). One backlog is not undone by the next empty
 * buffer: the kernel's socket buffers (megabytes) drain in bursts and would flip it every turn.
 */
export interface OutputCompression {
  readonly compressing: boolean;
  /** While compressing: when the link last was behind (or the measuring window began)... */
  readonly since: number;
  /** ...and the output bytes sent since. */
  readonly bytes: number;
}

export const OUTPUT_UNCOMPRESSED: OutputCompression = { compressing: false, since: 0, bytes: 0 };

/** Decide for one output frame of `frameBytes` (frames under WS_COMPRESS_THRESHOLD_BYTES never are). */
export function compressOutput(
  state: OutputCompression,
  frameBytes: number,
  bufferedBytes: number,
  nowMs: number,
): { compress: boolean; state: OutputCompression } {
  let next = state;
  if (bufferedBytes >= WS_COMPRESS_BACKLOG_BYTES) {
    next = { compressing: true, since: nowMs, bytes: 0 };
  } else if (state.compressing) {
    const bytes = state.bytes + frameBytes;
    const ms = nowMs - state.since;
    if (ms < WS_FAST_LINK_PROOF_MS) next = { compressing: true, since: state.since, bytes };
    else if ((bytes * 1000) / ms >= WS_FAST_LINK_BYTES_PER_S) next = OUTPUT_UNCOMPRESSED;
    else next = { compressing: true, since: nowMs, bytes: 0 }; // too slow to tell: measure again
  }
  return { compress: next.compressing && frameBytes >= WS_COMPRESS_THRESHOLD_BYTES, state: next };
}

/** Any server → client message: a JSON object with a `type`. */
export type OutboundMessage = { type: string } & Record<string, unknown>;

export interface Connection {
  readonly id: string;
  readonly identity: Identity;
  readonly route: ChannelRoute;
  /** The client's address (through trusted proxies), for the per-address connection cap. */
  readonly address: string;
  readonly openedAt: number;
  /** How the client takes terminal output: asked for on the upgrade URL (protocol.ts, OUTPUT_FRAMING_PARAM). */
  readonly outputFraming: OutputFraming;
  /** Bytes queued in the socket, not yet written to the network. */
  bufferedAmount(): number;
  /** `onWritten` runs once the frame has left the process (or failed): the backpressure signal. */
  send(message: OutboundMessage, onWritten?: () => void): void;
  /** Send an already serialised frame (fan-out serialises once for many sockets). */
  sendText(text: string): void;
  /**
   * Send a frame the caller built, binary (bytes) or text (serialised JSON), compressed only when
   * `compress` says so (the caller decides per frame: terminal output, see compressOutput).
   */
  sendFrame(frame: Uint8Array | string, compress: boolean, onWritten?: () => void): void;
  sendError(code: ErrorCode | string, message: string): void;
  close(code: number, reason: string): void;
}

/** Channel-level authorisation before the handshake (e.g. role, device grant). */
export type ChannelAuthorisation = { ok: true } | { ok: false; status: 403 | 404; message: string };

export interface ChannelHandler<In extends { type: string } = { type: string }> {
  readonly channel: ChannelName;
  readonly inbound: z.ZodType<In>;
  readonly inboundTypes: readonly string[];
  authorise?(identity: Identity, route: ChannelRoute): Promise<ChannelAuthorisation>;
  /** Called once when registered: handlers that push to users reach their connections through it. */
  bind?(manager: ConnectionManager): void;
  onOpen?(conn: Connection): void | Promise<void>;
  onMessage(conn: Connection, message: In): void | Promise<void>;
  onClose?(conn: Connection): void;
  /**
   * Events may have been missed (the cluster bus was cut off): the access this channel granted to
   * these sockets, re-checked against the database. Returns what no longer holds; the caller revokes it.
   */
  verify?(conns: Connection[]): Promise<Revocation[]>;
  /** Events may have been missed: bring these sockets (still allowed) up to date from the database. */
  resync?(conns: Connection[]): Promise<void>;
  /** Access revoked (found by a resync): end what the channel runs beyond its sockets, before they close. */
  revokeUser?(userId: string, scope: RevocationScope, reason: string): void;
  /** One socket's session is over (found by a resync): end what it runs, before it closes. */
  revokeSocket?(conn: Connection, reason: string): void;
}

/** Access that no longer holds, as `access.revoked` carries it. */
export interface Revocation {
  userId: string;
  scope: RevocationScope;
  reason: string;
}

export interface ConnectionManagerOptions {
  maxFrameBytes?: number;
  heartbeatMs?: number;
  log: Logger;
}

interface Entry {
  conn: Connection;
  ws: WebSocket;
  alive: boolean;
}

/**
 * Every open WebSocket of this process: by id and by user, send to one, broadcast to a user,
 * heartbeat that drops dead peers, frame-size limit, validated inbound frames.
 */
export class ConnectionManager {
  private readonly wss: WebSocketServer;
  /**
   * For sockets that take binary terminal output: no permessage-deflate. A browser that negotiated it
   * compresses every frame it sends, each keystroke too (Chromium does), and each is inflated on the
   * thread pool before it is handled (keystrokes against sshd as bench/echo.ts types them, with and
   * without: +0.15 ms at p50, +0.6 ms at p99); their output is compressed by the terminal channel
   * itself where that pays (protocol.ts BINARY_FRAME.deflatedOutput, compressOutput).
   */
  private readonly plainWss: WebSocketServer;
  private readonly byId = new Map<string, Entry>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly byAddress = new Map<string, number>();
  private readonly handlers = new Map<ChannelName, ChannelHandler>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly maxFrameBytes: number;
  private readonly log: Logger;

  constructor(opts: ConnectionManagerOptions) {
    this.maxFrameBytes = opts.maxFrameBytes ?? WS_MAX_FRAME_BYTES_DEFAULT;
    this.log = opts.log;
    const maxPayload = Math.max(WS_HARD_MAX_FRAME_BYTES, this.maxFrameBytes);
    this.plainWss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false });
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload,
      // ws applies `threshold` only without server context takeover (ws/lib/sender.js); without it
      // every frame, keystroke echoes included, was compressed and each socket kept a ~220 KiB zlib
      // context (measured in bench/: fan-out 0.12× raw ws, 245 KiB per terminal session).
      perMessageDeflate: {
        threshold: WS_COMPRESS_THRESHOLD_BYTES,
        serverNoContextTakeover: true,
        zlibDeflateOptions: { level: 1 },
      },
    });
    this.heartbeat = setInterval(() => this.beat(), opts.heartbeatMs ?? WS_HEARTBEAT_MS_DEFAULT);
    this.heartbeat.unref();
  }

  register<In extends { type: string }>(handler: ChannelHandler<In>): void {
    this.handlers.set(handler.channel, handler as unknown as ChannelHandler);
    handler.bind?.(this);
  }

  handler(channel: ChannelName): ChannelHandler | undefined {
    return this.handlers.get(channel);
  }

  count(): number {
    return this.byId.size;
  }

  countByChannel(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { conn } of this.byId.values()) out[conn.route.channel] = (out[conn.route.channel] ?? 0) + 1;
    return out;
  }

  /** Open connections of one user, on every channel (the per-user cap counts these). */
  countOf(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  /** Open connections from one client address (the per-address cap counts these). */
  countAt(address: string): number {
    return this.byAddress.get(address) ?? 0;
  }

  /** Close a user's connections that `which` selects, with a policy close (the browser does not retry). */
  closeUserConnections(userId: string, which: (conn: Connection) => boolean, reason: string): number {
    let n = 0;
    for (const conn of this.connectionsOf(userId)) {
      if (!which(conn)) continue;
      conn.close(WS_CLOSE_POLICY, reason);
      n++;
    }
    return n;
  }

  /** Every open connection. */
  connections(): Connection[] {
    return [...this.byId.values()].map((e) => e.conn);
  }

  /** Connections opened with an API token (re-checked periodically). */
  tokenConnections(): Connection[] {
    return [...this.byId.values()].map((e) => e.conn).filter((c) => c.identity.tokenId !== undefined);
  }

  connectionsOf(userId: string): Connection[] {
    return [...(this.byUser.get(userId) ?? [])].map((id) => this.byId.get(id)!.conn);
  }

  /** Send to every open connection of a user (optionally on one channel); returns how many. */
  broadcastToUser(userId: string, message: OutboundMessage | string, channel?: ChannelName): number {
    let n = 0;
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    for (const id of this.byUser.get(userId) ?? []) {
      const entry = this.byId.get(id);
      if (!entry || (channel && entry.conn.route.channel !== channel)) continue;
      if (entry.ws.readyState === WebSocket.OPEN) {
        entry.ws.send(text);
        n++;
      }
    }
    return n;
  }

  /** Complete the handshake for an already-authenticated upgrade and wire the channel handler. */
  accept(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    identity: Identity,
    route: ChannelRoute,
    address: string,
    /** Called once when the socket closes (the caller's reservations are given back). */
    onClosed?: () => void,
  ): void {
    const handler = this.handlers.get(route.channel);
    if (!handler) throw new Error(`no handler for channel ${route.channel}`);
    // ws completes the handshake synchronously here (no verifyClient), so the connection is counted
    // before the caller releases its reservation against the caps
    // the raw socket closes whether the handshake completes or not (a client gone meanwhile)
    if (onClosed) {
      if (socket.destroyed) onClosed();
      else socket.once('close', onClosed);
    }
    const framing = outputFramingOf(req.url);
    const wss = framing === 'binary' ? this.plainWss : this.wss;
    wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, identity, route, address, framing, handler));
  }

  private attach(
    ws: WebSocket,
    identity: Identity,
    route: ChannelRoute,
    address: string,
    outputFraming: OutputFraming,
    handler: ChannelHandler,
  ): void {
    const id = randomUUID();
    const conn: Connection = {
      id,
      identity,
      route,
      address,
      openedAt: Date.now(),
      outputFraming,
      bufferedAmount: () => ws.bufferedAmount,
      send: (message, onWritten) => {
        if (ws.readyState === WebSocket.OPEN)
          ws.send(JSON.stringify(message), onWritten && (() => onWritten()));
      },
      sendText: (text) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(text);
      },
      sendFrame: (frame, compress, onWritten) => {
        if (ws.readyState !== WebSocket.OPEN) return;
        ws.send(frame, { binary: typeof frame !== 'string', compress }, onWritten && (() => onWritten()));
      },
      sendError: (code, message) => conn.send({ type: MSG.error, code, message }),
      close: (code, reason) => ws.close(code, closeReason(reason)),
    };
    const entry: Entry = { conn, ws, alive: true };
    this.byId.set(id, entry);
    let set = this.byUser.get(identity.userId);
    if (!set) this.byUser.set(identity.userId, (set = new Set()));
    set.add(id);
    this.byAddress.set(address, this.countAt(address) + 1);

    ws.on('pong', () => {
      entry.alive = true;
    });
    ws.on('message', (data: RawData, isBinary: boolean) => this.onFrame(entry, handler, data, isBinary));
    ws.on('error', (err) => this.log.debug({ err, connectionId: id }, 'websocket error'));
    ws.on('close', () => {
      this.byId.delete(id);
      const s = this.byUser.get(identity.userId);
      s?.delete(id);
      if (s?.size === 0) this.byUser.delete(identity.userId);
      const left = this.countAt(address) - 1;
      if (left > 0) this.byAddress.set(address, left);
      else this.byAddress.delete(address);
      try {
        handler.onClose?.(conn);
      } catch (err) {
        this.log.error({ err, channel: route.channel }, 'channel onClose failed');
      }
    });
    Promise.resolve()
      .then(() => handler.onOpen?.(conn))
      .catch((err: unknown) => {
        this.log.error({ err, channel: route.channel }, 'channel onOpen failed');
        conn.sendError(ERROR_CODES.internal, 'The server could not open this channel.');
      });
  }

  private onFrame(entry: Entry, handler: ChannelHandler, data: RawData, isBinary: boolean): void {
    entry.alive = true;
    const { conn } = entry;
    if (isBinary) {
      conn.sendError(ERROR_CODES.binaryNotSupported, 'Binary frames are not supported; send JSON text.');
      return;
    }
    const size = Array.isArray(data)
      ? data.reduce((n, b) => n + b.length, 0)
      : data instanceof ArrayBuffer
        ? data.byteLength
        : data.length;
    if (size > this.maxFrameBytes) {
      conn.sendError(
        ERROR_CODES.frameTooLarge,
        `Frame of ${size} bytes exceeds the limit of ${this.maxFrameBytes}.`,
      );
      return;
    }
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data as Buffer).toString('utf8');
    const parsed = parseFrame(handler.inbound, text, handler.inboundTypes);
    if (!parsed.ok) {
      conn.sendError(parsed.code, parsed.message);
      return;
    }
    Promise.resolve()
      .then(() => handler.onMessage(conn, parsed.message))
      .catch((err: unknown) => {
        this.log.error(
          { err, channel: conn.route.channel, type: parsed.message.type },
          'channel handler failed',
        );
        conn.sendError(ERROR_CODES.internal, 'The server failed to handle this message.');
      });
  }

  private beat(): void {
    for (const entry of this.byId.values()) {
      if (!entry.alive) {
        entry.ws.terminate();
        continue;
      }
      entry.alive = false;
      try {
        entry.ws.ping();
      } catch {
        entry.ws.terminate();
      }
    }
  }

  /** Close every socket with a reason (graceful shutdown) and wait for them to go. */
  async closeAll(
    code = WS_CLOSE_GOING_AWAY,
    reason = 'server shutting down',
    timeoutMs = 3000,
  ): Promise<void> {
    clearInterval(this.heartbeat);
    const sockets = [...this.byId.values()].map((e) => e.ws);
    await Promise.race([
      Promise.all(
        sockets.map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === WebSocket.CLOSED) return resolve();
              ws.once('close', () => resolve());
              ws.close(code, reason);
            }),
        ),
      ),
      new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
    for (const ws of sockets) if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
    this.wss.close();
    this.plainWss.close();
  }
}
