import { randomUUID } from 'node:crypto';
import type { DeviceShell } from '../devices/cli';
import type { DeviceLogin, DeviceLoginRequest, LoginFailureCode } from '../devices/connect';
import type { DeviceSessionLimiter } from '../devices/limiter';
import type { SlotStore } from '../limits/slots';
import type { Recordings } from '../recordings/recorder';
import type { RevocationScope } from '../events/types';
import type { WaterMarks } from './flow';
import type { ScreenModels } from './screen';
import type { AppLocale } from '../i18n/config';
import { TerminalSession, type SessionGuard, type SessionTimers } from './session';

export const TERMINAL_TERM = 'xterm-256color';

export interface TerminalLimits {
  perUser: number;
}

export interface AuditSink {
  (entry: { userId: string; action: string; target: string; detail: string }): Promise<void> | void;
}

export interface TerminalManagerOptions {
  /** Device login (access check, credentials, host keys, status), shared with batch tasks. */
  login: DeviceLogin;
  limits: TerminalLimits;
  /** Per-device session slots, shared with batch tasks. */
  deviceSlots: DeviceSessionLimiter;
  /** Where each user's terminals are counted (`terminals:<userId>`): Redis in a cluster, so the cap holds across nodes. */
  userSlots: SlotStore;
  /** The device's own session cap, if it has one (else the limiter's default). */
  sessionCapOf(deviceId: string): Promise<number | null>;
  timers: SessionTimers;
  audit: AuditSink;
  waterMarks?: WaterMarks;
  scrollbackChars?: number;
  /** Records each session (lib/recordings); none: sessions are not recorded. */
  recordings?: Recordings;
  /** Each session's screen model (lib/terminal/screen.ts); none: reattaching replays raw scrollback. */
  screens?: ScreenModels;
  /** Every session keeps a screen model (default); false: only those under guard rails, which read lines from it. */
  screensForAll?: boolean;
  /** The command guard rails of a new session (lib/policy); none: every line goes through. */
  guardFor?(
    userId: string,
    device: { id: string; name: string; vendor: string },
    readOnly: boolean,
  ): Promise<SessionGuard | null>;
  /**
   * Cluster: where other nodes find this node's sessions (a reload that lands elsewhere reattaches
   * through the relay, lib/realtime/relay.ts). Failures are logged by the caller, never fatal.
   */
  directory?: { opened(session: TerminalSession): Promise<void>; closed(sessionId: string): Promise<void> };
}

export type OpenFailureCode =
  | LoginFailureCode
  | 'limit_user'
  | 'limit_device'
  | 'limits_unavailable'
  | 'shell_refused'
  | 'access_revoked';
export type OpenFailure = { ok: false; code: OpenFailureCode; error: string };
export type OpenResult = { ok: true; session: TerminalSession } | OpenFailure;

/** Every terminal session of this node, with per-user and per-device limits. */
export class TerminalManager {
  private readonly sessions = new Map<string, TerminalSession>();
  /** Sessions being opened; `revoked` is set when the user's access is revoked meanwhile. */
  private readonly opening = new Map<string, { userId: string; deviceId: string; revoked?: string }>();
  private seq = 0;

  constructor(private readonly opts: TerminalManagerOptions) {}

  count(): number {
    return this.sessions.size;
  }

  /** Write an audit entry as the sessions do (pairing, observing). */
  audit(entry: Parameters<AuditSink>[0]): Promise<void> | void {
    return this.opts.audit(entry);
  }

  /** The open sessions of this node (the live sessions page). */
  list(): TerminalSession[] {
    return [...this.sessions.values()].filter((s) => !s.isClosed);
  }

  /** An open session by id, whoever owns it (observing; callers check access). */
  get(sessionId: string): TerminalSession | null {
    const s = this.sessions.get(sessionId);
    return s && !s.isClosed ? s : null;
  }

  /** An admin ends someone's session: the owner's tab shows who and why; audited. */
  async end(sessionId: string, by: { userId: string; name: string }, reason: string): Promise<boolean> {
    const s = this.get(sessionId);
    if (!s) return false;
    await this.opts.audit({
      userId: by.userId,
      action: 'terminal.end',
      target: s.deviceName,
      detail: `session ${s.id.slice(0, 8)} of ${s.userId}: ${reason}`,
    });
    s.close(`Ended by ${by.name}: ${reason}`);
    return true;
  }

  find(sessionId: string, userId: string, deviceId: string): TerminalSession | null {
    const s = this.sessions.get(sessionId);
    // only the same user, on the same device, may reattach
    if (!s || s.isClosed || s.userId !== userId || s.deviceId !== deviceId) return null;
    return s;
  }

