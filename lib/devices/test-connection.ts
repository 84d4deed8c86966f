import net from 'node:net';
import type { PrismaClient } from '../db/generated/client';
import { CliError, DeviceCli, type DeviceShell } from './cli';
import type {
  DeviceConnection,
  DeviceLogin,
  DeviceLoginFailure,
  HostKeyEndpoint,
  LoginFailureCode,
  LoginRoute,
  RouteEndpoint,
} from './connect';
import { detectVendor, outputIsError } from './drivers';
import { VENDOR_LABELS, type Vendor } from './schema';
import type { HostKeyPolicy, SshConnection } from './ssh';
import type { TelnetConnection } from './telnet';

/*
 * Test connection: the device login (lib/devices/connect.ts) run once with an observer, then the CLI
 * session's first steps, each reported with what it found and how long it took. Nothing here logs in
 * differently from a terminal or a task; the only differences are a host-key policy that never
 * stores a key and a time limit over the whole run.
 */

/** The whole test, login to vendor check, ends within this (the action and the API use it). */
export const TEST_CONNECTION_TIMEOUT_MS = 20_000;
/**
 * Each connector's own timeout ends this much before the test's limit, so a wait that runs out says
 * what it was waiting for (the limit's abort is the backstop, and only says which step it stopped).
 */
const OWN_TIMEOUT_MARGIN_MS = 250;

export const TEST_STEPS = [
  'access',
  'route',
  'tcp',
  'negotiation',
  'host_key',
  'auth',
  'prompt',
  'paging',
  'vendor',
] as const;
export type TestStepId = (typeof TEST_STEPS)[number];
export type TestStepStatus = 'ok' | 'failed' | 'skipped';

export const TEST_STEP_LABELS: Record<TestStepId, string> = {
  access: 'Access',
  route: 'Route',
  tcp: 'TCP',
  negotiation: 'Negotiation',
  host_key: 'Host key',
  auth: 'Authentication',
  prompt: 'First prompt',
  paging: 'Paging',
  vendor: 'Vendor check',
};

export interface TestStep {
  id: TestStepId;
  label: string;
  status: TestStepStatus;
  detail: string;
  ms: number;
}

export interface ConnectionTest {
  steps: TestStep[];
  ok: boolean;
}

export interface TestConnectionDeps {
  db: PrismaClient;
  login: DeviceLogin;
}

