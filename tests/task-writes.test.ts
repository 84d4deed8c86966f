/**
 * The batch-task engine's database writes: a handful of statements per batch of devices instead of
 * several per device (the cause of the batch benchmark's gap to a plain ssh2 script), with what the
 * batching must not change: a device is stored as running before any command reaches it, an event
 * reports only what is stored, and every result is stored before the task is reported finished.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLabFleet } from '../lab';
import { createPrismaClient, type PrismaClient } from '../lib/db/client';
import { createDeviceLogin, type DeviceLogin } from '../lib/devices/connect';
import { DeviceSessionLimiter } from '../lib/devices/limiter';
import { InProcessEventBus } from '../lib/events/in-process';
import type { EventMap } from '../lib/events/types';
import { runTask } from '../lib/tasks/executor';
import { DeviceChangeBatcher, type DeviceChange, type DeviceResultEvent } from '../lib/tasks/progress';
import { recordDeviceChanges } from '../lib/tasks/transitions';
import { fakeClock } from './fake-clock';
import { LAB_CREDS, startPortal, type Portal } from './harness';

/** Lets every pending promise callback run (the batcher's writes are promises). */
const settle = () => new Promise((r) => setImmediate(r));

const ev = (name: string, status: DeviceResultEvent['status']): DeviceResultEvent => ({
  deviceId: name,
  deviceName: name,
  status,
});
const start = (rowId: string, at = 1): DeviceChange<string> => ({
  rowId,
  startedAt: new Date(at),
  events: [ev(rowId, 'running')],
});
const finish = (rowId: string, outcome = 'success'): DeviceChange<string> => ({
  rowId,
  outcome,
  events: [ev(rowId, 'success')],
});

/**
 * The lab login, with every line a task writes to a device's shell passed to `tap` first (per
 * device: `tapFor(deviceId)` makes its tap); the tap decides when the line really goes out.
 */
type ShellData = string | Buffer;
function tappingShellWrites(
  portal: Pick<Portal, 'db' | 'vault'>,
  tapFor: (deviceId: string) => (data: ShellData, write: (data: ShellData) => void) => void,
): DeviceLogin {
  const real = createDeviceLogin({ db: portal.db, vault: portal.vault, log: pino({ level: 'silent' }) });
  return {
    ...real,
    sharedHops: 0,
    async open(req) {
      const r = await real.open(req);
      if (!r.ok) return r;
      const conn = r.connection;
      return {
        ok: true,
        connection: {
          ...conn,
          async openShell(size) {
            const shell = await conn.openShell(size);
            const write = shell.write.bind(shell);
            const tap = tapFor(req.deviceId!);
            shell.write = (data) => tap(data, write);
            return shell;
          },
        },
      };
    },
  };
}

