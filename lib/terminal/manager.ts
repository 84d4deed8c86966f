import type { Logger } from 'pino';
import type { ClientChannel } from 'ssh2';
import type { PrismaClient } from '../db/generated/client';
import { openCredentials } from '../devices/credentials';
import { driverFor } from '../devices/drivers';
import { dbHostKeyPolicy, recordOfferedHostKey } from '../devices/host-key-policy';
import type { DeviceSessionLimiter } from '../devices/limiter';
import type { DeviceStatusReporter } from '../devices/status-monitor';
import { connectSsh, SshError, type SshConnection } from '../devices/ssh';
import type { Vault } from '../devices/vault';
import type { WaterMarks } from './flow';
import { TerminalSession, type SessionTimers } from './session';
import { isDeviceEncoding } from './transcoder';

export const TERMINAL_TERM = 'xterm-256color';

export interface TerminalLimits {
  perUser: number;
}

export interface AuditSink {
  (entry: { userId: string; action: string; target: string; detail: string }): Promise<void> | void;
}

export interface TerminalManagerOptions {
  db: PrismaClient;
  vault: Vault;
  log: Logger;
  limits: TerminalLimits;
  /** Per-device session slots, shared with batch tasks. */
  deviceSlots: DeviceSessionLimiter;
  timers: SessionTimers;
  audit: AuditSink;
  readyTimeoutMs?: number;
  /** Told about failed logins (device in error) and successful ones (online). */
  status?: DeviceStatusReporter;
  waterMarks?: WaterMarks;
  scrollbackChars?: number;
}

export type OpenFailure = { ok: false; code: string; error: string };
export type OpenResult = { ok: true; session: TerminalSession } | OpenFailure;

/** Every terminal session of this node, with per-user and per-device limits. */
export class TerminalManager {
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly opening = new Map<string, { userId: string; deviceId: string }>();
  private seq = 0;

  constructor(private readonly opts: TerminalManagerOptions) {}

  private countWhere(pred: (x: { userId: string; deviceId: string }) => boolean): number {
    let n = 0;
    for (const s of this.sessions.values()) if (pred(s)) n++;
    for (const o of this.opening.values()) if (pred(o)) n++;
    return n;
  }

  count(): number {
    return this.sessions.size;
  }

  find(sessionId: string, userId: string, deviceId: string): TerminalSession | null {
    const s = this.sessions.get(sessionId);
    // only the same user, on the same device, may reattach
    if (!s || s.isClosed || s.userId !== userId || s.deviceId !== deviceId) return null;
    return s;
  }

  async open(userId: string, deviceId: string, size: { cols: number; rows: number }): Promise<OpenResult> {
    const { limits } = this.opts;
    if (this.countWhere((s) => s.userId === userId) >= limits.perUser) {
      return {
        ok: false,
        code: 'limit_user',
        error: `You already have ${limits.perUser} terminal sessions open. Close one first.`,
      };
    }
    const slots = this.opts.deviceSlots;
    if (!slots.tryAcquire(deviceId)) {
      return {
        ok: false,
        code: 'limit_device',
        error: `This device already has ${slots.perDevice} sessions open from the portal (its VTY limit here). Try again when one closes.`,
      };
    }
    const key = `opening-${++this.seq}`;
    this.opening.set(key, { userId, deviceId });
    let result: OpenResult | undefined;
    try {
      result = await this.connect(userId, deviceId, size);
      return result;
    } finally {
      this.opening.delete(key);
      if (!result?.ok) slots.release(deviceId); // an open session releases its slot when it closes
    }
  }

  private async connect(
    userId: string,
    deviceId: string,
    size: { cols: number; rows: number },
  ): Promise<OpenResult> {
    const { db, log } = this.opts;
    const device = await db.device.findUnique({ where: { id: deviceId } });
    if (!device) return { ok: false, code: 'unknown_device', error: 'This device no longer exists.' };
    let creds;
    try {
      creds = openCredentials(device, this.opts.vault);
    } catch {
      return {
        ok: false,
        code: 'credentials_unreadable',
        error: 'The stored credentials cannot be decrypted (was SWITCHBOARD_SECRET changed?). Re-enter them.',
      };
    }
    let ssh: SshConnection;
    try {
      ssh = await connectSsh({ host: device.host, port: device.port, name: device.name }, creds, {
        readyTimeoutMs: this.opts.readyTimeoutMs,
        hostKeys: dbHostKeyPolicy(db, device),
      });
    } catch (err) {
      if (err instanceof SshError) {
        await recordOfferedHostKey(db, device.id, err);
        if (err.code === 'auth_failed' || err.code === 'host_key_mismatch') {
          await this.opts.status?.reportError(device.id, err.message).catch(() => {});
        }
        log.info({ deviceId, code: err.code }, 'terminal connection failed');
        return { ok: false, code: err.code, error: err.message };
      }
      throw err;
    }
    await this.opts.status?.reportOnline(device.id).catch(() => {});
    let stream: ClientChannel;
    try {
      stream = await new Promise<ClientChannel>((resolve, reject) =>
        ssh.client.shell({ term: TERMINAL_TERM, cols: size.cols, rows: size.rows }, (err, s) =>
          err ? reject(err) : resolve(s),
        ),
      );
    } catch (err) {
      ssh.client.end();
      ssh.socket.destroy();
      return {
        ok: false,
        code: 'shell_refused',
        error: `${device.name} refused to open a shell: ${(err as Error).message}`,
      };
    }
    const session = new TerminalSession({
      userId,
      deviceId,
      deviceName: device.name,
      encoding: isDeviceEncoding(device.encoding) ? device.encoding : 'utf-8',
      driver: driverFor(device.vendor),
      ssh,
      stream,
      timers: this.opts.timers,
      waterMarks: this.opts.waterMarks,
      scrollbackChars: this.opts.scrollbackChars,
      events: {
        onCommand: (s, command, mode) =>
          void this.opts.audit({
            userId: s.userId,
            action: `terminal.${mode === 'command' ? 'command' : 'input'}`,
            target: s.deviceName,
            detail: command,
          }),
        onClosed: (s, reason) => {
          this.sessions.delete(s.id);
          this.opts.deviceSlots.release(s.deviceId);
          const seconds = Math.round((Date.now() - s.openedAt) / 1000);
          void this.opts.audit({
            userId: s.userId,
            action: 'terminal.close',
            target: s.deviceName,
            detail: `${reason} (after ${seconds} s)`,
          });
        },
      },
    });
    this.sessions.set(session.id, session);
    await this.opts.audit({
      userId,
      action: 'terminal.open',
      target: device.name,
      detail: `session ${session.id.slice(0, 8)}`,
    });
    return { ok: true, session };
  }

  closeAll(reason: string): void {
    for (const s of [...this.sessions.values()]) s.close(reason);
  }
}

const globalForTerminals = globalThis as unknown as { __switchboardTerminals?: TerminalManager };

/** The process's terminal manager, created by server.ts (metrics read it through here). */
export function setTerminalManager(manager: TerminalManager | undefined): void {
  globalForTerminals.__switchboardTerminals = manager;
}
export function getTerminalManager(): TerminalManager | undefined {
  return globalForTerminals.__switchboardTerminals;
}
