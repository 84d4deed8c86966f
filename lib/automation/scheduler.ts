import type { Logger } from 'pino';
import { z } from 'zod';
import { isRole } from '../auth/roles';
import type { PrismaClient } from '../db/generated/client';
import type { GuardRefusal } from '../policy/guard-text';
import { operableDevicesWhere } from '../devices/visibility';
import type { NotificationFeed } from '../notifications/feed';
import { confirmedCommands, guardTask, parseConfirmed, type ConfirmedCommand } from '../tasks/guard';
import type { TaskDeps } from '../tasks/service';
import { validateInputs } from './render';
import { checkSchedule, decideDue, MISSED_RUN_POLICIES, type MissedRunPolicy } from './schedule';
import { getTemplate, runTemplate, visibleTemplatesWhere, type TemplateActor } from './templates';

/**
 * Scheduled templates. Each tick finds schedules whose planned run has come, claims each planned run
 * with a conditional update (only the node whose update changed the row runs it: exactly once
 * across nodes sharing the database), and runs the template as the schedule's owner with the
 * owner's access at that moment (devices the owner can no longer operate are left out). A run that
 * cannot start notifies the owner; a run that starts is an ordinary task (its failure notifies too).
 */

export const SCHEDULER_TICK_MS = 30_000;
export const SCHEDULE_MAX_TARGETS = 1000;

const targetsSchema = z
  .object({
    deviceIds: z.array(z.string().min(1).max(64)).max(SCHEDULE_MAX_TARGETS).default([]),
    groupIds: z.array(z.string().min(1).max(64)).max(100).default([]),
  })
  .strict();

export const scheduleInputSchema = z
  .object({
    templateId: z.string().min(1).max(64),
    cron: z.string().max(200),
    timeZone: z.string().max(64).default('UTC'),
    enabled: z.boolean().default(true),
    missedPolicy: z.enum(MISSED_RUN_POLICIES).default('skip'),
    targets: targetsSchema,
    inputs: z.record(z.string().max(64), z.string().max(200)).default({}),
    /**
     * Confirms the commands guard-rail rules ask to confirm, as for running the template now (the
     * device's name, or `N devices`); the schedule's runs may then send them while the same rules ask
     * for the same commands.
     */
    confirm: z.string().max(200).optional(),
  })
  .strict();

export type ScheduleErrors = Partial<
  Record<'templateId' | 'cron' | 'timeZone' | 'targets' | 'inputs' | 'commands' | 'confirm' | 'form', string>
>;
/** A schedule refused: its fields' errors (English), and the guard rails' refusal as data when they refused it. */
export type ScheduleRefused = { ok: false; errors: ScheduleErrors; guard?: GuardRefusal };
export interface SchedulerDeps extends TaskDeps {
  feed: NotificationFeed;
  log: Logger;
}

const canEdit = (actor: TemplateActor, s: { ownerId: string }) =>
  actor.role === 'admin' || s.ownerId === actor.id;

export function visibleSchedulesWhere(actor: TemplateActor) {
  return actor.role === 'admin' ? {} : { ownerId: actor.id };
}

async function validate(
  actor: TemplateActor,
  raw: unknown,
  db: PrismaClient,
  now: Date,
): Promise<
  | { ok: true; value: z.output<typeof scheduleInputSchema>; next: Date }
  | { ok: false; errors: ScheduleErrors }
> {
  const parsed = scheduleInputSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: ScheduleErrors = {};
    for (const i of parsed.error.issues) {
      const key =
        (['templateId', 'cron', 'timeZone', 'targets', 'inputs'] as const).find((k) => k === i.path[0]) ??
        'form';
      errors[key] ??= i.message;
    }
    return { ok: false, errors };
  }
  const v = parsed.data;
  const template = await db.taskTemplate.findFirst({
    where: { id: v.templateId, ...visibleTemplatesWhere(actor) },
  });
  if (!template) return { ok: false, errors: { templateId: 'No such template.' } };
  const check = checkSchedule(v.cron, v.timeZone, now);
  if (!check.ok)
    return {
      ok: false,
      errors: { [check.error.startsWith('Unknown time zone') ? 'timeZone' : 'cron']: check.error },
    };
  if (v.targets.deviceIds.length + v.targets.groupIds.length === 0)
    return { ok: false, errors: { targets: 'Choose devices or groups to run on.' } };
  return { ok: true, value: v, next: check.next[0]! };
}

