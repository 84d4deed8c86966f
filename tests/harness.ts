import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encode } from 'next-auth/jwt';
import pino, { type Logger } from 'pino';
import WebSocket from 'ws';
import { parseEnv } from '../lib/config';
import type { PrismaClient } from '../lib/db/client';
import type { DeviceSessionLimiter } from '../lib/devices/limiter';
import type { StatusMonitor } from '../lib/devices/status-monitor';
import { createVault, type Vault } from '../lib/devices/vault';
import type { EventBus } from '../lib/events';
import { defaultLabFleet, generateHostKey, startLab } from '../lab';
import type { RunningLab } from '../lab/server';
import type { LabDeviceSpec, RunningLabDevice } from '../lab/types';
import type { NotificationFeed } from '../lib/notifications/feed';
import type { Realtime } from '../lib/realtime';
import { DirectoryRecordingStore, type RecordingStore } from '../lib/recordings/store';
import { createRuntime, type Runtime, type RuntimeTunables } from '../lib/server/runtime';
import type { TaskQueue } from '../lib/tasks/queue';
import { getTaskDetail } from '../lib/tasks/service';
import { isFinal } from '../lib/tasks/status';
import type { WaterMarks } from '../lib/terminal/flow';
import type { TerminalManager } from '../lib/terminal/manager';
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
  /** How often sockets opened with an API token re-check it. */
  tokenRecheckMs?: number;
  /** How long a command held by a guard rail waits for approval (default: production's 5 min). */
  approvalTimeoutMs?: number;
  /** TERMINAL_SCREEN_MODEL (default on). */
  screenModel?: boolean;
  /** The runtime's logger (default: silent); tests that assert on log lines pass their own. */
  log?: Logger;
  /** WebSocket caps (default: the production defaults); benchmarks hold far more sockets. */
  wsLimits?: { perUser: number; perAddress: number };
  /** Session recording (default: on, into a temp directory, as production records by default). */
  recordings?: {
    dir?: string;
    enabled?: boolean;
    maxBytes?: number;
    input?: boolean;
    /** A store of the test's own instead of the directory (the database store, a failing one). */
    store?: (db: PrismaClient) => RecordingStore;
  };
  /** Any other tunable (default: production's). */
  tunables?: Partial<RuntimeTunables>;
}

export interface Portal {
  /** The running system, wired by createRuntime exactly as server.ts wires it. */
  runtime: Runtime;
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
  bus: EventBus;
  queue: TaskQueue;
  /** What the task service needs (create, cancel, retry): the runtime. */
  tasks: Runtime;
  origin: string;
  wsBase: string;
  users: { admin: string; operator: string; operator2: string; viewer: string };
  deviceId(name: string): Promise<string>;
  cookieFor(userId: string): Promise<string>;
  close(): Promise<void>;
}

/** The production defaults of every tunable, with the test's secret. */
export function testTunables(overrides: Partial<RuntimeTunables> = {}): RuntimeTunables {
  return { ...parseEnv({}), NEXTAUTH_SECRET: TEST_SECRET, ...overrides };
}

