import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../tests/fake-clock';
import { Prisma } from './generated/client';
import {
  DatabaseUnavailableError,
  databaseErrorSummary,
  isDatabaseUnavailable,
  probeDatabase,
  unlessDatabaseStalls,
  type DatabaseProbe,
} from './unavailable';

const known = (code: string, message: string, meta?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError(message, { code, clientVersion: 'test', meta });

/** What @prisma/adapter-pg wraps a driver failure in (meta.driverAdapterError). */
const adapterError = (cause: Record<string, unknown>) =>
  Object.assign(new Error(String(cause.kind)), { name: 'DriverAdapterError', cause });

/** A node-postgres DatabaseError, as the server sends it. */
const pgError = (code: string, message: string) => {
  const e = new pg.DatabaseError(message, message.length, 'error');
  e.code = code;
  e.severity = 'FATAL';
  return e;
};

const socketError = (code: string) =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: 'connect', errno: -111 });

describe('isDatabaseUnavailable', () => {
  it('knows a stopped, restarting or vanished server by what Prisma and node-postgres say', () => {
    const unreachable = [
      // the portal's own queries while the server is stopped (seen in tests/postgres-restart.test.ts)
      known('P1001', "Can't reach database server at 127.0.0.1:5432", {
        driverAdapterError: adapterError({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 }),
      }),
      // a raw query's wrapper carries the same adapter error
      known('P2010', 'Raw query failed. Code: `N/A`.', {
        driverAdapterError: adapterError({ kind: 'DatabaseNotReachable' }),
      }),
      known('P1017', 'Server has closed the connection.'),
      new Prisma.PrismaClientInitializationError("Can't reach database server", 'test', 'P1001'),
      known('P2010', 'Raw query failed.', {
        driverAdapterError: adapterError({ kind: 'ConnectionClosed' }),
      }),
      known('P2010', 'Raw query failed.', {
        driverAdapterError: adapterError({ kind: 'postgres', originalCode: '57P01', code: '57P01' }),
      }),
      // node-postgres errors that reach the caller unwrapped
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated due to connection timeout', { cause: new Error('timeout expired') }),
      new Error('timeout exceeded when trying to connect'),
      new Error('Client has encountered a connection error and is not queryable'),
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('57P03', 'the database system is starting up'),
      pgError('08006', 'connection failure'),
      pgError('53300', 'sorry, too many clients already'),
      // a socket error inside a database-layer error
      Object.assign(new Error('wrapped'), { name: 'DriverAdapterError', cause: socketError('ECONNRESET') }),
      new DatabaseUnavailableError('no answer within 1000 ms'),
      new Error('could not load the task', { cause: known('P1001', "Can't reach database server") }),
    ];
    for (const err of unreachable) expect([err, isDatabaseUnavailable(err)]).toEqual([err, true]);
  });

  it('leaves a query’s own failures, and sockets that are not the database’s, to the caller', () => {
    const others = [
      known('P2002', 'Unique constraint failed on the fields: (`name`)'),
      known(
        'P2025',
        'An operation failed because it depends on one or more records that were required but not found.',
      ),
      known('P2010', 'Raw query failed.', {
        driverAdapterError: adapterError({ kind: 'postgres', originalCode: '42P01', code: '42P01' }),
      }),
      pgError('23505', 'duplicate key value violates unique constraint'),
      pgError('57014', 'canceling statement due to statement timeout'),
      // a device, Redis or webhook that cannot be reached is not the database
      socketError('ECONNREFUSED'),
      socketError('ETIMEDOUT'),
      Object.assign(new Error('Connection is closed.'), { code: 'ECONNRESET' }),
      new Error('Something else'),
      'a string',
      null,
      undefined,
    ];
    for (const err of others) expect([err, isDatabaseUnavailable(err)]).toEqual([err, false]);
  });

  it('survives an error that wraps itself', () => {
    const e = new Error('loop') as Error & { cause?: unknown };
    e.cause = e;
    expect(isDatabaseUnavailable(e)).toBe(false);
  });
});

