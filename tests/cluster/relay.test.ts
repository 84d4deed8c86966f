import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { inflateRawSync } from 'node:zlib';
import { decodeBinaryFrame } from '../../lib/realtime/protocol';
import type { ClusterNode } from '../../scripts/cluster';
import { startClusterFixture, until, type ClusterFixture } from './fixture';

/**
 * Attach from any node: a terminal session lives on the node that holds its SSH connection; a
 * reload that lands on another node is served from the owner through the Redis relay (typing,
 * output, resize, observing), with no sticky sessions. When the owner dies the tab says so.
 */
let c: ClusterFixture;

beforeAll(async () => {
  c = await startClusterFixture({ nodes: ['relay-a', 'relay-b', 'relay-c'] });
}, 240_000);
afterAll(() => c?.close());

interface Frame {
  type: string;
  data?: string;
  session_id?: string;
  resumed?: boolean;
  reason?: string;
  code?: string;
  cols?: number;
  rows?: number;
}

/** A socket as a browser tab holds it: every frame kept, output collected. */
async function tab(node: ClusterNode, path: string, binary = false) {
  const ws = new WebSocket(`ws://127.0.0.1:${node.port}${path}${binary ? '?output=binary' : ''}`, {
    headers: { authorization: `Bearer ${c.token}` },
  });
  const frames: Frame[] = [];
  let output = '';
  const binaryErrors: string[] = [];
  let closed: { code: number; reason: string } | null = null;
  ws.on('message', (m, isBinary) => {
    if (isBinary) {
      const decoded = decodeBinaryFrame(new Uint8Array(m as Buffer), (d) => inflateRawSync(d));
      if (decoded.ok) output += (decoded.message as { data: string }).data;
      else binaryErrors.push(decoded.error);
      return;
    }
    const f = JSON.parse(String(m)) as Frame;
    frames.push(f);
    if (f.type === 'output' || f.type === 'screen') output += f.data ?? '';
  });
  ws.on('close', (code, reason) => (closed = { code, reason: String(reason) }));
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  return {
    ws,
    frames,
    binaryErrors,
    get output() {
      return output;
    },
    get closed() {
      return closed;
    },
    send: (m: object) => ws.send(JSON.stringify(m)),
    frame: (type: string, timeoutMs = 20_000) =>
      until(`a ${type} frame`, timeoutMs, async () => frames.find((f) => f.type === type)),
    see: (re: RegExp, timeoutMs = 20_000) =>
      until(`output matching ${re}`, timeoutMs, async () => (re.test(output) ? true : undefined)),
  };
}

/** A session opened on `node`, its first socket closed (as a reload closes it); its id. */
async function sessionOn(node: ClusterNode, device: string): Promise<string> {
  const first = await tab(node, `/ws/terminal/${device}`);
  first.send({ type: 'connect', cols: 100, rows: 30 });
  await first.see(/<lab-vrp-\d+>$/);
  const id = (await first.frame('terminal_connected')).session_id!;
  first.ws.close();
  return id;
}

describe('a terminal session held by another node', () => {
  it('reattaches through the node the reload landed on: screen, typing, output, ping', async () => {
    const [a, b] = c.nodes as [ClusterNode, ClusterNode];
    const device = c.devices.fast[0]!;
    const id = await sessionOn(a, device);

    const t = await tab(b, `/ws/terminal/${device}`);
    t.send({ type: 'connect', session_id: id, cols: 120, rows: 40 });
    const connected = await t.frame('terminal_connected');
    expect(connected).toMatchObject({ session_id: id, resumed: true });
    await t.see(/<lab-vrp-\d+>/); // the screen as the owner's model has it
    t.send({ type: 'input', data: 'display version\r' });
    await t.see(/VRP[\s\S]*<lab-vrp-\d+>$/);
    // the owner served it: its audit names the command typed through node B
    await until('the command audited', 20_000, async () =>
      (await c.db.auditEvent.count({ where: { action: 'terminal.input', detail: 'display version' } })) > 0
        ? true
        : undefined,
    );
    t.send({ type: 'ping', ts: 42 });
    expect(await t.frame('pong')).toMatchObject({ ts: 42 });
    t.send({ type: 'close' });
    await t.frame('terminal_closed');
    t.ws.close();
  });

  it('relays binary output frames and a watcher on a third node sees what the owner types', async () => {
    const [a, b, third] = c.nodes as [ClusterNode, ClusterNode, ClusterNode];
    const device = c.devices.fast[1]!;
    const id = await sessionOn(a, device);
    const owner = await tab(b, `/ws/terminal/${device}`, true);
    owner.send({ type: 'connect', session_id: id, cols: 100, rows: 30 });
    await owner.frame('terminal_connected');
    await owner.see(/<lab-vrp-\d+>/);

    const watcher = await tab(third, `/ws/observe/${id}`);
    await watcher.frame('observe_started');
    owner.send({ type: 'input', data: 'display clock\r' });
    await owner.see(/display clock[\s\S]*<lab-vrp-\d+>$/);
    await watcher.see(/display clock/);
    owner.send({ type: 'resize', cols: 90, rows: 20 });
    expect(await watcher.frame('resized')).toMatchObject({ cols: 90, rows: 20 });
    // the owner's tab on node B is told it is watched; its output came as binary frames
    await owner.frame('terminal_observers');
    expect(owner.frames.some((f) => f.type === 'output')).toBe(false);
    expect(owner.binaryErrors).toEqual([]);
    watcher.ws.close();
    owner.send({ type: 'close' });
    await owner.frame('terminal_closed');
    owner.ws.close();
  });

  it('refuses what a reattach on the owner would refuse: an unknown id, another device', async () => {
    const [a, b] = c.nodes as [ClusterNode, ClusterNode];
    const unknown = await tab(b, `/ws/terminal/${c.devices.fast[2]!}`);
    unknown.send({ type: 'connect', session_id: '5c0d1a53-9b1e-4a43-8d71-4f1a55a3c0de' });
    expect(await unknown.frame('terminal_error')).toMatchObject({ code: 'session_expired' });
    unknown.ws.close();

    const id = await sessionOn(a, c.devices.fast[2]!);
    const wrong = await tab(b, `/ws/terminal/${c.devices.fast[3]!}`);
    wrong.send({ type: 'connect', session_id: id });
    expect(await wrong.frame('terminal_error')).toMatchObject({ code: 'session_expired' });
    wrong.ws.close();
  });

  it('says so when the owning node dies, and a new session opens on the node the tab is on', async () => {
    const [, b, third] = c.nodes as [ClusterNode, ClusterNode, ClusterNode];
    const device = c.devices.fast[3]!;
    const id = await sessionOn(third, device);
    const t = await tab(b, `/ws/terminal/${device}`);
    t.send({ type: 'connect', session_id: id });
    await t.frame('terminal_connected');
    await third.kill('SIGKILL');
    const closed = await until('the tab told', c.leaseMs * 4, async () =>
      t.frames.find((f) => f.type === 'terminal_closed'),
    );
    expect(closed.reason).toMatch(/relay-c\) stopped/);
    // Reconnect: a new session, here
    t.send({ type: 'connect', cols: 80, rows: 24 });
    await until('a new session', 20_000, async () =>
      t.frames.find((f) => f.type === 'terminal_connected' && f.session_id !== id),
    );
    await t.see(/<lab-vrp-\d+>$/);
    t.send({ type: 'close' });
    t.ws.close();
  });
});