  async open(
    userId: string,
    deviceId: string,
    size: { cols: number; rows: number },
    opts: {
      askUser?: DeviceLoginRequest['askUser'];
      /** A read-only terminal: view access suffices, and the read-only guard rails decide every line. */
      readOnly?: boolean;
      /** The owner's language, for what the portal prints in the terminal. */
      locale?: AppLocale;
    } = {},
  ): Promise<OpenResult> {
    const { limits, userSlots } = this.opts;
    const slots = this.opts.deviceSlots;
    let userSlot: string | null = null;
    let deviceSlot = false;
    let cap = slots.perDevice;
    try {
      userSlot = await userSlots.take(userKey(userId), limits.perUser);
      if (userSlot === null) {
        return {
          ok: false,
          code: 'limit_user',
          error: `You already have ${limits.perUser} terminal sessions open. Close one first.`,
        };
      }
      cap = (await this.opts.sessionCapOf(deviceId)) ?? slots.perDevice;
      deviceSlot = await slots.tryAcquire(deviceId, cap);
    } catch {
      if (userSlot) void userSlots.release(userKey(userId), userSlot);
      return {
        ok: false,
        code: 'limits_unavailable',
        error:
          'Session limits cannot be checked right now (the cluster cannot reach Redis). Try again in a moment.',
      };
    }
    if (!deviceSlot) {
      void userSlots.release(userKey(userId), userSlot);
      return {
        ok: false,
        code: 'limit_device',
        error: `This device already has ${cap} sessions open from the portal (its session limit here). Try again when one closes.`,
      };
    }
    const key = `opening-${++this.seq}`;
    const pending: { userId: string; deviceId: string; revoked?: string } = { userId, deviceId };
    this.opening.set(key, pending);
    let result: OpenResult | undefined;
    try {
      result = await this.connect(
        userId,
        deviceId,
        size,
        opts.askUser,
        userSlot,
        opts.readOnly ?? false,
        opts.locale,
      );
      if (result.ok && pending.revoked) {
        result.session.close(pending.revoked); // releases its slots
        return { ok: false, code: 'access_revoked', error: pending.revoked };
      }
      return result;
    } finally {
      this.opening.delete(key);
      if (!result?.ok) {
        // an open session releases its slots when it closes
        slots.release(deviceId);
        void userSlots.release(userKey(userId), userSlot);
      }
    }
  }

  private async connect(
    userId: string,
    deviceId: string,
    size: { cols: number; rows: number },
    askUser: DeviceLoginRequest['askUser'],
    userSlot: string,
    readOnly: boolean,
    locale: AppLocale | undefined,
  ): Promise<OpenResult> {
    // a read-only terminal is only safe with its guard: without guard rails it is not opened
    if (readOnly && !this.opts.guardFor)
      return {
        ok: false,
        code: 'forbidden',
        error: 'Read-only terminals need the command guard rails, which are not running here.',
      };
    const login = await this.opts.login.open({
      deviceId,
      actor: { userId },
      purpose: 'terminal',
      askUser,
      readOnly,
    });
    if (!login.ok) return { ok: false, code: login.code, error: login.message };
    const { connection } = login;
    let shell: DeviceShell;
    try {
      shell = await connection.openShell({ term: TERMINAL_TERM, cols: size.cols, rows: size.rows });
    } catch (err) {
      connection.close();
      return {
        ok: false,
        code: 'shell_refused',
        error: `${connection.device.name} refused to open a shell: ${(err as Error).message}`,
      };
    }
    const id = randomUUID();
    let guard: SessionGuard | null = null;
    try {
      guard =
        (await this.opts.guardFor?.(
          userId,
          { id: deviceId, name: connection.device.name, vendor: connection.driver.vendor },
          readOnly,
        )) ?? null;
      if (readOnly && !guard?.active) throw new Error('no read-only rules apply');
    } catch (err) {
      connection.close();
      return {
        ok: false,
        code: 'shell_refused',
        error: `The command guard rails could not be loaded (${(err as Error).message}); no terminal was opened.`,
      };
    }
    const tap = await this.opts.recordings?.start({ sessionId: id, userId, deviceId, ...size });
    const wantsScreen = (this.opts.screensForAll ?? true) || guard?.active === true;
    const screen = wantsScreen
      ? this.opts.screens?.open(id, size.cols, size.rows, {
          rawTail: () => this.sessions.get(id)?.rawScrollback() ?? '',
        })
      : null;
    const session = new TerminalSession({
      id,
      tap,
      screen,
      guard,
      readOnly,
      locale,
      size,
      userId,
      connection,
      shell,
      timers: this.opts.timers,
      waterMarks: this.opts.waterMarks,
      scrollbackChars: this.opts.scrollbackChars,
      events: {
        onCommand: (s, command, mode, by) =>
          void this.opts.audit({
            userId: by ?? s.userId,
            action: `terminal.${mode === 'command' ? 'command' : 'input'}`,
            target: s.deviceName,
            detail: command,
          }),
        onClosed: (s, reason) => {
          this.sessions.delete(s.id);
          void this.opts.directory?.closed(s.id).catch(() => {});
          this.opts.deviceSlots.release(s.deviceId);
          void this.opts.userSlots.release(userKey(s.userId), userSlot);
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
    // before the browser learns the id: a reload that lands on another node must find it
    await this.opts.directory?.opened(session).catch(() => {});
    await this.opts.audit({
      userId,
      action: 'terminal.open',
      target: connection.device.name,
      detail: `session ${session.id.slice(0, 8)}`,
    });
    return { ok: true, session };
  }

  /**
   * Access revoked: close this user's sessions that the scope covers (all, or those on some devices),
   * and any being opened as soon as they open. Returns how many open sessions were closed.
   */
  revoke(userId: string, scope: RevocationScope, reason: string): number {
    // a token's revocation closes its sockets (lib/realtime); the sessions they opened then expire
    const covers = (deviceId: string) =>
      scope === 'all' || ('deviceIds' in scope && scope.deviceIds.includes(deviceId));
    for (const o of this.opening.values()) if (o.userId === userId && covers(o.deviceId)) o.revoked = reason;
    let n = 0;
    for (const s of [...this.sessions.values()]) {
      if (s.userId !== userId || !covers(s.deviceId)) continue;
      s.close(reason);
      n++;
    }
    return n;
  }

  closeAll(reason: string): void {
    for (const s of [...this.sessions.values()]) s.close(reason);
  }
}

function userKey(userId: string): string {
  return `terminals:${userId}`;
}
