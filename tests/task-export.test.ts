import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../lib/db/client';
import { openResultsExport } from '../lib/tasks/export';
import { freshDatabase } from './helpers';

const DEVICES = 300;
const OUTPUT_BYTES = 64 * 1024;
let db: PrismaClient;
let ownerId: string;
let otherId: string;
let taskId: string;

/** What one device printed for one command: large, recognisable, and ending in a marker. */
const outputOf = (i: number, c: number) => `${`dev${i} cmd${c} `.padEnd(OUTPUT_BYTES, 'x')}END${i}-${c}`;

beforeAll(async () => {
  ({ db } = freshDatabase());
  ownerId = (await db.user.create({ data: { username: 'owner', role: 'operator', passwordHash: 'x' } })).id;
  otherId = (await db.user.create({ data: { username: 'other', role: 'operator', passwordHash: 'x' } })).id;
  const task = await db.task.create({
    data: {
      ownerId,
      name: 'big export',
      commands: JSON.stringify(['display version', '=cmd|calc']),
      concurrency: 10,
      timeoutMs: 10_000,
      status: 'completed',
      totalDevices: DEVICES,
      completedDevices: DEVICES,
      succeededDevices: DEVICES,
    },
  });
  taskId = task.id;
  for (let start = 0; start < DEVICES; start += 50) {
    await db.taskDevice.createMany({
      data: Array.from({ length: Math.min(50, DEVICES - start) }, (_, k) => {
        const i = start + k;
        return {
          taskId,
          deviceName: `sw-${String(i).padStart(4, '0')}`,
          status: 'success',
          attempts: 1,
          output: JSON.stringify([
            { command: 'display version', status: 'success', output: outputOf(i, 0) },
            { command: '=cmd|calc', status: 'error', output: outputOf(i, 1) },
          ]),
        };
      }),
    });
  }
}, 60_000);
afterAll(async () => {
  await db.$disconnect();
});

/** The database, with every taskDevice read recorded: how many rows with output each one returned. */
function recording(inner: PrismaClient) {
  const outputRowsPerQuery: number[] = [];
  const delegate = new Proxy(inner.taskDevice, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const result = (await (value as (...a: unknown[]) => Promise<unknown>).apply(
          target,
          args,
        )) as unknown;
        const rows = Array.isArray(result) ? result : result ? [result] : [];
        outputRowsPerQuery.push(
          rows.filter((r) => typeof (r as { output?: unknown }).output === 'string').length,
        );
        return result;
      };
    },
  });
  const db = new Proxy(inner, {
    get(target, prop, receiver) {
      return prop === 'taskDevice' ? delegate : Reflect.get(target, prop, receiver);
    },
  }) as PrismaClient;
  return { db, outputRowsPerQuery };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>)
    text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** Every row of a CSV whose cells are all quoted. */
function parseCsv(csv: string): string[][] {
  const rows: string[][] = [[]];
  const re = /"((?:[^"]|"")*)"(,|\r\n|$)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(csv)) && m[0] !== '') {
    rows.at(-1)!.push(m[1]!.replace(/""/g, '"'));
    if (m[2] === '\r\n') rows.push([]);
  }
  expect(re.lastIndex === 0 || re.lastIndex === csv.length).toBe(true);
  if (rows.at(-1)!.length === 0) rows.pop();
  return rows;
}

describe('task results export is streamed', () => {
  it('CSV: complete and valid, read a few devices at a time and only as the client reads', async () => {
    const { db: spy, outputRowsPerQuery } = recording(db);
    const exp = await openResultsExport({ id: ownerId, role: 'operator' }, taskId, 'csv', { db: spy });
    expect(exp).not.toBeNull();
    expect(exp!.contentType).toBe('text/csv; charset=utf-8');
    expect(exp!.filename).toMatch(/^task-big_export-[A-Za-z0-9]{8}\.csv$/);

    // the first chunk does not need the whole task
    const reader = exp!.stream.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    const readSoFar = outputRowsPerQuery.reduce((a, b) => a + b, 0);
    expect(readSoFar).toBeLessThan(DEVICES / 2);
    reader.releaseLock();

    const csv = new TextDecoder().decode(first.value) + (await readAll(exp!.stream));
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([
      'device',
      'device_status',
      'error',
      'duration_ms',
      'command',
      'command_status',
      'command_error',
      'output',
    ]);
    expect(rows).toHaveLength(1 + DEVICES * 2);
    for (let i = 0; i < DEVICES; i++) {
      const a = rows[1 + i * 2]!;
      const b = rows[2 + i * 2]!;
      expect(a[0]).toBe(`sw-${String(i).padStart(4, '0')}`);
      expect(a[7]).toBe(outputOf(i, 0));
      expect(b[4]).toBe("'=cmd|calc"); // the formula guard still applies
      expect(b[7]).toBe(outputOf(i, 1));
    }
    expect(Math.max(...outputRowsPerQuery)).toBeLessThanOrEqual(10);
  }, 60_000);

  it('JSON: the task and every device with its outputs, valid JSON, read in pages', async () => {
    const { db: spy, outputRowsPerQuery } = recording(db);
    const exp = await openResultsExport({ id: ownerId, role: 'operator' }, taskId, 'json', { db: spy });
    expect(exp!.contentType).toBe('application/json; charset=utf-8');
    const parsed = JSON.parse(await readAll(exp!.stream)) as {
      task: { id: string; name: string; totalDevices: number };
      devices: { deviceName: string; status: string; outputs: { command: string; output: string }[] }[];
    };
    expect(parsed.task).toMatchObject({ id: taskId, name: 'big export', totalDevices: DEVICES });
    expect(parsed.devices).toHaveLength(DEVICES);
    parsed.devices.forEach((d, i) => {
      expect(d.deviceName).toBe(`sw-${String(i).padStart(4, '0')}`);
      expect(d.outputs.map((o) => o.output)).toEqual([outputOf(i, 0), outputOf(i, 1)]);
    });
    expect(Math.max(...outputRowsPerQuery)).toBeLessThanOrEqual(10);
  }, 60_000);

  it('another user cannot export the task', async () => {
    expect(await openResultsExport({ id: otherId, role: 'operator' }, taskId, 'csv', { db })).toBeNull();
    expect(await openResultsExport({ id: otherId, role: 'admin' }, taskId, 'json', { db })).not.toBeNull();
  });
});
