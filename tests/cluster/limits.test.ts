import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import WebSocket from 'ws';
import { createAudit } from '../../lib/audit';
import { createApiToken } from '../../lib/auth/tokens';
import type { ClusterNode } from '../../scripts/cluster';
import { finalTask, startClusterFixture, until, type ClusterFixture } from './fixture';

/**
 * The caps that must hold for the cluster as a whole, not per node: a device's session limit
 * (terminals and tasks together), a user's sockets, the API rate limit per token. Two real nodes
 * (tests/cluster/fixture.ts); the caps are set low so that a few sockets reach them.
 */
const SOCKETS_PER_USER = 4;
const API_PER_MINUTE = 30;
let c: ClusterFixture;

beforeAll(async () => {
  c = await startClusterFixture({
    nodes: ['node-a', 'node-b'],
    env: {
      WS_MAX_CONNECTIONS_PER_USER: String(SOCKETS_PER_USER),
      API_RATE_LIMIT_PER_MINUTE: String(API_PER_MINUTE),
    },
  });
}, 240_000);
afterAll(() => c?.close());

interface Frame {
  type: string;
  code?: string;
  error?: string;
}

/** A socket with the fixture's admin token; `ready` is 101 or the refusal's HTTP status. */
function socket(node: ClusterNode, path: string, token = c.token) {
  const ws = new WebSocket(`ws://127.0.0.1:${node.port}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const frames: Frame[] = [];
  ws.on('message', (m) => frames.push(JSON.parse(String(m)) as Frame));
  const ready = new Promise<number>((resolve) => {
    ws.once('open', () => resolve(101));
    ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
  const frame = (type: string) =>
    until(`a ${type} frame`, 20_000, async () => frames.find((f) => f.type === type));
  return { ws, frames, ready, frame };
}

/** A terminal on `deviceId` through `node`: connected, or refused with a terminal_error frame. */
async function terminal(node: ClusterNode, deviceId: string) {
  const s = socket(node, `/ws/terminal/${deviceId}`);
  expect(await s.ready).toBe(101);
  s.ws.send(JSON.stringify({ type: 'connect', cols: 80, rows: 24 }));
  const first = await until('the terminal to connect or be refused', 20_000, async () =>
    s.frames.find((f) => f.type === 'terminal_connected' || f.type === 'terminal_error'),
  );
  return { ...s, first };
}

describe('limits across the nodes of a cluster', () => {
  it("a device's session limit counts terminals and tasks on every node", async () => {
    const [a, b] = c.nodes as [ClusterNode, ClusterNode];
    const device = c.devices.fast[0]!;
    const patched = await c.api(a, 'PATCH', `/devices/${device}`, { max_sessions: 1 });
    expect(patched.status, JSON.stringify(patched.json)).toBe(200);
    const held = await terminal(a, device);
    expect(held.first.type).toBe('terminal_connected');
    try {
      // a terminal on the other node is refused: the one slot is taken on node A
      const refused = await terminal(b, device);
      expect(refused.first).toMatchObject({ code: 'limit_device' });
      expect(refused.first.error).toMatch(/already has 1 sessions open/);
      refused.ws.close();
      // a task on the device waits for the slot, wherever it runs
      const id = await c.createTask(b, [device], 'waits for the terminal', 1);
      await until('the task to be running', 20_000, async () =>
        (await c.db.task.findUniqueOrThrow({ where: { id } })).status === 'running' ? true : undefined,
      );
      const row = await c.db.taskDevice.findFirstOrThrow({ where: { taskId: id } });
      expect(row.status).toBe('pending');
      // the terminal closes on node A: the task gets the slot and finishes
      held.ws.send(JSON.stringify({ type: 'close' }));
      const done = await finalTask(c.db, id, 20_000);
      expect(done.status).toBe('completed');
    } finally {
      held.ws.close();
      await c.api(a, 'PATCH', `/devices/${device}`, { max_sessions: null });
    }
  });

  it('a node killed while holding a device slot gives it back within two leases', async () => {
    const device = c.devices.fast[1]!;
    expect((await c.api(c.nodes[0]!, 'PATCH', `/devices/${device}`, { max_sessions: 1 })).status).toBe(200);
    const victim = c.nodes[0]!;
    const survivor = c.nodes[1]!;
    let killed = false;
    try {
      const held = await terminal(victim, device);
      expect(held.first.type).toBe('terminal_connected');
      const again = await terminal(survivor, device);
      expect(again.first).toMatchObject({ code: 'limit_device' });
      again.ws.close();
      await victim.kill('SIGKILL');
      killed = true;
      const killedAt = Date.now();
      const reopened = await until('a terminal on the survivor', 20_000, async () => {
        const t = await terminal(survivor, device);
        if (t.first.type === 'terminal_connected') return t;
        t.ws.close();
        return undefined;
      });
      expect(Date.now() - killedAt).toBeLessThan(2 * c.leaseMs + 2_000);
      reopened.ws.close();
    } finally {
      await c.api(survivor, 'PATCH', `/devices/${device}`, { max_sessions: null });
      // the node comes back under its own NODE_ID for the tests after this one
      if (killed) c.nodes[0] = await c.startNode(victim.nodeId);
    }
  });

  it("a user's sockets are capped across the nodes", async () => {
    const [a, b] = c.nodes as [ClusterNode, ClusterNode];
    const open: ReturnType<typeof socket>[] = [];
    try {
      for (let i = 0; i < SOCKETS_PER_USER; i++) {
        const s = socket(i % 2 ? b : a, '/ws/notifications');
        open.push(s);
        expect(await s.ready).toBe(101);
      }
      // one more, on either node, is refused before the handshake
      for (const node of [a, b]) {
        const extra = socket(node, '/ws/notifications');
        expect(await extra.ready).toBe(429);
      }
      // closing one on node A makes room on node B
      const closed = new Promise((r) => open[0]!.ws.once('close', r));
      open[0]!.ws.close();
      await closed;
      const room = await until('a free socket slot', 10_000, async () => {
        const s = socket(b, '/ws/notifications');
        if ((await s.ready) === 101) return s;
        return undefined;
      });
      open.push(room);
    } finally {
      for (const s of open) s.ws.close();
    }
  });

  it('an API token draws from one rate bucket on every node', async () => {
    const admin = await c.db.user.findUniqueOrThrow({ where: { username: 'admin' } });
    const minted = await createApiToken(
      { id: admin.id },
      { name: 'rate-test', scope: 'read' },
      { db: c.db, audit: createAudit(c.db, pino({ level: 'silent' })) },
    );
    if (!minted.ok) throw new Error(JSON.stringify(minted.errors));
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < API_PER_MINUTE + 10; i++) {
      const r = await fetch(`${c.nodes[i % 2]!.url}/api/v1/devices?limit=1`, {
        headers: { authorization: `Bearer ${minted.token}` },
      });
      await r.arrayBuffer();
      statuses.push(r.status);
      if (r.status === 429) retryAfter ??= r.headers.get('retry-after');
    }
    const allowed = statuses.filter((s) => s === 200).length;
    // the bucket holds API_PER_MINUTE; at most one more refills while the requests run
    expect(allowed).toBeGreaterThanOrEqual(API_PER_MINUTE);
    expect(allowed).toBeLessThanOrEqual(API_PER_MINUTE + 1);
    expect(statuses.filter((s) => s === 429).length).toBe(statuses.length - allowed);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });
});
