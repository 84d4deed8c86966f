import path from 'node:path';
import type { Logger } from 'pino';
import { RateLimiter, type RateLimit } from '../api/rate-limit';
import { createAudit, type AuditSink } from '../audit';
import { ensureBuiltInTemplates } from '../automation/builtins';
import { startScheduler } from '../automation/scheduler';
import { startOutputPurge } from '../automation/settings';
import { startWebhookDispatcher } from '../automation/webhooks';
import { ensureAdmin, type BootstrapResult } from '../auth/bootstrap';
import { createProxyTrust, type ProxyTrust } from '../auth/peer';
import { LoginThrottle } from '../auth/throttle';
import { authenticateToken, checkTokenById, TOKEN_FAILURE_MESSAGES } from '../auth/tokens';
import { DatabaseThrottleStore } from '../auth/throttle-store';
import type { Config } from '../config';
import { createPrismaClient, type PrismaClient } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { probeDatabase } from '../db/unavailable';
import { createDeviceLogin, type DeviceLogin } from '../devices/connect';
import { assignPorts, loadOrCreateLabCredentials, syncLabInventory } from '../devices/lab-inventory';
import { DeviceSessionLimiter } from '../devices/limiter';
import { MemorySlotStore, type SlotStore } from '../limits/slots';
import { startRecordingPurge } from '../recordings/purge';
import { Recordings } from '../recordings/recorder';
import type { RecordingStore } from '../recordings/store';
import { clusterStoreWarning, createRecordingStore } from '../recordings/store-choice';
import { StatusMonitor } from '../devices/status-monitor';
import { createVault, type Vault } from '../devices/vault';
import { deviceLevel } from '../devices/visibility';
import { InProcessEventBus, type EventBus, type Topic } from '../events';
import { defaultLabFleet, loadOrCreateHostKey, startLab, type RunningLab } from '../../lab';
import { createMetrics, type PortalMetrics } from '../metrics';
import { NotificationFeed } from '../notifications/feed';
import { startNotifier } from '../notifications/notifier';
import { createRealtime, type Realtime } from '../realtime';
import { monitorChannel } from '../realtime/handlers/monitor';
import { notificationsChannel } from '../realtime/handlers/notifications';
import { terminalChannel } from '../realtime/handlers/terminal';
import { observeChannel } from '../realtime/handlers/observe';
import { canObserveDevice } from '../auth/session-permissions';
import { isRole } from '../auth/roles';
import { runTask } from '../tasks/executor';
import { PolicyService } from '../policy/service';
import { InProcessTaskQueue, type TaskQueue } from '../tasks/queue';
import { reconcileTasks } from '../tasks/reconcile';
import { claimTask } from '../tasks/takeover';
import { Leadership, type RedisLease } from '../cluster/lease';
import { SingleNode, type ClusterNodes } from '../cluster/nodes';
import type { RedisPing } from '../redis/connection';
import type { ReconnectEvent } from '../events/redis';
import { accessLookups } from '../realtime/access';
import type { WaterMarks } from '../terminal/flow';
import { TerminalManager } from '../terminal/manager';
import { ScreenModels } from '../terminal/screen';
import {
  SESSION_REFRESH_MS,
  SocketRelay,
  type RelayTransport,
  type SessionDirectory,
} from '../realtime/relay';
import { sessionEntry } from '../terminal/live';
import type { ChannelHandler } from '../realtime/connections';
import { setRuntime } from './registry';
import { startCluster } from '../cluster/start';
import { setHeapGrowth } from './heap';

