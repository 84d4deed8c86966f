import { z } from 'zod';
import type { AuditSink } from '../audit';
import type { Role } from '../auth/roles';
import type { Prisma, PrismaClient } from '../db/generated/client';
import { operableDevicesWhere } from '../devices/visibility';
import {
  parseStoredCommands,
  parseStoredVendorCommands,
  commandFieldsOf,
  stepsForVendor,
  validateTaskForm,
  type CommandSpec,
} from '../tasks/schema';
import { createTask, type CreateResult, type TaskDeps } from '../tasks/service';
import type { ConfirmedBefore } from '../tasks/guard';
import { compileUserPattern } from '../tasks/patterns';
import { compileIgnore } from './diff';
import {
  INPUT_MAX_CHARS,
  parseTemplate,
  renderCommands,
  TEMPLATE_MAX_INPUTS,
  validateInputs,
  VARIABLE_NAME,
  variablesUsed,
  type InputDefinition,
} from './render';
import { renderDeviceOf } from './template-device';

/**
 * Task templates: saved jobs (per-vendor commands with {{variables}}, concurrency, timeout, run-time
 * inputs, ignore patterns for diffs). Every edit makes a new version; a task keeps the version it ran
 * with. Private to the owner, or shared with one team (its members see and run it); admins see all.
 * Only the owner and admins change or delete one; built-in ones cannot be deleted.
 */

export interface TemplateActor {
  id: string;
  role: Role;
}

export interface TemplateDeps {
  db: PrismaClient;
  audit: AuditSink;
}

// The commands, concurrency and timeouts of a template are checked by the task form's own rules
// (a template is a task without devices): this stands in for the device list.
const NO_DEVICES = ['template'];

const inputDefinitionSchema = z.discriminatedUnion('type', [
  z
    .object({
      name: z.string().regex(VARIABLE_NAME, 'Input names: letters, digits, _ and -, starting with a letter.'),
      label: z.string().trim().min(1, 'Give the input a label.').max(100),
      type: z.literal('text'),
      required: z.boolean().default(true),
      default: z.string().max(INPUT_MAX_CHARS).optional(),
      pattern: z.string().max(200).optional(),
    })
    .strict(),
  z
    .object({
      name: z.string().regex(VARIABLE_NAME, 'Input names: letters, digits, _ and -, starting with a letter.'),
      label: z.string().trim().min(1, 'Give the input a label.').max(100),
      type: z.literal('choice'),
      required: z.boolean().default(true),
      default: z.string().max(INPUT_MAX_CHARS).optional(),
      choices: z
        .array(z.string().min(1).max(INPUT_MAX_CHARS))
        .min(1, 'A choice needs at least one option.')
        .max(50),
    })
    .strict(),
]);

export type TemplateField =
  | 'name'
  | 'description'
  | 'teamId'
  | 'commands'
  | 'vendorCommands'
  | 'commandOptions'
  | 'concurrency'
  | 'timeoutSeconds'
  | 'inputs'
  | 'ignorePatterns'
  | 'failurePatterns'
  | 'expectOutput'
  | 'form';
export type TemplateErrors = Partial<Record<TemplateField, string>>;

export interface TemplateBody {
  name: string;
  description: string;
  teamId: string | null;
  steps: CommandSpec[];
  vendorSteps: Partial<Record<string, CommandSpec[]>>;
  concurrency: number;
  timeoutMs: number;
  inputs: InputDefinition[];
  ignorePatterns: string[];
  failurePatterns: string[];
  expectOutput: string | null;
}

