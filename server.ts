/**
 * Switchboard's one HTTP server: Next's request handler and /ws/* upgrades to lib/realtime, on top of
 * the runtime (database, lab, tasks, terminals). Run with `npm start` (production) or `npm run dev`.
 */
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import path from 'node:path';
import next from 'next';
import { PEER_HEADER, peerAddress } from './lib/auth/peer';
import { ConfigError, getConfig } from './lib/config';
import { securityHeaders } from './lib/http/security-headers';
import { createLogger } from './lib/log';
import { WS_PREFIX } from './lib/realtime/channels';
import { ensureProductionBuild } from './lib/server/build';
import { startRuntime } from './lib/server/runtime';
import { startupWarnings } from './lib/server/startup-warnings';

const SHUTDOWN_TIMEOUT_MS = 10_000;
const dev = process.argv.includes('--dev');
// `npm run cluster` builds once and starts its nodes with --no-build (nodes must not race to build)
const skipBuildCheck = process.argv.includes('--no-build');
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
const log = createLogger(config.LOG_LEVEL, config.LOG_FORMAT);
process.env.NEXT_TELEMETRY_DISABLED = '1';
if (config.generatedSecrets.length > 0) {
  log.info(
    { secrets: config.generatedSecrets, file: path.join(config.DATA_DIR, 'secrets.json') },
    'generated secrets',
  );
}

const runtime = await startRuntime(config, log, root);
const { admin } = runtime;
if (admin.created && admin.generatedPassword) {
  // Printed once, on the console only (not through the structured log).
  process.stdout.write(
    `\n  ┌──────────────────────────────────────────────────────────────┐\n` +
      `  │ Switchboard admin account created                            │\n` +
      `  │   username: ${admin.username.padEnd(49)}│\n` +
      `  │   password: ${admin.generatedPassword.padEnd(49)}│\n` +
      `  │ Shown once. Change it on the Account page after signing in.  │\n` +
      `  └──────────────────────────────────────────────────────────────┘\n\n`,
  );
} else if (admin.created) {
  log.info({ username: admin.username }, 'admin account created with ADMIN_PASSWORD');
}

if (!dev && !skipBuildCheck) ensureProductionBuild(root, (msg) => log.info(msg));
for (const warning of startupWarnings(config)) log.warn(warning);

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

const server = createServer((req, res) => {
  delete req.headers[PEER_HEADER];
  req.headers[PEER_HEADER] = peerAddress(req, runtime.proxyTrust);
  for (const [name, value] of Object.entries(securityHeaders(req.headers.host, dev)))
    res.setHeader(name, value);
  handle(req, res).catch((err: unknown) => {
    log.error({ err, url: req.url }, 'request failed');
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.on('upgrade', (req, socket, head) => {
  const url = req.url ?? '/';
  if (url.startsWith(WS_PREFIX) || url === WS_PREFIX.slice(0, -1)) {
    void runtime.realtime.handleUpgrade(req, socket, head);
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
log.info(
  { url: `http://${config.HOST}:${port}`, dev, lab: Boolean(runtime.lab) },
  'Switchboard is listening',
);
// one plain line a newcomer can act on, whatever the log format
const openHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
process.stdout.write(`\n  Ready: open http://${openHost}:${port} and sign in as ${admin.username}.\n\n`);

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
  await runtime.close();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
