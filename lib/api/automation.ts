import 'server-only';
import { taskIgnore } from '../automation/task-results';
import { z } from 'zod';
import type { PrismaClient } from '../db/client';
import { checkSchedule, type MissedRunPolicy } from '../automation/schedule';
import { validateInputs } from '../automation/render';
import {
  getTemplate,
  visibleTemplatesWhere,
  type TemplateErrors,
  type TemplateView,
} from '../automation/templates';
import { WEBHOOK_DESCRIPTION_MAX_CHARS, WEBHOOK_EVENTS } from '../automation/webhooks';
import { operableDevicesWhere, userCanSeeDevice } from '../devices/visibility';
import type { CommandSpec } from '../tasks/schema';
import type { GuardRefusal } from '../policy/guard-text';
import { groupsFor } from './access';
import { ApiProblem, notFound } from './problem';
import type { ApiActor, ApiContext } from './route';
import type {
  outputVersionSchema,
  scheduleInputSchema,
  scheduleSchema,
  templateInputSchema,
  templateSchema,
  webhookDeliverySchema,
  webhookSchema,
} from './schemas';
import { taskFormFields } from './views';

/**
 * The automation API's mapping between snake_case JSON and the automation services' shapes
 * (lib/automation/*): one place, so the routes stay thin and the services keep one validation.
 */

// ---- templates ------------------------------------------------------------------------------------

/** The API's template body → the template service's form-shaped fields (the task form's, plus its own). */
export function templateFormFields(body: z.output<typeof templateInputSchema>): Record<string, string> {
  const fields = taskFormFields({
    name: body.name,
    devices: [],
    commands: body.commands,
    failure_patterns: body.failure_patterns,
    expect_output: body.expect_output ?? undefined,
    concurrency: body.concurrency,
    timeout_s: body.timeout_s,
  });
  delete fields.deviceIds;
  return {
    ...(fields as Record<string, string>),
    description: body.description,
    teamId: body.team_id ?? '',
    inputs: JSON.stringify(body.inputs),
    ignorePatterns: body.ignore_patterns.join('\n'),
  };
}

const TEMPLATE_FORM_TO_API: Record<string, string> = {
  teamId: 'team_id',
  vendorCommands: 'commands',
  commandOptions: 'commands',
  timeoutSeconds: 'timeout_s',
  ignorePatterns: 'ignore_patterns',
  failurePatterns: 'failure_patterns',
  expectOutput: 'expect_output',
};

/**
 * A template service's refusal as a problem: an unknown (or unseen) template 404, not the owner 403,
 * a taken name 409, the rest 422 naming the API's fields.
 */
export function templateProblem(errors: TemplateErrors): ApiProblem {
  const { form, ...fields } = errors;
  if (form === 'No such template.') return new ApiProblem(404, 'not_found', form);
  if (form) return new ApiProblem(403, 'not_owner', form);
  if (fields.name?.startsWith('A template called'))
    return new ApiProblem(409, 'conflict', fields.name, { errors: { name: fields.name } });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (v) out[TEMPLATE_FORM_TO_API[k] ?? k] ??= v;
  return new ApiProblem(422, 'invalid', 'The template has invalid fields.', { errors: out });
}

const stepView = (c: CommandSpec) => ({
  command: c.command,
  timeout_seconds: c.timeoutSeconds ?? null,
  answers: c.answers.map((a) => ({ prompt: a.prompt, answer: a.answer })),
});

export function templateView(t: TemplateView, currentVersion: number): z.infer<typeof templateSchema> {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    owner_id: t.ownerId,
    team_id: t.teamId,
    built_in: t.builtIn,
    version: t.version,
    current_version: currentVersion,
    editable: t.editable,
    steps: t.steps.map(stepView),
    vendor_steps: Object.fromEntries(
      Object.entries(t.vendorSteps).map(([v, steps]) => [v, (steps ?? []).map(stepView)]),
    ),
    concurrency: t.concurrency,
    timeout_s: Math.round(t.timeoutMs / 1000),
    inputs: t.inputs,
    ignore_patterns: t.ignorePatterns,
    failure_patterns: t.failurePatterns,
    expect_output: t.expectOutput,
    updated_at: t.updatedAt,
  };
}