/** The configuration the running system reads (the environment's names; see the README table). */
export type RuntimeTunables = Pick<
  Config,
  | 'NEXTAUTH_SECRET'
  | 'ALLOWED_ORIGINS'
  | 'TRUST_PROXY'
  | 'TRUSTED_PROXIES'
  | 'METRICS_TOKEN'
  | 'METRICS_ALLOW'
  | 'LOGIN_MAX_FAILURES'
  | 'LOGIN_WINDOW_MS'
  | 'LOGIN_BACKOFF_BASE_MS'
  | 'LOGIN_BACKOFF_MAX_MS'
  | 'WS_MAX_FRAME_BYTES'
  | 'WS_HEARTBEAT_MS'
  | 'WS_MAX_CONNECTIONS_PER_USER'
  | 'WS_MAX_CONNECTIONS_PER_ADDRESS'
  | 'TERMINAL_RESUME_GRACE_MS'
  | 'GUARD_APPROVAL_TIMEOUT_MS'
  | 'TERMINAL_IDLE_TIMEOUT_MS'
  | 'TERMINAL_IDLE_COUNTS'
  | 'TERMINAL_SCREEN_MODEL'
  | 'TERMINAL_MAX_SESSIONS_PER_USER'
  | 'DEVICE_MAX_SESSIONS'
  | 'TASKS_MAX_RUNNING'
  | 'HEAP_GROWING_PERCENT'
  | 'TASKS_RESUME_ON_START'
  | 'STATUS_INTERVAL_MS'
  | 'STATUS_PROBE_TIMEOUT_MS'
  | 'STATUS_CONCURRENCY'
  | 'STATUS_OFFLINE_AFTER'
  | 'STATUS_ONLINE_AFTER'
  | 'API_RATE_LIMIT_PER_MINUTE'
  | 'API_MAX_BODY_BYTES'
  | 'OUTPUT_PURGE_INTERVAL_MS'
  | 'NODE_LEASE_MS'
  | 'RECORDINGS'
  | 'RECORDING_MAX_BYTES'
  | 'RECORDING_RETENTION_DAYS'
  | 'RECORDING_INPUT'
  | 'RECORDING_STORE'
> & {
  /** Code constants that tests and benchmarks shrink (production uses the defaults in each module). */
  waterMarks?: WaterMarks;
  sshReadyTimeoutMs?: number;
  progressIntervalMs?: number;
  /** How often sockets opened with an API token re-check it (WS_TOKEN_RECHECK_MS). */
  tokenRecheckMs?: number;
};

export interface RuntimeOptions {
  db: PrismaClient;
  vault: Vault;
  log: Logger;
  tunables: RuntimeTunables;
  /** A running device lab: its devices are put into the inventory; it is closed with the runtime. */
  lab?: RunningLab;
  /** Event bus and task queue implementations (default: in-process). */
  bus?: EventBus;
  queue?: TaskQueue;
  /** Probe devices every STATUS_INTERVAL_MS (default on; tests that drive status by hand turn it off). */
  statusMonitor?: boolean;
  /** Run scheduled templates and send webhooks (off in tests that drive them with their own clock). */
  scheduler?: boolean;
  /**
   * Cluster mode (startRuntime builds it from REDIS_URL): the live nodes and cluster-wide leases.
   * Absent: one node alone.
   */
  cluster?: RuntimeCluster;
  /** Where session recordings are kept (startRuntime: RECORDING_STORE). Absent: sessions are not recorded. */
  recordingStore?: RecordingStore;
}

export interface RuntimeCluster {
  nodes: ClusterNodes;
  /**
   * A lease on a cluster-wide role (`status`: the node that probes devices and mends orphaned tasks),
   * held for `ttlMs` (default NODE_LEASE_MS) while renewed.
   */
  lease(role: string, ttlMs?: number): RedisLease;
  /** Redis round trip (readiness, latency gauge). */
  ping(): Promise<RedisPing>;
  /** Cluster-wide counted slots (device sessions, a user's terminals and sockets), expiring with a dead node. */
  slots: SlotStore;
  /** Sockets served by the node holding their session (lib/realtime/relay.ts). */
  relay?: { transport: RelayTransport; directory: SessionDirectory };
  /** A per-key request rate limit shared by every node (the API's, per token). */
  rateLimit(perMinute: number): RateLimit;
  /** Where the Redis bus reports each event's publish-to-delivery time (the metrics). */
  onDelivered(listener: (topic: Topic, latencyMs: number) => void): void;
  /** The bus may have lost events on this node (Redis restarted, the link dropped): resync from the database. */
  onEventsMissed(listener: (e: ReconnectEvent) => void): void;
  /** Closed last, after the parts that use it. */
  close(): Promise<void>;
}

