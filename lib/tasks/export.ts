import type { PrismaClient } from '../db/generated/client';
import {
  deviceDetail,
  RESULTS_CSV_HEADER,
  resultsCsvLines,
  taskSummary,
  visibleTasksWhere,
  type TaskActor,
} from './service';

/** Device rows (without output) read per query while exporting. */
export const EXPORT_PAGE_ROWS = 200;
/** Device rows with their output read per query: an output may be 50 commands × 1 MiB. */
export const EXPORT_OUTPUT_ROWS = 5;

export type ExportFormat = 'json' | 'csv';

export interface ResultsExport {
  filename: string;
  contentType: string;
  stream: ReadableStream<Uint8Array>;
}

/**
 * A task's results as a stream: device rows are read a page at a time (ids only), their outputs a
 * few devices at a time, and only as fast as the client reads, so a task of 1,000 devices with
 * megabytes of output each never sits in memory whole. Null when the actor cannot see the task.
 */
export async function openResultsExport(
  actor: TaskActor,
  taskId: string,
  format: ExportFormat,
  deps: { db: PrismaClient },
): Promise<ResultsExport | null> {
  const { db } = deps;
  const task = await db.task.findFirst({ where: { id: taskId, ...visibleTasksWhere(actor) } });
  if (!task) return null;
  const running = await db.taskDevice.findFirst({
    where: { taskId, status: 'running' },
    orderBy: { deviceName: 'asc' },
    select: { deviceName: true },
  });
  const summary = taskSummary(task, running?.deviceName ?? null);
  const encoder = new TextEncoder();

  let pending: string[] = []; // ids of the current page not yet written
  let cursor: { deviceName: string; id: string } | null = null;
  let finished = false;
  let first = true;
  let wroteDevice = false;

  /** The next few device rows with output, in (deviceName, id) order; [] at the end. */
  async function nextRows() {
    for (;;) {
      const rows = await nextFew();
      // a row deleted since its page was read is skipped; [] only at the end
      if (rows === null || rows.length > 0) return rows ?? [];
    }
  }

  async function nextFew() {
    if (pending.length === 0 && !finished) {
      const page: { id: string; deviceName: string }[] = await db.taskDevice.findMany({
        where: {
          taskId,
          ...(cursor
            ? {
                OR: [
                  { deviceName: { gt: cursor.deviceName } },
                  { deviceName: cursor.deviceName, id: { gt: cursor.id } },
                ],
              }
            : {}),
        },
        orderBy: [{ deviceName: 'asc' }, { id: 'asc' }],
        take: EXPORT_PAGE_ROWS,
        select: { id: true, deviceName: true },
      });
      if (page.length < EXPORT_PAGE_ROWS) finished = true;
      if (page.length > 0) cursor = page.at(-1)!;
      pending = page.map((r) => r.id);
    }
    const ids = pending.splice(0, EXPORT_OUTPUT_ROWS);
    if (ids.length === 0) return null;
    const rows = await db.taskDevice.findMany({
      where: { id: { in: ids } },
      orderBy: [{ deviceName: 'asc' }, { id: 'asc' }],
    });
    return rows.map(deviceDetail);
  }

  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          let out = '';
          if (first) {
            first = false;
            out += format === 'csv' ? RESULTS_CSV_HEADER : `{"task":${JSON.stringify(summary)},"devices":[`;
          }
          const rows = await nextRows();
          for (const d of rows) {
            if (format === 'csv') out += resultsCsvLines(d);
            else {
              out += (wroteDevice ? ',' : '') + JSON.stringify(d);
              wroteDevice = true;
            }
          }
          if (rows.length === 0) {
            if (format === 'json') out += ']}';
            if (out) controller.enqueue(encoder.encode(out));
            controller.close();
            return;
          }
          controller.enqueue(encoder.encode(out));
        } catch (err) {
          controller.error(err);
        }
      },
    },
    // one chunk ahead at most: the next rows are read when the client has taken the last ones
    { highWaterMark: 1 },
  );

  const base = `task-${task.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60)}-${task.id.slice(0, 8)}`;
  return {
    filename: `${base}.${format}`,
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    stream,
  };
}
