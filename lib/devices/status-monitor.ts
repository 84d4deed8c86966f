import net from 'node:net';
import type { Logger } from 'pino';
import type { PrismaClient } from '../db/generated/client';
import type { EventBus } from '../events/types';
import type { DeviceStatus } from './status';

export interface ProbeState {
  status: DeviceStatus;
  /** Consecutive failed / good probes so far. */
  fails: number;
  oks: number;
}

export interface Hysteresis {
  offlineAfter: number;
  onlineAfter: number;
}

/**
 * Pure: the next status after one probe. Offline only after `offlineAfter` consecutive failures,
 * online again only after `onlineAfter` consecutive successes. A device in `error` (login or host-key
 * trouble seen by a session) stays in error while it answers; only a session clears it.
 */
/** What a probe reads of a device: its address, status, and whether a group puts a jump host in front. */
const PROBE_SELECT = {
  id: true,
  host: true,
  port: true,
  status: true,
  transport: true,
  groups: { select: { group: { select: { jumpHostId: true } } } },
} as const;

/** A group the device is in names a jump host other than the device itself (lib/devices/connect.ts). */
export function behindGroupJumpHost(d: {
  id: string;
  groups: { group: { jumpHostId: string | null } }[];
}): boolean {
  return d.groups.some((m) => m.group.jumpHostId !== null && m.group.jumpHostId !== d.id);
}

export function nextProbeState(s: ProbeState, ok: boolean, h: Hysteresis): ProbeState {
  const fails = ok ? 0 : s.fails + 1;
  const oks = ok ? s.oks + 1 : 0;
  let status = s.status;
  if (!ok && fails >= h.offlineAfter) status = 'offline';
  if (ok && s.status === 'unknown') status = 'online';
  if (ok && s.status === 'offline' && oks >= h.onlineAfter) status = 'online';
  return { status, fails, oks };
}

/** Reachable = TCP connects and the server speaks SSH (its banner starts with "SSH-") in time. */
export function probeSsh(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<{ ok: boolean; reason: string }> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let buf = '';
    const done = (ok: boolean, reason: string) => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ ok, reason });
    };
    const timer = setTimeout(() => done(false, `no SSH banner within ${timeoutMs} ms`), timeoutMs);
    sock.setNoDelay(true);
    sock.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      if (buf.includes('\n') || buf.length >= 4) {
        if (buf.startsWith('SSH-')) done(true, 'SSH banner received');
        else if (buf.length >= 4) done(false, 'the port answers but not with SSH');
      }
    });
    sock.on('error', (err: NodeJS.ErrnoException) =>
      done(false, err.code === 'ECONNREFUSED' ? 'connection refused' : err.message),
    );
    sock.on('close', () => done(false, 'closed before the SSH banner'));
  });
}

/**
 * Reachable = TCP connects in time. For telnet: a telnet server may open with option negotiation,
 * and a console-server line says nothing until Enter is pressed, so the connection is the evidence.
 */
export function probeTcp(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<{ ok: boolean; reason: string }> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean, reason: string) => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ ok, reason });
    };
    const timer = setTimeout(() => done(false, `no TCP connection within ${timeoutMs} ms`), timeoutMs);
    sock.on('connect', () => done(true, 'TCP port open'));
    sock.on('error', (err: NodeJS.ErrnoException) =>
      done(false, err.code === 'ECONNREFUSED' ? 'connection refused' : err.message),
    );
  });
}

/** What sessions tell the monitor: a failed login (error) or a successful one (online). */
export interface DeviceStatusReporter {
  reportError(deviceId: string, reason: string): Promise<void>;
  reportOnline(deviceId: string): Promise<void>;
}

/** What "Probe now" answers: the probe's verdict and the status after hysteresis. */
export type ProbeOneResult =
  | {
      ok: true;
      /** This probe reached the device. */
      reachable: boolean;
      reason: string;
      /** The status after this probe (an online device goes offline only after `offlineAfter` failures). */
      status: DeviceStatus;
      previous: DeviceStatus;
      /** Consecutive failed probes so far. */
      fails: number;
      offlineAfter: number;
      tookMs: number;
    }
  | { ok: false; code: 'not_found' | 'behind_jump_host'; message: string };

export interface StatusMonitorOptions {
  db: PrismaClient;
  bus: EventBus;
  log: Logger;
  intervalMs: number;
  probeTimeoutMs: number;
  concurrency: number;
  hysteresis: Hysteresis;
  probe?: typeof probeSsh;
  /**
   * In a cluster one node probes (the holder of the status lease); the others skip their rounds.
   * Default: always (one node alone).
   */
  isProber?: () => boolean;
}

/**
 * Probes every device's reachability each interval with bounded concurrency, records transitions
 * and publishes `device.status.changed`. Terminals and tasks report login/host-key trouble (`error`)
 * and successful logins through the same path.
 */
