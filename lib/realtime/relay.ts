import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { isRole } from '../auth/roles';
import type { ClusterNodes } from '../cluster/nodes';
import { redisKey } from '../redis/connection';
import type { ChannelRoute } from './channels';
import type { ChannelHandler, Connection, OutboundMessage } from './connections';
import { MSG, OUTPUT_FRAMINGS, type OutputFraming } from './protocol';
import type { Identity } from './upgrade';

/**
 * Sockets relayed between nodes. A browser whose socket lands on node B (the front) while its
 * terminal session lives on node A (the owner) is served by A as if it were connected there: B
 * forwards the socket's validated client messages to A, A runs them through the same channel
 * handler against a connection that stands for the socket (`RelayedConnection`), and every frame A
 * sends comes back to B, which writes it to the browser unchanged. A load balancer needs no sticky
 * sessions, and everything a socket can do (typing, resizing, command mode, pairing, flow) works
 * through the relay because it is the same code.
 *
 * Transport: Redis pub/sub, one channel per node (`<prefix>relay:<nodeId>`), binary packets. One
 * publishing connection per node keeps each node pair's packets in order; every packet carries a
 * per-link sequence number, and a gap (a dropped Redis link loses what was published meanwhile)
 * closes the browser's socket with 1012, so it reconnects and starts again from the session's
 * serialized screen. The owner re-checks the socket's access (the channel's own `authorise`) before
 * it serves anything. Each side watches the other's node lease: a dead owner ends the link with a
 * message saying so; a dead front detaches the session (its resume grace period starts).
 */

/** Packet kinds: front → owner below 10, owner → front from 10. */
export const RELAY_KIND = {
  attach: 1,
  message: 2,
  detach: 3,
  ack: 4,
  text: 10,
  textCompressed: 11,
  binary: 12,
  close: 13,
} as const;
export type RelayKind = (typeof RELAY_KIND)[keyof typeof RELAY_KIND];
const KINDS = new Set<number>(Object.values(RELAY_KIND));

/** A link id is a UUID; anything longer is not ours. */
const LINK_MAX = 64;
/** How long a front waits for the owner's first frame before it gives up on the session. */
export const RELAY_ATTACH_TIMEOUT_MS = 5_000;
/** How often each side checks that the other side's node is alive. */
export const RELAY_CHECK_MS = 1_000;
/** Unacknowledged bytes after which a front acknowledges at once rather than at the end of the turn. */
const ACK_EVERY_BYTES = 256 * 1024;

export interface RelayPacket {
  kind: RelayKind;
  seq: number;
  link: string;
  payload: Buffer;
}

/** kind (1 byte) · seq (uint32 BE) · link length (1 byte) · link (ASCII) · payload */
export function encodePacket(p: RelayPacket): Buffer {
  const link = Buffer.from(p.link, 'latin1');
  if (link.length === 0 || link.length > LINK_MAX) throw new Error('bad link id');
  const head = Buffer.allocUnsafe(6 + link.length);
  head.writeUInt8(p.kind, 0);
  head.writeUInt32BE(p.seq >>> 0, 1);
  head.writeUInt8(link.length, 5);
  link.copy(head, 6);
  return Buffer.concat([head, p.payload]);
}

/** null for anything that is not a well-formed packet (it is dropped and logged). */
export function decodePacket(buf: Buffer): RelayPacket | null {
  if (buf.length < 7) return null;
  const kind = buf.readUInt8(0);
  if (!KINDS.has(kind)) return null;
  const len = buf.readUInt8(5);
  if (len === 0 || len > LINK_MAX || buf.length < 6 + len) return null;
  const link = buf.toString('latin1', 6, 6 + len);
  if (!/^[0-9a-f-]+$/.test(link)) return null;
  return { kind: kind as RelayKind, seq: buf.readUInt32BE(1), link, payload: buf.subarray(6 + len) };
}

