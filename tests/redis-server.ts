import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './ports';

export const REDIS_SERVER_BINARY = 'redis-server';

/**
 * A redis-server of the test's own (Debian's binary), on a loopback port, without persistence:
 * a test may crash, freeze and restart it. The shared Redis on 6379 is never touched.
 */
export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** SIGKILL, as in a crash: connections drop at once; it stays down until `start()`. */
  crash(): Promise<void>;
  /** Starts it again on the same port (empty: nothing was persisted). */
  start(): Promise<void>;
  /** `crash()` then `start()`. */
  restart(): Promise<void>;
  /** Start it if it is down (a test that failed between `crash()` and `start()`), else nothing. */
  ensureRunning(): Promise<void>;
  /** SIGSTOP: connections stay open but nothing is answered (a hung server or a dead link). */
  freeze(): void;
  /** SIGCONT after `freeze()`. */
  thaw(): void;
  /** Gone for good (also when frozen). */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER_BINARY,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--dir',
      dir,
      '--loglevel',
      'warning',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d));
  child.stderr!.on('data', (d: Buffer) => (output += d));
  try {
    await waitForPort(port, child, 'redis-server', START_TIMEOUT_MS);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}: ${output.trim()}`);
  }
  return child;
}

/** Starts a private redis-server on `port`, or on a free port of its own choosing. */
export async function startRedisServer(port?: number): Promise<PrivateRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-redis-'));
  let child: ChildProcess | undefined;
  let chosen = port ?? 0;
  // a free port can be taken by someone else before redis binds it: try another (unless told which)
  for (let attempt = 1; !child; attempt++) {
    if (port === undefined) chosen = await freePort();
    try {
      child = await launch(chosen, dir);
    } catch (err) {
      if (port !== undefined || attempt >= 3) throw err;
    }
  }
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const crash = async () => {
    const c = child;
    child = undefined;
    if (!c) return;
    c.kill('SIGKILL');
    await exited(c);
  };
  const start = async () => {
    if (child) throw new Error('redis-server is already running');
    child = await launch(chosen, dir);
  };
  return {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    crash,
    start,
    restart: async () => {
      await crash();
      await start();
    },
    ensureRunning: async () => {
      if (!child) await start();
    },
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    stop: async () => {
      process.off('exit', killOnExit);
      await crash();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RedisProxy {
  readonly port: number;
  readonly url: string;
  /** A network partition: every connection through the proxy drops, new ones are refused. */
  cut(): void;
  /** The partition heals: connections are accepted again. */
  mend(): void;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy to a Redis, standing for one node's network link. With `hold`, what a
 * client sends is held back by `delayMs` when it matches `when` (e.g. a SUBSCRIBE), and with it
 * everything that client sends after it (order per connection is kept): a slow link for chosen
 * commands, to show what a race would look like.
 */
export async function startRedisProxy(
  target: { host?: string; port: number },
  hold?: { delayMs: number; when: (chunk: Buffer) => boolean },
): Promise<RedisProxy> {
  const sockets = new Set<net.Socket>();
  let partitioned = false;
  const server = net.createServer((client) => {
    if (partitioned) return void client.destroy();
    const upstream = net.connect(target.port, target.host ?? '127.0.0.1');
    sockets.add(client).add(upstream);
    let queue = Promise.resolve();
    client.on('data', (chunk: Buffer) => {
      const delayMs = hold?.when(chunk) ? hold.delayMs : 0;
      queue = queue
        .then(() => (delayMs > 0 ? new Promise<void>((r) => setTimeout(r, delayMs)) : undefined))
        .then(() => void (upstream.writable && upstream.write(chunk)));
    });
    upstream.pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', drop).on('error', drop);
    upstream.on('close', drop).on('error', drop);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    cut: () => {
      partitioned = true;
      for (const s of sockets) s.destroy();
    },
    mend: () => void (partitioned = false),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