describe('DeviceChangeBatcher', () => {
  function batcher(opts: { fail?: (n: number) => boolean } = {}) {
    const { clock, advance } = fakeClock();
    const writes: DeviceChange<string>[][] = [];
    const errors: unknown[] = [];
    let release: (() => void) | null = null;
    let hold = false;
    const b = new DeviceChangeBatcher<string>(
      async (changes) => {
        writes.push(changes);
        if (hold) await new Promise<void>((r) => (release = r));
        if (opts.fail?.(writes.length)) throw new Error(`write ${writes.length} refused`);
      },
      (err) => errors.push(err),
      250,
      clock,
    );
    return {
      b,
      writes,
      errors,
      advance,
      holdWrites: () => (hold = true),
      releaseWrite: () => {
        hold = false;
        release?.();
      },
    };
  }

  it('writes the first change at once, then everything of an interval in one write', async () => {
    const t = batcher();
    t.b.add(start('a'));
    await settle();
    expect(t.writes.map((w) => w.map((c) => c.rowId))).toEqual([['a']]);
    for (const id of ['b', 'c', 'd']) t.b.add(start(id));
    t.b.add(finish('a'));
    t.b.add(finish('b'));
    await settle();
    expect(t.writes).toHaveLength(1);
    t.advance(250);
    await settle();
    expect(t.writes).toHaveLength(2);
    // one change per device: b started and finished within the interval
    expect(t.writes[1]!.map((c) => c.rowId)).toEqual(['b', 'c', 'd', 'a']);
    const b = t.writes[1]!.find((c) => c.rowId === 'b')!;
    expect(b).toMatchObject({ startedAt: new Date(1), outcome: 'success' });
    expect(b.events.map((e) => e.status)).toEqual(['running', 'success']);
  });

  it('a device that needs its start stored gets a write at once, of the starts alone; outcomes wait for the interval', async () => {
    const t = batcher();
    t.b.add(start('first'));
    await settle();
    const stored = t.b.add(start('x'));
    t.b.add(finish('first'));
    t.b.add(start('y'));
    const waiting = stored();
    await settle();
    expect(t.writes).toHaveLength(2); // not waiting for the interval
    expect(t.writes[1]!.map((c) => c.rowId)).toEqual(['x', 'y']);
    await waiting;
    // already stored: nothing more to write for it
    await stored();
    expect(t.writes).toHaveLength(2);
    // the outcome goes with the interval's write, counted from the last write of everything
    t.advance(249);
    await settle();
    expect(t.writes).toHaveLength(2);
    t.advance(1);
    await settle();
    expect(t.writes.map((w) => w.map((c) => c.rowId))).toEqual([['first'], ['x', 'y'], ['first']]);
    expect(t.writes[2]![0]!.outcome).toBe('success');
  });

  it('a device that started and finished within the interval goes whole with a start needed now; flush takes the outcomes at once', async () => {
    const t = batcher();
    t.b.add(start('first'));
    await settle();
    t.b.add(start('quick'));
    t.b.add(finish('quick'));
    t.b.add(finish('first'));
    await t.b.add(start('x'))();
    expect(t.writes[1]!.map((c) => [c.rowId, c.outcome ?? null])).toEqual([
      ['quick', 'success'],
      ['x', null],
    ]);
    // the final flush does not wait for the interval
    await t.b.flush();
    expect(t.writes.map((w) => w.map((c) => c.rowId))).toEqual([['first'], ['quick', 'x'], ['first']]);
  });

  it('waiting on an outcome: settled only once it is stored, and the batcher keeps writing after', async () => {
    const t = batcher();
    t.b.add(start('a'));
    await settle();
    const outcome = t.b.add(finish('a'));
    t.b.add(start('b'));
    await outcome();
    // the start went alone first; the outcome was written before the waiter was told
    expect(t.writes.map((w) => w.map((c) => [c.rowId, c.outcome ?? 'start']))).toEqual([
      [['a', 'start']],
      [['b', 'start']],
      [['a', 'success']],
    ]);
    // nothing stuck: a later start is written at once and flush ends
    await t.b.add(start('c'))();
    expect(t.writes.at(-1)!.map((c) => c.rowId)).toEqual(['c']);
    t.b.add(finish('c'));
    await t.b.flush();
    expect(t.writes.at(-1)!.map((c) => [c.rowId, c.outcome])).toEqual([['c', 'success']]);
  });

  it('a write of starts alone that fails keeps them under the outcomes left waiting; nothing is lost', async () => {
    const t = batcher({ fail: (n) => n === 2 });
    t.b.add(start('a'));
    await settle();
    t.b.add(finish('a'));
    const stored = t.b.add(start('b'));
    await stored(); // refused once, then written again for it
    expect(t.errors).toHaveLength(1);
    expect(t.writes[1]!.map((c) => c.rowId)).toEqual(['b']);
    await t.b.flush();
    const last = new Map(t.writes.flat().map((c) => [c.rowId, c]));
    expect(last.get('a')?.outcome).toBe('success');
    expect(last.get('b')?.startedAt).toEqual(new Date(1));
  });

  it('an outcome moved on by a write of starts alone still gets its one retry when its own write is refused', async () => {
    const t = batcher({ fail: (n) => n === 3 });
    t.b.add(start('a'));
    await settle();
    const outcome = t.b.add(finish('a'));
    t.b.add(start('b'));
    await outcome(); // write 2: b alone; write 3: a's outcome, refused; write 4: again, stored
    expect(t.errors).toHaveLength(1);
    expect(t.writes.map((w) => w.map((c) => c.rowId))).toEqual([['a'], ['b'], ['a'], ['a']]);
  });

  it('a clock set back holds outcomes for one interval, not for as long as it went back', async () => {
    const t = batcher();
    t.b.add(start('a'));
    await settle();
    t.advance(-60_000);
    t.b.add(finish('a'));
    await t.b.add(start('b'))();
    expect(t.writes).toHaveLength(2); // b alone
    t.advance(250);
    await settle();
    expect(t.writes.map((w) => w.map((c) => c.rowId))).toEqual([['a'], ['b'], ['a']]);
  });

  it('one write at a time: a start needed during a write goes in the next one, right after', async () => {
    const t = batcher();
    t.holdWrites();
    t.b.add(start('a'));
    await settle();
    expect(t.writes).toHaveLength(1);
    const storedB = t.b.add(start('b'));
    const storedC = t.b.add(start('c'));
    const waitB = storedB();
    const waitC = storedC();
    await settle();
    expect(t.writes).toHaveLength(1); // the first write is still going
    t.releaseWrite();
    await Promise.all([waitB, waitC]);
    expect(t.writes.map((w) => w.map((c) => c.rowId))).toEqual([['a'], ['b', 'c']]);
  });

  it('a failed write keeps its changes under newer ones; a waiting device gets one more try', async () => {
    const t = batcher({ fail: (n) => n === 1 });
    const stored = t.b.add(start('a', 5));
    await settle();
    expect(t.errors).toHaveLength(1);
    t.b.add(finish('a', 'failed'));
    await stored(); // written again at once for it, with the outcome queued since
    expect(t.writes).toHaveLength(2);
    expect(t.writes[1]).toEqual([
      {
        rowId: 'a',
        startedAt: new Date(5),
        outcome: 'failed',
        events: [ev('a', 'running'), ev('a', 'success')],
      },
    ]);
  });

  it('a database that keeps refusing: the waiting device and the final flush are told', async () => {
    const t = batcher({ fail: () => true });
    const stored = t.b.add(start('a'));
    await expect(stored()).rejects.toThrow(/refused/);
    await expect(t.b.flush()).rejects.toThrow(/refused/);
  });

  it('flush stores everything queued, including after a write in progress', async () => {
    const t = batcher();
    t.holdWrites();
    t.b.add(start('a'));
    await settle();
    t.b.add(finish('a'));
    t.b.add(start('b'));
    const flushed = t.b.flush();
    await settle();
    t.releaseWrite();
    await flushed;
    expect(t.writes.flat().map((c) => c.rowId)).toEqual(['a', 'a', 'b']);
  });
});

