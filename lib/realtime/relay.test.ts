import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { ClusterNodes } from '../cluster/nodes';
import type { ChannelHandler, Connection, OutboundMessage } from './connections';
import {
  decodePacket,
  encodePacket,
  RELAY_KIND,
  SocketRelay,
  type RelayTransport,
  type SessionDirectory,
  type SessionEntry,
} from './relay';
import type { Identity } from './upgrade';

const log = pino({ level: 'silent' });

function entry(id: string, node: string): SessionEntry {
  return {
    id,
    node,
    userId: 'u1',
    deviceId: 'dev1',
    deviceName: 'sw1',
    since: 1,
    lastActive: 2,
    observers: [],
    guests: [],
  };
}
const WAIT = { timeout: 5_000, interval: 5 };

describe('relay packets', () => {
  it('round-trip kind, sequence number, link and payload', () => {
    const link = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    const payload = Buffer.from([0, 1, 2, 255]);
    const p = decodePacket(encodePacket({ kind: RELAY_KIND.binary, seq: 4_000_000_000, link, payload }));
    expect(p).toEqual({ kind: RELAY_KIND.binary, seq: 4_000_000_000, link, payload });
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['too short', Buffer.from([1, 0, 0, 0, 0])],
    ['unknown kind', Buffer.from([99, 0, 0, 0, 0, 1, 0x61])],
    ['link longer than the packet', Buffer.from([1, 0, 0, 0, 0, 40, 0x61])],
    ['link of no length', Buffer.from([1, 0, 0, 0, 0, 0, 0x61])],
    ['link with other characters', Buffer.from([1, 0, 0, 0, 0, 2, 0x2f, 0x2e])],
  ])('are refused when malformed: %s', (_what, buf) => {
    expect(decodePacket(buf)).toBeNull();
  });
});

/** Nodes that share a memory "Redis": each node's packets go to the addressed node, in order. */
function network() {
  const inboxes = new Map<string, (p: Buffer) => void>();
  const alive = new Set<string>();
  const sessions = new Map<string, SessionEntry>();
  /** Packets to drop (a Redis link that lost what was published meanwhile). */
  let drop: ((to: string, p: Buffer) => boolean) | null = null;
  const directory: SessionDirectory = {
    set: async (entries) => entries.forEach((e) => sessions.set(e.id, e)),
    get: async (id) => sessions.get(id) ?? null,
    all: async () => [...sessions.values()],
    delete: async (id) => void sessions.delete(id),
  };
  const transport = (self: string): RelayTransport => ({
    send: async (node, packet) => {
      if (drop?.(node, packet)) return;
      const deliver = inboxes.get(node);
      // as Redis does: later, never inline, and in order
      if (deliver) setImmediate(() => deliver(packet));
    },
    onPacket: (handler) => void inboxes.set(self, handler),
    close: async () => void inboxes.delete(self),
  });
  const nodes = (self: string): ClusterNodes => ({
    self,
    isAlive: async (id) => alive.has(id),
    live: async () => [...alive],
    stop: async () => {},
  });
  return {
    alive,
    sessions,
    setDrop: (f: typeof drop) => (drop = f),
    relay(self: string, handler: ChannelHandler) {
      alive.add(self);
      return new SocketRelay({
        transport: transport(self),
        directory,
        nodes: nodes(self),
        handler: (ch) => (ch === 'terminal' ? handler : undefined),
        log,
        checkMs: 20,
        attachTimeoutMs: 300,
      });
    },
  };
}

const inbound = z.discriminatedUnion('type', [
  z.object({ type: z.literal('connect'), session_id: z.string().optional() }),
  z.object({ type: z.literal('input'), data: z.string() }),
]);
type In = z.infer<typeof inbound>;

/** The owner's channel: echoes input, answers connect, counts what it saw. */
function ownerHandler(opts: { allow?: boolean } = {}) {
  const seen: { conn: Connection; msg: In }[] = [];
  const closed: string[] = [];
  const handler: ChannelHandler<In> = {
    channel: 'terminal',
    inbound,
    inboundTypes: ['connect', 'input'],
    authorise: async () =>
      opts.allow === false
        ? { ok: false, status: 403, message: 'Your access to this device is view only.' }
        : { ok: true },
    onMessage(conn, msg) {
      seen.push({ conn, msg });
      if (msg.type === 'connect') conn.send({ type: 'terminal_connected', session_id: msg.session_id });
      else conn.sendFrame(new Uint8Array([1, ...Buffer.from(msg.data)]), false);
    },
    onClose: (conn) => void closed.push(conn.id),
  };
  return { handler: handler as unknown as ChannelHandler, seen, closed };
}

