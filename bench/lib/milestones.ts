/** A benchmark task's milestones, in ms after its createTask call; -1 for one that did not happen. */
export type TaskPhases = Record<
  'created' | 'running' | 'firstDevice' | 'lastDevice' | 'finished' | 'final',
  number
>;

interface Times {
  startedAt: Date | null;
  finishedAt: Date | null;
}

/**
 * The milestones of a task called at `startedAt` (ms since the epoch, this machine's clock, which the
 * stored times share): createTask returned (`created`), the task and its first device started, the
 * last device and the task finished, the final event arrived (`final`).
 */
export function taskPhases(
  startedAt: number,
  at: { created: number; final: number; task: Times; rows: readonly Times[] },
): TaskPhases {
  const since = (t: number | undefined) =>
    t === undefined || !Number.isFinite(t) ? -1 : Math.round(t - startedAt);
  const times = (pick: (d: Times) => Date | null) => at.rows.flatMap((d) => pick(d)?.getTime() ?? []);
  return {
    created: since(at.created),
    running: since(at.task.startedAt?.getTime()),
    firstDevice: since(Math.min(...times((d) => d.startedAt))),
    lastDevice: since(Math.max(...times((d) => d.finishedAt))),
    finished: since(at.task.finishedAt?.getTime()),
    final: since(at.final),
  };
}