/**
 * The guard rails on what the schedule would run now, as its owner (its targets as they resolve
 * today, with the owner's access): a command a rule denies, or one that needs a second person's
 * approval, refuses the schedule; the commands a rule asks to confirm need the confirmation phrase
 * (typed by whoever saves it: the owner, or an admin for the owner), and what it confirmed, device by
 * device, is kept for the runs.
 */
async function guardSchedule(
  owner: TemplateActor,
  v: z.output<typeof scheduleInputSchema>,
  deps: Pick<SchedulerDeps, 'db' | 'policy'>,
  /** What the schedule kept: a change without a phrase needs no new one for what it confirmed. */
  kept: readonly ConfirmedCommand[] = [],
): Promise<{ ok: true; confirmed: ConfirmedCommand[] } | ScheduleRefused> {
  if (!deps.policy) return { ok: true, confirmed: [] };
  const template = await getTemplate(owner, v.templateId, deps);
  if (!template) return { ok: false, errors: { templateId: 'No such template.' } };
  const inputs = validateInputs(template.inputs, v.inputs);
  if (!inputs.ok) return { ok: false, errors: { inputs: 'Some inputs are not valid.' } };
  const ids = await targetsNow(deps.db, v.targets, owner);
  const devices = await deps.db.device.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true, vendor: true, host: true, fields: true },
  });
  const judge = (confirmation: string | readonly ConfirmedCommand[]) =>
    guardTask(
      deps.policy!,
      owner,
      devices,
      template,
      inputs.values,
      typeof confirmation === 'string' ? confirmation : { list: confirmation, of: 'schedule' as const },
    );
  let g = await judge(v.confirm === undefined && kept.length > 0 ? kept : (v.confirm ?? ''));
  // something it did not confirm before (a new device, command or rule): the phrase, as for a new one
  if (!g.ok && g.field === 'confirmGuarded' && v.confirm === undefined && kept.length > 0)
    g = await judge('');
  if (!g.ok)
    return {
      ok: false,
      errors: { [g.field === 'confirmGuarded' ? 'confirm' : 'commands']: g.error },
      guard: g.refusal,
    };
  return { ok: true, confirmed: confirmedCommands(g.verdicts.confirm) };
}

/** What a schedule's audit entry says of the guarded commands it confirmed. */
function confirmedNote(confirmed: readonly ConfirmedCommand[], by: TemplateActor, ownerId: string): string {
  if (confirmed.length === 0) return '';
  const n = confirmed.reduce((sum, c) => sum + c.devices.length, 0);
  const commands = [...new Set(confirmed.map((c) => `«${c.command}»`))].slice(0, 5).join(', ');
  return `; guarded commands confirmed${by.id === ownerId ? '' : ' for its owner'}: ${commands} (${n} device ${n === 1 ? 'run' : 'runs'})`;
}

export async function createSchedule(
  actor: TemplateActor,
  raw: unknown,
  deps: Pick<SchedulerDeps, 'db' | 'audit' | 'policy'>,
  now = new Date(),
): Promise<{ ok: true; id: string; nextRunAt: Date } | ScheduleRefused> {
  if (actor.role === 'viewer') return { ok: false, errors: { form: 'Viewers cannot schedule tasks.' } };
  const v = await validate(actor, raw, deps.db, now);
  if (!v.ok) return v;
  const guard = await guardSchedule(actor, v.value, deps);
  if (!guard.ok) return guard;
  const s = await deps.db.schedule.create({
    data: {
      templateId: v.value.templateId,
      ownerId: actor.id,
      cron: v.value.cron.trim().replace(/\s+/g, ' '),
      timeZone: v.value.timeZone,
      enabled: v.value.enabled,
      missedPolicy: v.value.missedPolicy,
      targets: JSON.stringify(v.value.targets),
      inputs: JSON.stringify(v.value.inputs),
      confirmed: JSON.stringify(guard.confirmed),
      nextRunAt: v.value.enabled ? v.next : null,
    },
  });
  await deps.audit({
    userId: actor.id,
    action: 'schedule.create',
    target: s.cron,
    detail: `${s.id} template ${s.templateId}${confirmedNote(guard.confirmed, actor, actor.id)}`,
  });
  return { ok: true, id: s.id, nextRunAt: v.next };
}