const attachBody = z.object({
  from: z.string().min(1).max(256),
  route: z.discriminatedUnion('channel', [
    z.object({ channel: z.literal('terminal'), deviceId: z.string().min(1).max(64) }),
    z.object({ channel: z.literal('observe'), sessionId: z.string().min(1).max(64) }),
  ]),
  identity: z.object({
    userId: z.string().min(1),
    username: z.string(),
    role: z.string().refine(isRole),
    sessionVersion: z.number().optional(),
    tokenId: z.string().optional(),
    tokenScope: z.enum(['read', 'write']).optional(),
  }),
  address: z.string().max(256),
  framing: z.enum(OUTPUT_FRAMINGS),
  /** The socket's first message, sent on with the attach (a reattaching `connect`); none for observers. */
  first: z
    .record(z.string(), z.unknown())
    .and(z.object({ type: z.string() }))
    .nullable(),
});
type AttachBody = z.infer<typeof attachBody>;
const ackBody = z.object({ written: z.number().nonnegative(), buffered: z.number().nonnegative() });
const closeBody = z.object({ code: z.number().int(), reason: z.string().max(512) });

/** Packets between nodes: each node reads its own channel. */
export interface RelayTransport {
  send(node: string, packet: Buffer): Promise<void>;
  /** Every packet published to this node. */
  onPacket(handler: (packet: Buffer) => void): void;
  close(): Promise<void>;
}

/** Redis pub/sub: `pub` publishes, `sub` (a subscriber connection) listens on this node's channel. */
export class RedisRelayTransport implements RelayTransport {
  private handler: (packet: Buffer) => void = () => {};
  private readonly ready: Promise<unknown>;

  constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly prefix: string,
    self: string,
  ) {
    this.sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => this.handler(message));
    this.ready = this.sub.subscribe(this.channel(self));
  }

  private channel(node: string): string {
    return redisKey(this.prefix, 'relay', node);
  }

  /** Subscribed: packets published from now on arrive. */
  whenReady(): Promise<unknown> {
    return this.ready;
  }

  async send(node: string, packet: Buffer): Promise<void> {
    await this.pub.publish(this.channel(node), packet);
  }

  onPacket(handler: (packet: Buffer) => void): void {
    this.handler = handler;
  }

  async close(): Promise<void> {}
}

/**
 * An open session as the cluster sees it: where it lives, and what the live sessions page of any
 * node shows about it (refreshed by its node every SESSION_REFRESH_MS).
 */
export interface SessionEntry {
  id: string;
  node: string;
  userId: string;
  deviceId: string;
  deviceName: string;
  /** ms since the epoch */
  since: number;
  lastActive: number;
  observers: { name: string; since: number }[];
  /** Users the owner invited (pairing): they may see it too. */
  guests: string[];
}

/** How often a node rewrites its sessions' entries (idle time, observers on other nodes' pages). */
export const SESSION_REFRESH_MS = 5_000;

const sessionEntry = z.object({
  id: z.string(),
  node: z.string(),
  userId: z.string(),
  deviceId: z.string(),
  deviceName: z.string(),
  since: z.number(),
  lastActive: z.number(),
  observers: z.array(z.object({ name: z.string(), since: z.number() })),
  guests: z.array(z.string()),
});

/** Where each open session lives, kept in Redis while it is open. */
export interface SessionDirectory {
  set(entries: SessionEntry[]): Promise<void>;
  get(sessionId: string): Promise<SessionEntry | null>;
  all(): Promise<SessionEntry[]>;
  delete(sessionId: string): Promise<void>;
}

function parseEntry(json: string | null | undefined): SessionEntry | null {
  if (!json) return null;
  const r = sessionEntry.safeParse(safeJson(Buffer.from(json)));
  return r.success ? r.data : null;
}

/** One Redis hash: session id → its entry (JSON). */
export class RedisSessionDirectory implements SessionDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}
  async set(entries: SessionEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.redis.hset(this.key, Object.fromEntries(entries.map((e) => [e.id, JSON.stringify(e)])));
  }
  async get(sessionId: string): Promise<SessionEntry | null> {
    return parseEntry(await this.redis.hget(this.key, sessionId));
  }
  async all(): Promise<SessionEntry[]> {
    return Object.values(await this.redis.hgetall(this.key))
      .map(parseEntry)
      .filter((e): e is SessionEntry => e !== null);
  }
  async delete(sessionId: string): Promise<void> {
    await this.redis.hdel(this.key, sessionId);
  }
}

/** Where a session the browser asks for is. */
export type SessionWhereabouts =
  { kind: 'remote'; node: string } | { kind: 'gone'; node: string } | { kind: 'unknown' };

/** The front's end of a relayed socket. */
export interface RelayLink {
  readonly owner: string;
  forward(message: { type: string }): void;
  /** The browser's socket closed: the owner detaches. */
  detach(): void;
}

