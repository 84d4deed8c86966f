import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encode } from 'next-auth/jwt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { PrismaClient } from '../lib/db/client';
import { InProcessEventBus } from '../lib/events';
import { NotificationFeed } from '../lib/notifications/feed';
import { createRealtime, type Realtime } from '../lib/realtime';
import { notificationsChannel } from '../lib/realtime/handlers/notifications';
import { freshDatabase } from './helpers';

const SECRET = 'upgrade-test-secret-'.padEnd(48, 'x');
let server: Server;
let realtime: Realtime;
let db: PrismaClient;
let base: string;
let origin: string;
let userId: string;
let disabledId: string;

async function cookieFor(sub: string, secret = SECRET, maxAge = 3600) {
  const token = await encode({ token: { sub, name: 'u' }, secret, maxAge });
  return `next-auth.session-token=${token}`;
}

/** Attempt an upgrade; resolves with the HTTP status of a refusal, or 101 and the open socket. */
function attempt(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; ws?: WebSocket; body?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(base + path, { headers });
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', () => {});
  });
}

beforeAll(async () => {
  ({ db } = freshDatabase());
  userId = (await db.user.create({ data: { username: 'op', passwordHash: 'x', role: 'operator' } })).id;
  disabledId = (await db.user.create({ data: { username: 'gone', passwordHash: 'x', disabled: true } })).id;
  const bus = new InProcessEventBus();
  realtime = createRealtime({
    log: pino({ level: 'silent' }),
    secret: SECRET,
    allowedOrigins: [],
    trustProxy: false,
    maxFrameBytes: 4096,
    heartbeatMs: 60_000,
    findUser: (id) => db.user.findUnique({ where: { id } }),
    handlers: [
      notificationsChannel({ db, bus, feed: new NotificationFeed(db, bus), log: pino({ level: 'silent' }) }),
    ],
  });
  server = createServer((_req, res) => res.end('http'));
  server.on('upgrade', (req, socket, head) => void realtime.handleUpgrade(req, socket, head));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  base = `ws://127.0.0.1:${port}`;
  origin = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await realtime.close();
  server.close();
  await db.$disconnect();
});

describe('WebSocket upgrade matrix', () => {
  it('401 without a cookie', async () => {
    expect((await attempt('/ws/notifications', { Origin: origin })).status).toBe(401);
  });

  it('401 with a forged cookie (signed with another secret) or garbage', async () => {
    const forged = await cookieFor(userId, 'another-secret-'.padEnd(48, 'y'));
    expect((await attempt('/ws/notifications', { Origin: origin, Cookie: forged })).status).toBe(401);
    expect(
      (await attempt('/ws/notifications', { Origin: origin, Cookie: 'next-auth.session-token=abc.def.ghi' }))
        .status,
    ).toBe(401);
  });

  it('401 with an expired session', async () => {
    const expired = await cookieFor(userId, SECRET, -3600);
    expect((await attempt('/ws/notifications', { Origin: origin, Cookie: expired })).status).toBe(401);
  });

  it('401 for a disabled user or a user that no longer exists', async () => {
    expect(
      (await attempt('/ws/notifications', { Origin: origin, Cookie: await cookieFor(disabledId) })).status,
    ).toBe(401);
    expect(
      (await attempt('/ws/notifications', { Origin: origin, Cookie: await cookieFor('no-such-user') }))
        .status,
    ).toBe(401);
  });

  it('403 for a foreign or missing Origin, even with a valid session', async () => {
    const cookie = await cookieFor(userId);
    expect(
      (await attempt('/ws/notifications', { Origin: 'http://evil.example', Cookie: cookie })).status,
    ).toBe(403);
    expect((await attempt('/ws/notifications', { Cookie: cookie })).status).toBe(403);
  });

  it('404 for an unknown channel', async () => {
    const cookie = await cookieFor(userId);
    const r = await attempt('/ws/nope', { Origin: origin, Cookie: cookie });
    expect(r.status).toBe(404);
    expect(r.body).toMatch(/No such channel/);
  });

  it('accepts a valid session, answers bad frames with error frames and stays open', async () => {
    const r = await attempt('/ws/notifications', { Origin: origin, Cookie: await cookieFor(userId) });
    expect(r.status).toBe(101);
    const ws = r.ws!;
    expect(realtime.manager.connectionsOf(userId)).toHaveLength(1);
    const replies: { type: string; code: string }[] = [];
    const got = new Promise<void>((resolve) =>
      ws.on('message', (d) => {
        replies.push(JSON.parse(d.toString()));
        if (replies.length === 4) resolve();
      }),
    );
    ws.send('{nope');
    ws.send(JSON.stringify({ type: 'subscribe_task', task_id: 'x' }));
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    ws.send(JSON.stringify({ type: 'x', pad: 'a'.repeat(5000) }));
    await got;
    expect(replies.map((m) => [m.type, m.code])).toEqual([
      ['error', 'bad_json'],
      ['error', 'unknown_type'],
      ['error', 'binary_not_supported'],
      ['error', 'frame_too_large'],
    ]);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
    await once(ws, 'close');
  });
});