/** SQLite takes at most 999 bound parameters in one statement (ids and names: two lists). */
const REF_CHUNK = 400;

/**
 * Devices given by id or by name → ids, among the devices the actor may operate (an id wins over a
 * name that equals it). Any other is a 422 naming its position.
 */
export async function resolveDeviceRefs(
  db: PrismaClient,
  actor: Pick<ApiActor, 'id' | 'role'>,
  refs: string[],
  field = 'devices',
): Promise<string[]> {
  const unique = [...new Set(refs)];
  const byId = new Map<string, string>();
  const byName = new Map<string, string>();
  for (let i = 0; i < unique.length; i += REF_CHUNK) {
    const part = unique.slice(i, i + REF_CHUNK);
    const rows = await db.device.findMany({
      where: { AND: [{ OR: [{ id: { in: part } }, { name: { in: part } }] }, operableDevicesWhere(actor)] },
      select: { id: true, name: true },
    });
    for (const r of rows) {
      byId.set(r.id, r.id);
      byName.set(r.name, r.id);
    }
  }
  const errors: Record<string, string> = {};
  const ids = refs.map((ref, i) => {
    const id = byId.get(ref) ?? byName.get(ref);
    if (!id) errors[`${field}.${i}`] = `No device “${ref}” that you may operate.`;
    return id ?? '';
  });
  if (Object.keys(errors).length > 0)
    throw new ApiProblem(422, 'invalid', 'Some devices are unknown or not available to you.', { errors });
  return [...new Set(ids)];
}

/** A preview or run refusal (`deviceIds`, `inputs` with per-input messages, `form`) as a problem. */
export function runProblem(r: {
  errors: Partial<Record<string, string>>;
  inputErrors?: Record<string, string>;
  guard?: GuardRefusal;
}): ApiProblem {
  const { form, deviceIds, inputs, ...rest } = r.errors;
  if (form === 'No such template.') return new ApiProblem(404, 'not_found', form);
  if (form) return new ApiProblem(409, 'limit', form);
  const errors: Record<string, string> = {};
  if (deviceIds) errors.devices = deviceIds;
  if (r.inputErrors) for (const [k, v] of Object.entries(r.inputErrors)) errors[`inputs.${k}`] = v;
  else if (inputs) errors.inputs = inputs;
  const toApi: Record<string, string> = { timeoutSeconds: 'timeout_s' };
  for (const [k, v] of Object.entries(rest)) if (v) errors[toApi[k] ?? k] ??= v;
  return new ApiProblem(422, 'invalid', 'The run has invalid fields.', {
    errors,
    ...(r.guard && { guard: r.guard }),
  });
}

// ---- schedules ------------------------------------------------------------------------------------

/** The API's schedule body → the scheduler service's input. */
export function scheduleServiceInput(b: z.output<typeof scheduleInputSchema>) {
  return {
    templateId: b.template_id,
    cron: b.cron,
    timeZone: b.time_zone,
    enabled: b.enabled,
    missedPolicy: b.missed_policy,
    targets: { deviceIds: b.targets.device_ids, groupIds: b.targets.group_ids },
    inputs: b.inputs,
    ...(b.confirm !== undefined && { confirm: b.confirm }),
  };
}

const SCHEDULE_FORM_TO_API: Record<string, string> = {
  templateId: 'template_id',
  timeZone: 'time_zone',
};