export interface SocketRelayOptions {
  transport: RelayTransport;
  directory: SessionDirectory;
  nodes: ClusterNodes;
  /** The channel handlers of this node (the owner serves relayed sockets through them). */
  handler(channel: ChannelRoute['channel']): ChannelHandler | undefined;
  log: Logger;
  attachTimeoutMs?: number;
  checkMs?: number;
}

interface FrontLink extends RelayLink {
  id: string;
  conn: Connection;
  sendSeq: number;
  recvSeq: number;
  answered: boolean;
  /** Bytes of owner frames this front has written to the browser's socket. */
  written: number;
  acked: number;
  ackQueued: boolean;
  onOwnerGone: (owner: string) => void;
  attachTimer: NodeJS.Timeout | null;
  ended: boolean;
}

interface OwnerLink {
  id: string;
  front: string;
  conn: RelayedConnection | null;
  handler: ChannelHandler | null;
  recvSeq: number;
  /** Packets that arrived while the attach was being checked. */
  early: RelayPacket[];
  ended: boolean;
}

/**
 * The owner's stand-in for a socket on another node. Frames go back to the front over the relay;
 * `bufferedAmount` is what the front has not written to the browser yet plus what its socket still
 * queues, so the session's flow control pauses the device for a slow browser on another node as it
 * does for one here.
 */
class RelayedConnection implements Connection {
  readonly openedAt = Date.now();
  private sent = 0;
  private written = 0;
  private frontBuffered = 0;
  private seq = 0;
  private readonly waiting: Array<{ upTo: number; done: () => void }> = [];
  closed = false;

  constructor(
    readonly id: string,
    readonly identity: Identity,
    readonly route: ChannelRoute,
    readonly address: string,
    readonly outputFraming: OutputFraming,
    private readonly emit: (kind: RelayKind, seq: number, payload: Buffer) => Promise<void>,
    private readonly onClose: (code: number, reason: string) => void,
  ) {}

  bufferedAmount(): number {
    return this.sent - this.written + this.frontBuffered;
  }

  /** The front wrote `written` bytes in all; its socket queues `buffered`. */
  acked(written: number, buffered: number): void {
    this.written = Math.max(this.written, written);
    this.frontBuffered = buffered;
    while (this.waiting.length > 0 && this.waiting[0]!.upTo <= this.written) this.waiting.shift()!.done();
  }

  private out(kind: RelayKind, payload: Buffer, onWritten?: () => void): void {
    if (this.closed) return onWritten?.();
    this.sent += payload.length;
    if (onWritten) this.waiting.push({ upTo: this.sent, done: onWritten });
    this.emit(kind, this.seq++, payload).catch(() => this.fail());
  }

  /** The relay could not deliver: the browser reconnects and starts again from the screen. */
  private fail(): void {
    if (this.closed) return;
    this.onClose(1012, 'The link to the node holding this session was interrupted.');
  }

  /** Written callbacks still waiting run now (the link is over; nothing more will be written). */
  flushWaiting(): void {
    for (const w of this.waiting.splice(0)) w.done();
  }

  send(message: OutboundMessage, onWritten?: () => void): void {
    this.out(RELAY_KIND.text, Buffer.from(JSON.stringify(message)), onWritten);
  }

  sendText(text: string): void {
    this.out(RELAY_KIND.text, Buffer.from(text));
  }

  sendFrame(frame: Uint8Array | string, compress: boolean, onWritten?: () => void): void {
    if (typeof frame === 'string')
      this.out(compress ? RELAY_KIND.textCompressed : RELAY_KIND.text, Buffer.from(frame), onWritten);
    else
      this.out(RELAY_KIND.binary, Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength), onWritten);
  }

  sendError(code: string, message: string): void {
    this.send({ type: MSG.error, code, message });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.out(RELAY_KIND.close, Buffer.from(JSON.stringify({ code, reason })));
    this.onClose(code, reason);
  }
}

/** Both ends of relayed sockets on this node. */
export class SocketRelay {
  private readonly fronts = new Map<string, FrontLink>();
  private readonly owned = new Map<string, OwnerLink>();
  private readonly check: NodeJS.Timeout;
  private readonly attachTimeoutMs: number;
  private closing = false;

