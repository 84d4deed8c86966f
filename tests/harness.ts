import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encode } from 'next-auth/jwt';
import pino from 'pino';
import WebSocket from 'ws';
import type { PrismaClient } from '../lib/db/client';
import { syncLabInventory } from '../lib/devices/lab-inventory';
import { DeviceSessionLimiter } from '../lib/devices/limiter';
import { createVault, type Vault } from '../lib/devices/vault';
import { userCanSeeDevice } from '../lib/devices/visibility';
import { defaultLabFleet, generateHostKey, startLab } from '../lib/lab';
import type { LabDeviceSpec, RunningLabDevice } from '../lib/lab/types';
import { createRealtime, type Realtime } from '../lib/realtime';
import { terminalChannel } from '../lib/realtime/handlers/terminal';
import { monitorChannel } from '../lib/realtime/handlers/monitor';
import { InProcessEventBus } from '../lib/events';
import { runTask } from '../lib/tasks/executor';
import { InProcessTaskQueue } from '../lib/tasks/queue';
import type { TaskDeps } from '../lib/tasks/service';
import { StatusMonitor } from '../lib/devices/status-monitor';
import { NotificationFeed } from '../lib/notifications/feed';
import { startNotifier } from '../lib/notifications/notifier';
import { notificationsChannel } from '../lib/realtime/handlers/notifications';
import type { RunningLab } from '../lib/lab/server';
import type { WaterMarks } from '../lib/terminal/flow';
import { TerminalManager } from '../lib/terminal/manager';
import { freshDatabase } from './helpers';

export const TEST_SECRET = 'integration-test-secret-'.padEnd(48, 'z');
export const LAB_CREDS = { username: 'netops', password: 'lab-pw-123', enablePassword: 'lab-enable-123' };

export interface PortalOptions {
  lab?: LabDeviceSpec[];
  resumeGraceMs?: number;
  idleTimeoutMs?: number;
  limits?: { perUser: number; perDevice: number };
  waterMarks?: WaterMarks;
  readyTimeoutMs?: number;
  maxFrameBytes?: number;
  progressIntervalMs?: number;
  /** Start the status monitor with this interval (off when absent). */
  statusIntervalMs?: number;
  labVendor?: 'mix' | 'huawei_vrp' | 'cisco_ios';
}