/** The browser's socket on the front node. */
function browserSocket(): Connection & {
  got: (string | Buffer)[];
  closedWith: { code: number; reason: string } | null;
  buffered: number;
} {
  const identity: Identity = { userId: 'u1', username: 'alice', role: 'operator' };
  const s = {
    id: 'front-conn',
    identity,
    route: { channel: 'terminal' as const, deviceId: 'dev1' },
    address: '127.0.0.1',
    openedAt: Date.now(),
    outputFraming: 'binary' as const,
    got: [] as (string | Buffer)[],
    closedWith: null as { code: number; reason: string } | null,
    buffered: 0,
    bufferedAmount: () => s.buffered,
    send: (m: OutboundMessage) => void s.got.push(JSON.stringify(m)),
    sendText: (t: string) => void s.got.push(t),
    sendFrame: (f: Uint8Array | string, _c: boolean, onWritten?: () => void) => {
      s.got.push(typeof f === 'string' ? f : Buffer.from(f));
      onWritten?.();
    },
    sendError: () => {},
    close: (code: number, reason: string) => void (s.closedWith = { code, reason }),
  };
  return s;
}

/** Node a serves the session, node b has the browser's socket. */
function twoNodes(opts: { allow?: boolean } = {}) {
  const net = network();
  const owner = ownerHandler(opts);
  const a = net.relay('a', owner.handler);
  const b = net.relay('b', ownerHandler().handler);
  return { net, owner, a, b, sock: browserSocket() };
}