function seconds(ms: number): string {
  return ms < 9_950 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * The steps as they are decided; a step never decided is reported skipped. A step's time defaults to
 * what has elapsed and is not yet counted in another step, so the times add up to the whole run.
 */
class StepLog {
  private readonly steps = new Map<TestStepId, TestStep>();
  private failedAt: TestStepId | null = null;
  private readonly t0 = Date.now();

  ok(id: TestStepId, detail: string, ms?: number): void {
    this.set(id, 'ok', detail, ms);
  }

  /** Not applicable to this device (telnet has no host key); not a failure. */
  notApplicable(id: TestStepId, detail: string): void {
    this.set(id, 'skipped', detail, 0);
  }

  fail(id: TestStepId, detail: string): void {
    // a step decided ok earlier may still fail (a jump host's forwarding is part of TCP)
    this.steps.delete(id);
    this.set(id, 'failed', detail);
    this.failedAt = id;
  }

  private set(id: TestStepId, status: TestStepStatus, detail: string, ms?: number): void {
    let counted = 0;
    for (const s of this.steps.values()) counted += s.ms;
    this.steps.set(id, {
      id,
      label: TEST_STEP_LABELS[id],
      status,
      detail,
      ms: Math.max(0, Math.round(ms ?? Date.now() - this.t0 - counted)),
    });
  }

  result(): ConnectionTest {
    const stoppedAt = this.failedAt ? TEST_STEP_LABELS[this.failedAt] : null;
    return {
      steps: TEST_STEPS.map(
        (id) =>
          this.steps.get(id) ?? {
            id,
            label: TEST_STEP_LABELS[id],
            status: 'skipped',
            detail: stoppedAt ? `Not run: the test stopped at ${stoppedAt}.` : 'Not run.',
            ms: 0,
          },
      ),
      ok: !this.failedAt,
    };
  }
}

/** What the login's callbacks told the test (they run inside `DeviceLogin.open`). */
interface Seen {
  route: LoginRoute | null;
  tcpDoneAt: number;
  telnet: TelnetConnection | null;
  telnetAt: number;
}

/** One SSH endpoint's login as this test saw it. */
interface SshProgress {
  endpoint: RouteEndpoint;
  /** The fingerprint trusted before this test, if any. */
  known: string | null;
  startedAt: number;
  /** When the server's host key was checked: the key exchange was done, authentication began. */
  keyCheckedAt: number | null;
  /** The key the server offered, seen during the key exchange (also when authentication then fails). */
  offered: string | null;
  openedAt: number | null;
  conn: SshConnection | null;
}

/**
 * The stored policy, except that a key seen for the first time is recorded as *offered* (the device
 * page's host-key panel then shows it with Accept) instead of trusted. Reading the policy is how the
 * test learns that the key exchange reached the host key: the connector asks for it there.
 */
function offerOnlyPolicy(db: PrismaClient, row: HostKeyEndpoint, progress: SshProgress): HostKeyPolicy {
  const checked = () => {
    progress.keyCheckedAt ??= Date.now();
  };
  return {
    get knownFingerprint() {
      checked();
      return row.hostKeyFingerprint;
    },
    get approvalRequired() {
      checked();
      return row.hostKeyApprovalRequired;
    },
    offered: (fingerprint) => {
      progress.offered = fingerprint;
    },
    trust: async (fingerprint, key) => {
      await db.device.update({
        where: { id: row.id },
        data: { offeredHostKeyFingerprint: fingerprint, offeredHostKey: key, offeredHostKeyAt: new Date() },
      });
      return { ok: true };
    },
  };
}

type TcpCheck = { ok: true; ms: number } | { ok: false; timeout: boolean; why: string };

/** A TCP connect to the first endpoint of the route, closed at once. */
function checkTcp(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<TcpCheck> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const socket = net.connect({ host, port });
    let done = false;
    const finish = (r: TcpCheck) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(r);
    };
    const onAbort = () => finish({ ok: false, timeout: true, why: 'no answer before the time limit' });
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          timeout: true,
          why: `no answer within ${seconds(timeoutMs)} (a firewall may be dropping the connection, or the address is wrong)`,
        }),
      timeoutMs,
    );
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish({ ok: true, ms: Date.now() - t0 }));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      finish({
        ok: false,
        timeout: false,
        why:
          err.code === 'ECONNREFUSED'
            ? 'connection refused (nothing listens on that port, or a firewall rejects it)'
            : err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH'
              ? 'host unreachable (check the address and the route to it)'
              : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN'
                ? 'the host name does not resolve'
                : err.message,
      }),
    );
    if (signal.aborted) onAbort();
  });
}

/** Which step a login failure belongs to. */
function stepOfFailure(
  code: LoginFailureCode,
  message: string,
  where: { transport: 'ssh' | 'telnet'; failing: SshProgress | null; telnetOpen: boolean },
): TestStepId {
  switch (code) {
    case 'unknown_device':
    case 'forbidden':
      return 'access';
    case 'jump_route':
    case 'route_changed':
      return 'route';
    case 'unreachable':
      return 'tcp';
    case 'algorithms':
    case 'protocol':
    case 'negotiation':
      return 'negotiation';
    case 'host_key_mismatch':
    case 'host_key_unapproved':
      return 'host_key';
    case 'credentials_unreadable':
    case 'auth_failed':
      return 'auth';
    case 'no_prompt':
      // the login dialog waits for the username/password prompts, then for the CLI's prompt
      return /after the password was sent/.test(message) ? 'prompt' : 'auth';
    case 'timeout':
    case 'closed':
      if (where.transport === 'telnet') return where.telnetOpen ? 'auth' : 'negotiation';
      if (where.failing?.keyCheckedAt) return 'auth';
      // a jump host that never opened the channel onward is the TCP leg to the next endpoint
      return /open a channel/.test(message) ? 'tcp' : 'negotiation';
  }
}

function profileText(profile: string): string {
  return `SSH (${profile.trim().startsWith('{') ? 'custom' : profile || 'modern'} profile)`;
}

function negotiatedText(c: SshConnection, profile: string): string {
  const n = c.negotiated;
  if (!n) return profileText(profile);
  return `${profileText(profile)}: kex ${n.kex}, host key ${n.serverHostKey}, cipher ${n.cipher}, MAC ${n.hmac || 'implicit'}`;
}