/**
 * The portal's server side without Next: a fresh database (SQLite; a PostgreSQL database of its own
 * with TEST_DATABASE=postgres, see freshDatabase), users of every role, lab devices
 * in the inventory, and the runtime (createRuntime, as server.ts runs it) with its realtime layer on
 * a loopback port. Test data (users, grants) is the only thing set up here.
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
  const recordingDir = opts.recordings?.dir ?? mkdtempSync(path.join(tmpdir(), 'sb-recordings-'));
  const runtime = await createRuntime({
    db,
    vault,
    recordingStore: opts.recordings?.store?.(db) ?? new DirectoryRecordingStore(recordingDir),
    log: opts.log ?? pino({ level: 'silent' }),
    lab,
    statusMonitor: opts.statusIntervalMs !== undefined,
    // tests drive schedules with their own clock (tests/scheduler.test.ts)
    scheduler: false,
    tunables: testTunables({
      TERMINAL_RESUME_GRACE_MS: opts.resumeGraceMs ?? 60_000,
      TERMINAL_IDLE_TIMEOUT_MS: opts.idleTimeoutMs ?? 10 * 60_000,
      TERMINAL_MAX_SESSIONS_PER_USER: opts.limits?.perUser ?? 20,
      DEVICE_MAX_SESSIONS: opts.limits?.perDevice ?? 5,
      WS_MAX_FRAME_BYTES: opts.maxFrameBytes ?? 64 * 1024,
      WS_HEARTBEAT_MS: 60_000,
      ...(opts.wsLimits && {
        WS_MAX_CONNECTIONS_PER_USER: opts.wsLimits.perUser,
        WS_MAX_CONNECTIONS_PER_ADDRESS: opts.wsLimits.perAddress,
      }),
      STATUS_INTERVAL_MS: opts.statusIntervalMs ?? 60_000,
      STATUS_PROBE_TIMEOUT_MS: 500,
      STATUS_CONCURRENCY: 20,
      waterMarks: opts.waterMarks,
      sshReadyTimeoutMs: opts.readyTimeoutMs ?? 3000,
      progressIntervalMs: opts.progressIntervalMs ?? 100,
      tokenRecheckMs: opts.tokenRecheckMs,
      ...(opts.approvalTimeoutMs && { GUARD_APPROVAL_TIMEOUT_MS: opts.approvalTimeoutMs }),
      ...(opts.screenModel === false && { TERMINAL_SCREEN_MODEL: false }),
      RECORDINGS: opts.recordings?.enabled ?? true,
      ...(opts.recordings?.maxBytes && { RECORDING_MAX_BYTES: opts.recordings.maxBytes }),
      RECORDING_INPUT: opts.recordings?.input ?? false,
      ...opts.tunables,
    }),
  });
  // operators are granted every lab device except lab-ios-02 (to test refusals)
  const devices = await db.device.findMany();
  for (const d of devices) {
    if (d.name !== 'lab-ios-02')
      await db.deviceGrant.create({ data: { userId: users.operator, deviceId: d.id } });
    await db.deviceGrant.create({ data: { userId: users.operator2, deviceId: d.id } });
    await db.deviceGrant.create({ data: { userId: users.viewer, deviceId: d.id } });
  }
  const server: Server = createServer((_req, res) => res.end());
  server.on('upgrade', (req, socket, head) => void runtime.realtime.handleUpgrade(req, socket, head));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    runtime,
    url,
    db,
    vault,
    lab: lab.devices,
    labControl: lab,
    feed: runtime.feed,
    status: runtime.status,
    terminals: runtime.terminals,
    deviceSlots: runtime.deviceSlots,
    realtime: runtime.realtime,
    bus: runtime.bus,
    queue: runtime.queue,
    tasks: runtime,
    origin: `http://127.0.0.1:${port}`,
    wsBase: `ws://127.0.0.1:${port}`,
    users,
    async deviceId(name) {
      return (await db.device.findUniqueOrThrow({ where: { name } })).id;
    },
    async cookieFor(userId) {
      // as a real sign-in does: the token carries the user's current session version
      const user = await db.user.findUnique({ where: { id: userId }, select: { sessionVersion: true } });
      const token = { sub: userId, sv: user?.sessionVersion ?? 0 };
      return `next-auth.session-token=${await encode({ token, secret: TEST_SECRET, maxAge: 3600 })}`;
    },
    async close() {
      server.close();
      await runtime.close();
    },
  };
}

/** How often waitFinal reads a task's row. */
const TASK_POLL_MS = 50;
/** How long waitFinal waits by default: a lab task of a few devices ends in seconds. */
export const TASK_FINAL_TIMEOUT_MS = 30_000;

/**
 * A task's row once it is in a final state, read from the database every TASK_POLL_MS. A task still
 * queued or running after `timeoutMs` fails the test, naming the state it was stuck in.
 */
export async function waitFinal(
  portal: Pick<Portal, 'db'>,
  taskId: string,
  timeoutMs = TASK_FINAL_TIMEOUT_MS,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await portal.db.task.findUniqueOrThrow({ where: { id: taskId } });
    if (isFinal(task.status)) return task;
    if (Date.now() >= deadline)
      throw new Error(`task ${taskId} is still ${task.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, TASK_POLL_MS));
  }
}

/** waitFinal, then the task and its devices as an admin's task page reads them. */
export async function waitFinalDetail(
  portal: Pick<Portal, 'db' | 'users'>,
  taskId: string,
  timeoutMs = TASK_FINAL_TIMEOUT_MS,
) {
  await waitFinal(portal, taskId, timeoutMs);
  const detail = await getTaskDetail({ id: portal.users.admin, role: 'admin' }, taskId, portal);
  if (!detail) throw new Error(`task ${taskId} is gone`);
  return detail;
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

  static async open(
    portal: Portal,
    path: string,
    userId: string,
    /** More request headers for the upgrade (Accept-Language, …). */
    headers: Record<string, string> = {},
  ): Promise<TestClient> {
    const ws = new WebSocket(portal.wsBase + path, {
      headers: { ...headers, Origin: portal.origin, Cookie: await portal.cookieFor(userId) },
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

  /** Everything printed since `from` (a mark taken with `outputTotal`). */
  outputSince(from: number): string {
    return this.output.slice(Math.max(0, this.output.length - (this.outputTotal - from)));
  }

  /** Waits for output after `from` matching `re` (earlier output that matches does not count). */
  waitOutputSince(from: number, re: RegExp, timeoutMs = 10_000): Promise<string> {
    return this.waitUntil(
      () => re.test(this.outputSince(from)) && this.outputSince(from),
      `output matching ${re} after ${from}`,
      timeoutMs,
    );
  }

  /** Closes the terminal session (not only the socket), then the socket. */
  async closeTerminal(): Promise<void> {
    this.send({ type: 'close' });
    await this.waitFrame('terminal_closed');
    await this.close();
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const done = once(this.ws, 'close').then(() => undefined);
    this.ws.close();
    return done;
  }
}
