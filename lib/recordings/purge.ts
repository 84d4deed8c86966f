import type { Logger } from 'pino';
import type { PrismaClient } from '../db/client';
import type { RecordingStore } from './store';

const PURGE_BATCH = 500;

/**
 * Delete the recordings that started before `before` (RECORDING_RETENTION_DAYS): the cast from the
 * store first, then the index row (its command lines go with it). A recording still being written is
 * left alone. Returns how many were deleted.
 */
export async function purgeRecordings(
  deps: { db: PrismaClient; store: RecordingStore; log: Logger },
  before: Date,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const rows = await deps.db.recording.findMany({
      where: { startedAt: { lt: before }, state: { not: 'recording' } },
      select: { id: true, key: true },
      orderBy: { startedAt: 'asc' },
      take: PURGE_BATCH,
    });
    if (rows.length === 0) return deleted;
    for (const r of rows) {
      if (!r.key) continue;
      await deps.store.remove(r.key).catch((err: unknown) => {
        deps.log.warn({ err, recording: r.id }, 'recording file not removed');
      });
    }
    const { count } = await deps.db.recording.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
    deleted += count;
    if (rows.length < PURGE_BATCH) return deleted;
  }
}

/** Purge every `intervalMs` (and once now); the stop function. */
export function startRecordingPurge(
  deps: { db: PrismaClient; store: RecordingStore; log: Logger },
  opts: { retentionDays: number; intervalMs: number; now?: () => number },
): () => void {
  if (opts.retentionDays <= 0) return () => {};
  const now = opts.now ?? Date.now;
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    purgeRecordings(deps, new Date(now() - opts.retentionDays * 86_400_000))
      .then((n) => n > 0 && deps.log.info({ deleted: n }, 'old recordings deleted'))
      .catch((err: unknown) => deps.log.error({ err }, 'recording purge failed'))
      .finally(() => (running = false));
  };
  run();
  const timer = setInterval(run, opts.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
