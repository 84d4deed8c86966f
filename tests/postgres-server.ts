import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './ports';

/**
 * A PostgreSQL server of the test's own (the machine's server binaries, a fresh cluster in a temp
 * directory, trust auth, on a loopback port and a socket directory of its own): a test may stop,
 * crash, freeze and restart it. The shared server on 5432 is never touched.
 */
export interface PrivatePostgres {
  readonly port: number;
  /** The superuser's URL of database `name` on this server. */
  url(name?: string): string;
  /** Creates database `name` (empty). */
  createDatabase(name: string): Promise<string>;
  /** Starts it again on the same port and data directory, and waits until it accepts queries. */
  start(): Promise<void>;
  /** Fast shutdown (`pg_ctl stop -m fast`): sessions end with 57P01, new connections are refused. */
  stop(): Promise<void>;
  /** Immediate shutdown (`pg_ctl stop -m immediate`, as in a crash): sessions drop without a word. */
  crash(): Promise<void>;
  /** SIGSTOP to the postmaster and every backend: sockets stay open, nothing is answered. */
  freeze(): void;
  /** SIGCONT after `freeze()`. */
  thaw(): void;
  /** Gone for good (also when frozen): stopped, its directory removed. */
  close(): Promise<void>;
}

const SUPERUSER = 'postgres';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
/** How often start() asks whether the server accepts queries yet. */
const READY_POLL_MS = 50;
/** trust: the server listens on loopback only and lives as long as the test. */
const INITDB_ARGS = [`--username=${SUPERUSER}`, '--auth=trust', '--encoding=UTF8', '--locale=C'];
/** A throwaway cluster: durability buys nothing here. */
const SERVER_SETTINGS = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '50',
  shared_buffers: '16MB',
};

/** Where the server binaries are: Debian keeps them per major version, off PATH. */
export function findPostgresBinDir(): string | null {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(path.join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(debian, versions[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter))
    if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres'))) return dir;
  return null;
}

/** initdb and postgres refuse to run as root: as root, they run as the `postgres` user. */
function serverUser(): { uid: number; gid: number } | null | 'missing' {
  if (process.getuid?.() !== 0) return null;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return 'missing';
  }
}

/** Why a private server cannot be started here (the test is skipped with it), or null. */
export function privatePostgresUnavailable(): string | null {
  if (!findPostgresBinDir())
    return 'PostgreSQL server binaries (initdb, postgres) not found: install the postgresql package';
  if (serverUser() === 'missing')
    return `running as root, and initdb refuses root: there is no "${SUPERUSER}" user to run it as`;
  return null;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** The postmaster's children (backends, checkpointer, …): each leads its own process group. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // the field after the parenthesised command name: state, then the parent's pid
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Starts a private PostgreSQL on a free loopback port, in a fresh cluster of its own. */
export async function startPostgresServer(): Promise<PrivatePostgres> {
  const bin = findPostgresBinDir();
  const user = serverUser();
  if (!bin || user === 'missing') throw new Error(privatePostgresUnavailable() ?? 'no PostgreSQL');
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-pgserver-'));
  const data = path.join(dir, 'data');
  const sockets = path.join(dir, 'run');
  mkdirSync(sockets);
  if (user) for (const d of [dir, sockets]) chownSync(d, user.uid, user.gid);
  const asServerUser = { cwd: dir, ...(user ?? {}) };

  let child: ChildProcess | undefined;
  /** What freeze() stopped: the postmaster, then its children. */
  let frozen: number[] = [];
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  /** The server is gone: its files go, and so do the hooks that would remove them. */
  const forget = () => {
    process.off('exit', onExit);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    removeDir();
  };
  // the test process may die before its afterAll: take the server (and its files) with it
  const onExit = () => {
    if (child) {
      for (const pid of frozen) signal(pid, 'SIGCONT');
      signal(child.pid!, 'SIGQUIT');
    }
    removeDir();
  };
  // Vitest ends its workers with SIGTERM, which skips 'exit': clean up, then die of the signal
  const onSignal = (sig: NodeJS.Signals) => {
    onExit();
    forget();
    process.kill(process.pid, sig);
  };
  process.once('exit', onExit);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  try {
    execFileSync(path.join(bin, 'initdb'), ['-D', data, ...INITDB_ARGS, '--no-sync', '--no-instructions'], {
      ...asServerUser,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
  } catch (err) {
    forget();
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`initdb failed: ${e.stderr?.toString().trim() || e.message}`);
  }

  let port = 0;
  const url = (name = SUPERUSER) => `postgresql://${SUPERUSER}@127.0.0.1:${port}/${name}`;

  const acceptsQueries = async (): Promise<boolean> => {
    const client = new pg.Client({ connectionString: url(), connectionTimeoutMillis: 1_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  };

  const launch = async (): Promise<ChildProcess> => {
    const c = spawn(
      path.join(bin, 'postgres'),
      [
        ...['-D', data, '-k', sockets, '-h', '127.0.0.1', '-p', String(port)],
        ...Object.entries(SERVER_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
      ],
      { ...asServerUser, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    c.stdout!.on('data', (d: Buffer) => (output = (output + d).slice(-4000)));
    c.stderr!.on('data', (d: Buffer) => (output = (output + d).slice(-4000)));
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (c.exitCode !== null || c.signalCode !== null)
        throw new Error(`postgres exited (${c.exitCode ?? c.signalCode}): ${output.trim()}`);
      if (await acceptsQueries()) return c;
      if (Date.now() >= deadline) {
        c.kill('SIGKILL');
        throw new Error(`postgres did not accept queries within ${START_TIMEOUT_MS} ms: ${output.trim()}`);
      }
      await new Promise((r) => setTimeout(r, READY_POLL_MS)); // polling a server that is starting
    }
  };

  // a free port can be taken by someone else before postgres binds it: try another
  for (let attempt = 1; !child; attempt++) {
    port = await freePort();
    try {
      child = await launch();
    } catch (err) {
      if (attempt >= 3) {
        forget();
        throw err;
      }
    }
  }

  const thaw = () => {
    if (!child) return;
    for (const pid of [...frozen, ...childrenOf(child.pid!)]) signal(pid, 'SIGCONT');
    frozen = [];
  };
  const shutdown = async (sig: 'SIGINT' | 'SIGQUIT') => {
    const c = child;
    if (!c) return;
    thaw();
    child = undefined;
    c.kill(sig);
    const timer = setTimeout(() => c.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited(c);
    clearTimeout(timer);
  };

  return {
    get port() {
      return port;
    },
    url,
    async createDatabase(name) {
      const admin = new pg.Client({ connectionString: url() });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    async start() {
      if (child) throw new Error('postgres is already running');
      child = await launch();
    },
    stop: () => shutdown('SIGINT'),
    crash: () => shutdown('SIGQUIT'),
    freeze() {
      if (!child) return;
      // the postmaster first, so that it forks nothing we would miss
      signal(child.pid!, 'SIGSTOP');
      const children = childrenOf(child.pid!);
      for (const pid of children) signal(pid, 'SIGSTOP');
      frozen = [child.pid!, ...children];
    },
    thaw,
    async close() {
      await shutdown('SIGINT');
      forget();
    },
  };
}