describe('databaseErrorSummary', () => {
  it('keeps the line that says what happened, not where Prisma was called', () => {
    const e = known(
      'P1001',
      "\nInvalid `db.user.count()` invocation in\n/app/x.ts:20:23\n\n→ 20 await db.user.count(\nCan't reach database server at 127.0.0.1:5432",
    );
    expect(databaseErrorSummary(e)).toBe("Can't reach database server at 127.0.0.1:5432");
    expect(databaseErrorSummary(new Error('Connection terminated unexpectedly'))).toBe(
      'Connection terminated unexpectedly',
    );
  });
});

describe('probeDatabase', () => {
  it('reports up with the round trip, or down with the reason', async () => {
    const up = await probeDatabase({ $queryRawUnsafe: async () => [{ '?column?': 1 }] } as never, 1_000);
    expect(up).toMatchObject({ up: true });
    const down = await probeDatabase(
      {
        $queryRawUnsafe: async () => {
          throw known('P1001', "Can't reach database server at 127.0.0.1:5432");
        },
      } as never,
      1_000,
    );
    expect(down).toEqual({ up: false, error: "Can't reach database server at 127.0.0.1:5432" });
    const thrown = await probeDatabase(
      {
        $queryRawUnsafe: () => {
          throw new Error('Client was closed');
        },
      } as never,
      1_000,
    );
    expect(thrown).toEqual({ up: false, error: 'Client was closed' });
  });

  it('counts a query that never answers (a hung server) as down when the deadline passes', async () => {
    const started = performance.now();
    const r = await probeDatabase({ $queryRawUnsafe: () => new Promise(() => {}) } as never, 50);
    expect(r).toEqual({ up: false, error: 'no answer within 50 ms' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('unlessDatabaseStalls', () => {
  /** A request's work that the test settles, and a probe whose answers it queues. */
  function setup(answers: DatabaseProbe[]) {
    const { clock, advance, timers } = fakeClock();
    let settle!: { resolve: (v: string) => void; reject: (e: unknown) => void };
    const work = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
    let probes = 0;
    const probe = async () => {
      probes++;
      return answers.shift() ?? { up: true, latencyMs: 1 };
    };
    let outcome: { value?: string; error?: unknown } | undefined;
    unlessDatabaseStalls(work, probe, { stallMs: 1_000, timers: clock }).then(
      (value) => (outcome = { value }),
      (error: unknown) => (outcome = { error }),
    );
    const flush = () => new Promise((r) => setImmediate(r));
    return {
      settle,
      advance: async (ms: number) => {
        advance(ms);
        await flush();
      },
      flush,
      probes: () => probes,
      outcome: () => outcome,
      timers,
    };
  }

  it('passes a quick answer through without asking the database', async () => {
    const t = setup([]);
    t.settle.resolve('ok');
    await t.flush();
    expect(t.outcome()).toEqual({ value: 'ok' });
    expect(t.probes()).toBe(0);
    expect(t.timers).toHaveLength(0);
  });

  it('lets slow work finish while the database answers, asking once per stall period', async () => {
    const t = setup([]);
    await t.advance(999);
    expect(t.probes()).toBe(0);
    await t.advance(1);
    await t.advance(1_000);
    await t.advance(1_000);
    expect(t.probes()).toBe(3);
    expect(t.outcome()).toBeUndefined();
    t.settle.resolve('slow but fine');
    await t.flush();
    expect(t.outcome()).toEqual({ value: 'slow but fine' });
    expect(t.timers).toHaveLength(0);
  });

  it('gives up on the work at the first probe that finds the database down', async () => {
    const t = setup([
      { up: true, latencyMs: 2 },
      { up: false, error: 'no answer within 1000 ms' },
    ]);
    await t.advance(1_000);
    expect(t.outcome()).toBeUndefined();
    await t.advance(1_000);
    const error = t.outcome()?.error;
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect((error as Error).message).toContain('no answer within 1000 ms');
    expect(t.timers).toHaveLength(0);
    // the work finishing later changes nothing (and is no unhandled rejection)
    t.settle.reject(new Error('Connection terminated unexpectedly'));
    await t.flush();
    expect(t.probes()).toBe(2);
  });

  it('passes the work’s own failure through', async () => {
    const t = setup([]);
    const failure = new Error('boom');
    t.settle.reject(failure);
    await t.flush();
    expect(t.outcome()).toEqual({ error: failure });
  });
});
