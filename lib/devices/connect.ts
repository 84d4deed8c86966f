import type { Logger } from 'pino';
import { atLeast, isRole } from '../auth/roles';
import type { PrismaClient } from '../db/generated/client';
import { openCredentials, type DeviceCredentials } from './credentials';
import { driverFor, type VendorDriver } from './drivers';
import { deviceEncodingOf, type DeviceEncoding } from './encoding';
import { dbHostKeyPolicy, recordOfferedHostKey } from './host-key-policy';
import { openSshShell, type DeviceShell, type ShellSize } from './cli';
import type { Transport } from './schema';
import {
  connectSsh,
  forwardThrough,
  SSH_READY_TIMEOUT_MS,
  SshError,
  type HostKeyPolicy,
  type SshConnectOptions,
  type SshConnection,
  type SshFailureCode,
} from './ssh';
import {
  connectTelnet,
  TelnetError,
  telnetLogin,
  type TelnetConnection,
  type TelnetFailureCode,
} from './telnet';
import type { DeviceStatusReporter } from './status-monitor';
import type { Vault } from './vault';
import { HopPool } from './hop-pool';
import { createLoginReader, JUMP_MAX_HOPS, type DeviceRow, type LoginReads } from './login-reads';

export { JUMP_MAX_HOPS };

/** Why a login did not produce a connection. The SSH and telnet codes come from the connectors as they are. */
export type LoginFailureCode =
  | 'unknown_device'
  | 'forbidden'
  | 'credentials_unreadable'
  | 'jump_route'
  | 'route_changed'
  | SshFailureCode
  | TelnetFailureCode;

/** A telnet connection as a device shell: the device ending the session closes the connection. */
function telnetShell(t: TelnetConnection): DeviceShell {
  return {
    write: (data) => t.write(data),
    onData: (l) => void t.onData(l),
    onClose: (l) => t.onClose(() => l(t.closeReason ? 'lost' : 'ended')),
    resize: (cols, rows) => t.resize(cols, rows),
    pause: () => t.pause(),
    resume: () => t.resume(),
    close: () => t.close(),
  };
}

/** Who logs in, which says whose access is checked and how failures are worded. */
export type LoginPurpose = 'terminal' | 'task';

export interface DeviceLoginRequest {
  /** null: the device was deleted (a task row whose device is gone). */
  deviceId: string | null;
  /** The user the login acts for: the terminal's user, or the task's owner. */
  actor: { userId: string };
  purpose: LoginPurpose;
  /** Abandons the login (task timeout or cancel); the failure is then `closed`. */
  signal?: AbortSignal;
  /** Overrides the login's default SSH ready timeout for this one login. */
  readyTimeoutMs?: number;
  /**
   * The host-key policy for each SSH endpoint on the route (jump hosts and the device); default: the
   * stored one, trusting on first use. Test connection passes one that never stores a key.
   */
  hostKeys?: (endpoint: HostKeyEndpoint) => HostKeyPolicy;
  /** Watches the login step by step (Test connection). */
  observer?: DeviceLoginObserver;
  /** Puts a login question the stored password cannot answer to the person at the terminal. */
  askUser?: SshConnectOptions['askUser'];
  /**
   * A read-only terminal (a viewer, or a view-only grant): seeing the device (and each jump host) is
   * enough; the guard rails' read-only rules limit what may be typed (lib/policy).
   */
  readOnly?: boolean;
}

/** What a host-key policy is made from: one device row on the route. */
export interface HostKeyEndpoint {
  id: string;
  name: string;
  hostKeyFingerprint: string | null;
  hostKeyApprovalRequired: boolean;
}

/** One endpoint on a device's route: a jump host or the device itself. No secrets. */
export interface RouteEndpoint {
  id: string;
  name: string;
  host: string;
  port: number;
  username: string;
  authType: string;
  sshAlgorithms: string;
}

