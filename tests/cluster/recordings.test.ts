import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { castOutput, parseCast } from '../../lib/recordings/asciicast';
import type { ClusterNode } from '../../scripts/cluster';
import { startClusterFixture, until, type ClusterFixture } from './fixture';

/**
 * Recordings in a cluster (RECORDING_STORE=auto on PostgreSQL: the database store): a session held
 * by node A plays on node B, while it is still open and once it is closed, with no shared file
 * system (each node has its own DATA_DIR).
 */
let c: ClusterFixture;

beforeAll(async () => {
  c = await startClusterFixture({ nodes: ['rec-a', 'rec-b'] });
}, 240_000);
afterAll(() => c?.close());

async function castOn(node: ClusterNode, id: string): Promise<{ status: number; text: string }> {
  const r = await fetch(`${node.url}/api/v1/recordings/${id}/cast`, {
    headers: { authorization: `Bearer ${c.token}` },
  });
  return { status: r.status, text: await r.text() };
}

describe('a recording made on one node', () => {
  it('plays on the other node, mid-session and after', async () => {
    const [a, b] = c.nodes as [ClusterNode, ClusterNode];
    const device = c.devices.fast[0]!;
    const ws = new WebSocket(`ws://127.0.0.1:${a.port}/ws/terminal/${device}`, {
      headers: { authorization: `Bearer ${c.token}` },
    });
    let output = '';
    const frames: { type: string; data?: string; session_id?: string }[] = [];
    ws.on('message', (m) => {
      const f = JSON.parse(String(m)) as { type: string; data?: string; session_id?: string };
      frames.push(f);
      if (f.type === 'output') output += f.data ?? '';
    });
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
    try {
      ws.send(JSON.stringify({ type: 'connect', cols: 100, rows: 30 }));
      const prompt = /<lab-vrp-\d+>$/;
      await until('the prompt', 20_000, async () => (prompt.test(output) ? true : undefined));
      const sessionId = frames.find((f) => f.type === 'terminal_connected')!.session_id!;
      ws.send(JSON.stringify({ type: 'input', data: 'display version\r' }));
      await until('the output of display version', 20_000, async () =>
        /VRP[\s\S]*<lab-vrp-\d+>$/.test(output) ? true : undefined,
      );
      const row = await c.db.recording.findUniqueOrThrow({ where: { sessionId } });
      expect(row).toMatchObject({ nodeId: 'rec-a', state: 'recording', key: `db:${row.id}` });

      // node B plays what node A has flushed so far (every RECORDING_FLUSH_MS)
      const live = await until('node B to play the open session', 20_000, async () => {
        const r = await castOn(b, row.id);
        return r.status === 200 && /VRP/.test(castOutput(parseCast(r.text))) ? r : undefined;
      });
      expect(output.startsWith(castOutput(parseCast(live.text)))).toBe(true);

      ws.send(JSON.stringify({ type: 'close' }));
      await until('the session closed', 20_000, async () =>
        frames.some((f) => f.type === 'terminal_closed') ? true : undefined,
      );
      const done = await until('the recording indexed as complete', 20_000, async () => {
        const r = await c.db.recording.findUniqueOrThrow({ where: { id: row.id } });
        return r.state === 'complete' ? r : undefined;
      });
      const whole = await castOn(b, done.id);
      expect(whole.status).toBe(200);
      expect(castOutput(parseCast(whole.text))).toBe(output);
      expect(Buffer.byteLength(whole.text)).toBe(done.bytes);
      expect((await castOn(a, done.id)).text).toBe(whole.text);
    } finally {
      ws.close();
    }
  });
});