/** What /api/ready reports: every dependency this node needs to serve, with its round trip. */
export interface Readiness {
  ready: boolean;
  node: string;
  database: { up: boolean; latencyMs?: number; error?: string };
  redis?: { up: boolean; latencyMs?: number; error?: string };
}

/** A readiness check that hangs is a failed one: a load balancer must not wait on it. */
const READY_TIMEOUT_MS = 2_000;

/** The running portal besides Next: every long-lived part, wired once. */
export interface Runtime {
  log: Logger;
  tunables: RuntimeTunables;
  db: PrismaClient;
  vault: Vault;
  audit: AuditSink;
  bus: EventBus;
  queue: TaskQueue;
  deviceSlots: DeviceSessionLimiter;
  /** The one way to reach a device (terminals, tasks; later probes and "Test connection"). */
  login: DeviceLogin;
  status: StatusMonitor;
  feed: NotificationFeed;
  terminals: TerminalManager;
  /** Cluster: sockets and live sessions of the other nodes (lib/realtime/relay.ts). */
  relay?: SocketRelay;
  /** Session recordings (null when no store was given). */
  recordings: { service: Recordings; store: RecordingStore } | null;
  /** Command guard rails (lib/policy). */
  policy: PolicyService;
  realtime: Realtime;
  loginThrottle: LoginThrottle;
  /** Requests per API token (API_RATE_LIMIT_PER_MINUTE). */
  apiLimiter: RateLimit;
  /** Which X-Forwarded-For hops to believe: `peerAddress(req, proxyTrust)` is the client address. */
  proxyTrust: ProxyTrust;
  metrics: PortalMetrics;
  lab: RunningLab | undefined;
  /** The live nodes (one node alone: just this one). */
  nodes: ClusterNodes;
  /** Database (and in a cluster, Redis) reachable: /api/ready. */
  readiness(): Promise<Readiness>;
  /** Stop everything, in order; the database client is disconnected last. */
  close(): Promise<void>;
}

/**
 * The composition root: builds the running system from explicit inputs. server.ts (through
 * startRuntime), the integration tests and the benchmarks all run this wiring; nothing else wires.
 */
