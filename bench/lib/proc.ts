/**
 * Child processes for the server sides of the benchmarks (portal, lab, raw ws server, ssh holder), so
 * their RSS and CPU can be read without the client side's buffers in them. Each child is a fixture
 * under bench/fixtures run with `node --import tsx`, driven over IPC (request/response by id), and
 * exits when the IPC channel closes — a crashed runner leaves nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const BENCH_DIR = path.resolve(import.meta.dirname, '..');
export const ROOT = path.resolve(BENCH_DIR, '..');

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface Child<Ready> {
  readonly name: string;
  readonly pid: number;
  readonly ready: Ready;
  /** Call a handler in the child; rejects with its error, or after `timeoutMs`. */
  request<T = unknown>(cmd: string, args?: unknown, timeoutMs?: number): Promise<T>;
  /** Fire and forget (no reply). */
  post(cmd: string, args?: unknown): void;
  /** Unsolicited messages from the child (`{ event, ... }`). */
  onEvent(listener: (msg: { event: string; [k: string]: unknown }) => void): void;
  close(): Promise<void>;
}

const live = new Set<ChildProcess>();

/** Kill every child still running (SIGKILL); for an aborted run. */
export function killAllChildren(): void {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  live.clear();
}

const cleanups = new Set<() => Promise<unknown>>();

/** Something to stop if the run is interrupted (e.g. sshd); returns the unregister function. */
export function onInterrupt(fn: () => Promise<unknown>): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Run the registered clean-ups (bounded) and kill the children. */
export async function interruptCleanup(timeoutMs = 3000): Promise<void> {
  const all = Promise.allSettled([...cleanups].map((fn) => fn()));
  await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  killAllChildren();
}

export async function startChild<Ready>(
  fixture: string,
  init: unknown,
  opts: { readyTimeoutMs?: number; name?: string } = {},
): Promise<Child<Ready>> {
  const file = path.join(BENCH_DIR, 'fixtures', fixture);
  const name = opts.name ?? fixture.replace(/\.ts$/, '');
  // BENCH_CHILD_ARGS: extra node flags for the children (e.g. --cpu-prof while investigating)
  const extra = process.env.BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? [];
  const proc = spawn(process.execPath, ['--expose-gc', ...extra, '--import', 'tsx', file], {
    cwd: ROOT,
    // BENCH_CHILD_STDOUT=dir: each child's stdout (where --trace-gc, --trace-opt … write) to
    // dir/<fixture>-<pid>.out
    stdio: ['ignore', process.env.BENCH_CHILD_STDOUT ? 'pipe' : 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  live.add(proc);
  const stdoutDir = process.env.BENCH_CHILD_STDOUT;
  if (stdoutDir) {
    // a directory that is not there yet is made (a write stream into nothing would kill the runner)
    mkdirSync(stdoutDir, { recursive: true });
    proc.stdout!.pipe(createWriteStream(path.join(stdoutDir, `${name}-${proc.pid}.out`)));
  }
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[${name}] ${d}`);
  });
  const exited = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      live.delete(proc);
      resolve();
    }),
  );
  let nextId = 1;
  const pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  const listeners: ((msg: { event: string; [k: string]: unknown }) => void)[] = [];
  let readyResolve!: (v: Ready) => void;
  let readyReject!: (e: Error) => void;
  const readyP = new Promise<Ready>((res, rej) => {
    readyResolve = res;
    readyReject = rej;
  });
  proc.on('message', (raw) => {
    const msg = raw as Reply & { event?: string; ready?: Ready };
    if (msg.event === 'ready') return readyResolve(msg.ready as Ready);
    if (msg.event) {
      for (const l of listeners) l(msg as { event: string });
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(`${name}: ${msg.error}`));
  });
  void exited.then(() => {
    const err = new Error(
      `${name} exited (code ${proc.exitCode}, signal ${proc.signalCode}): ${stderr.trim().slice(-1500)}`,
    );
    readyReject(err);
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    pending.clear();
  });
  proc.send({ cmd: 'init', args: init });
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
  let readyTimer: NodeJS.Timeout | undefined;
  let ready: Ready;
  try {
    ready = await Promise.race([
      readyP,
      new Promise<never>((_r, rej) => {
        readyTimer = setTimeout(
          () => rej(new Error(`${name} not ready within ${readyTimeoutMs} ms: ${stderr}`)),
          readyTimeoutMs,
        );
      }),
    ]);
  } catch (err) {
    proc.kill('SIGKILL');
    throw err;
  } finally {
    clearTimeout(readyTimer);
  }

  const request = <T>(cmd: string, args?: unknown, timeoutMs = 120_000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (!proc.connected) return reject(new Error(`${name} is gone`));
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${name}: "${cmd}" got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      proc.send({ id, cmd, args });
    });

  return {
    name,
    pid: proc.pid!,
    ready,
    request,
    post(cmd, args) {
      if (proc.connected) proc.send({ cmd, args });
    },
    onEvent(listener) {
      listeners.push(listener);
    },
    async close() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      try {
        await request('shutdown', undefined, 10_000);
      } catch {
        // it may exit before answering
      }
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident set size of a process in bytes (VmRSS from /proc). */
export function readRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

/** Samples a process's RSS every `intervalMs` and keeps the peak. */
export class RssSampler {
  private timer: NodeJS.Timeout;
  peak = 0;
  samples = 0;

  constructor(
    private readonly pid: number,
    intervalMs = 50,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    try {
      this.peak = Math.max(this.peak, readRss(this.pid));
      this.samples++;
    } catch {
      // the process is gone
    }
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

export const MB = 1024 * 1024;