describe('a socket relayed to the node holding its session', () => {
  it('carries messages to the owner and its frames back, in order', async () => {
    const net = network();
    const owner = ownerHandler();
    const a = net.relay('a', owner.handler);
    const b = net.relay('b', ownerHandler().handler);
    await a.publish([entry('s1', 'a')]);
    expect(await b.locate('s1')).toEqual({ kind: 'remote', node: 'a' });
    expect((await b.remoteSessions()).map((e) => e.id)).toEqual(['s1']);
    expect(await a.remoteSessions()).toEqual([]);
    expect(await b.remoteSession('s1')).toMatchObject({ id: 's1', node: 'a' });
    expect(await a.remoteSession('s1')).toBeNull(); // its own

    const sock = browserSocket();
    const link = b.open(sock, 'a', { type: 'connect', session_id: 's1' } as In, () => {});
    for (let i = 0; i < 50; i++) link.forward({ type: 'input', data: `k${i}` } as In);
    await vi.waitFor(() => expect(sock.got).toHaveLength(51), WAIT);
    expect(JSON.parse(sock.got[0] as string)).toEqual({ type: 'terminal_connected', session_id: 's1' });
    expect(sock.got.slice(1).map((f) => (f as Buffer).subarray(1).toString())).toEqual(
      Array.from({ length: 50 }, (_, i) => `k${i}`),
    );
    // the owner served a stand-in with the front's identity and framing
    expect(owner.seen[0]!.conn).toMatchObject({ identity: { userId: 'u1' }, outputFraming: 'binary' });
    expect(a.stats()).toEqual({ owned: 1, forwarded: 0 });
    link.detach();
    await vi.waitFor(() => expect(owner.closed).toHaveLength(1), WAIT);
    expect(a.stats().owned).toBe(0);
    await Promise.all([a.close(), b.close()]);
  });

  it("tells the owner how much the front's socket still queues, so flow control works across nodes", async () => {
    const { owner, a, b, sock } = twoNodes();
    sock.buffered = 2_000_000;
    const link = b.open(sock, 'a', { type: 'connect', session_id: 's1' } as In, () => {});
    await vi.waitFor(() => expect(owner.seen).toHaveLength(1), WAIT);
    const stand = owner.seen[0]!.conn;
    await vi.waitFor(() => expect(stand.bufferedAmount()).toBe(2_000_000), WAIT);
    sock.buffered = 0; // drained: the front says so without any new frame
    await vi.waitFor(() => expect(stand.bufferedAmount()).toBe(0), WAIT);
    link.detach();
    await Promise.all([a.close(), b.close()]);
  });

  it('is refused by the owner when the user may not use the device there', async () => {
    const { owner, a, b, sock } = twoNodes({ allow: false });
    b.open(sock, 'a', { type: 'connect', session_id: 's1' } as In, () => {});
    await vi.waitFor(
      () =>
        expect(sock.closedWith).toEqual({ code: 4403, reason: 'Your access to this device is view only.' }),
      WAIT,
    );
    expect(owner.seen).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });

  it('drops a malformed relayed message at the owner with an error, and goes on', async () => {
    const { a, b, sock } = twoNodes();
    const link = b.open(sock, 'a', { type: 'connect' } as In, () => {});
    link.forward({ type: 'input', data: 42 } as unknown as In);
    link.forward({ type: 'input', data: 'ok' } as In);
    await vi.waitFor(() => expect(sock.got).toHaveLength(3), WAIT);
    expect(JSON.parse(sock.got[1] as string)).toMatchObject({ type: 'error', code: 'invalid_message' });
    expect((sock.got[2] as Buffer).subarray(1).toString()).toBe('ok');
    await Promise.all([a.close(), b.close()]);
  });

  it('closes the browser socket with 1012 when packets were lost, so it reconnects from the screen', async () => {
    const { net, owner, a, b, sock } = twoNodes();
    const link = b.open(sock, 'a', { type: 'connect' } as In, () => {});
    await vi.waitFor(() => expect(sock.got).toHaveLength(1), WAIT);
    let dropped = 0;
    net.setDrop((to) => to === 'b' && dropped++ === 0); // the next frame to the front is lost
    link.forward({ type: 'input', data: 'lost' } as In);
    link.forward({ type: 'input', data: 'after' } as In);
    await vi.waitFor(() => expect(sock.closedWith?.code).toBe(1012), WAIT);
    expect(sock.got).toHaveLength(1); // nothing out of order reached the browser
    await vi.waitFor(() => expect(owner.closed).toHaveLength(1), WAIT); // the owner let go
    await Promise.all([a.close(), b.close()]);
  });

  it('says the owner is gone when its node dies, and the owner lets go when the front dies', async () => {
    const { net, owner, a, b, sock } = twoNodes();
    const gone: string[] = [];
    b.open(sock, 'a', { type: 'connect' } as In, (node) => gone.push(node));
    await vi.waitFor(() => expect(owner.seen).toHaveLength(1), WAIT);
    net.alive.delete('a');
    await vi.waitFor(() => expect(gone).toEqual(['a']), WAIT);
    expect(b.stats().forwarded).toBe(0);
    // were it only cut off, it lets go of the session as well
    await vi.waitFor(() => expect(owner.closed).toHaveLength(1), WAIT);

    net.alive.add('a');
    const sock2 = browserSocket();
    b.open(sock2, 'a', { type: 'connect' } as In, () => {});
    await vi.waitFor(() => expect(owner.seen).toHaveLength(2), WAIT);
    net.alive.delete('b');
    await vi.waitFor(() => expect(owner.closed).toHaveLength(2), WAIT);
    await Promise.all([a.close(), b.close()]);
  });

  it('gives up on an owner that never answers', async () => {
    const net = network();
    const b = net.relay('b', ownerHandler().handler);
    net.alive.add('silent'); // alive, but nothing reads its packets
    const gone: string[] = [];
    b.open(browserSocket(), 'silent', { type: 'connect' } as In, (node) => gone.push(node));
    await vi.waitFor(() => expect(gone).toEqual(['silent']), WAIT);
    await b.close();
  });

  it('finds a session whose node is dead as gone (and forgets it), and one it never heard of as unknown', async () => {
    const net = network();
    const b = net.relay('b', ownerHandler().handler);
    net.sessions.set('s-dead', entry('s-dead', 'dead-node'));
    expect(await b.locate('s-dead')).toEqual({ kind: 'gone', node: 'dead-node' });
    await vi.waitFor(() => expect(net.sessions.has('s-dead')).toBe(false), WAIT);
    expect(await b.locate('nope')).toEqual({ kind: 'unknown' });
    net.sessions.set('s-dead2', entry('s-dead2', 'dead-node'));
    expect(await b.remoteSession('s-dead2')).toBeNull();
    await b.close();
  });
});
