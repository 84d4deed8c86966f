import { HttpError } from '../http-error';
import { taskKey } from '../use-task-monitor';

/**
 * What the task page fetches about a task's results (changes, groups, diffs, search) sits under the
 * task's own cache key, so the monitor's refetch when the task finishes refreshes it too.
 */
export const resultsKey = (id: string) => [...taskKey(id), 'results'] as const;

export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new HttpError(res.status);
  return res.json() as Promise<T>;
}