/** The route a login is about to take: jump hosts outermost first, then the device. */
export interface LoginRoute {
  hops: RouteEndpoint[];
  device: RouteEndpoint;
  transport: Transport;
  /** False for a telnet console line without a username: the connection is at the CLI at once. */
  loginNeeded: boolean;
}

/** Told about a login's progress; every member is optional. */
export interface DeviceLoginObserver {
  /**
   * Access granted, route resolved, credentials opened, nothing connected yet. A failure returned here
   * ends the login with it (Test connection checks TCP first).
   */
  beforeConnect?(route: LoginRoute): Promise<DeviceLoginFailure | null>;
  /** An SSH login to one endpoint of the route (a jump host, then the device) completed. */
  sshOpened?(endpoint: RouteEndpoint, conn: SshConnection): void;
  /** The telnet connection is open and its option negotiation done (the login dialog follows). */
  telnetOpened?(conn: TelnetConnection): void;
}

/** The device fields a caller may show or log (no credentials). */
export interface LoggedInDevice {
  id: string;
  name: string;
  host: string;
  port: number;
  vendor: string;
}

/** An authenticated connection to a device and what is needed to talk to its CLI. */
export interface DeviceConnection {
  device: LoggedInDevice;
  transport: Transport;
  /** The SSH connection (SSH devices only): ident, banner, negotiated algorithms. */
  ssh: SshConnection | null;
  /** The interactive shell: a PTY channel over SSH; over telnet, the connection itself (once). */
  openShell(size?: ShellSize): Promise<DeviceShell>;
  driver: VendorDriver;
  encoding: DeviceEncoding;
  /** The enable secret (privileged mode), opened from the vault; never logged or sent to a browser. */
  enableSecret?: string;
  /** End the SSH session and its socket (idempotent). */
  close(): void;
}

export type DeviceLoginResult =
  { ok: true; connection: DeviceConnection } | { ok: false; code: LoginFailureCode; message: string };

export interface DeviceLogin {
  open(req: DeviceLoginRequest): Promise<DeviceLoginResult>;
  /** Jump-host connections open and shared now (lib/devices/hop-pool.ts). */
  readonly sharedHops: number;
  /** Close the shared jump-host connections (shutdown). */
  close(): void;
}

export interface DeviceLoginDeps {
  db: PrismaClient;
  vault: Vault;
  log: Logger;
  /** Told about failed logins (device in error) and successful ones (online). */
  status?: DeviceStatusReporter;
  /** How long an unused jump-host connection is kept (JUMP_HOST_IDLE_MS when absent). */
  jumpHostIdleMs?: number;
  /** Default SSH ready timeout (SSH_READY_TIMEOUT_MS when absent). */
  readyTimeoutMs?: number;
}

export type DeviceLoginFailure = Extract<DeviceLoginResult, { ok: false }>;
type Failure = DeviceLoginFailure;

function endpointOf(row: DeviceRow): RouteEndpoint {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    username: row.username,
    authType: row.authType,
    sshAlgorithms: row.sshAlgorithms,
  };
}
interface Actor {
  username: string;
}

/**
 * The user-visible wording of failures that happen before SSH, per purpose: a terminal speaks to
 * the user at the keyboard, a task row to whoever reads the task later.
 */
const MESSAGES: Record<
  LoginPurpose,
  {
    unknownDevice: string;
    credentials: string;
    noUser: string;
    disabled(a: Actor): string;
    role(a: Actor): string;
    noAccess(a: Actor, device: string): string;
    viewOnly(a: Actor, device: string): string;
  }
