import { Cron } from 'croner';

/**
 * When a scheduled template runs: a standard five-field cron expression (minute hour day month
 * weekday; day-of-month and weekday are OR-ed, as in Vixie cron) read in an IANA time zone, via
 * croner. Across a DST change a daily job runs once: at the first moment after the gap in spring,
 * at the first of the two moments in autumn. Pure, with the clock passed in.
 */

/** Schedules firing more often than this are refused (a task on thousands of devices every minute is a mistake). */
export const SCHEDULE_MIN_INTERVAL_MS = 5 * 60_000;
/** A run found this late by the scheduler still runs under the `skip` policy (a restart, a slow tick). */
export const SCHEDULE_GRACE_MS = 2 * 60_000;
export const SCHEDULE_MAX_EXPRESSION_CHARS = 100;
/** How many upcoming runs the minimum-interval check looks at. */
const INTERVAL_LOOKAHEAD = 60;

/** What happens when runs were missed (the portal was down): none of them, or one run at once. */
export const MISSED_RUN_POLICIES = ['skip', 'run_once'] as const;
export type MissedRunPolicy = (typeof MISSED_RUN_POLICIES)[number];

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz.length > 0 && tz.length <= 64;
  } catch {
    return false;
  }
}

function cronOf(expression: string, timeZone: string): Cron {
  return new Cron(expression.trim(), { timezone: timeZone, paused: true, mode: '5-part' });
}

export type ScheduleCheck = { ok: true; next: Date[] } | { ok: false; error: string };

/** Validate an expression and zone; the next `count` run times when valid. */
export function checkSchedule(expression: string, timeZone: string, now: Date, count = 5): ScheduleCheck {
  const expr = expression.trim().replace(/\s+/g, ' ');
  if (expr === '')
    return { ok: false, error: 'Enter a cron expression, e.g. 0 2 * * * (every day at 02:00).' };
  if (expr.length > SCHEDULE_MAX_EXPRESSION_CHARS)
    return { ok: false, error: `At most ${SCHEDULE_MAX_EXPRESSION_CHARS} characters.` };
  if (expr.split(' ').length !== 5)
    return { ok: false, error: 'Use five fields: minute hour day-of-month month day-of-week.' };
  if (!isTimeZone(timeZone))
    return { ok: false, error: `Unknown time zone “${timeZone}” (use e.g. Asia/Shanghai).` };
  let cron: Cron;
  try {
    cron = cronOf(expr, timeZone);
  } catch (err) {
    return {
      ok: false,
      error: `Not a valid cron expression: ${(err as Error).message.replace(/^CronPattern: /, '')}`,
    };
  }
  const upcoming = cron.nextRuns(INTERVAL_LOOKAHEAD, now);
  if (upcoming.length === 0) return { ok: false, error: 'This expression never fires (e.g. 30 February).' };
  for (let i = 1; i < upcoming.length; i++) {
    const gap = upcoming[i]!.getTime() - upcoming[i - 1]!.getTime();
    if (gap < SCHEDULE_MIN_INTERVAL_MS) {
      return {
        ok: false,
        error: `Runs would be ${Math.round(gap / 1000)} s apart; the shortest interval allowed is ${SCHEDULE_MIN_INTERVAL_MS / 60_000} minutes.`,
      };
    }
  }
  return { ok: true, next: upcoming.slice(0, count) };
}

/** The next run strictly after `after`, or null when the expression never fires again. */
export function nextRunAfter(expression: string, timeZone: string, after: Date): Date | null {
  return cronOf(expression, timeZone).nextRun(after);
}

export interface DueDecision {
  /** Run now (the planned time it stands for), or null. */
  run: Date | null;
  /** Planned runs that passed without running. */
  missed: number;
  /** The next planned run after now. */
  next: Date | null;
}

/**
 * What a scheduler tick at `now` does with a schedule whose next planned run was `planned`:
 * nothing before it; at or after it, one run (never a burst for every missed time), unless the
 * planned time is older than SCHEDULE_GRACE_MS and the policy is `skip`.
 */
export function decideDue(
  expression: string,
  timeZone: string,
  planned: Date,
  now: Date,
  policy: MissedRunPolicy,
): DueDecision {
  if (planned.getTime() > now.getTime()) return { run: null, missed: 0, next: planned };
  const cron = cronOf(expression, timeZone);
  // every planned time from `planned` up to now; the latest one is the run that stands for them
  let latest = planned;
  let count = 1;
  for (let t = cron.nextRun(planned); t && t.getTime() <= now.getTime(); t = cron.nextRun(t)) {
    latest = t;
    if (++count > 100_000) break;
  }
  const next = cron.nextRun(now);
  const onTime = now.getTime() - latest.getTime() <= SCHEDULE_GRACE_MS;
  if (onTime || policy === 'run_once') return { run: latest, missed: count - 1, next };
  return { run: null, missed: count, next };
}