function telnetOptionsText(t: TelnetConnection): string {
  const o = t.options;
  const on = [
    o.echo && 'ECHO',
    o.sga && 'SGA',
    o.naws && 'NAWS',
    o.ttype && 'TTYPE',
    o.binary && 'BINARY',
  ].filter(Boolean);
  return on.length > 0
    ? `telnet options ${on.join(', ')}`
    : 'telnet: the server asked for no options (line mode)';
}

/** Prefix a jump host's part of a step with its name; the device's own part stays bare. */
function partsText(parts: { endpoint: RouteEndpoint; text: string }[], device: RouteEndpoint): string {
  return parts
    .map((p) => (p.endpoint.id === device.id ? p.text : `${p.endpoint.name}: ${p.text}`))
    .join('; ');
}

function withDeadline<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CliError('cancelled', 'Cancelled by the time limit.'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Log in to a device as `userId` the way a terminal does, step by step: access, route, TCP, SSH or
 * telnet negotiation, host key, authentication, first prompt, paging command, vendor check. The
 * first failure stops the run and names its step; the whole run ends within `timeoutMs`. A host key
 * seen for the first time is never trusted here: it is recorded as offered, for a person to accept.
 */
export async function testConnection(
  deviceId: string,
  userId: string,
  deps: TestConnectionDeps,
  opts: { timeoutMs?: number } = {},
): Promise<ConnectionTest> {
  const limitMs = opts.timeoutMs ?? TEST_CONNECTION_TIMEOUT_MS;
  const deadlineAt = Date.now() + limitMs;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), limitMs);
  const left = () => Math.max(1, deadlineAt - Date.now() - OWN_TIMEOUT_MARGIN_MS);
  const log = new StepLog();
  /** The step now running: what the time limit stops. */
  let current = 'access' as TestStepId;
  const outOfTime = () => deadline.signal.aborted || Date.now() >= deadlineAt - 2 * OWN_TIMEOUT_MARGIN_MS;
  const failHere = (step: TestStepId, message: string) => {
    const limit = `the test's ${seconds(limitMs)} limit`;
    const cancelled = /cancel/i.test(message);
    log.fail(
      step,
      outOfTime()
        ? cancelled
          ? `Timed out: ${TEST_STEP_LABELS[step]} did not finish within ${limit}.`
          : `Timed out (${limit}): ${message}`
        : message,
    );
  };

  const user = await deps.db.user.findUnique({
    where: { id: userId },
    select: { username: true, role: true },
  });
  // filled in by the login's callbacks
  const seen: Seen = { route: null, tcpDoneAt: 0, telnet: null, telnetAt: 0 };
  const ssh: SshProgress[] = [];
  let conn: DeviceConnection | null = null;
  let cli: DeviceCli | null = null;
  let shell: DeviceShell | null = null;

  try {
    const login = await deps.login.open({
      deviceId,
      actor: { userId },
      purpose: 'terminal',
      signal: deadline.signal,
      readyTimeoutMs: left(),
      hostKeys: (row) => {
        const r = seen.route;
        const endpoint = r && [...r.hops, r.device].find((e) => e.id === row.id);
        const progress: SshProgress = {
          endpoint: endpoint ?? { ...row, host: '', port: 0, username: '', authType: '', sshAlgorithms: '' },
          known: row.hostKeyFingerprint,
          startedAt: Date.now(),
          keyCheckedAt: null,
          offered: null,
          openedAt: null,
          conn: null,
        };
        ssh.push(progress);
        return offerOnlyPolicy(deps.db, row, progress);
      },
      observer: {
        beforeConnect: async (r) => {
          seen.route = r;
          const d = r.device;
          log.ok(
            'access',
            `${user?.username ?? 'You'} may operate ${d.name}${r.hops.length ? ' and its jump hosts' : ''}`,
          );
          log.ok(
            'route',
            r.hops.length
              ? `${r.transport === 'telnet' ? 'Telnet' : 'SSH'} to ${d.host}:${d.port} via ${r.hops.map((h) => h.name).join(' → ')}`
              : `${r.transport === 'telnet' ? 'Telnet' : 'SSH'} to ${d.host}:${d.port}, direct`,
          );
          current = 'tcp';
          const first = r.hops[0] ?? d;
          const tcp = await checkTcp(first.host, first.port, left(), deadline.signal);
          const at = `${first.host}:${first.port}`;
          if (!tcp.ok) {
            const who = r.hops.length ? `jump host ${first.name} ` : '';
            const message = `TCP ${who}${at}: ${tcp.why}.`;
            return {
              ok: false,
              code: tcp.timeout ? 'timeout' : 'unreachable',
              message,
            } satisfies DeviceLoginFailure;
          }
          log.ok(
            'tcp',
            r.hops.length
              ? `TCP ${first.name} ${at} open (${tcp.ms} ms); onward through ${r.hops.map((h) => h.name).join(' → ')} by SSH forwarding`
              : `TCP ${at} open (${tcp.ms} ms)`,
            tcp.ms,
          );
          seen.tcpDoneAt = Date.now();
          current = 'negotiation';
          return null;
        },
        sshOpened: (endpoint, c) => {
          const p = ssh.find((x) => x.endpoint.id === endpoint.id && !x.conn);
          if (p) Object.assign(p, { endpoint, conn: c, openedAt: Date.now() });
        },
        telnetOpened: (c) => {
          seen.telnet = c;
          seen.telnetAt = Date.now();
          current = 'auth';
        },
      },
    });
    const route = seen.route;
    if (!login.ok) {
      let step: TestStepId;
      if (!route) {
        // refused before anything connected: access, the route, or the stored credentials
        step =
          login.code === 'jump_route' || login.code === 'route_changed'
            ? 'route'
            : login.code === 'credentials_unreadable'
              ? 'auth'
              : 'access';
        if (step !== 'access') log.ok('access', `${user?.username ?? 'You'} may operate the device`);
        if (step === 'auth') log.ok('route', 'resolved');
      } else {
        step =
          current === 'tcp'
            ? 'tcp'
            : stepOfFailure(login.code, login.message, {
                transport: route.transport,
                failing: ssh.find((p) => !p.conn) ?? null,
                telnetOpen: seen.telnet !== null,
              });
        transportSteps(log, route, ssh, seen, step);
      }
      const unanswered =
        step === 'negotiation' && login.code === 'timeout' && route?.transport === 'ssh'
          ? ' The TCP port is open, but the SSH key exchange did not finish: is this an SSH port, and does the device accept another session?'
          : '';
      failHere(step, login.message + unanswered);
      return log.result();
    }
    if (!route) throw new Error('the device login connected without telling its route');
    conn = login.connection;
    transportSteps(log, route, ssh, seen, null);

    current = 'prompt';
    const driver = conn.driver;
    shell = await withDeadline(conn.openShell(), deadline.signal);
    // the paging commands run as their own step below
    cli = await DeviceCli.open(shell, { ...driver, sessionSetup: [] }, conn.encoding, {
      enableSecret: conn.enableSecret,
      timeoutMs: left(),
      signal: deadline.signal,
    });
    const mode = cli.mode;
    const noEnable =
      mode === 'user' && driver.enable && !conn.enableSecret
        ? '; no enable secret is stored, so privileged commands will fail'
        : '';
    log.ok('prompt', `prompt ${cli.currentPrompt} (${mode} mode)${noEnable}`);

    current = 'paging';
    if (driver.sessionSetup.length === 0) {
      log.ok('paging', `${driver.label} has no paging command; pager prompts are answered as they come`);
    } else {
      const refused: string[] = [];
      for (const command of driver.sessionSetup) {
        const r = await cli.run({ command }, left());
        if (outputIsError(driver, r.output))
          refused.push(`"${command}" (${r.output.split('\n')[0]!.trim()})`);
      }
      log.ok(
        'paging',
        refused.length === 0
          ? `paging off: ${driver.sessionSetup.join(', ')}`
          : `the device rejected ${refused.join(', ')}; pager prompts are answered as they come`,
      );
    }

    current = 'vendor';
    const version = await cli.run({ command: driver.versionCommand }, left());
    const versionOutput = outputIsError(driver, version.output) ? '' : version.output;
    const detected = detectVendor({
      ident: conn.ssh?.serverIdent ?? '',
      banner: `${conn.ssh?.authBanner ?? ''}\n${cli.banner}`,
      prompt: cli.currentPrompt,
      versionOutput,
    });
    const stored = conn.device.vendor;
    const label = (v: string) => VENDOR_LABELS[v as Vendor] ?? v;
    if (!detected) {
      log.ok('vendor', `stored ${label(stored)}; nothing the device showed names a vendor`);
    } else if (detected.vendor === stored) {
      log.ok(
        'vendor',
        `stored ${label(stored)}, the device says ${label(detected.vendor)} (${detected.confidence} confidence)`,
      );
    } else if (detected.confidence === 'high' && stored !== 'generic') {
      log.fail(
        'vendor',
        `stored ${label(stored)}, but the device says ${label(detected.vendor)}: ${detected.reason}. Commands and prompts may be misread; set the vendor in the Vendor panel.`,
      );
    } else {
      log.ok(
        'vendor',
        `stored ${label(stored)}; the device may be ${label(detected.vendor)} (${detected.confidence} confidence: ${detected.reason}). Detect vendor can confirm it`,
      );
    }
    return log.result();
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    failHere(current, err.message);
    return log.result();
  } finally {
    clearTimeout(timer);
    cli?.close();
    shell?.close();
    conn?.close();
  }
}

