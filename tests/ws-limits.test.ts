import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startPortal, type Portal } from './harness';

/**
 * Finding 13: one viewer held 1,000 WebSockets, and every refused upgrade wrote a log line. The
 * defaults are WS_MAX_CONNECTIONS_PER_USER = 50 and WS_MAX_CONNECTIONS_PER_ADDRESS = 200; every test
 * connection comes from 127.0.0.1.
 */
const PER_USER = 50;
const PER_ADDRESS = 200;

let portal: Portal;
const logLines: { msg?: string; [k: string]: unknown }[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) logLines.push(JSON.parse(line));
      done();
    },
  });
  portal = await startPortal({ log: pino({ level: 'info' }, sink) });
});
afterAll(() => portal.close());

type Attempt = { status: number; ws?: WebSocket };

async function attempt(path: string, cookie: string | undefined): Promise<Attempt> {
  const headers: Record<string, string> = { Origin: portal.origin };
  if (cookie) headers.Cookie = cookie;
  return new Promise((resolve) => {
    const ws = new WebSocket(portal.wsBase + path, { headers });
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_q, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    ws.once('error', () => resolve({ status: 0 }));
  });
}

async function attemptMany(count: number, userId: string, path = '/ws/notifications'): Promise<Attempt[]> {
  const cookie = await portal.cookieFor(userId);
  return Promise.all(Array.from({ length: count }, () => attempt(path, cookie)));
}

function statuses(results: Attempt[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const r of results) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

async function closeAll(results: Attempt[]): Promise<void> {
  await Promise.all(
    results
      .filter((r) => r.ws)
      .map(
        (r) =>
          new Promise<void>((resolve) => {
            r.ws!.once('close', () => resolve());
            r.ws!.close();
          }),
      ),
  );
}

/** The server has forgotten the closed sockets (its close handler ran). */
async function settled(userIds: string[]) {
  const deadline = Date.now() + 5000;
  while (userIds.some((id) => portal.realtime.manager.connectionsOf(id).length > 0)) {
    if (Date.now() > deadline) throw new Error('sockets still registered');
    await new Promise((r) => setImmediate(r));
  }
}

describe('WebSocket connection caps', () => {
  it('one viewer opening 120 sockets at once gets 50; the rest are refused with 429 before the handshake', async () => {
    const viewer = portal.users.viewer;
    const results = await attemptMany(120, viewer);
    expect(statuses(results)).toEqual({ 101: PER_USER, 429: 120 - PER_USER });
    expect(portal.realtime.manager.connectionsOf(viewer)).toHaveLength(PER_USER);
    // every channel counts towards the same cap
    expect((await attempt('/ws/monitor/tasks', await portal.cookieFor(viewer))).status).toBe(429);
    // a closed socket frees its place
    const one = results.find((r) => r.ws)!;
    await new Promise<void>((resolve) => {
      one.ws!.once('close', () => resolve());
      one.ws!.close();
    });
    await vi.waitFor(() => expect(portal.realtime.manager.countOf(viewer)).toBeLessThan(50));
    const again = await attempt('/ws/notifications', await portal.cookieFor(viewer));
    expect(again.status).toBe(101);
    await closeAll([...results.filter((r) => r !== one), again]);
    await settled([viewer]);
  });

  it('one address cannot hold more than 200 sockets, whichever users they belong to', async () => {
    const extra = await portal.db.user.create({
      data: { username: 'fifth', role: 'viewer', passwordHash: 'unused' },
    });
    const { admin, operator, operator2, viewer } = portal.users;
    const held: Attempt[] = [];
    for (const id of [admin, operator, operator2, viewer]) held.push(...(await attemptMany(PER_USER, id)));
    expect(statuses(held)).toEqual({ 101: PER_ADDRESS });
    const refused = await attemptMany(5, extra.id);
    expect(statuses(refused)).toEqual({ 429: 5 });
    await closeAll(held);
    await settled([admin, operator, operator2, viewer]);
    const after = await attemptMany(1, extra.id);
    expect(statuses(after)).toEqual({ 101: 1 });
    await closeAll(after);
  });

  it('a flood of refused upgrades writes one log line per reason per interval, not one each', async () => {
    const before = logLines.length;
    const results = await Promise.all(
      Array.from({ length: 100 }, () => attempt('/ws/notifications', undefined)),
    );
    expect(statuses(results)).toEqual({ 401: 100 });
    const refusedLines = logLines.slice(before).filter((l) => l.msg === 'websocket upgrade refused');
    expect(refusedLines.length).toBeLessThanOrEqual(1);
  });
});