export class StatusMonitor implements DeviceStatusReporter {
  private readonly states = new Map<string, ProbeState>();
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly opts: StatusMonitorOptions) {}

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      if (!this.round) {
        this.round = this.runRound()
          .catch((err: unknown) => this.opts.log.error({ err }, 'status round failed'))
          .finally(() => {
            this.round = null;
          });
      } // a round still running (hung probes are bounded by the timeout) skips this tick
      this.timer = setTimeout(tick, this.opts.intervalMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.round;
  }

  /**
   * This node takes over probing (it became the cluster's prober): the hysteresis counts start again
   * from the statuses stored by the previous prober, not from what this node saw long ago.
   */
  resetProbeState(): void {
    this.states.clear();
  }

  /** One probe of every device; exposed for tests. */
  async runRound(): Promise<void> {
    if (this.opts.isProber && !this.opts.isProber()) return;
    // A device behind a jump host (its own, or its group's) is not reachable from here by design: its
    // status comes from the logins through its route (reportOnline / reportError), not from a probe.
    const devices = (
      await this.opts.db.device.findMany({
        where: { jumpHostId: null },
        select: PROBE_SELECT,
      })
    ).filter((d) => !behindGroupJumpHost(d));
    let next = 0;
    const worker = async () => {
      while (!this.stopped && next < devices.length) {
        const d = devices[next++]!;
        const probe = this.opts.probe ?? (d.transport === 'telnet' ? probeTcp : probeSsh);
        const result = await probe(d.host, d.port, this.opts.probeTimeoutMs);
        const prev = this.states.get(d.id) ?? { status: d.status as DeviceStatus, fails: 0, oks: 0 };
        const state = nextProbeState(prev, result.ok, this.opts.hysteresis);
        this.states.set(d.id, state);
        if (state.status !== prev.status) await this.transition(d.id, state.status, result.reason);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, devices.length) }, worker));
  }

  /**
   * Probe one device now ("Probe now" on its page): the same probe, hysteresis and reporting as a
   * round, so one failed probe of an online device is not yet an outage. Answers within the probe
   * timeout (plus two small queries). Expected failures are values, not throws.
   */
  async probeOne(deviceId: string): Promise<ProbeOneResult> {
    const started = Date.now();
    const d = await this.opts.db.device.findUnique({
      where: { id: deviceId },
      select: { ...PROBE_SELECT, jumpHostId: true },
    });
    if (!d) return { ok: false, code: 'not_found', message: `No device with id ${deviceId}.` };
    if (d.jumpHostId || behindGroupJumpHost(d))
      return {
        ok: false,
        code: 'behind_jump_host',
        message:
          'This device is reached through a jump host: the portal cannot probe it directly; its status comes from logins.',
      };
    const probe = this.opts.probe ?? (d.transport === 'telnet' ? probeTcp : probeSsh);
    const result = await probe(d.host, d.port, this.opts.probeTimeoutMs);
    const prev = this.states.get(d.id) ?? { status: d.status as DeviceStatus, fails: 0, oks: 0 };
    const state = nextProbeState(prev, result.ok, this.opts.hysteresis);
    this.states.set(d.id, state);
    if (state.status !== prev.status) await this.transition(d.id, state.status, result.reason);
    return {
      ok: true,
      reachable: result.ok,
      reason: result.reason,
      status: state.status,
      previous: prev.status,
      fails: state.fails,
      offlineAfter: this.opts.hysteresis.offlineAfter,
      tookMs: Date.now() - started,
    };
  }

  /** A session could not log in (credentials, host key): the device is in error until one succeeds. */
  async reportError(deviceId: string, reason: string): Promise<void> {
    const s = this.states.get(deviceId) ?? { status: 'unknown', fails: 0, oks: 0 };
    this.states.set(deviceId, { ...s, status: 'error' });
    await this.transition(deviceId, 'error', reason);
  }

  /** A session logged in: the device is online. */
  async reportOnline(deviceId: string): Promise<void> {
    const s = this.states.get(deviceId);
    if (s?.status === 'online') return;
    this.states.set(deviceId, { status: 'online', fails: 0, oks: 1 });
    await this.transition(deviceId, 'online', 'a session logged in');
  }

  private async transition(deviceId: string, status: DeviceStatus, reason: string): Promise<void> {
    const { db } = this.opts;
    const device = await db.device.findUnique({ where: { id: deviceId }, select: { status: true } });
    if (!device || device.status === status) return;
    const at = new Date();
    // compare-and-set on the stored status: when two nodes see the same change (a login on one, a
    // probe on another), one stores and publishes it, the other finds it done
    const stored = await db.$transaction(async (tx) => {
      const { count } = await tx.device.updateMany({
        where: { id: deviceId, status: device.status },
        data: { status, statusChangedAt: at },
      });
      if (count === 0) return false;
      await tx.deviceStatusChange.create({
        data: { deviceId, status, previous: device.status, reason, at },
      });
      return true;
    });
    if (!stored) return;
    this.opts.log.info({ deviceId, status, previous: device.status, reason }, 'device status changed');
    await this.opts.bus.publish('device.status.changed', {
      deviceId,
      status,
      previous: device.status,
      reason,
      at: at.toISOString(),
    });
  }
}