> = {
  terminal: {
    unknownDevice: 'This device no longer exists.',
    credentials:
      'The stored credentials cannot be decrypted (was SWITCHBOARD_SECRET changed?). Re-enter them.',
    noUser: 'Your account no longer exists.',
    disabled: () => 'Your account is disabled.',
    role: () => 'Your role cannot open terminals.',
    noAccess: (_a, device) => `You no longer have access to ${device}.`,
    viewOnly: (_a, device) => `You may view ${device} but not operate it (your grant is view only).`,
  },
  task: {
    unknownDevice: 'The device was deleted from the inventory.',
    credentials: 'The stored credentials cannot be decrypted; re-enter them.',
    noUser: "The task's owner no longer exists.",
    disabled: (a) => `The task's owner ${a.username} is disabled.`,
    role: (a) =>
      `The task's owner ${a.username} may no longer run commands on devices (operator role needed).`,
    noAccess: (a, device) => `The task's owner ${a.username} no longer has access to ${device}.`,
    viewOnly: (a, device) =>
      `The task's owner ${a.username} may only view ${device} (a view grant cannot run commands).`,
  },
};

/**
 * Log in to a device: the one path terminals and tasks take. Checks the acting user's access
 * (re-read from the database for every login, in one read with the other logins starting at the same
 * time: a grant revoked while a task waited counts), opens the credentials, connects with the stored
 * host-key policy, remembers a refused key for an admin to accept, reports the device's status, and
 * returns the connection with its driver and encoding, or a failure (code + message). Session slots
 * stay with the callers.
 */
