import path from 'node:path';
import type { Logger } from 'pino';
import { audit } from '../audit';
import { ensureAdmin, type BootstrapResult } from '../auth/bootstrap';
import type { Config } from '../config';
import { closeDb, getDb, type PrismaClient } from '../db/client';
import { migrate } from '../db/migrate';
import { getVault } from '../devices/credentials';
import { assignPorts, loadOrCreateLabCredentials, syncLabInventory } from '../devices/lab-inventory';
import { DeviceSessionLimiter } from '../devices/limiter';
import { userCanSeeDevice } from '../devices/visibility';
import { InProcessEventBus, setEventBus, type EventBus } from '../events';
import { defaultLabFleet, loadOrCreateHostKey, startLab } from '../lab';
import { createRealtime, setRealtime, type Realtime } from '../realtime';
import { monitorChannel } from '../realtime/handlers/monitor';
import { terminalChannel } from '../realtime/handlers/terminal';
import { notificationsChannel } from '../realtime/handlers/notifications';
import { StatusMonitor } from '../devices/status-monitor';
import { NotificationFeed } from '../notifications/feed';
import { startNotifier } from '../notifications/notifier';
import { setLab } from '../lab/registry';
import { runTask } from '../tasks/executor';
import { InProcessTaskQueue, setTaskQueue, type TaskQueue } from '../tasks/queue';
import { reconcileTasks } from '../tasks/reconcile';
import { setTerminalManager, TerminalManager } from '../terminal/manager';

export interface Runtime {
  db: PrismaClient;
  bus: EventBus;
  queue: TaskQueue;
  terminals: TerminalManager;
  realtime: Realtime;
  admin: BootstrapResult;
  lab: Awaited<ReturnType<typeof startLab>> | undefined;
  status: StatusMonitor;
  feed: NotificationFeed;
  close(): Promise<void>;
}

/**
 * Everything the portal runs besides Next: database (migrated), first admin, device lab, event bus,
 * task queue and executor (with start-up reconciliation), terminals and the realtime layer. One
 * per process, reached by Next's bundles through the globalThis accessors set here.
 */
export async function startRuntime(config: Config, log: Logger, root = process.cwd()): Promise<Runtime> {
  const migration = migrate(config.DATABASE_URL, root);
  if (migration.applied.length > 0) log.info({ applied: migration.applied }, 'database migrated');
  if (migration.modified.length > 0)
    log.warn({ modified: migration.modified }, 'applied migrations changed on disk');
  const db = getDb();
  const admin = await ensureAdmin(db, { username: config.ADMIN_USERNAME, password: config.ADMIN_PASSWORD });

  let lab: Runtime['lab'];
  if (config.LAB) {
    const creds = loadOrCreateLabCredentials(config.DATA_DIR);
    const specs = assignPorts(defaultLabFleet(config.LAB_DEVICES, creds), config.LAB_BASE_PORT);
    lab = await startLab(specs, {
      host: config.LAB_HOST,
      hostKey: loadOrCreateHostKey(path.join(config.DATA_DIR, 'lab_host_key')),
    });
    const synced = await syncLabInventory(db, getVault(), lab.devices);
    log.info(
      { devices: lab.devices.length, basePort: config.LAB_BASE_PORT, ...synced },
      'device lab started',
    );
  }

  const bus = new InProcessEventBus({
    onSubscriberError: (err, topic) => log.error({ err, topic }, 'event subscriber failed'),
  });
  setEventBus(bus);
  const deviceSlots = new DeviceSessionLimiter(config.DEVICE_MAX_SESSIONS);
  setLab(lab);

  const feed = new NotificationFeed(db, bus);
  const stopNotifier = startNotifier({ db, bus, feed, log: log.child({ module: 'notifications' }) });
  const status = new StatusMonitor({
    db,
    bus,
    log: log.child({ module: 'status' }),
    intervalMs: config.STATUS_INTERVAL_MS,
    probeTimeoutMs: config.STATUS_PROBE_TIMEOUT_MS,
    concurrency: config.STATUS_CONCURRENCY,
    hysteresis: { offlineAfter: config.STATUS_OFFLINE_AFTER, onlineAfter: config.STATUS_ONLINE_AFTER },
  });
  status.start();

  const queue = new InProcessTaskQueue(config.TASKS_MAX_RUNNING, (err, taskId) =>
    log.error({ err, taskId }, 'task run failed'),
  );
  setTaskQueue(queue);
  const taskLog = log.child({ module: 'tasks' });
  queue.process((taskId, signal) =>
    runTask(taskId, signal, { db, vault: getVault(), bus, log: taskLog, deviceSlots, status }),
  );
  await reconcileTasks(db, queue, taskLog, { resume: config.TASKS_RESUME_ON_START });

  const terminals = new TerminalManager({
    db,
    vault: getVault(),
    log: log.child({ module: 'terminal' }),
    limits: { perUser: config.TERMINAL_MAX_SESSIONS_PER_USER },
    deviceSlots,
    status,
    timers: {
      resumeGraceMs: config.TERMINAL_RESUME_GRACE_MS,
      idleTimeoutMs: config.TERMINAL_IDLE_TIMEOUT_MS,
    },
    audit,
  });
  setTerminalManager(terminals);

  const monitor = monitorChannel({ db, bus, log: log.child({ module: 'monitor' }) });
  const notifications = notificationsChannel({ db, bus, feed, log: log.child({ module: 'notifications' }) });
  const realtime = createRealtime({
    log: log.child({ module: 'realtime' }),
    secret: config.NEXTAUTH_SECRET,
    allowedOrigins: config.ALLOWED_ORIGINS,
    trustProxy: config.TRUST_PROXY,
    maxFrameBytes: config.WS_MAX_FRAME_BYTES,
    heartbeatMs: config.WS_HEARTBEAT_MS,
    findUser: (id) =>
      db.user.findUnique({ where: { id }, select: { id: true, username: true, role: true, disabled: true } }),
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
  setRealtime(realtime);

  return {
    db,
    bus,
    queue,
    terminals,
    realtime,
    admin,
    lab,
    status,
    feed,
    async close() {
      await status.stop();
      stopNotifier();
      await queue.close(); // running tasks stop; unfinished devices resume at the next start
      terminals.closeAll('The server is shutting down.');
      monitor.dispose();
      notifications.dispose();
      await realtime.close();
      await lab?.close();
      await bus.close();
      await closeDb();
      setRealtime(undefined);
      setTaskQueue(undefined);
      setTerminalManager(undefined);
      setEventBus(undefined);
      setLab(undefined);
    },
  };
}