const lines = (text: unknown) =>
  (typeof text === 'string' ? text : '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * Check a template's fields (the same shape as the task form, plus name/description/team, inputs as
 * JSON and ignore patterns one per line). Every {{input.x}} used must be a defined input.
 */
export function validateTemplate(
  raw: Record<string, unknown>,
): { ok: true; value: TemplateBody } | { ok: false; errors: TemplateErrors } {
  const errors: TemplateErrors = {};
  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  if (!name) errors.name = 'Give the template a name.';
  else if (name.length > 100) errors.name = 'At most 100 characters.';
  const description = typeof raw.description === 'string' ? raw.description.trim() : '';
  if (description.length > 1000) errors.description = 'At most 1000 characters.';
  const teamId = typeof raw.teamId === 'string' && raw.teamId !== '' ? raw.teamId : null;

  const task = validateTaskForm({ ...raw, name: name || 'template', deviceIds: NO_DEVICES });
  if (!task.ok) {
    for (const [k, v] of Object.entries(task.errors))
      if (k !== 'deviceIds' && k !== 'name') errors[k as TemplateField] ??= v;
  }

  let inputs: InputDefinition[] = [];
  const inputsText = typeof raw.inputs === 'string' ? raw.inputs.trim() : '';
  if (inputsText) {
    try {
      const parsed = z
        .array(inputDefinitionSchema)
        .max(TEMPLATE_MAX_INPUTS, `At most ${TEMPLATE_MAX_INPUTS} inputs.`)
        .safeParse(JSON.parse(inputsText));
      if (!parsed.success) errors.inputs = parsed.error.issues[0]?.message ?? 'Inputs are not valid.';
      else {
        inputs = parsed.data as InputDefinition[];
        const names = new Set<string>();
        for (const def of inputs) {
          if (names.has(def.name)) errors.inputs ??= `Two inputs are called “${def.name}”.`;
          names.add(def.name);
          if (def.type === 'choice' && def.default !== undefined && !def.choices.includes(def.default))
            errors.inputs ??= `${def.label}: the default must be one of the choices.`;
          if (def.type === 'text' && def.pattern && !compileUserPattern(def.pattern).ok)
            errors.inputs ??= `${def.label}: the pattern is not valid.`;
        }
      }
    } catch {
      errors.inputs = 'Inputs are not valid JSON.';
    }
  }

  const ignorePatterns = lines(raw.ignorePatterns);
  const ignore = compileIgnore(ignorePatterns);
  if (!ignore.ok) errors.ignorePatterns = ignore.error;

  if (task.ok) {
    const all = [...task.value.steps, ...Object.values(task.value.vendorSteps).flat()].map((s) => s!.command);
    for (const c of all) {
      const parsed = parseTemplate(c);
      if (!parsed.ok) {
        errors.commands ??= `${c}: ${parsed.error}`;
        break;
      }
    }
    const defined = new Set(inputs.map((d) => d.name));
    const missing = variablesUsed(all).find((v) => v.startsWith('input.') && !defined.has(v.slice(6)));
    if (missing && !errors.inputs)
      errors.inputs = `{{${missing}}} is used in the commands but no input is called “${missing.slice(6)}”.`;
  }

  if (Object.keys(errors).length > 0 || !task.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name,
      description,
      teamId,
      steps: task.value.steps,
      vendorSteps: task.value.vendorSteps,
      concurrency: task.value.concurrency,
      timeoutMs: task.value.timeoutSeconds * 1000,
      inputs,
      ignorePatterns,
      failurePatterns: task.value.failurePatterns,
      expectOutput: task.value.expectOutput,
    },
  };
}

/** Who sees which templates: admins all; others the built-in ones, their own and their teams' shared ones. */
export function visibleTemplatesWhere(actor: TemplateActor): Prisma.TaskTemplateWhereInput {
  if (actor.role === 'admin') return {};
  return {
    OR: [{ ownerId: actor.id }, { builtIn: true }, { team: { members: { some: { userId: actor.id } } } }],
  };
}

const canEdit = (actor: TemplateActor, t: { ownerId: string }) =>
  actor.role === 'admin' || t.ownerId === actor.id;

async function teamAllowed(
  db: PrismaClient,
  actor: TemplateActor,
  teamId: string | null,
): Promise<string | null> {
  if (teamId === null) return null;
  const team = await db.team.findUnique({
    where: { id: teamId },
    select: { members: { where: { userId: actor.id } } },
  });
  if (!team) return 'No such team.';
  if (actor.role !== 'admin' && team.members.length === 0)
    return 'You can share a template only with a team you are in.';
  return null;
}