export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { db, vault, log, tunables: t, lab } = opts;
  setHeapGrowth(t.HEAP_GROWING_PERCENT);
  const audit = createAudit(db, log);
  if (lab) {
    const synced = await syncLabInventory(db, vault, lab.devices);
    log.info({ devices: lab.devices.length, ...synced }, 'device lab in the inventory');
  }

  const cluster = opts.cluster;
  const nodes = cluster?.nodes ?? new SingleNode('local');
  // before the bus: events are counted where they are published (lib/metrics.ts)
  const metrics = createMetrics({
    node: nodes.self,
    connectionsByChannel: () => realtime.manager.countByChannel(),
    terminalSessions: () => terminals.count(),
    queueStats: () => queue.stats(),
    db,
    readiness: () => runtime.readiness(),
    redis: cluster !== undefined,
  });
  cluster?.onDelivered((topic, latencyMs) => metrics.eventDelivered(topic, latencyMs));
  const bus = metrics.observe(
    opts.bus ??
      new InProcessEventBus({
        onSubscriberError: (err, topic) => log.error({ err, topic }, 'event subscriber failed'),
      }),
  );
  // device sessions, a user's terminals and sockets: counted in Redis in a cluster, so that every cap
  // holds across nodes
  const slots = cluster?.slots ?? new MemorySlotStore();
  const deviceSlots = new DeviceSessionLimiter(t.DEVICE_MAX_SESSIONS, slots);
  // in a cluster one node probes device status and mends orphaned tasks: the holder of this lease
  const prober = cluster
    ? // the lease is no longer than one probe interval: when the prober dies, another node probes
      // within two intervals
      new Leadership(
        cluster.lease('status', Math.max(1_000, Math.min(t.NODE_LEASE_MS, t.STATUS_INTERVAL_MS))),
        {
          onChange: (leader) => {
            if (leader) status.resetProbeState();
            log.info(
              { node: nodes.self, leader },
              leader ? 'this node probes device status' : 'status probing handed over',
            );
          },
          onError: (err) => log.warn({ err }, 'status lease not renewed'),
        },
      )
    : null;

  const feed = new NotificationFeed(db, bus);
  // guard rails: every node holds the rules and reloads them when any node changes them
  const policy = new PolicyService({
    db,
    bus,
    audit,
    feed,
    log: log.child({ module: 'policy' }),
    approvalTimeoutMs: t.GUARD_APPROVAL_TIMEOUT_MS,
  });
  await policy.start();
  const stopNotifier = startNotifier({ db, bus, feed, log: log.child({ module: 'notifications' }) });
  const status = new StatusMonitor({
    db,
    bus,
    log: log.child({ module: 'status' }),
    intervalMs: t.STATUS_INTERVAL_MS,
    probeTimeoutMs: t.STATUS_PROBE_TIMEOUT_MS,
    concurrency: t.STATUS_CONCURRENCY,
    hysteresis: { offlineAfter: t.STATUS_OFFLINE_AFTER, onlineAfter: t.STATUS_ONLINE_AFTER },
    ...(prober ? { isProber: () => prober.isLeader() } : {}),
  });
  if (opts.statusMonitor ?? true) {
    prober?.start();
    status.start();
  }
  const login = createDeviceLogin({
    db,
    vault,
    log: log.child({ module: 'devices' }),
    status,
    readyTimeoutMs: t.sshReadyTimeoutMs,
  });

  const queue =
    opts.queue ??
    new InProcessTaskQueue(t.TASKS_MAX_RUNNING, (err, taskId) =>
      log.error({ err, taskId }, 'task run failed'),
    );
  const taskLog = log.child({ module: 'tasks' });
  // a runner claims its task first: one live node runs a task at a time, and devices a dead node left
  // mid-run are failed with the reason before the pending ones run here
  queue.process(async (taskId, signal) => {
    if (!(await claimTask({ db, bus, nodes }, taskId))) return;
    await runTask(taskId, signal, {
      db,
      bus,
      log: taskLog,
      login,
      deviceSlots,
      policy,
      progressIntervalMs: t.progressIntervalMs,
    });
  });
  const reconcileCluster = cluster ? { nodes, minAgeMs: t.NODE_LEASE_MS } : undefined;
  await reconcileTasks(db, queue, taskLog, { resume: t.TASKS_RESUME_ON_START, cluster: reconcileCluster });
  // in a cluster, work can be orphaned at any time (a node dies, Redis restarts empty): the prober
  // looks every lease period
  const reconcileTimer = cluster
    ? setInterval(() => {
        if (!prober?.isLeader()) return;
        reconcileTasks(db, queue, taskLog, {
          resume: t.TASKS_RESUME_ON_START,
          cluster: reconcileCluster,
        }).catch((err: unknown) => taskLog.error({ err }, 'task reconciliation failed'));
      }, t.NODE_LEASE_MS)
    : null;
  reconcileTimer?.unref();
  const stopScheduler =
    (opts.scheduler ?? true)
      ? startScheduler({ db, queue, bus, audit, feed, log: log.child({ module: 'scheduler' }) })
      : () => {};
  const stopWebhooks =
    (opts.scheduler ?? true)
      ? startWebhookDispatcher({ db, vault, bus, log: log.child({ module: 'webhooks' }) })
      : () => {};
  // output history older than the admin's retention setting (Settings page), every few hours
  const stopPurge =
    (opts.scheduler ?? true)
      ? startOutputPurge(
          { db, log: log.child({ module: 'history' }) },
          { intervalMs: t.OUTPUT_PURGE_INTERVAL_MS },
        )
      : () => {};

  const recordings = opts.recordingStore
    ? {
        store: opts.recordingStore,
        service: new Recordings({
          db,
          store: opts.recordingStore,
          log: log.child({ module: 'recordings' }),
          nodeId: nodes.self,
          enabled: t.RECORDINGS,
          maxBytes: t.RECORDING_MAX_BYTES,
          recordInput: t.RECORDING_INPUT,
          // admins are told when the store fails
          feed,
        }),
      }
    : null;
  // what this node was recording when it last stopped ends there
  await recordings?.service.markInterrupted();
  const stopRecordingPurge =
    recordings && (opts.scheduler ?? true)
      ? startRecordingPurge(
          { db, store: recordings.store, log: log.child({ module: 'recordings' }) },
          { retentionDays: t.RECORDING_RETENTION_DAYS, intervalMs: t.OUTPUT_PURGE_INTERVAL_MS },
        )
      : () => {};

  // the guard rails read command lines from the screen model: sessions they judge keep one even when
  // TERMINAL_SCREEN_MODEL is off (then only those)
  const screens = new ScreenModels(log.child({ module: 'screen' }));
  // cluster: a socket whose session is held by another node is served from there
  const relayHandlers = new Map<string, ChannelHandler>();
  const relay = cluster?.relay
    ? new SocketRelay({
        ...cluster.relay,
        nodes,
        handler: (channel) => relayHandlers.get(channel),
        log: log.child({ module: 'relay' }),
      })
    : undefined;
  const terminals = new TerminalManager({
    guardFor: async (userId, device, readOnly) => {
      const u = await db.user.findUnique({ where: { id: userId }, select: { role: true, username: true } });
      // a read-only terminal is judged as a viewer's whatever the role; a user who no longer exists or
      // has no valid role gets the strictest guard too
      const role = !readOnly && u && isRole(u.role) ? u.role : 'viewer';
      return policy.guardFor({ id: userId, role, name: u?.username ?? userId }, device);
    },
    directory: relay && {
      opened: (s) =>
        relay
          .publish([sessionEntry(s, nodes.self)])
          .catch((err: unknown) => log.warn({ err }, 'session not registered with the cluster')),
      closed: (id) => relay.closed(id).catch(() => {}),
    },
    recordings: recordings?.service,
    screens,
    screensForAll: t.TERMINAL_SCREEN_MODEL,
    login,
    limits: { perUser: t.TERMINAL_MAX_SESSIONS_PER_USER },
    deviceSlots,
    userSlots: slots,
    sessionCapOf: async (id) =>
      (await db.device.findUnique({ where: { id }, select: { maxSessions: true } }))?.maxSessions ?? null,
    timers: {
      resumeGraceMs: t.TERMINAL_RESUME_GRACE_MS,
      idleTimeoutMs: t.TERMINAL_IDLE_TIMEOUT_MS,
      idleCountsOutput: t.TERMINAL_IDLE_COUNTS === 'input-and-output',
    },
    waterMarks: t.waterMarks,
    audit,
  });

  const observe = observeChannel({
    manager: terminals,
    canObserve: async (userId, deviceId) => {
      const user = await db.user.findUnique({
        where: { id: userId },
        select: { role: true, disabled: true },
      });
      return (
        !!user &&
        !user.disabled &&
        isRole(user.role) &&
        canObserveDevice(db, { id: userId, role: user.role }, deviceId)
      );
    },
    usernameOf: async (id) =>
      (await db.user.findUnique({ where: { id }, select: { username: true } }))?.username ?? 'a deleted user',
    audit,
    relay,
  });
  const monitor = monitorChannel({ tasks: { db }, bus, log: log.child({ module: 'monitor' }) });
  const notifications = notificationsChannel({
    db,
    bus,
    feed,
    log: log.child({ module: 'notifications' }),
    onPushed: (frames) => metrics.notificationsPushed(frames),
  });
  const terminal = terminalChannel({
    manager: terminals,
    deviceLevel: (identity, deviceId) =>
      deviceLevel(db, { id: identity.userId, role: identity.role }, deviceId),
    findUser: async (username) => {
      const u = await db.user.findUnique({
        where: { username },
        select: { id: true, username: true, role: true, disabled: true },
      });
      return u && !u.disabled && isRole(u.role) ? { id: u.id, username: u.username, role: u.role } : null;
    },
    relay,
  });
  const proxyTrust = createProxyTrust(t.TRUST_PROXY, t.TRUSTED_PROXIES);
  const realtime = createRealtime({
    log: log.child({ module: 'realtime' }),
    secret: t.NEXTAUTH_SECRET,
    allowedOrigins: t.ALLOWED_ORIGINS,
    trustProxy: t.TRUST_PROXY,
    maxFrameBytes: t.WS_MAX_FRAME_BYTES,
    heartbeatMs: t.WS_HEARTBEAT_MS,
    maxConnectionsPerUser: t.WS_MAX_CONNECTIONS_PER_USER,
    maxConnectionsPerAddress: t.WS_MAX_CONNECTIONS_PER_ADDRESS,
    userSlots: slots,
    proxyTrust,
    findUser: (id) =>
      db.user.findUnique({
        where: { id },
        select: { id: true, username: true, role: true, disabled: true, sessionVersion: true, locale: true },
      }),
    findToken: async (token) => {
      const r = await authenticateToken(token, { db });
      return r.ok
        ? { ok: true, user: r.identity.user, token: r.identity.token }
        : { ok: false, message: TOKEN_FAILURE_MESSAGES[r.code] };
    },
    checkToken: (tokenId) => checkTokenById(tokenId, { db }),
    // batched look-ups for a resync (every user and token of the open sockets in one query each)
    ...accessLookups(db),
    tokenRecheckMs: t.tokenRecheckMs,
    handlers: [terminal, monitor, notifications, observe],
  });
  relayHandlers.set('terminal', terminal as unknown as ChannelHandler);
  relayHandlers.set('observe', observe as unknown as ChannelHandler);
  // the other nodes' live sessions pages show idle time and observers as of a few seconds ago
  const sessionRefresh = relay
    ? setInterval(() => {
        const entries = terminals.list().map((s) => sessionEntry(s, nodes.self));
        relay.publish(entries).catch(() => {}); // Redis down: the next round writes them
      }, SESSION_REFRESH_MS)
    : null;
  sessionRefresh?.unref();

  // events lost while this node was cut off from Redis (a revocation, a task's final update, a
  // notification): every browser connected here is brought up to date from the database
  cluster?.onEventsMissed((event) => {
    realtime.resync().then(
      (r) => log.info({ ...event, ...r }, 'browsers resynced from the database'),
      (err: unknown) => log.error({ err, ...event }, 'browser resync failed'),
    );
  });

  // Revoked access closes what it opened, at once, on every node (the event may come from another
  // node): terminal sessions first, so their tabs get the reason, then the sockets.
  const stopAccessChanges = bus.subscribe('access.changed', (e) => {
    void observe.recheck(e.userIds).then(
      (closed) =>
        closed > 0 &&
        log.info({ users: e.userIds.length, closed }, 'watches closed: observe permission gone'),
      (err: unknown) => log.error({ err }, 'observe re-check failed'),
    );
  });
  const stopRevocations = bus.subscribe('access.revoked', (e) => {
    const sessions = terminals.revoke(e.userId, e.scope, e.reason);
    observe.revokeUser(e.userId, e.scope, e.reason);
    const sockets = realtime.revoke(e.userId, e.scope, e.reason);
    if (sessions + sockets > 0) log.info({ userId: e.userId, sessions, sockets }, 'access revoked');
  });

  const loginThrottle = new LoginThrottle(new DatabaseThrottleStore(db), {
    freeFailures: t.LOGIN_MAX_FAILURES,
    baseDelayMs: t.LOGIN_BACKOFF_BASE_MS, // backoffUntil caps every wait at maxDelayMs
    maxDelayMs: t.LOGIN_BACKOFF_MAX_MS,
    forgetAfterMs: t.LOGIN_WINDOW_MS,
  });

  const runtime: Runtime = {
    log,
    relay,
    tunables: t,
    db,
    vault,
    audit,
    bus,
    queue,
    deviceSlots,
    login,
    status,
    feed,
    terminals,
    policy,
    recordings,
    realtime,
    loginThrottle,
    apiLimiter: cluster
      ? cluster.rateLimit(t.API_RATE_LIMIT_PER_MINUTE)
      : new RateLimiter(t.API_RATE_LIMIT_PER_MINUTE),
    proxyTrust,
    metrics,
    lab,
    nodes,
    async readiness() {
      // both at once: a hung database and a hung Redis cost one timeout, not two
      const [database, ping] = await Promise.all([
        probeDatabase(db, READY_TIMEOUT_MS),
        cluster ? cluster.ping() : null,
      ]);
      const redis = ping
        ? ping.ok
          ? { up: true, latencyMs: Math.round(ping.latencyMs) }
          : { up: false, error: ping.error }
        : undefined;
      return {
        ready: database.up && (redis?.up ?? true),
        node: nodes.self,
        database,
        ...(redis ? { redis } : {}),
      };
    },
    // The shutdown order, in one place: stop producing events, stop tasks (unfinished devices resume
    // at the next start), close terminals and sockets, then the lab, the bus and the database.
    async close() {
      stopScheduler();
      policy.stop();
      stopWebhooks();
      stopPurge();
      stopRecordingPurge();
      if (reconcileTimer) clearInterval(reconcileTimer);
      await prober?.stop();
      await status.stop();
      stopNotifier();
      await queue.close();
      terminals.closeAll('The server is shutting down.');
      // the tabs of other nodes served from here have been told; their sockets reconnect elsewhere
      if (sessionRefresh) clearInterval(sessionRefresh);
      await relay?.close();
      await screens.stop();
      await recordings?.service.drain();
      login.close();
      stopRevocations();
      stopAccessChanges();
      monitor.dispose();
      notifications.dispose();
      await realtime.close();
      await lab?.close();
      await bus.close();
      // leave the cluster last: until here this node still held its tasks' claims
      await nodes.stop();
      await cluster?.close();
      await db.$disconnect();
    },
  };
  return runtime;
}