export async function updateSchedule(
  actor: TemplateActor,
  id: string,
  raw: unknown,
  deps: Pick<SchedulerDeps, 'db' | 'audit' | 'policy'>,
  now = new Date(),
): Promise<{ ok: true; nextRunAt: Date | null } | ScheduleRefused> {
  const s = await deps.db.schedule.findFirst({ where: { id, ...visibleSchedulesWhere(actor) } });
  if (!s) return { ok: false, errors: { form: 'No such schedule.' } };
  if (!canEdit(actor, s))
    return { ok: false, errors: { form: 'Only its owner or an admin can change this schedule.' } };
  const v = await validate(actor, raw, deps.db, now);
  if (!v.ok) return v;
  // judged as its owner, whoever edits it (an admin's edit confirms for the owner)
  const ownerRow = await deps.db.user.findUnique({ where: { id: s.ownerId }, select: { role: true } });
  const owner = ownerRow && isRole(ownerRow.role) ? { id: s.ownerId, role: ownerRow.role } : actor;
  const guard = await guardSchedule(owner, v.value, deps, parseConfirmed(s.confirmed));
  if (!guard.ok) return guard;
  const nextRunAt = v.value.enabled ? v.next : null;
  await deps.db.schedule.update({
    where: { id },
    data: {
      templateId: v.value.templateId,
      cron: v.value.cron.trim().replace(/\s+/g, ' '),
      timeZone: v.value.timeZone,
      enabled: v.value.enabled,
      missedPolicy: v.value.missedPolicy,
      targets: JSON.stringify(v.value.targets),
      inputs: JSON.stringify(v.value.inputs),
      confirmed: JSON.stringify(guard.confirmed),
      nextRunAt,
    },
  });
  await deps.audit({
    userId: actor.id,
    action: 'schedule.update',
    target: v.value.cron,
    detail: `${id}${confirmedNote(guard.confirmed, actor, s.ownerId)}`,
  });
  return { ok: true, nextRunAt };
}

export async function deleteSchedule(
  actor: TemplateActor,
  id: string,
  deps: Pick<SchedulerDeps, 'db' | 'audit'>,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const s = await deps.db.schedule.findFirst({ where: { id, ...visibleSchedulesWhere(actor) } });
  if (!s) return { ok: false, error: 'No such schedule.' };
  if (!canEdit(actor, s)) return { ok: false, error: 'Only its owner or an admin can delete this schedule.' };
  await deps.db.schedule.delete({ where: { id } });
  await deps.audit({ userId: actor.id, action: 'schedule.delete', target: s.cron, detail: id });
  return { ok: true };
}

export async function listSchedules(actor: TemplateActor, db: PrismaClient) {
  const rows = await db.schedule.findMany({
    where: visibleSchedulesWhere(actor),
    orderBy: [{ nextRunAt: 'asc' }, { createdAt: 'asc' }],
    include: { template: { select: { name: true } }, owner: { select: { username: true } } },
  });
  return rows.map((s) => ({
    id: s.id,
    templateId: s.templateId,
    template: s.template.name,
    owner: s.owner.username,
    cron: s.cron,
    timeZone: s.timeZone,
    enabled: s.enabled,
    missedPolicy: s.missedPolicy as MissedRunPolicy,
    targets: JSON.parse(s.targets) as z.output<typeof targetsSchema>,
    nextRunAt: s.nextRunAt?.toISOString() ?? null,
    lastRunAt: s.lastRunAt?.toISOString() ?? null,
    lastTaskId: s.lastTaskId,
    lastError: s.lastError,
    missedRuns: s.missedRuns,
  }));
}

type ScheduleRow = Awaited<ReturnType<PrismaClient['schedule']['findUniqueOrThrow']>>;

/** The devices a schedule runs on now: its devices and its groups' members the owner may operate. */
async function targetsNow(db: PrismaClient, targets: unknown, owner: TemplateActor): Promise<string[]> {
  const t = targetsSchema.safeParse(targets);
  if (!t.success) return [];
  const rows = await db.device.findMany({
    where: {
      AND: [
        {
          OR: [
            { id: { in: t.data.deviceIds } },
            ...(t.data.groupIds.length > 0
              ? [{ groups: { some: { groupId: { in: t.data.groupIds } } } }]
              : []),
          ],
        },
        operableDevicesWhere(owner),
      ],
    },
    select: { id: true },
    take: SCHEDULE_MAX_TARGETS,
  });
  return rows.map((r) => r.id);
}