function versionData(v: TemplateBody, actorId: string) {
  return {
    commands: JSON.stringify(v.steps),
    vendorCommands: JSON.stringify(v.vendorSteps),
    concurrency: v.concurrency,
    timeoutMs: v.timeoutMs,
    inputs: JSON.stringify(v.inputs),
    ignorePatterns: JSON.stringify(v.ignorePatterns),
    failurePatterns: JSON.stringify(v.failurePatterns),
    expectOutput: v.expectOutput,
    createdById: actorId,
  };
}

export type TemplateResult =
  { ok: true; id: string; version: number } | { ok: false; errors: TemplateErrors };

export async function createTemplate(
  actor: TemplateActor,
  raw: Record<string, unknown>,
  deps: TemplateDeps,
  opts: { builtIn?: boolean } = {},
): Promise<TemplateResult> {
  if (actor.role === 'viewer') return { ok: false, errors: { form: 'Viewers cannot create templates.' } };
  const v = validateTemplate(raw);
  if (!v.ok) return v;
  const teamError = await teamAllowed(deps.db, actor, v.value.teamId);
  if (teamError) return { ok: false, errors: { teamId: teamError } };
  try {
    const t = await deps.db.taskTemplate.create({
      data: {
        name: v.value.name,
        description: v.value.description,
        ownerId: actor.id,
        teamId: v.value.teamId,
        builtIn: opts.builtIn ?? false,
        version: 1,
        versions: { create: { version: 1, ...versionData(v.value, actor.id) } },
        // whoever writes a job wants to hear when it finds something changed (built-ins: nobody by default)
        ...(opts.builtIn ? {} : { subscribers: { create: { userId: actor.id } } }),
      },
    });
    await deps.audit({ userId: actor.id, action: 'template.create', target: t.name, detail: t.id });
    return { ok: true, id: t.id, version: 1 };
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002')
      return { ok: false, errors: { name: `A template called “${v.value.name}” exists.` } };
    throw err;
  }
}

/** Save an edit as the next version (tasks already started keep the version they began with). */
export async function updateTemplate(
  actor: TemplateActor,
  id: string,
  raw: Record<string, unknown>,
  deps: TemplateDeps,
): Promise<TemplateResult> {
  const t = await deps.db.taskTemplate.findFirst({ where: { id, ...visibleTemplatesWhere(actor) } });
  if (!t) return { ok: false, errors: { form: 'No such template.' } };
  if (!canEdit(actor, t))
    return { ok: false, errors: { form: 'Only its owner or an admin can change this template.' } };
  const v = validateTemplate(raw);
  if (!v.ok) return v;
  const teamError = await teamAllowed(deps.db, actor, v.value.teamId);
  if (teamError) return { ok: false, errors: { teamId: teamError } };
  try {
    const next = await deps.db.$transaction(async (tx) => {
      // the version number is claimed by this update: two concurrent edits get two versions
      const bumped = await tx.taskTemplate.update({
        where: { id },
        data: {
          name: v.value.name,
          description: v.value.description,
          teamId: v.value.teamId,
          version: { increment: 1 },
        },
      });
      await tx.taskTemplateVersion.create({
        data: { templateId: id, version: bumped.version, ...versionData(v.value, actor.id) },
      });
      return bumped.version;
    });
    await deps.audit({
      userId: actor.id,
      action: 'template.update',
      target: v.value.name,
      detail: `${id} v${next}`,
    });
    return { ok: true, id, version: next };
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002')
      return { ok: false, errors: { name: `A template called “${v.value.name}” exists.` } };
    throw err;
  }
}

export async function deleteTemplate(
  actor: TemplateActor,
  id: string,
  deps: TemplateDeps,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const t = await deps.db.taskTemplate.findFirst({ where: { id, ...visibleTemplatesWhere(actor) } });
  if (!t) return { ok: false, error: 'No such template.' };
  if (!canEdit(actor, t)) return { ok: false, error: 'Only its owner or an admin can delete this template.' };
  if (t.builtIn) return { ok: false, error: 'A built-in template cannot be deleted (edit it instead).' };
  await deps.db.taskTemplate.delete({ where: { id } });
  await deps.audit({ userId: actor.id, action: 'template.delete', target: t.name, detail: id });
  return { ok: true };
}