  constructor(private readonly opts: SocketRelayOptions) {
    this.attachTimeoutMs = opts.attachTimeoutMs ?? RELAY_ATTACH_TIMEOUT_MS;
    opts.transport.onPacket((buf) => this.receive(buf));
    this.check = setInterval(() => void this.checkPeers(), opts.checkMs ?? RELAY_CHECK_MS);
    this.check.unref();
  }

  get self(): string {
    return this.opts.nodes.self;
  }

  /** Sockets this node serves for other nodes, and sockets it forwards to them (metrics, tests). */
  stats(): { owned: number; forwarded: number } {
    return { owned: this.owned.size, forwarded: this.fronts.size };
  }

  /** Sessions of this node, opened or changed: other nodes find them (and list them). */
  async publish(entries: SessionEntry[]): Promise<void> {
    await this.opts.directory.set(entries);
  }

  async closed(sessionId: string): Promise<void> {
    await this.opts.directory.delete(sessionId);
  }

  /** Where a session that is not on this node lives, if anywhere. */
  async locate(sessionId: string): Promise<SessionWhereabouts> {
    const entry = await this.opts.directory.get(sessionId);
    if (entry === null || entry.node === this.self) return { kind: 'unknown' };
    if (await this.opts.nodes.isAlive(entry.node)) return { kind: 'remote', node: entry.node };
    void this.opts.directory.delete(sessionId).catch(() => {});
    return { kind: 'gone', node: entry.node };
  }

  /** One open session of another live node, by id. */
  async remoteSession(sessionId: string): Promise<SessionEntry | null> {
    const entry = await this.opts.directory.get(sessionId);
    if (!entry || entry.node === this.self || !(await this.opts.nodes.isAlive(entry.node))) return null;
    return entry;
  }

  /** The open sessions of the other live nodes (entries of dead nodes are dropped). */
  async remoteSessions(): Promise<SessionEntry[]> {
    const [entries, live] = await Promise.all([this.opts.directory.all(), this.opts.nodes.live()]);
    const alive = new Set(live);
    for (const e of entries) if (!alive.has(e.node)) void this.opts.directory.delete(e.id).catch(() => {});
    return entries.filter((e) => e.node !== this.self && alive.has(e.node));
  }

  /**
   * Serve this socket from `owner`: `first` (the socket's first message there, e.g. a reattaching
   * `connect`) goes with the attach. `onOwnerGone` runs if the owner dies or never answers.
   */
  open(
    conn: Connection,
    owner: string,
    first: { type: string } | null,
    onOwnerGone: (owner: string) => void,
  ): RelayLink {
    const id = randomUUID();
    const link: FrontLink = {
      id,
      owner,
      conn,
      sendSeq: 0,
      recvSeq: 0,
      answered: false,
      written: 0,
      acked: 0,
      ackQueued: false,
      onOwnerGone,
      attachTimer: null,
      ended: false,
      forward: (message) => this.toOwner(link, RELAY_KIND.message, Buffer.from(JSON.stringify(message))),
      detach: () => {
        if (link.ended) return;
        this.toOwner(link, RELAY_KIND.detach, Buffer.alloc(0));
        this.endFront(link);
      },
    };
    this.fronts.set(id, link);
    const body: AttachBody = {
      from: this.self,
      route: relayRoute(conn.route),
      identity: { ...conn.identity },
      address: conn.address,
      framing: conn.outputFraming,
      first: first as AttachBody['first'],
    };
    link.attachTimer = setTimeout(() => {
      if (!link.answered) this.ownerGone(link);
    }, this.attachTimeoutMs);
    link.attachTimer.unref();
    this.toOwner(link, RELAY_KIND.attach, Buffer.from(JSON.stringify(body)));
    return link;
  }

  private toOwner(link: FrontLink, kind: RelayKind, payload: Buffer): void {
    if (link.ended) return;
    const packet = encodePacket({ kind, seq: link.sendSeq++, link: link.id, payload });
    this.opts.transport.send(link.owner, packet).catch((err: unknown) => {
      this.opts.log.warn({ err, owner: link.owner }, 'relay send failed');
      this.interrupted(link);
    });
  }

  /** Lost packets either way: the browser reconnects (1012) and gets the screen again. */
  private interrupted(link: FrontLink): void {
    if (link.ended) return;
    this.endFront(link);
    link.conn.close(1012, 'The link to the node holding this session was interrupted.');
  }