/** One run of a schedule that has come; the caller has claimed it. */
async function runDue(
  s: ScheduleRow,
  planned: Date,
  deps: SchedulerDeps,
): Promise<{ taskId?: string; error?: string }> {
  const owner = await deps.db.user.findUnique({ where: { id: s.ownerId } });
  if (!owner || owner.disabled || !isRole(owner.role)) return { error: 'The schedule’s owner is disabled.' };
  if (owner.role === 'viewer') return { error: 'The schedule’s owner is now a viewer and cannot run tasks.' };
  const actor = { id: owner.id, role: owner.role };
  const template = await getTemplate(actor, s.templateId, deps);
  if (!template) return { error: 'The owner can no longer see the template.' };
  const deviceIds = await targetsNow(deps.db, JSON.parse(s.targets), actor);
  if (deviceIds.length === 0)
    return { error: 'None of the schedule’s devices is available to its owner now.' };
  const stamp = planned.toISOString().slice(0, 16).replace('T', ' ');
  const r = await runTemplate(
    actor,
    s.templateId,
    {
      deviceIds,
      inputs: JSON.parse(s.inputs) as Record<string, string>,
      name: `${template.name} (scheduled ${stamp} UTC)`,
    },
    deps,
    // a second node that somehow got here runs nothing twice: the key is the planned time
    {
      idempotencyKey: `schedule:${s.id}:${planned.toISOString()}`,
      confirmedBefore: { list: parseConfirmed(s.confirmed), of: 'schedule' },
    },
  );
  if (!r.ok)
    return { error: Object.values(r.errors).filter(Boolean).join(' ') || 'The run could not start.' };
  return { taskId: r.id };
}

/** Run every schedule whose planned time has come (at most one run each); returns the tasks started. */
export async function tickSchedules(deps: SchedulerDeps, now: Date): Promise<string[]> {
  const due = await deps.db.schedule.findMany({
    where: { enabled: true, nextRunAt: { lte: now } },
    take: 100,
  });
  const started: string[] = [];
  for (const s of due) {
    const planned = s.nextRunAt!;
    let decision;
    try {
      decision = decideDue(s.cron, s.timeZone, planned, now, s.missedPolicy as MissedRunPolicy);
    } catch (err) {
      deps.log.error({ err, scheduleId: s.id }, 'schedule cannot be evaluated; disabled');
      await deps.db.schedule.update({
        where: { id: s.id },
        data: { enabled: false, lastError: (err as Error).message },
      });
      continue;
    }
    // claim: only the node whose update moves nextRunAt from the value it read runs this one
    const claimed = await deps.db.schedule.updateMany({
      where: { id: s.id, nextRunAt: planned, enabled: true },
      data: { nextRunAt: decision.next, missedRuns: { increment: decision.missed } },
    });
    if (claimed.count !== 1 || !decision.run) continue;
    let outcome: { taskId?: string; error?: string };
    try {
      outcome = await runDue(s, decision.run, deps);
    } catch (err) {
      deps.log.error({ err, scheduleId: s.id }, 'scheduled run failed to start');
      outcome = { error: `Unexpected error: ${(err as Error).message}` };
    }
    await deps.db.schedule.update({
      where: { id: s.id },
      data: { lastRunAt: decision.run, lastTaskId: outcome.taskId ?? null, lastError: outcome.error ?? null },
    });
    if (outcome.taskId) started.push(outcome.taskId);
    else {
      const template = await deps.db.taskTemplate.findUnique({
        where: { id: s.templateId },
        select: { name: true },
      });
      await deps.feed.notify([s.ownerId], {
        kind: 'task_failed',
        title: `Scheduled run of "${template?.name ?? 'a template'}" did not start`,
        body: outcome.error ?? '',
        params: { template: template?.name ?? '', error: outcome.error ?? '', schedule: s.id },
        link: '/templates',
        eventKey: `schedule:${s.id}:${decision.run.toISOString()}`,
      });
    }
  }
  return started;
}

/** Tick every `intervalMs` (and once at start) until stopped. */
export function startScheduler(
  deps: SchedulerDeps,
  opts: { intervalMs?: number; now?: () => Date } = {},
): () => void {
  const now = opts.now ?? (() => new Date());
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await tickSchedules(deps, now());
    } catch (err) {
      deps.log.error({ err }, 'scheduler tick failed');
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), opts.intervalMs ?? SCHEDULER_TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