export interface TemplateView {
  id: string;
  name: string;
  description: string;
  ownerId: string;
  teamId: string | null;
  builtIn: boolean;
  version: number;
  editable: boolean;
  steps: CommandSpec[];
  vendorSteps: Partial<Record<string, CommandSpec[]>>;
  concurrency: number;
  timeoutMs: number;
  inputs: InputDefinition[];
  ignorePatterns: string[];
  failurePatterns: string[];
  expectOutput: string | null;
  updatedAt: string;
}

type VersionRow = Awaited<ReturnType<PrismaClient['taskTemplateVersion']['findUniqueOrThrow']>>;

function bodyOf(v: VersionRow) {
  return {
    steps: parseStoredCommands(v.commands),
    vendorSteps: parseStoredVendorCommands(v.vendorCommands),
    concurrency: v.concurrency,
    timeoutMs: v.timeoutMs,
    inputs: JSON.parse(v.inputs) as InputDefinition[],
    ignorePatterns: JSON.parse(v.ignorePatterns) as string[],
    failurePatterns: JSON.parse(v.failurePatterns) as string[],
    expectOutput: v.expectOutput,
  };
}

/** A template as the actor may see it, at its current version or an older one. */
export async function getTemplate(
  actor: TemplateActor,
  id: string,
  deps: Pick<TemplateDeps, 'db'>,
  version?: number,
): Promise<TemplateView | null> {
  const t = await deps.db.taskTemplate.findFirst({ where: { id, ...visibleTemplatesWhere(actor) } });
  if (!t) return null;
  const v = await deps.db.taskTemplateVersion.findUnique({
    where: { templateId_version: { templateId: id, version: version ?? t.version } },
  });
  if (!v) return null;
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    ownerId: t.ownerId,
    teamId: t.teamId,
    builtIn: t.builtIn,
    version: v.version,
    editable: canEdit(actor, t),
    ...bodyOf(v),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export async function listTemplates(actor: TemplateActor, deps: Pick<TemplateDeps, 'db'>) {
  const rows = await deps.db.taskTemplate.findMany({
    where: visibleTemplatesWhere(actor),
    orderBy: [{ builtIn: 'desc' }, { name: 'asc' }],
    include: { owner: { select: { username: true } }, team: { select: { name: true } } },
  });
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    description: t.description,
    owner: t.owner.username,
    team: t.team?.name ?? null,
    builtIn: t.builtIn,
    version: t.version,
    editable: canEdit(actor, t),
    updatedAt: t.updatedAt.toISOString(),
  }));
}

export async function listTemplateVersions(actor: TemplateActor, id: string, deps: Pick<TemplateDeps, 'db'>) {
  const t = await deps.db.taskTemplate.findFirst({ where: { id, ...visibleTemplatesWhere(actor) } });
  if (!t) return null;
  const rows = await deps.db.taskTemplateVersion.findMany({
    where: { templateId: id },
    orderBy: { version: 'desc' },
    select: { version: true, createdAt: true, createdById: true },
  });
  return rows.map((r) => ({
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    createdById: r.createdById,
  }));
}

export type PreviewRow =
  | { deviceId: string; device: string; vendor: string; status: 'ok'; commands: string[] }
  | { deviceId: string; device: string; vendor: string; status: 'skipped'; reason: string }
  | { deviceId: string; device: string; vendor: string; status: 'error'; reason: string; command: string };

export type PreviewResult =
  | { ok: true; template: TemplateView; inputs: Record<string, string>; rows: PreviewRow[] }
  | {
      ok: false;
      errors: Partial<Record<'deviceIds' | 'inputs' | 'form', string>>;
      inputErrors?: Record<string, string>;
    };

/**
 * Exactly what each device would receive if the template ran now with these inputs: its vendor's
 * commands with every variable filled in, or why it would be skipped or could not be rendered.
 */