  private ownerGone(link: FrontLink): void {
    if (link.ended) return;
    // in case it is only slow or cut off: it lets go of the session too
    this.toOwner(link, RELAY_KIND.detach, Buffer.alloc(0));
    this.endFront(link);
    link.onOwnerGone(link.owner);
  }

  private endFront(link: FrontLink): void {
    link.ended = true;
    if (link.attachTimer) clearTimeout(link.attachTimer);
    this.fronts.delete(link.id);
  }

  private receive(buf: Buffer): void {
    const p = decodePacket(buf);
    if (!p) return this.opts.log.warn({ bytes: buf.length }, 'malformed relay packet dropped');
    if (p.kind >= RELAY_KIND.text) this.atFront(p);
    else this.atOwner(p);
  }

  // ---- the front: frames from the owner go to the browser

  private atFront(p: RelayPacket): void {
    const link = this.fronts.get(p.link);
    if (!link) return; // ended here (the browser left); the owner hears of it
    if (p.seq !== link.recvSeq) {
      this.opts.log.warn({ owner: link.owner, expected: link.recvSeq, got: p.seq }, 'relay packets lost');
      this.toOwner(link, RELAY_KIND.detach, Buffer.alloc(0));
      return this.interrupted(link);
    }
    link.recvSeq++;
    link.answered = true;
    const { conn } = link;
    const size = p.payload.length;
    const written = () => {
      link.written += size;
      this.queueAck(link);
    };
    switch (p.kind) {
      case RELAY_KIND.text:
      case RELAY_KIND.textCompressed:
        return conn.sendFrame(p.payload.toString('utf8'), p.kind === RELAY_KIND.textCompressed, written);
      case RELAY_KIND.binary:
        return conn.sendFrame(p.payload, false, written);
      case RELAY_KIND.close: {
        const body = closeBody.safeParse(safeJson(p.payload));
        this.endFront(link);
        return conn.close(body.success ? body.data.code : 1011, body.success ? body.data.reason : 'closed');
      }
    }
  }

  /** One acknowledgement per turn of the event loop (or at once past ACK_EVERY_BYTES). */
  private queueAck(link: FrontLink): void {
    if (link.written - link.acked >= ACK_EVERY_BYTES) return this.ack(link);
    if (link.ackQueued) return;
    link.ackQueued = true;
    setImmediate(() => {
      link.ackQueued = false;
      this.ack(link);
    });
  }

  private ack(link: FrontLink): void {
    if (link.ended) return;
    link.acked = link.written;
    const buffered = link.conn.bufferedAmount();
    this.toOwner(link, RELAY_KIND.ack, Buffer.from(JSON.stringify({ written: link.written, buffered })));
    // the socket still queues bytes: say when it drains, so a paused session goes on
    if (buffered > 0) {
      const t = setTimeout(() => this.ack(link), 50);
      t.unref();
    }
  }

  // ---- the owner: a relayed socket served here

  private atOwner(p: RelayPacket): void {
    if (p.kind === RELAY_KIND.attach) return void this.attach(p);
    const link = this.owned.get(p.link);
    if (!link || link.ended) return;
    if (p.seq !== link.recvSeq) {
      this.opts.log.warn({ front: link.front, expected: link.recvSeq, got: p.seq }, 'relay packets lost');
      if (link.conn) link.conn.close(1012, 'The link to the node holding this session was interrupted.');
      else this.endOwned(link);
      return;
    }
    link.recvSeq++;
    if (!link.conn) {
      link.early.push(p);
      return;
    }
    this.serve(link, p);
  }

  private serve(link: OwnerLink, p: RelayPacket): void {
    const conn = link.conn!;
    const handler = link.handler!;
    switch (p.kind) {
      case RELAY_KIND.message: {
        const parsed = handler.inbound.safeParse(safeJson(p.payload));
        if (!parsed.success) return conn.sendError('invalid_message', 'The relayed message was not valid.');
        return this.dispatch(link, () => handler.onMessage(conn, parsed.data));
      }
      case RELAY_KIND.ack: {
        const body = ackBody.safeParse(safeJson(p.payload));
        if (body.success) conn.acked(body.data.written, body.data.buffered);
        return;
      }
      case RELAY_KIND.detach:
        return this.endOwned(link);
    }
  }

  private dispatch(link: OwnerLink, run: () => void | Promise<void>): void {
    try {
      void Promise.resolve(run()).catch((err: unknown) => this.handlerFailed(link, err));
    } catch (err) {
      this.handlerFailed(link, err);
    }
  }

