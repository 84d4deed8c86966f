import type { Clock } from '../tasks/progress';
import type { PrismaClient } from './client';

/**
 * "The database is unreachable" told apart from a query's own failure: a stopped, restarting or
 * hung server, a dropped connection, a pool that cannot get a connection. Callers answer it with a
 * 503 and a Retry-After instead of a 500, and the pool reconnects by itself once the server is back.
 */

/** A request that has waited this long asks the database whether it still answers. */
export const DB_STALL_CHECK_MS = 1_000;
/**
 * How long that question may take: `SELECT 1` on a healthy server, from the pool or on a new
 * connection, answers in milliseconds. A hung (SIGSTOPped) server never answers it.
 */
export const DB_PROBE_TIMEOUT_MS = 1_000;
/** What a 503 for an unreachable database tells a client to wait before retrying. */
export const DB_RETRY_AFTER_S = 5;

/** Thrown (and recognised by isDatabaseUnavailable) when a probe finds the database not answering. */
export class DatabaseUnavailableError extends Error {
  readonly code = 'database_unavailable';
  constructor(reason: string) {
    super(`database unavailable: ${reason}`);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * Prisma's codes: P1001 can't reach the server, P1002 reached it but it timed out, P1017 the server
 * closed the connection, P2024 no connection from the pool in time.
 */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
/** Socket errors (node:net, through pg) on the way to the server. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/**
 * PostgreSQL SQLSTATEs: 57P01 admin shutdown (a fast stop ends every session), 57P02 crash
 * shutdown, 57P03 cannot connect now (starting up or shutting down), 53300 too many connections,
 * and class 08, connection exceptions.
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** What @prisma/adapter-pg calls socket errors (`meta.driverAdapterError.cause.kind`). */
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
/**
 * node-postgres throws these as plain Errors, without a code, and Prisma passes them on unwrapped:
 * the connection ended under a query ("Connection terminated unexpectedly"), a connect that timed
 * out, a pool with no free connection in time, a client that lost its connection earlier.
 */
const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /encountered a connection error and is not queryable/i,
  /Can't reach database server/i,
  /Query read timeout/i,
];

/**
 * Errors that come from the database layer: Prisma's, the driver adapter's, node-postgres's
 * DatabaseError (it has a severity). A socket code counts only inside one of these: an
 * ECONNREFUSED from a device, Redis or a webhook is not the database's.
 */
function fromDatabaseLayer(e: Record<string, unknown>): boolean {
  const name = typeof e.name === 'string' ? e.name : '';
  return name.startsWith('PrismaClient') || name === 'DriverAdapterError' || typeof e.severity === 'string';
}

/**
 * The error itself, then what it wraps (`cause`, Prisma's `meta.driverAdapterError`, an
 * AggregateError's `errors`), each with whether a database-layer error is on the way to it.
 */
function* chain(err: unknown): Generator<[Record<string, unknown>, boolean]> {
  const seen = new Set<unknown>();
  const queue: [unknown, boolean][] = [[err, false]];
  while (queue.length > 0 && seen.size < 20) {
    const [e, inside] = queue.shift()!;
    if (typeof e !== 'object' || e === null || seen.has(e)) continue;
    seen.add(e);
    const rec = e as Record<string, unknown>;
    const db = inside || fromDatabaseLayer(rec);
    yield [rec, db];
    queue.push([rec.cause, db]);
    const meta = rec.meta as Record<string, unknown> | undefined;
    if (typeof meta === 'object' && meta !== null) queue.push([meta.driverAdapterError, db]);
    if (Array.isArray(rec.errors)) for (const inner of rec.errors as unknown[]) queue.push([inner, db]);
  }
}

function unreachableCode(code: unknown): boolean {
  if (typeof code !== 'string') return false;
  return (
    PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)
  );
}

/** True when `err` says the database could not be reached (as opposed to a query failing on it). */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const [e, db] of chain(err)) {
    if (e instanceof DatabaseUnavailableError) return true;
    if (typeof e.message === 'string' && MESSAGES.some((re) => re.test(e.message as string))) return true;
    if (!db) continue;
    // Prisma's initialisation errors carry their code as errorCode; the adapter's as originalCode
    if ([e.code, e.errorCode, e.originalCode].some(unreachableCode)) return true;
    if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return true;
  }
  return false;
}

/**
 * One line for a log or /api/ready: Prisma's messages start with where the call was made and end
 * with what happened ("Can't reach database server at 10.0.0.5:5432").
 */
export function databaseErrorSummary(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? (err instanceof Error ? err.name : 'unknown error');
}

export type DatabaseProbe = { up: true; latencyMs: number } | { up: false; error: string };

/**
 * `SELECT 1`, with a deadline: a server that is down fails it at once, a hung one never answers,
 * and a probe that hangs is a failed one. (The query itself cannot be taken back: on a hung server
 * it holds its connection until the server answers or the connection drops.)
 */
export async function probeDatabase(
  db: Pick<PrismaClient, '$queryRawUnsafe'>,
  timeoutMs: number,
): Promise<DatabaseProbe> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  // a client that throws at once (closed, misconfigured) fails the probe like one that rejects
  const answered = Promise.resolve()
    .then(() => db.$queryRawUnsafe('SELECT 1'))
    .then(
      (): DatabaseProbe => ({ up: true, latencyMs: Math.round(performance.now() - started) }),
      (err: unknown): DatabaseProbe => ({ up: false, error: databaseErrorSummary(err) }),
    );
  const silent = new Promise<DatabaseProbe>((resolve) => {
    timer = setTimeout(() => resolve({ up: false, error: `no answer within ${timeoutMs} ms` }), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([answered, silent]);
  } finally {
    clearTimeout(timer);
  }
}

/** Timers of the stall check (tests pass a fake clock). */
export type StallTimers = Pick<Clock, 'setTimeout' | 'clearTimeout'>;

const realTimers: StallTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * `work`'s outcome, unless the database stops answering while it waits: every `stallMs` that it
 * is still pending, `probe` asks the database, and the first failed probe rejects with a
 * DatabaseUnavailableError. A query on a hung server waits for ever (a client-side query timeout
 * would also cut legitimate long statements, such as an import's), so this is how a request finds
 * out in seconds. `work` itself cannot be called back: it carries on, and may still finish once
 * the server answers again.
 */
export async function unlessDatabaseStalls<T>(
  work: Promise<T>,
  probe: () => Promise<DatabaseProbe>,
  { stallMs = DB_STALL_CHECK_MS, timers = realTimers }: { stallMs?: number; timers?: StallTimers } = {},
): Promise<T> {
  let done = false;
  let timer: unknown;
  const stalled = new Promise<never>((_resolve, reject) => {
    const check = async () => {
      const r = await probe().catch((err: unknown): DatabaseProbe => ({
        up: false,
        error: databaseErrorSummary(err),
      }));
      if (done) return;
      if (!r.up) reject(new DatabaseUnavailableError(r.error));
      else timer = timers.setTimeout(() => void check(), stallMs);
    };
    timer = timers.setTimeout(() => void check(), stallMs);
  });
  try {
    return await Promise.race([work, stalled]);
  } finally {
    done = true;
    timers.clearTimeout(timer);
  }
}