export function createDeviceLogin(deps: DeviceLoginDeps): DeviceLogin {
  const { db, log } = deps;
  const endSsh = (c: SshConnection) => {
    c.client.end();
    c.socket.destroy();
  };
  const hops = new HopPool<SshConnection>({
    close: endSsh,
    onClose: (c, gone) => c.client.once('close', gone),
    idleMs: deps.jumpHostIdleMs,
  });

  const reader = createLoginReader(db);

  async function checkAccess(
    req: DeviceLoginRequest,
    reads: LoginReads,
    device: { id: string; name: string },
  ): Promise<Failure | null> {
    const text = MESSAGES[req.purpose];
    const forbidden = (message: string): Failure => ({ ok: false, code: 'forbidden', message });
    const user = reads.actor;
    if (!user) return forbidden(text.noUser);
    if (user.disabled) return forbidden(text.disabled(user));
    const readOnly = req.readOnly === true && req.purpose === 'terminal';
    if (!isRole(user.role) || (!readOnly && !atLeast(user.role, 'operator')))
      return forbidden(text.role(user));
    const level = await reads.level(device.id);
    if (level === null) return forbidden(text.noAccess(user, device.name));
    if (level !== 'operate' && !readOnly) return forbidden(text.viewOnly(user, device.name));
    return null;
  }

  async function onSshFailure(req: DeviceLoginRequest, device: LoggedInDevice, err: SshError) {
    await recordOfferedHostKey(db, device.id, err).catch((e: unknown) =>
      log.warn({ err: e, deviceId: device.id, device: device.name }, 'could not record the offered host key'),
    );
    if (
      err.code === 'auth_failed' ||
      err.code === 'host_key_mismatch' ||
      err.code === 'host_key_unapproved'
    ) {
      await deps.status?.reportError(device.id, err.message).catch(() => {});
    }
    log.info(
      { deviceId: device.id, device: device.name, purpose: req.purpose, code: err.code },
      'device login failed',
    );
  }

  /**
   * The jump hosts in front of a device, outermost first: each device names the next one in; a loop or
   * more than JUMP_MAX_HOPS hops is refused before anything connects.
   */
  async function routeTo(
    reads: LoginReads,
    row: DeviceRow,
  ): Promise<{ ok: true; hops: DeviceRow[] } | Failure> {
    const hops: DeviceRow[] = [];
    const seen = new Set([row.id]);
    const first = await jumpHostOf(reads, row);
    if (typeof first === 'object' && first !== null) return first;
    let next: string | null = first;
    while (next) {
      if (hops.length >= JUMP_MAX_HOPS)
        return {
          ok: false,
          code: 'jump_route',
          message: `${row.name} is more than ${JUMP_MAX_HOPS} jump hosts away; the portal stops there.`,
        };
      const hop = await reads.device(next);
      if (!hop)
        return { ok: false, code: 'jump_route', message: `The jump host of ${row.name} no longer exists.` };
      if (seen.has(hop.id))
        return {
          ok: false,
          code: 'jump_route',
          message: `The jump hosts of ${row.name} form a loop: ${[row, ...hops, hop].map((d) => d.name).join(' via ')}.`,
        };
      if (hop.transport !== 'ssh')
        return {
          ok: false,
          code: 'jump_route',
          message: `The jump host ${hop.name} is reached over ${hop.transport}; only SSH can forward a connection.`,
        };
      seen.add(hop.id);
      hops.unshift(hop);
      const up = await jumpHostOf(reads, hop);
      if (typeof up === 'object' && up !== null) return up;
      next = up;
    }
    return { ok: true, hops };
  }

  /**
   * The next hop in front of a device: its own jump host, else the one of the groups it is in (a
   * group's jump host never applies to itself). Groups that name different jump hosts are a route
   * nobody chose: refused, naming them.
   */
  async function jumpHostOf(reads: LoginReads, d: DeviceRow): Promise<string | null | Failure> {
    if (d.jumpHostId) return d.jumpHostId;
    const groups = await reads.jumpGroups(d.id);
    const distinct = new Set(groups.map((g) => g.jumpHost.id));
    if (distinct.size <= 1) return groups[0]?.jumpHost.id ?? null;
    return {
      ok: false,
      code: 'jump_route',
      message: `${d.name} is in groups with different jump hosts (${groups
        .map((g) => `${g.name} via ${g.jumpHost.name}`)
        .join(', ')}); give the device its own jump host or take it out of all but one.`,
    };
  }

  /** Log in over telnet: the vendor's login prompts, or none for a console line without a user. */
  async function telnetLoginTo(
    req: DeviceLoginRequest,
    row: DeviceRow,
    device: LoggedInDevice,
    creds: DeviceCredentials,
    /** The SSH jump hosts in front of it, already open (the last one forwards the telnet stream). */
    hops: { opened: SshConnection[]; close(): void },
  ): Promise<DeviceLoginResult> {
    const driver = driverFor(row.vendor);
    const encoding = deviceEncodingOf(row.encoding);
    const timeoutMs = req.readyTimeoutMs ?? deps.readyTimeoutMs;
    let conn: TelnetConnection | null = null;
    const last = hops.opened.at(-1);
    try {
      const stream = last
        ? await forwardThrough(
            last,
            device,
            device.name,
            timeoutMs ?? SSH_READY_TIMEOUT_MS,
            req.signal,
          ).catch((err: unknown) => {
            if (err instanceof SshError)
              throw new TelnetError(err.code === 'timeout' ? 'timeout' : 'unreachable', err.message);
            throw err;
          })
        : undefined;
      conn = await connectTelnet({
        host: device.host,
        port: device.port,
        name: device.name,
        term: req.purpose === 'terminal' ? 'xterm' : 'vt100',
        timeoutMs,
        signal: req.signal,
        stream,
      });
      req.observer?.telnetOpened?.(conn);
      if (telnetLoginNeeded(row, creds))
        await telnetLogin(conn, {
          username: creds.username || null,
          password: creds.password ?? null,
          driver,
          encoding,
          timeoutMs,
          signal: req.signal,
        });
    } catch (err) {
      conn?.close();
      hops.close();
      if (!(err instanceof TelnetError)) throw err;
      if (err.code === 'auth_failed') await deps.status?.reportError(device.id, err.message).catch(() => {});
      log.info(
        { deviceId: device.id, device: device.name, purpose: req.purpose, code: err.code },
        'device login failed',
      );
      return { ok: false, code: err.code, message: err.message };
    }
    await deps.status?.reportOnline(device.id).catch(() => {});
    const telnet = conn;
    return {
      ok: true,
      connection: {
        device,
        transport: 'telnet',
        ssh: null,
        openShell: async (size) => {
          if (size) telnet.resize(size.cols, size.rows);
          return telnetShell(telnet);
        },
        driver,
        encoding,
        enableSecret: creds.enableSecret,
        close: () => {
          telnet.close();
          hops.close();
        },
      },
    };
  }

  const telnetLoginNeeded = (row: DeviceRow, creds: DeviceCredentials) =>
    !(row.kind === 'console_line' && !creds.username);
  const hostKeysFor = (req: DeviceLoginRequest, row: DeviceRow) =>
    req.hostKeys?.(row) ?? dbHostKeyPolicy(db, row);

  return {
    get sharedHops() {
      return hops.size;
    },
    close: () => hops.closeAll(),
    async open(req) {
      const text = MESSAGES[req.purpose];
      const unknown: Failure = { ok: false, code: 'unknown_device', message: text.unknownDevice };
      if (!req.deviceId) return unknown;
      // read together with the other logins of the same user starting now (login-reads.ts)
      const reads = await reader.read(req.actor.userId, req.deviceId);
      const row = await reads.device(req.deviceId);
      if (!row) return unknown;
      const device: LoggedInDevice = {
        id: row.id,
        name: row.name,
        host: row.host,
        port: row.port,
        vendor: row.vendor,
      };

      const refused = await checkAccess(req, reads, device);
      if (refused) {
        log.info(
          { deviceId: device.id, userId: req.actor.userId, purpose: req.purpose },
          'device login refused',
        );
        return refused;
      }

      const chain = await routeTo(reads, row);
      if (!chain.ok) return chain;
      // every jump host is a device the acting user must be allowed to operate
      for (const hop of chain.hops) {
        if (await checkAccess(req, reads, hop)) {
          return {
            ok: false,
            code: 'forbidden',
            message: `${device.name} is reached through the jump host ${hop.name}, which ${req.purpose === 'task' ? "the task's owner" : 'you'} may not use.`,
          };
        }
      }

      // a secret goes only by the route it was entered for (each hop's own secret too)
      const endpoints = [...chain.hops, row];
      const routeKeys = endpoints.map((e, i) => `${e.transport}|${i > 0 ? endpoints[i - 1]!.id : ''}`);
      for (const [i, e] of endpoints.entries()) {
        if (e.secretsRoute === null || e.secretEnc === '' || e.secretsRoute === routeKeys[i]) continue;
        const before = endpoints[i - 1];
        return {
          ok: false,
          code: 'route_changed',
          message:
            `${e.name} is now reached ${before ? `through ${before.name}` : 'directly'}${e.transport === 'telnet' ? ' over telnet' : ''}, ` +
            `not by the route its password was entered for: enter it again (Edit on ${e.name}'s page) before the portal sends it there.`,
        };
      }

      /** After a login that worked: the route each secret was first used by is now its route. */
      const recordRoutes = () =>
        Promise.all(
          endpoints.map((e, i) =>
            e.secretsRoute === null && e.secretEnc !== ''
              ? db.device
                  .updateMany({
                    where: { id: e.id, secretsRoute: null },
                    data: { secretsRoute: routeKeys[i] },
                  })
                  .catch(() => {}) // never worth failing a login for; the next one records it
              : null,
          ),
        );

      let creds: DeviceCredentials;
      const hopCreds: DeviceCredentials[] = [];
      try {
        for (const hop of chain.hops) hopCreds.push(openCredentials(hop, deps.vault));
        creds = openCredentials(row, deps.vault);
      } catch {
        return { ok: false, code: 'credentials_unreadable', message: text.credentials };
      }

      const stop = await req.observer?.beforeConnect?.({
        hops: chain.hops.map(endpointOf),
        device: endpointOf(row),
        transport: row.transport === 'telnet' ? 'telnet' : 'ssh',
        loginNeeded: row.transport !== 'telnet' || telnetLoginNeeded(row, creds),
      });
      if (stop) return stop;

      /** The connections of this login, outermost first; jump hosts are shared (released, not ended). */
      const opened: SshConnection[] = [];
      const releases: (() => void)[] = [];
      const close = () => {
        const own = opened.slice(releases.length);
        for (const c of own.reverse()) endSsh(c);
        for (const release of releases.reverse()) release();
        releases.length = 0;
      };
      const readyTimeoutMs = req.readyTimeoutMs ?? deps.readyTimeoutMs;
      // Test connection watches every step of its own connections: it never shares one.
      const share = !req.observer && !req.hostKeys;
      /** Each jump host in turn, each through the one before (a telnet device's last hop forwards its stream). */
      const openHops = async () => {
        for (const [i, hop] of chain.hops.entries()) {
          try {
            const connect = () =>
              connectSsh({ host: hop.host, port: hop.port, name: hop.name }, hopCreds[i]!, {
                hostKeys: hostKeysFor(req, hop),
                algorithmProfile: hop.sshAlgorithms,
                via: opened[i - 1],
                readyTimeoutMs,
                // a shared connection outlives this login: its cancel must not end it
                signal: share ? undefined : req.signal,
                askUser: req.askUser,
              });
            if (share) {
              const key = chain.hops
                .slice(0, i + 1)
                .map((h) => `${h.id}@${h.updatedAt.getTime()}`)
                .join('>');
              const pooled = await hops.acquire(key, connect);
              opened.push(pooled.conn);
              releases.push(pooled.release);
            } else opened.push(await connect());
            req.observer?.sshOpened?.(endpointOf(hop), opened.at(-1)!);
          } catch (err) {
            if (!(err instanceof SshError)) throw err;
            await onSshFailure(req, { ...device, id: hop.id, name: hop.name }, err);
            throw new SshError(err.code, `Jump host ${hop.name}: ${err.message}`, err.details);
          }
        }
      };
      if (row.transport === 'telnet') {
        try {
          await openHops();
        } catch (err) {
          close();
          if (!(err instanceof SshError)) throw err;
          return { ok: false, code: err.code, message: err.message };
        }
        const r = await telnetLoginTo(req, row, device, creds, { opened, close });
        if (r.ok) await recordRoutes();
        return r;
      }
      let ssh: SshConnection;
      try {
        await openHops();
        ssh = await connectSsh({ host: device.host, port: device.port, name: device.name }, creds, {
          hostKeys: hostKeysFor(req, row),
          algorithmProfile: row.sshAlgorithms,
          via: opened.at(-1),
          readyTimeoutMs,
          signal: req.signal,
          askUser: req.askUser,
        }).catch(async (err: unknown) => {
          if (err instanceof SshError) await onSshFailure(req, device, err);
          throw err;
        });
        opened.push(ssh);
        req.observer?.sshOpened?.(endpointOf(row), ssh);
      } catch (err) {
        close();
        if (!(err instanceof SshError)) throw err;
        return { ok: false, code: err.code, message: err.message };
      }
      if (req.signal?.aborted) {
        // abandoned in the instant the login completed: do not hand out a connection nobody wants
        close();
        return { ok: false, code: 'closed', message: `Connection to ${device.name} was cancelled.` };
      }
      const negotiated = ssh.negotiated ? JSON.stringify(ssh.negotiated) : null;
      if (negotiated && negotiated !== row.negotiatedAlgorithms) {
        await db.device
          .update({ where: { id: row.id }, data: { negotiatedAlgorithms: negotiated } })
          .catch(() => {}); // shown on the device page; never worth failing a login for
      }
      await recordRoutes();
      await deps.status?.reportOnline(device.id).catch(() => {});
      return {
        ok: true,
        connection: {
          device,
          transport: 'ssh',
          ssh,
          openShell: (size) => openSshShell(ssh, size),
          driver: driverFor(row.vendor),
          encoding: deviceEncodingOf(row.encoding),
          enableSecret: creds.enableSecret,
          close,
        },
      };
    },
  };
}