export interface StartedRuntime extends Runtime {
  admin: BootstrapResult;
}

/**
 * Start-up work for server.ts: apply migrations, create the first admin, start the lab, then build
 * the runtime and publish it in the registry for Next's bundles.
 */
export async function startRuntime(
  config: Config,
  log: Logger,
  root = process.cwd(),
): Promise<StartedRuntime> {
  const migration = await migrateDatabase(config.DATABASE_URL, root);
  if (migration.applied.length > 0) log.info({ applied: migration.applied }, 'database migrated');
  if (migration.modified.length > 0)
    log.warn({ modified: migration.modified }, 'applied migrations changed on disk');
  const db = createPrismaClient(config.DATABASE_URL);
  const admin = await ensureAdmin(db, { username: config.ADMIN_USERNAME, password: config.ADMIN_PASSWORD });

  let lab: RunningLab | undefined;
  if (config.LAB) {
    const creds = loadOrCreateLabCredentials(config.DATA_DIR);
    const specs = assignPorts(defaultLabFleet(config.LAB_DEVICES, creds), config.LAB_BASE_PORT);
    lab = await startLab(specs, {
      host: config.LAB_HOST,
      hostKey: loadOrCreateHostKey(path.join(config.DATA_DIR, 'lab_host_key')),
    });
    log.info({ devices: lab.devices.length, basePort: config.LAB_BASE_PORT }, 'device lab started');
  }

  // cluster mode: the Redis bus, the BullMQ queue and the node registry (refuses a node whose
  // secrets differ from the live nodes')
  const clustered = config.REDIS_URL ? await startCluster(config, { db, log }) : null;
  if (clustered) log.info({ node: config.NODE_ID }, 'joined the cluster');
  const storeWarning = clustered
    ? clusterStoreWarning(config.RECORDING_STORE, config.DATABASE_URL, config.DATA_DIR)
    : null;
  if (storeWarning) log.warn(storeWarning);
  const runtime = await createRuntime({
    db,
    vault: createVault(config.SWITCHBOARD_SECRET),
    log,
    tunables: config,
    lab,
    ...(clustered ? { bus: clustered.bus, queue: clustered.queue, cluster: clustered.cluster } : {}),
    recordingStore: createRecordingStore(config, db),
  });
  setRuntime(runtime);
  const builtIns = await ensureBuiltInTemplates({ db, audit: runtime.audit });
  if (builtIns.length > 0) log.info({ templates: builtIns }, 'built-in templates created');
  return {
    ...runtime,
    admin,
    async close() {
      setRuntime(undefined);
      await runtime.close();
    },
  };
}