describe('task device writes against the database', () => {
  let portal: Portal;
  /**
   * The executor's events go to a bus of the test's own: on the runtime's, its notifier would write a
   * notification (on its own SQLite connection, in this same process) while the executor writes on
   * the counting one, and better-sqlite3's busy wait blocks the one event loop both need.
   */
  const bus = new InProcessEventBus();
  /** A client on the portal's database that reports every statement it sends. */
  let counted: PrismaClient;
  const log: { query: string; params: string }[] = [];
  /** Also told of every statement, in order with whatever else it is given. */
  let tap: ((s: { query: string; params: string }) => void) | null = null;

  beforeAll(async () => {
    portal = await startPortal({ lab: defaultLabFleet(80, LAB_CREDS, 'huawei_vrp') });
    counted = createPrismaClient(portal.url, { log: [{ emit: 'event', level: 'query' }] });
    (
      counted as unknown as {
        $on(event: 'query', cb: (e: { query: string; params: string }) => void): void;
      }
    ).$on('query', (e) => {
      log.push({ query: e.query, params: e.params });
      tap?.(e);
    });
  }, 60_000);
  afterAll(async () => {
    await counted?.$disconnect();
    await portal?.close();
  });

  async function newTask(deviceNames: string[], commands = ['display version'], concurrency = 20) {
    const devices = await Promise.all(
      deviceNames.map(async (name) => ({ deviceId: await portal.deviceId(name), deviceName: name })),
    );
    return portal.db.task.create({
      data: {
        ownerId: portal.users.admin,
        name: 'writes',
        commands: JSON.stringify(commands),
        concurrency,
        timeoutMs: 20_000,
        totalDevices: devices.length,
        devices: { createMany: { data: devices } },
      },
    });
  }

  /**
   * The client with every raw UPDATE of device rows (a write's starts and outcomes) going through
   * `before(n, sql)` first (the n-th such statement): it may throw (a refusing database; in a
   * transaction the whole write rolls back) or take its time (a slow one).
   */
  function rawWrites(
    db: PrismaClient,
    before: (n: number, sql: string) => Promise<void> | void,
  ): PrismaClient {
    let statements = 0;
    return db.$extends({
      query: {
        async $executeRaw({ args, query }) {
          await before(++statements, JSON.stringify(args));
          return query(args);
        },
      },
    }) as unknown as PrismaClient;
  }

  const vrp = (n: number) => Array.from({ length: n }, (_, i) => `lab-vrp-${String(i + 1).padStart(2, '0')}`);

  /** Runs a task with the executor on the counting client; returns the statements it sent. */
  async function run(
    taskId: string,
    opts: { login?: DeviceLogin; db?: PrismaClient; progressIntervalMs?: number } = {},
  ) {
    const from = log.length;
    await runTask(taskId, new AbortController().signal, {
      db: opts.db ?? counted,
      bus,
      log: pino({ level: 'silent' }),
      login:
        opts.login ??
        createDeviceLogin({ db: portal.db, vault: portal.vault, log: pino({ level: 'silent' }) }),
      deviceSlots: new DeviceSessionLimiter(5),
      progressIntervalMs: opts.progressIntervalMs ?? 100,
    });
    return log.slice(from);
  }

  it('stores starts, outcomes and counters as the ORM reads them back, in statements per batch', async () => {
    const task = await portal.db.task.create({
      data: {
        ownerId: portal.users.admin,
        name: 'rows',
        commands: '["x"]',
        concurrency: 1,
        timeoutMs: 10_000,
        totalDevices: 450,
        devices: {
          createMany: { data: Array.from({ length: 450 }, (_, i) => ({ deviceName: `d-${i}` })) },
        },
      },
    });
    const rows = await portal.db.taskDevice.findMany({ where: { taskId: task.id }, orderBy: { id: 'asc' } });
    const t0 = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const from = log.length;
    // every row starts (three UPDATEs of 200), the first 250 also finish in the same batch
    await recordDeviceChanges(
      counted,
      task.id,
      rows.map((r, i) => ({
        rowId: r.id,
        startedAt: new Date(t0 + i),
        outcome:
          i < 250
            ? {
                status: i % 5 === 0 ? 'failed' : i % 7 === 0 ? 'skipped' : 'success',
                output: JSON.stringify([{ command: 'x', output: `it's "${i}" ✓\n`, status: 'success' }]),
                error: i % 5 === 0 ? `broke on ${i}` : null,
                finishedAt: new Date(t0 + 1000 + i),
              }
            : undefined,
      })),
    );
    const statements = log.slice(from).map((s) => s.query);
    expect(statements.filter((q) => /^UPDATE "TaskDevice"/.test(q))).toHaveLength(3 + 2);
    expect(statements.length).toBeLessThanOrEqual(3 + 2 + 1 + 2); // + the task's counters, BEGIN/COMMIT

    const back = await portal.db.taskDevice.findMany({ where: { taskId: task.id }, orderBy: { id: 'asc' } });
    for (const [i, r] of back.entries()) {
      expect(r.id).toBe(rows[i]!.id);
      expect(r.startedAt).toEqual(new Date(t0 + i));
      expect(r.attempts).toBe(1);
      if (i < 250) {
        expect(r.status).toBe(i % 5 === 0 ? 'failed' : i % 7 === 0 ? 'skipped' : 'success');
        expect(JSON.parse(r.output)[0].output).toBe(`it's "${i}" ✓\n`);
        expect(r.error).toBe(i % 5 === 0 ? `broke on ${i}` : null);
        expect(r.finishedAt).toEqual(new Date(t0 + 1000 + i));
      } else {
        expect(r).toMatchObject({ status: 'running', output: '[]', error: null, finishedAt: null });
      }
    }
    const failed = back.filter((r) => r.status === 'failed').length;
    const skipped = back.filter((r) => r.status === 'skipped').length;
    expect(await portal.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      completedDevices: 250,
      failedDevices: failed,
      skippedDevices: skipped,
      succeededDevices: 250 - failed - skipped,
    });

    // the rest finish in a later batch; nothing else of the rows changes
    await recordDeviceChanges(
      counted,
      task.id,
      back.slice(250).map((r) => ({
        rowId: r.id,
        outcome: { status: 'success', output: '[]', error: null, finishedAt: new Date(t0 + 5000) },
      })),
    );
    const end = await portal.db.taskDevice.findMany({ where: { taskId: task.id }, orderBy: { id: 'asc' } });
    expect(end.slice(250).every((r) => r.status === 'success' && r.attempts === 1)).toBe(true);
    expect(end.slice(0, 250)).toEqual(back.slice(0, 250));
    expect((await portal.db.task.findUniqueOrThrow({ where: { id: task.id } })).completedDevices).toBe(450);
  });

  it('statements per task grow far slower than its devices (they were 4 or more per device)', async () => {
    const small = await newTask(vrp(20));
    const sSmall = (await run(small.id)).length;
    const large = await newTask(vrp(80));
    const sLarge = (await run(large.id)).length;
    for (const t of [small, large]) {
      const done = await portal.db.task.findUniqueOrThrow({ where: { id: t.id } });
      expect(done).toMatchObject({ status: 'completed', succeededDevices: done.totalDevices });
    }
    const rows = await portal.db.taskDevice.findMany({ where: { taskId: large.id } });
    expect(rows.every((r) => r.status === 'success' && r.attempts === 1 && r.startedAt && r.finishedAt)).toBe(
      true,
    );
    expect(rows.every((r) => JSON.parse(r.output)[0].output.includes('Huawei Versatile Routing'))).toBe(true);
    // fewer statements than devices, and well under one more per added device
    expect(sLarge).toBeLessThan(80);
    expect((sLarge - sSmall) / 60).toBeLessThan(1);
  }, 60_000);

  it('a device is stored as running before its first command; events report only what is stored', async () => {
    /** The device row's status as stored when the task's command was sent to the device. */
    const atFirstLine = new Map<string, string>();
    const rowOf = new Map<string, string>();
    const login = tappingShellWrites(portal, (deviceId) => {
      let first = true;
      return (data, write) => {
        // the CLI's own lines (Enter at the prompt, paging off) may go out while the start is written
        if (!first || !String(data).includes('display version')) return write(data);
        first = false;
        // the line is held until the stored status is read (a later write cannot sneak in)
        void portal.db.taskDevice.findUniqueOrThrow({ where: { id: rowOf.get(deviceId)! } }).then((row) => {
          atFirstLine.set(deviceId, row.status);
          write(data);
        });
      };
    });
    const task = await newTask(vrp(40));
    for (const r of await portal.db.taskDevice.findMany({ where: { taskId: task.id } }))
      rowOf.set(r.deviceId!, r.id);
    type Entry =
      { kind: 'sql'; query: string; params: string } | { kind: 'event'; e: EventMap['task.status.changed'] };
    const timeline: Entry[] = [];
    tap = (q) => timeline.push({ kind: 'sql', query: q.query, params: q.params });
    const off = bus.subscribe('task.status.changed', (e) => {
      if (e.taskId === task.id) timeline.push({ kind: 'event', e });
    });
    // an interval far longer than the task: only a device that needs its start stored causes a write;
    // each write of starts takes 300 ms (a slow database), far longer than a CLI takes to settle, so a
    // command that did not wait for it would find its row still pending
    const slowStarts = rawWrites(counted, (_n, sql) =>
      sql.includes("'running'") ? new Promise<void>((r) => setTimeout(r, 300)) : undefined,
    );
    await run(task.id, { db: slowStarts, login, progressIntervalMs: 60_000 });
    await new Promise((r) => setImmediate(r)); // the bus delivers on a later microtask
    off();
    tap = null;
    expect(atFirstLine.size).toBe(40);
    expect([...atFirstLine.values()].every((s) => s === 'running')).toBe(true);

    // each device's outcome event comes after the committed UPDATE that stored its output
    const rowIds = new Map([...rowOf].map(([deviceId, rowId]) => [deviceId, rowId]));
    const seen = new Map<string, string[]>();
    for (const [i, x] of timeline.entries()) {
      if (x.kind !== 'event') continue;
      for (const d of x.e.devices ?? []) {
        seen.set(d.deviceName, [...(seen.get(d.deviceName) ?? []), d.status]);
        if (d.status !== 'success') continue;
        const rowId = rowIds.get(d.deviceId)!;
        const stored = timeline.findIndex(
          (s) =>
            s.kind === 'sql' &&
            /^UPDATE "TaskDevice" SET "status" = .*"output" = CASE/.test(s.query) &&
            s.params.includes(rowId),
        );
        expect(stored).toBeGreaterThanOrEqual(0);
        expect(stored).toBeLessThan(i);
        expect(timeline.slice(stored, i).some((s) => s.kind === 'sql' && /^COMMIT/.test(s.query))).toBe(true);
      }
    }
    // every device reported running, then its outcome, and the final event says completed
    expect(seen.size).toBe(40);
    for (const statuses of seen.values()) expect(statuses).toEqual(['running', 'success']);
    const last = timeline.at(-1)!;
    expect(last.kind === 'event' && last.e).toMatchObject({
      final: true,
      status: 'completed',
      completedDevices: 40,
    });
  }, 60_000);

  it('a write that fails once is retried; a database that refuses every write sends no command', async () => {
    // the first transaction fails (the first device's start): written again, every device succeeds
    const flaky = rawWrites(counted, (n) => {
      if (n === 1) throw new Error('database is locked');
    });
    const once = await newTask(vrp(10), ['display version'], 5);
    await run(once.id, { db: flaky });
    expect(await portal.db.task.findUniqueOrThrow({ where: { id: once.id } })).toMatchObject({
      status: 'completed',
      succeededDevices: 10,
    });
    expect(
      (await portal.db.taskDevice.findMany({ where: { taskId: once.id } })).every((r) => r.attempts === 1),
    ).toBe(true);

    // no write ever succeeds: no device is sent the task's command (each would have been "running"
    // unrecorded); the CLI's own lines may have gone out
    let lines = 0;
    const counting = tappingShellWrites(portal, () => (data, write) => {
      if (String(data).includes('display version')) lines++;
      write(data);
    });
    const refusing = rawWrites(counted, () => {
      throw new Error('disk I/O error');
    });
    const never = await newTask(vrp(6), ['display version'], 3);
    await expect(run(never.id, { db: refusing, login: counting })).rejects.toThrow(/disk I\/O error/);
    expect(lines).toBe(0);
    const rows = await portal.db.taskDevice.findMany({ where: { taskId: never.id } });
    expect(rows.every((r) => r.status === 'pending')).toBe(true);
    // nor was any outcome counted without its row (the counters roll back with the refused UPDATE)
    expect(await portal.db.task.findUniqueOrThrow({ where: { id: never.id } })).toMatchObject({
      status: 'running',
      completedDevices: 0,
      failedDevices: 0,
    });
  }, 60_000);
});