export async function previewTemplate(
  actor: TemplateActor,
  id: string,
  req: { deviceIds: string[]; inputs: Record<string, unknown> },
  deps: Pick<TemplateDeps, 'db'>,
): Promise<PreviewResult> {
  const template = await getTemplate(actor, id, deps);
  if (!template) return { ok: false, errors: { form: 'No such template.' } };
  const ids = [...new Set(req.deviceIds)];
  if (ids.length === 0) return { ok: false, errors: { deviceIds: 'Choose at least one device.' } };
  const inputs = validateInputs(template.inputs, req.inputs);
  if (!inputs.ok)
    return { ok: false, errors: { inputs: 'Some inputs are not valid.' }, inputErrors: inputs.errors };
  const devices = await deps.db.device.findMany({
    where: { AND: [{ id: { in: ids } }, operableDevicesWhere(actor)] },
    select: { id: true, name: true, host: true, vendor: true, fields: true },
    orderBy: { name: 'asc' },
  });
  if (devices.length !== ids.length) {
    const n = ids.length - devices.length;
    return {
      ok: false,
      errors: { deviceIds: `${n} of the chosen devices do not exist or are not available to you.` },
    };
  }
  const rows: PreviewRow[] = devices.map((d) => {
    const base = { deviceId: d.id, device: d.name, vendor: d.vendor };
    const steps = stepsForVendor(template, d.vendor);
    if (!steps) return { ...base, status: 'skipped', reason: `No commands for ${d.vendor}.` };
    const r = renderCommands(
      steps.map((s) => s.command),
      renderDeviceOf(d),
      inputs.values,
    );
    return r.ok
      ? { ...base, status: 'ok', commands: r.commands }
      : { ...base, status: 'error', reason: r.error, command: r.command };
  });
  return { ok: true, template, inputs: inputs.values, rows };
}

/** The task form's command fields for a template version (commands as text, options as JSON). */
function taskFieldsOf(t: TemplateView): Record<string, string> {
  return {
    ...commandFieldsOf(t.steps, t.vendorSteps),
    failurePatterns: t.failurePatterns.join('\n'),
    expectOutput: t.expectOutput ?? '',
  };
}

export type RunTemplateResult =
  | CreateResult
  | {
      ok: false;
      errors: Partial<Record<'deviceIds' | 'inputs' | 'form', string>>;
      inputErrors?: Record<string, string>;
    };

/**
 * Run a template on devices: the inputs are checked, every device must render (a device that cannot,
 * e.g. lacking a field, refuses the run naming it), then a task is created with the template's
 * current version; it renders each device's commands again when it runs (the same inputs).
 */
export async function runTemplate(
  actor: TemplateActor,
  id: string,
  req: {
    deviceIds: string[];
    inputs: Record<string, unknown>;
    name?: string;
    concurrency?: number;
    timeoutSeconds?: number;
    /** Confirms the commands guard-rail rules ask to confirm (the device's name, or `N devices`). */
    confirm?: string;
  },
  deps: TaskDeps,
  opts: { idempotencyKey?: string; confirmedBefore?: ConfirmedBefore } = {},
): Promise<RunTemplateResult> {
  const preview = await previewTemplate(actor, id, req, deps);
  if (!preview.ok) return preview;
  const broken = preview.rows.filter((r) => r.status === 'error');
  if (broken.length > 0) {
    const first = broken[0] as Extract<PreviewRow, { status: 'error' }>;
    return {
      ok: false,
      errors: {
        deviceIds: `${broken.length === 1 ? '1 device' : `${broken.length} devices`} cannot run this template: ${first.reason}`,
      },
    };
  }
  const t = preview.template;
  return createTask(
    actor,
    {
      name: req.name?.trim() || t.name,
      deviceIds: preview.rows.map((r) => r.deviceId),
      concurrency: String(req.concurrency ?? t.concurrency),
      timeoutSeconds: String(req.timeoutSeconds ?? Math.round(t.timeoutMs / 1000)),
      confirmGuarded: req.confirm ?? '',
      ...taskFieldsOf(t),
    },
    deps,
    {
      idempotencyKey: opts.idempotencyKey,
      confirmedBefore: opts.confirmedBefore,
      template: { id: t.id, version: t.version, inputs: preview.inputs },
    },
  );
}