/**
 * Negotiation, host key and authentication, decided once the login has ended (a route's endpoints
 * take turns at them, so each step sums its part of every endpoint). Steps before `failed` are ok;
 * `failed` itself and those after it are left to the caller.
 */
function transportSteps(
  log: StepLog,
  route: LoginRoute,
  ssh: SshProgress[],
  seen: Seen,
  failed: TestStepId | null,
): void {
  const before = (id: TestStepId) => failed === null || TEST_STEPS.indexOf(id) < TEST_STEPS.indexOf(failed);
  if (!before('negotiation')) return;
  const device = route.device;
  const loginAs = (e: RouteEndpoint) => `${e.username}${e.authType === 'key' ? ' with a key' : ''}`;

  if (route.transport === 'telnet') {
    if (!seen.telnet) return;
    log.ok('negotiation', telnetOptionsText(seen.telnet), seen.telnetAt - seen.tcpDoneAt);
    if (before('host_key'))
      log.notApplicable(
        'host_key',
        'Telnet has no host key: the device is not verified and the session is not encrypted.',
      );
    if (!before('auth')) return;
    if (route.loginNeeded) log.ok('auth', `logged in as ${device.username || '(password only)'}`);
    else
      log.notApplicable('auth', 'A console line without a login of its own: the connection is at the CLI.');
    return;
  }

  const checked = ssh.filter((p) => p.keyCheckedAt !== null);
  log.ok(
    'negotiation',
    partsText(
      checked.map((p) => ({
        endpoint: p.endpoint,
        text: p.conn
          ? negotiatedText(p.conn, p.endpoint.sshAlgorithms)
          : `${profileText(p.endpoint.sshAlgorithms)}: key exchange done`,
      })),
      device,
    ),
    checked.reduce((sum, p) => sum + (p.keyCheckedAt! - p.startedAt), 0),
  );
  if (!before('host_key')) return;
  log.ok(
    'host_key',
    partsText(
      checked.map((p) => ({
        endpoint: p.endpoint,
        text: p.conn
          ? p.conn.firstUse
            ? `new key ${p.conn.fingerprint} — not saved; accept it on ${p.endpoint.id === device.id ? 'this' : 'its'} page to trust it`
            : `host key ${p.conn.fingerprint} (trusted)`
          : p.offered && p.known === p.offered
            ? `host key ${p.offered} (trusted)`
            : p.offered && p.known === null
              ? `new key ${p.offered} — not saved (the login did not finish; it is trusted on the first login that does)`
              : p.known
                ? `host key ${p.known} (trusted)`
                : 'a new key (the login did not get far enough to show it; nothing saved)',
      })),
      device,
    ),
    0,
  );
  if (!before('auth')) return;
  log.ok(
    'auth',
    partsText(
      ssh
        .filter((p) => p.conn)
        .map((p) => ({ endpoint: p.endpoint, text: `authenticated as ${loginAs(p.endpoint)}` })),
      device,
    ),
    ssh.reduce((sum, p) => sum + (p.openedAt && p.keyCheckedAt ? p.openedAt - p.keyCheckedAt : 0), 0),
  );
}
