/**
 * Switchboard's one HTTP server: Next's request handler, /ws/* upgrades to lib/realtime, the
 * built-in device lab, graceful shutdown. Run with `npm start` (production) or `npm run dev`.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import path from 'node:path';
import next from 'next';
import { PEER_HEADER } from './lib/auth/peer';
import { audit } from './lib/audit';
import { ensureAdmin } from './lib/auth/bootstrap';
import { ConfigError, getConfig } from './lib/config';
import { closeDb, getDb } from './lib/db/client';
import { migrate } from './lib/db/migrate';
import { getVault } from './lib/devices/credentials';
import { assignPorts, loadOrCreateLabCredentials, syncLabInventory } from './lib/devices/lab-inventory';
import { defaultLabFleet, loadOrCreateHostKey, startLab } from './lib/lab';
import { getLogger } from './lib/log';
import { createRealtime, setRealtime } from './lib/realtime';
import { WS_PREFIX } from './lib/realtime/channels';
import { terminalChannel } from './lib/realtime/handlers/terminal';
import { userCanSeeDevice } from './lib/devices/visibility';
import { DeviceSessionLimiter } from './lib/devices/limiter';
import { setTerminalManager, TerminalManager } from './lib/terminal/manager';
import { ensureProductionBuild } from './lib/server/build';

const SHUTDOWN_TIMEOUT_MS = 10_000;
const dev = process.argv.includes('--dev');
const root = process.cwd();

let config: ReturnType<typeof getConfig>;
try {
  config = getConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
const log = getLogger();
log.level = config.LOG_LEVEL;
process.env.NEXT_TELEMETRY_DISABLED = '1';
if (config.generatedSecrets.length > 0) {
  log.info({ secrets: config.generatedSecrets, file: path.join(config.DATA_DIR, 'secrets.json') }, 'generated secrets');
}

// Database: apply pending migrations ourselves (no schema engine needed at run time).
const migration = migrate(config.DATABASE_URL, root);
if (migration.applied.length > 0) log.info({ applied: migration.applied }, 'database migrated');
if (migration.modified.length > 0) log.warn({ modified: migration.modified }, 'applied migrations changed on disk');
const db = getDb();

const admin = await ensureAdmin(db, { username: config.ADMIN_USERNAME, password: config.ADMIN_PASSWORD });
if (admin.created && admin.generatedPassword) {
  // Printed once, on the console only (not through the structured log).
  process.stdout.write(
    `\n  ┌──────────────────────────────────────────────────────────────┐\n` +
      `  │ Switchboard admin account created                            │\n` +
      `  │   username: ${admin.username.padEnd(49)}│\n` +
      `  │   password: ${admin.generatedPassword.padEnd(49)}│\n` +
      `  │ This password is shown once. Change it after signing in.     │\n` +
      `  └──────────────────────────────────────────────────────────────┘\n\n`,
  );
} else if (admin.created) {
  log.info({ username: admin.username }, 'admin account created with ADMIN_PASSWORD');
}

// Built-in lab of simulated devices.
let lab: Awaited<ReturnType<typeof startLab>> | undefined;
if (config.LAB) {
  const creds = loadOrCreateLabCredentials(config.DATA_DIR);
  const specs = assignPorts(defaultLabFleet(config.LAB_DEVICES, creds), config.LAB_BASE_PORT);
  lab = await startLab(specs, {
    host: config.LAB_HOST,
    hostKey: loadOrCreateHostKey(path.join(config.DATA_DIR, 'lab_host_key')),
  });
  const synced = await syncLabInventory(db, getVault(), lab.devices);
  log.info({ devices: lab.devices.length, basePort: config.LAB_BASE_PORT, ...synced }, 'device lab started');
}

if (!dev) ensureProductionBuild(root, (msg) => log.info(msg));

// Next gets an emitter of ours as its "HTTP server": it attaches its upgrade listener there, and we
// forward only the upgrades that are Next's (HMR in dev), never /ws/*.
const nextUpgrades = new EventEmitter();
const app = next({
  dev,
  dir: root,
  hostname: config.HOST,
  port: config.PORT,
  httpServer: nextUpgrades as unknown as import('node:http').Server,
});
await app.prepare();
const handle = app.getRequestHandler();

function peerAddress(req: IncomingMessage): string {
  if (config.TRUST_PROXY) {
    const xff = req.headers['x-forwarded-for'];
    const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

const deviceSlots = new DeviceSessionLimiter(config.DEVICE_MAX_SESSIONS);
const terminals = new TerminalManager({
  db,
  vault: getVault(),
  log: log.child({ module: 'terminal' }),
  limits: { perUser: config.TERMINAL_MAX_SESSIONS_PER_USER },
  deviceSlots,
  timers: { resumeGraceMs: config.TERMINAL_RESUME_GRACE_MS, idleTimeoutMs: config.TERMINAL_IDLE_TIMEOUT_MS },
  audit,
});
setTerminalManager(terminals);

const realtime = createRealtime({
  log: log.child({ module: 'realtime' }),
  secret: config.NEXTAUTH_SECRET,
  allowedOrigins: config.ALLOWED_ORIGINS,
  trustProxy: config.TRUST_PROXY,
  maxFrameBytes: config.WS_MAX_FRAME_BYTES,
  heartbeatMs: config.WS_HEARTBEAT_MS,
  findUser: (id) => db.user.findUnique({ where: { id }, select: { id: true, username: true, role: true, disabled: true } }),
  handlers: [
    terminalChannel({
      manager: terminals,
      canSeeDevice: (identity, deviceId) => userCanSeeDevice(db, { id: identity.userId, role: identity.role }, deviceId),
    }),
  ],
});
setRealtime(realtime);

const server = createServer((req, res) => {
  delete req.headers[PEER_HEADER];
  req.headers[PEER_HEADER] = peerAddress(req);
  handle(req, res).catch((err: unknown) => {
    log.error({ err, url: req.url }, 'request failed');
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.on('upgrade', (req, socket, head) => {
  const url = req.url ?? '/';
  if (url.startsWith(WS_PREFIX) || url === WS_PREFIX.slice(0, -1)) {
    void realtime.handleUpgrade(req, socket, head);
  } else if (dev && url.startsWith('/_next/')) {
    nextUpgrades.emit('upgrade', req, socket, head);
  } else {
    socket.destroy();
  }
});

await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(config.PORT, config.HOST, () => resolve());
});
const address = server.address();
const port = typeof address === 'object' && address ? address.port : config.PORT;
log.info({ url: `http://${config.HOST}:${port}`, dev, lab: Boolean(lab) }, 'Switchboard is listening');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    log.error('shutdown timed out; exiting');
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS);
  force.unref();
  server.close(); // stop accepting; in-flight requests finish
  server.closeIdleConnections();
  terminals.closeAll('The server is shutting down.');
  await realtime.close();
  await lab?.close();
  await closeDb();
  setRealtime(undefined);
  log.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