  private handlerFailed(link: OwnerLink, err: unknown): void {
    this.opts.log.error({ err, front: link.front }, 'relayed message failed');
    link.conn?.sendError('internal', 'The server failed to handle this message.');
  }

  private async attach(p: RelayPacket): Promise<void> {
    if (p.seq !== 0 || this.owned.has(p.link) || this.closing) return;
    const parsed = attachBody.safeParse(safeJson(p.payload));
    if (!parsed.success) return this.opts.log.warn({ link: p.link }, 'malformed relay attach dropped');
    const body = parsed.data;
    const link: OwnerLink = {
      id: p.link,
      front: body.from,
      conn: null,
      handler: null,
      recvSeq: 1,
      early: [],
      ended: false,
    };
    this.owned.set(link.id, link);
    let seq = 0;
    const emit = (kind: RelayKind, payload: Buffer) =>
      this.opts.transport.send(link.front, encodePacket({ kind, seq: seq++, link: link.id, payload }));
    const refuse = (code: number, reason: string) => {
      this.endOwned(link);
      void emit(RELAY_KIND.close, Buffer.from(JSON.stringify({ code, reason }))).catch(() => {});
    };
    const route: ChannelRoute = body.route;
    const handler = this.opts.handler(route.channel);
    if (!handler) return refuse(1011, 'This node does not serve that channel.');
    const identity: Identity = { ...body.identity, role: body.identity.role as Identity['role'] };
    try {
      // the owner decides for itself: the user's current role and grants, as at an upgrade here
      const ok = handler.authorise ? await handler.authorise(identity, route) : { ok: true as const };
      if (!ok.ok) return refuse(ok.status === 404 ? 4404 : 4403, ok.message);
    } catch (err) {
      this.opts.log.error({ err }, 'relayed socket authorisation failed');
      return refuse(1011, 'The server could not check your access.');
    }
    if (link.ended) return;
    const first = body.first === null ? null : handler.inbound.safeParse(body.first);
    if (first && !first.success) return refuse(1008, 'The relayed message was not valid.');
    link.handler = handler;
    link.conn = new RelayedConnection(
      `relay-${link.id}`,
      identity,
      route,
      body.address,
      body.framing,
      (kind, _seq, payload) => emit(kind, payload),
      () => this.endOwned(link),
    );
    const conn = link.conn;
    this.dispatch(link, async () => {
      await handler.onOpen?.(conn);
      if (first) await handler.onMessage(conn, first.data);
    });
    for (const early of link.early.splice(0)) this.serve(link, early);
  }

  private endOwned(link: OwnerLink): void {
    if (link.ended) return;
    link.ended = true;
    this.owned.delete(link.id);
    const conn = link.conn;
    if (!conn) return;
    conn.closed = true;
    try {
      link.handler?.onClose?.(conn);
    } finally {
      conn.flushWaiting();
    }
  }

  /** Each side of every link: is the other side's node still alive? */
  private async checkPeers(): Promise<void> {
    const peers = new Set<string>([
      ...[...this.fronts.values()].map((l) => l.owner),
      ...[...this.owned.values()].map((l) => l.front),
    ]);
    for (const node of peers) {
      let alive = true;
      try {
        alive = await this.opts.nodes.isAlive(node);
      } catch {
        continue; // Redis trouble: do not end links on a guess
      }
      if (alive) continue;
      for (const l of [...this.fronts.values()]) if (l.owner === node) this.ownerGone(l);
      for (const l of [...this.owned.values()]) if (l.front === node) this.endOwned(l);
    }
  }

  /** Every relayed socket ends: fronts' browsers reconnect (and land on a live node). */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.check);
    for (const l of [...this.fronts.values()]) this.interrupted(l);
    for (const l of [...this.owned.values()])
      l.conn?.close(1012, 'The node holding this session is restarting.');
    for (const l of [...this.owned.values()]) this.endOwned(l);
    await this.opts.transport.close();
  }
}

/** Only sockets bound to one session are relayed: a terminal or an observer. */
function relayRoute(route: ChannelRoute): AttachBody['route'] {
  if (route.channel === 'terminal' || route.channel === 'observe') return route;
  throw new Error(`the ${route.channel} channel is not relayed`);
}

function safeJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    return undefined;
  }
}
