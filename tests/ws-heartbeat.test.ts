import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { encode } from 'next-auth/jwt';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { InProcessEventBus } from '../lib/events';
import { NotificationFeed } from '../lib/notifications/feed';
import { createRealtime } from '../lib/realtime';
import { notificationsChannel } from '../lib/realtime/handlers/notifications';
import { freshDatabase } from './helpers';

const SECRET = 'heartbeat-test-secret-'.padEnd(48, 'h');

describe('connection heartbeat', () => {
  it('drops a peer that stops answering pings and keeps one that answers', async () => {
    const { db } = freshDatabase();
    const user = await db.user.create({ data: { username: 'hb', passwordHash: 'x', role: 'operator' } });
    const bus = new InProcessEventBus();
    const realtime = createRealtime({
      log: pino({ level: 'silent' }),
      secret: SECRET,
      allowedOrigins: [],
      trustProxy: false,
      maxFrameBytes: 4096,
      heartbeatMs: 500, // short, yet long enough that a loaded CI machine does not miss a live pong
      findUser: (id) => db.user.findUnique({ where: { id } }),
      handlers: [
        notificationsChannel({
          db,
          bus,
          feed: new NotificationFeed(db, bus),
          log: pino({ level: 'silent' }),
        }),
      ],
    });
    const server = createServer();
    server.on('upgrade', (req, socket, head) => void realtime.handleUpgrade(req, socket, head));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const headers = {
      Origin: `http://127.0.0.1:${port}`,
      Cookie: `next-auth.session-token=${await encode({ token: { sub: user.id }, secret: SECRET, maxAge: 60 })}`,
    };
    const open = async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/notifications`, { headers });
      await once(ws, 'open');
      return ws;
    };
    const alive = await open();
    const dead = await open();
    expect(realtime.manager.count()).toBe(2);
    // the "dead" peer stops reading: its pongs never come
    (dead as WebSocket & { _socket: Socket })._socket.pause();
    await vi.waitFor(() => expect(realtime.manager.count()).toBe(1), { timeout: 8000, interval: 20 });
    expect(alive.readyState).toBe(WebSocket.OPEN);
    alive.close();
    await realtime.close();
    server.close();
    await db.$disconnect();
  });
});