/** A scheduler refusal: an unknown schedule 404, not the owner 403, the rest 422 naming the API's fields. */
export function scheduleProblem(errors: Partial<Record<string, string>>, guard?: GuardRefusal): ApiProblem {
  const { form, ...fields } = errors;
  if (form === 'No such schedule.') return new ApiProblem(404, 'not_found', form);
  if (form && Object.keys(fields).length === 0 && /owner|Viewers/.test(form))
    return new ApiProblem(403, 'not_owner', form);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (v) out[SCHEDULE_FORM_TO_API[k] ?? k] ??= v;
  if (form) out['(body)'] ??= form;
  return new ApiProblem(422, 'invalid', 'The schedule has invalid fields.', {
    errors: out,
    ...(guard && { guard }),
  });
}

type ScheduleRow = Awaited<ReturnType<PrismaClient['schedule']['findUniqueOrThrow']>> & {
  template: { name: string };
  owner: { username: string };
};

export const SCHEDULE_INCLUDE = {
  template: { select: { name: true } },
  owner: { select: { username: true } },
} as const;

function parseTargets(json: string): { device_ids: string[]; group_ids: string[] } {
  try {
    const t = JSON.parse(json) as { deviceIds?: string[]; groupIds?: string[] };
    return { device_ids: t.deviceIds ?? [], group_ids: t.groupIds ?? [] };
  } catch {
    return { device_ids: [], group_ids: [] };
  }
}

export function scheduleView(s: ScheduleRow, now = new Date()): z.infer<typeof scheduleSchema> {
  const check = s.enabled ? checkSchedule(s.cron, s.timeZone, now) : null;
  return {
    id: s.id,
    template_id: s.templateId,
    template: s.template.name,
    owner: s.owner.username,
    cron: s.cron,
    time_zone: s.timeZone,
    enabled: s.enabled,
    missed_policy: s.missedPolicy as MissedRunPolicy,
    targets: parseTargets(s.targets),
    inputs: JSON.parse(s.inputs) as Record<string, string>,
    next_run_at: s.nextRunAt?.toISOString() ?? null,
    next_runs: check?.ok ? check.next.map((d) => d.toISOString()) : [],
    last_run_at: s.lastRunAt?.toISOString() ?? null,
    last_task_id: s.lastTaskId,
    last_error: s.lastError,
    missed_runs: s.missedRuns,
    created_at: s.createdAt.toISOString(),
  };
}

/** A stored schedule in the API's input shape (PATCH merges the changed fields into it). */
export function scheduleAsInput(s: ScheduleRow): z.output<typeof scheduleInputSchema> {
  return {
    template_id: s.templateId,
    cron: s.cron,
    time_zone: s.timeZone,
    enabled: s.enabled,
    missed_policy: s.missedPolicy as MissedRunPolicy,
    targets: parseTargets(s.targets),
    inputs: JSON.parse(s.inputs) as Record<string, string>,
  };
}

// ---- output history and groups --------------------------------------------------------------------

export function outputVersionView(v: {
  id: string;
  templateId: string | null;
  template: string | null;
  taskId: string | null;
  change: 'new' | 'changed' | 'unchanged';
  added: number;
  removed: number;
  bytes: number;
  createdAt: string;
}): z.infer<typeof outputVersionSchema> {
  return {
    id: v.id,
    template_id: v.templateId,
    template: v.template,
    task_id: v.taskId,
    change: v.change,
    added: v.added,
    removed: v.removed,
    bytes: v.bytes,
    created_at: v.createdAt,
  };
}

/**
 * The ignore patterns outputs of a templated task are compared with (the task page's own rule, one
 * copy): those of the template version the task ran; none for a plain task.
 */
export const ignoreForTask = taskIgnore;

// ---- webhooks -------------------------------------------------------------------------------------

export function webhookView(w: {
  id: string;
  url: string;
  description: string;
  events: string;
  enabled: boolean;
  allowLocal: boolean;
  createdAt: Date;
}): z.infer<typeof webhookSchema> {
  return {
    id: w.id,
    url: w.url,
    description: w.description,
    events: w.events.split(',').filter(Boolean),
    enabled: w.enabled,
    allow_local: w.allowLocal,
    created_at: w.createdAt.toISOString(),
  };
}