export interface Portal {
  /** The database URL (so modules that use the process-wide client can be pointed at it). */
  url: string;
  db: PrismaClient;
  vault: Vault;
  lab: RunningLabDevice[];
  labControl: RunningLab;
  feed: NotificationFeed;
  status: StatusMonitor;
  terminals: TerminalManager;
  deviceSlots: DeviceSessionLimiter;
  realtime: Realtime;
  bus: InProcessEventBus;
  queue: InProcessTaskQueue;
  /** What the task service needs (create, cancel, retry). */
  tasks: TaskDeps;
  origin: string;
  wsBase: string;
  users: { admin: string; operator: string; operator2: string; viewer: string };
  deviceId(name: string): Promise<string>;
  cookieFor(userId: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The portal's server side without Next: a fresh SQLite database, users of every role, lab
 * devices in the inventory, the terminal manager and the realtime layer on a loopback port.
 */
export async function startPortal(opts: PortalOptions = {}): Promise<Portal> {
  const { db, url } = freshDatabase();
  const vault = createVault(TEST_SECRET);
  const mk = (username: string, role: string) =>
    db.user.create({ data: { username, role, passwordHash: 'unused' } });
  const users = {
    admin: (await mk('admin', 'admin')).id,
    operator: (await mk('op', 'operator')).id,
    operator2: (await mk('op2', 'operator')).id,
    viewer: (await mk('viewer', 'viewer')).id,
  };
  const lab = await startLab(opts.lab ?? defaultLabFleet(4, LAB_CREDS, opts.labVendor), {
    hostKey: generateHostKey(),
  });
  await syncLabInventory(db, vault, lab.devices);
  // operators are granted every lab device except lab-ios-02 (to test refusals)
  const devices = await db.device.findMany();
  for (const d of devices) {
    if (d.name !== 'lab-ios-02')
      await db.deviceGrant.create({ data: { userId: users.operator, deviceId: d.id } });
    await db.deviceGrant.create({ data: { userId: users.operator2, deviceId: d.id } });
    await db.deviceGrant.create({ data: { userId: users.viewer, deviceId: d.id } });
  }
  const log = pino({ level: 'silent' });
  const deviceSlots = new DeviceSessionLimiter(opts.limits?.perDevice ?? 5);
  const bus = new InProcessEventBus();
  const feed = new NotificationFeed(db, bus);
  const stopNotifier = startNotifier({ db, bus, feed, log });
  const status = new StatusMonitor({
    db,
    bus,
    log,
    intervalMs: opts.statusIntervalMs ?? 60_000,
    probeTimeoutMs: 500,
    concurrency: 20,
    hysteresis: { offlineAfter: 2, onlineAfter: 1 },
  });
  if (opts.statusIntervalMs) status.start();
  const terminals = new TerminalManager({
    db,
    vault,
    log,
    limits: { perUser: opts.limits?.perUser ?? 20 },
    deviceSlots,
    status,
    timers: { resumeGraceMs: opts.resumeGraceMs ?? 60_000, idleTimeoutMs: opts.idleTimeoutMs ?? 10 * 60_000 },
    waterMarks: opts.waterMarks,
    readyTimeoutMs: opts.readyTimeoutMs ?? 3000,
    audit: async (e) => {
      await db.auditEvent.create({ data: e });
    },
  });
  const queue = new InProcessTaskQueue(4);
  queue.process((taskId, signal) =>
    runTask(taskId, signal, {
      db,
      vault,
      bus,
      log,
      deviceSlots,
      status,
      progressIntervalMs: opts.progressIntervalMs ?? 100,
    }),
  );
  const monitor = monitorChannel({ db, bus, log });
  const notifications = notificationsChannel({ db, bus, feed, log });
  const realtime = createRealtime({
    log,
    secret: TEST_SECRET,
    allowedOrigins: [],
    trustProxy: false,
    maxFrameBytes: opts.maxFrameBytes ?? 64 * 1024,
    heartbeatMs: 60_000,
    findUser: (id) => db.user.findUnique({ where: { id } }),
    handlers: [
      terminalChannel({
        manager: terminals,
        canSeeDevice: (identity, deviceId) =>
          userCanSeeDevice(db, { id: identity.userId, role: identity.role }, deviceId),
      }),
      monitor,
      notifications,
    ],
  });
  const server: Server = createServer((_req, res) => res.end());
  server.on('upgrade', (req, socket, head) => void realtime.handleUpgrade(req, socket, head));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url,
    db,
    vault,
    lab: lab.devices,
    labControl: lab,
    feed,
    status,
    terminals,
    deviceSlots,
    realtime,
    bus,
    queue,
    tasks: {
      db,
      queue,
      bus,
      audit: async (e) => {
        await db.auditEvent.create({ data: e });
      },
    },
    origin: `http://127.0.0.1:${port}`,
    wsBase: `ws://127.0.0.1:${port}`,
    users,
    async deviceId(name) {
      return (await db.device.findUniqueOrThrow({ where: { name } })).id;
    },
    async cookieFor(userId) {
      return `next-auth.session-token=${await encode({ token: { sub: userId }, secret: TEST_SECRET, maxAge: 3600 })}`;
    },
    async close() {
      await status.stop();
      stopNotifier();
      notifications.dispose();
      await queue.close();
      monitor.dispose();
      terminals.closeAll('test over');
      await realtime.close();
      server.close();
      await lab.close();
      await db.$disconnect();
    },
  };
}

const OUTPUT_KEEP_CHARS = 1024 * 1024;

export type Frame = { type: string; [k: string]: unknown };

/** A WebSocket client that records every frame and can wait for one. */
export class TestClient {
  readonly frames: Frame[] = [];
  private waiters = new Set<() => void>();
  /** The most recent output (bounded), and how many characters arrived in all. */
  output = '';
  outputTotal = 0;
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as Frame;
      this.frames.push(f);
      if (f.type === 'output') {
        const data = f.data as string;
        this.outputTotal += data.length;
        this.output += data;
        if (this.output.length > OUTPUT_KEEP_CHARS) this.output = this.output.slice(-OUTPUT_KEEP_CHARS);
        f.data = data.length > 256 ? `[${data.length} chars]` : data; // keep the frame log small
      }
      for (const w of [...this.waiters]) w();
    });
    ws.on('close', () => {
      this.closed = true;
      for (const w of [...this.waiters]) w();
    });
  }

  static async open(portal: Portal, path: string, userId: string): Promise<TestClient> {
    const ws = new WebSocket(portal.wsBase + path, {
      headers: { Origin: portal.origin, Cookie: await portal.cookieFor(userId) },
    });
    // listen before the handshake completes: a channel may send frames in the same read as the
    // upgrade response (the monitor's snapshot), which ws emits right after 'open'
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_q, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
    return client;
  }

  static async refusal(portal: Portal, path: string, userId: string): Promise<number> {
    const ws = new WebSocket(portal.wsBase + path, {
      headers: { Origin: portal.origin, Cookie: await portal.cookieFor(userId) },
    });
    return new Promise((resolve) => {
      ws.once('open', () => {
        ws.close();
        resolve(101);
      });
      ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => {});
    });
  }

  send(frame: Frame | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Resolve when `pred` holds (checked on every frame); fail after `timeoutMs`. */
  waitUntil<T>(pred: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = pred();
        if (v) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `timed out waiting for ${what}; last frames: ${JSON.stringify(this.frames.slice(-3)).slice(0, 600)}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  waitFrame(type: string, timeoutMs = 5000, from = 0): Promise<Frame> {
    return this.waitUntil(
      () => this.frames.slice(from).find((f) => f.type === type),
      `a "${type}" frame`,
      timeoutMs,
    );
  }

  waitOutput(re: RegExp, timeoutMs = 5000): Promise<string> {
    return this.waitUntil(() => re.test(this.output) && this.output, `output matching ${re}`, timeoutMs);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const done = once(this.ws, 'close').then(() => undefined);
    this.ws.close();
    return done;
  }
}