/** PATCH /webhooks/{id}: only the fields given change (the signing secret never does). */
export const webhookPatchSchema = z
  .object({
    url: z.string().max(2000).optional(),
    description: z.string().max(WEBHOOK_DESCRIPTION_MAX_CHARS).optional(),
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'Choose at least one event.').optional(),
    enabled: z.boolean().optional(),
    allow_local: z
      .boolean()
      .optional()
      .meta({ description: 'Deliver to loopback and link-local addresses too (refused otherwise).' }),
  })
  .strict()
  .meta({ id: 'WebhookPatch' });

/** The API's patch body → the webhook service's field names. */
export function webhookUpdateFields(body: z.output<typeof webhookPatchSchema>) {
  return {
    url: body.url,
    description: body.description,
    events: body.events,
    enabled: body.enabled,
    allowLocal: body.allow_local,
  };
}

export function webhookDeliveryView(d: {
  id: string;
  event: string;
  status: string;
  attempts: number;
  responseCode: number | null;
  error: string | null;
  durationMs: number | null;
  createdAt: Date;
  deliveredAt: Date | null;
}): z.infer<typeof webhookDeliverySchema> {
  return {
    id: d.id,
    event: d.event,
    status: d.status as z.infer<typeof webhookDeliverySchema>['status'],
    attempts: d.attempts,
    response_code: d.responseCode,
    error: d.error,
    duration_ms: d.durationMs,
    created_at: d.createdAt.toISOString(),
    delivered_at: d.deliveredAt?.toISOString() ?? null,
  };
}

/**
 * What the scheduler service leaves to run time, checked now so a schedule does not fail at every
 * run: its devices (ids or names, stored as ids) must be ones the caller may operate, its groups ones
 * the caller sees, and its inputs must fit the template's. Returns the body with device ids.
 */
export async function checkScheduleBody(
  db: PrismaClient,
  actor: ApiActor,
  body: z.output<typeof scheduleInputSchema>,
): Promise<z.output<typeof scheduleInputSchema>> {
  const errors: Record<string, string> = {};
  let deviceIds = body.targets.device_ids;
  try {
    if (deviceIds.length > 0) deviceIds = await resolveDeviceRefs(db, actor, deviceIds, 'targets.device_ids');
  } catch (err) {
    if (!(err instanceof ApiProblem)) throw err;
    Object.assign(errors, (err.extra as { errors?: Record<string, string> }).errors);
  }
  if (body.targets.group_ids.length > 0) {
    const seen = new Set((await groupsFor(db, actor)).map((g) => g.id));
    body.targets.group_ids.forEach((g, i) => {
      if (!seen.has(g)) errors[`targets.group_ids.${i}`] = `No group “${g}”.`;
    });
  }
  const template = await getTemplate(actor, body.template_id, { db });
  if (!template) errors.template_id = 'No such template.';
  else {
    const inputs = validateInputs(template.inputs, body.inputs);
    if (!inputs.ok) for (const [k, v] of Object.entries(inputs.errors)) errors[`inputs.${k}`] = v;
  }
  if (Object.keys(errors).length > 0)
    throw new ApiProblem(422, 'invalid', 'The schedule has invalid fields.', { errors });
  return { ...body, targets: { ...body.targets, device_ids: deviceIds } };
}

/** A stored output version of a device the caller sees; anything else (another device's) is a 404. */
export async function deviceVersion(ctx: ApiContext, deviceId: string, versionId: string | undefined) {
  if (!(await userCanSeeDevice(ctx.runtime.db, ctx.actor, deviceId))) throw notFound('device');
  const v = versionId
    ? await ctx.runtime.db.outputVersion.findFirst({
        where: { id: versionId, deviceId, template: visibleTemplatesWhere(ctx.actor) },
      })
    : null;
  if (!v) throw notFound('version');
  return v;
}
