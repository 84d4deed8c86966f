import { renderCommands } from '../automation/render';
import { renderDeviceOf } from '../automation/template-device';
import type { Role } from '../auth/roles';
import { guardRefusalText, type GuardRefusal } from '../policy/guard-text';
import {
  confirmationPhrase,
  type CommandVerdict,
  type CommandVerdicts,
  type PolicyService,
} from '../policy/service';
import { stepsForVendor, type CommandSpec } from './schema';

/**
 * A task's commands under the guard rails, when it is created and again when each device runs (rules
 * may change in between): a denied command refuses the task, naming the device, the command and the
 * rule; commands a rule asks to confirm need the creator to type the confirmation phrase (the device's
 * name, or `N devices`); commands that need a second person's approval are refused (a task cannot wait
 * for one: run them from a terminal, where the approval is asked for).
 */

/**
 * Why a device of a running task was not run: its commands, judged again as it was about to run, are
 * refused now (`reason`: the decision's English, lib/policy/guard-text.ts). Stored on the device's
 * row in English, as the API shows it; the pages show it in the reader's language
 * (app/(portal)/tasks/task-errors.ts recognises these sentences).
 */
export function notRunByGuard(
  action: 'deny' | 'approve' | 'confirm',
  command: string,
  reason: string,
): string {
  switch (action) {
    case 'deny':
      return `Not run: the guard rails refuse «${command}» (${reason}); no command was sent.`;
    case 'approve':
      return `Not run: «${command}» needs a second person's approval (${reason}); no command was sent.`;
    case 'confirm':
      return `Not run: «${command}» now needs confirming (${reason}); create the task again to confirm it. No command was sent.`;
  }
}

export interface GuardDevice {
  id: string;
  name: string;
  vendor: string;
  host: string;
  fields: string;
}

export interface GuardPlan {
  steps: CommandSpec[];
  vendorSteps: Partial<Record<string, CommandSpec[]>>;
}

/** The commands each device will be sent: its vendor's list, with a template's variables filled in. */
export function commandsPerDevice(
  devices: readonly GuardDevice[],
  plan: GuardPlan,
  inputs: Record<string, string> | null,
): { id: string; name: string; vendor: string; commands: string[] }[] {
  return devices.flatMap((d) => {
    const steps = stepsForVendor(plan, d.vendor);
    if (!steps) return [];
    let commands = steps.map((s) => s.command);
    if (inputs) {
      const r = renderCommands(commands, renderDeviceOf(d), inputs);
      if (!r.ok) return []; // the template run refuses such a device on its own
      commands = r.commands;
    }
    return [{ id: d.id, name: d.name, vendor: d.vendor, commands }];
  });
}

/**
 * Commands a rule asks to confirm, as a schedule's owner confirmed them when saving it: the rule, the
 * command and the devices it was confirmed on (a device added to the schedule's targets later, a
 * command the rule asks for later, or another rule, needs confirming again).
 */
export interface ConfirmedCommand {
  rule: string;
  command: string;
  devices: string[];
}

const confirmKey = (rule: string, command: string) => `${rule}\u0000${command}`;

/** What was confirmed before, and by what: a command it does not cover is refused saying so. */
export interface ConfirmedBefore {
  list: readonly ConfirmedCommand[];
  of: 'task' | 'schedule';
}

/** The verdicts `list` does not cover: another rule, another command, or another device. */
export function unconfirmed(
  list: readonly ConfirmedCommand[],
  verdicts: readonly CommandVerdicts['confirm'][number][],
): CommandVerdicts['confirm'] {
  const known = new Map(list.map((c) => [confirmKey(c.rule, c.command), new Set(c.devices)]));
  return verdicts.filter(
    (v) => !known.get(confirmKey(v.decision.rule?.id ?? '', v.command))?.has(v.device.id),
  );
}

/** A stored list (a task's, a schedule's); anything unreadable is an empty list. */
export function parseConfirmed(json: string): ConfirmedCommand[] {
  try {
    const rows = JSON.parse(json || '[]') as unknown;
    if (!Array.isArray(rows)) return [];
    return rows.flatMap((r: unknown) => {
      const c = r as Partial<ConfirmedCommand>;
      return typeof c?.rule === 'string' && typeof c.command === 'string'
        ? [
            {
              rule: c.rule,
              command: c.command,
              devices: Array.isArray(c.devices) ? c.devices.map(String) : [],
            },
          ]
        : [];
    });
  } catch {
    return [];
  }
}

/** What confirming `verdicts` confirms (a task and a schedule keep it). */
export function confirmedCommands(verdicts: CommandVerdicts['confirm']): ConfirmedCommand[] {
  const seen = new Map<string, ConfirmedCommand>();
  for (const v of verdicts) {
    const rule = v.decision.rule?.id ?? '';
    const key = confirmKey(rule, v.command);
    const entry = seen.get(key) ?? { rule, command: v.command, devices: [] };
    if (!entry.devices.includes(v.device.id)) entry.devices.push(v.device.id);
    seen.set(key, entry);
  }
  return [...seen.values()];
}

export type TaskGuardResult =
  | { ok: true; confirmed: boolean; verdicts: CommandVerdicts }
  | {
      ok: false;
      field: 'commands' | 'confirmGuarded';
      /** `refusal` in English (the API's and the audit's words). */
      error: string;
      refusal: GuardRefusal;
      verdicts: CommandVerdicts;
    };

/** A refusal naming the first few verdicts (and how many more). */
export function refusalOf(
  kind: GuardRefusal['kind'],
  verdicts: readonly CommandVerdict[],
  phrase?: string,
  max = 3,
): GuardRefusal {
  return {
    kind,
    items: verdicts.slice(0, max).map((v) => ({
      command: v.command,
      device: v.device.name,
      rule: v.decision.rule?.name ?? null,
    })),
    more: Math.max(0, verdicts.length - max),
    ...(phrase === undefined ? {} : { phrase }),
  };
}

function refused(
  field: 'commands' | 'confirmGuarded',
  refusal: GuardRefusal,
  verdicts: CommandVerdicts,
): TaskGuardResult {
  return { ok: false, field, error: guardRefusalText(refusal), refusal, verdicts };
}

export async function guardTask(
  policy: PolicyService,
  actor: { id: string; role: Role },
  devices: readonly GuardDevice[],
  plan: GuardPlan,
  inputs: Record<string, string> | null,
  /**
   * The phrase typed; true: confirmed as a whole before (a task from before lists were kept); what
   * was confirmed before, device by device ("Run again", a schedule's run): each command a rule asks
   * to confirm now must be in it.
   */
  confirmation: string | true | ConfirmedBefore,
): Promise<TaskGuardResult> {
  const verdicts = await policy.judgeCommands(
    { id: actor.id, role: actor.role, name: actor.id },
    commandsPerDevice(devices, plan, inputs),
  );
  if (verdicts.deny.length > 0) {
    for (const v of verdicts.deny.slice(0, 20))
      await policy.refused(actor.id, v.device, v.command, v.decision, 'task refused');
    return refused('commands', refusalOf('denied', verdicts.deny), verdicts);
  }
  if (verdicts.approve.length > 0)
    return refused('commands', refusalOf('approval', verdicts.approve), verdicts);
  if (verdicts.confirm.length === 0) return { ok: true, confirmed: false, verdicts };
  if (typeof confirmation === 'object') {
    const left = unconfirmed(confirmation.list, verdicts.confirm);
    if (left.length === 0) return { ok: true, confirmed: true, verdicts };
    const kind = confirmation.of === 'task' ? 'unconfirmedTask' : 'unconfirmedSchedule';
    return refused('confirmGuarded', refusalOf(kind, left), verdicts);
  }
  const phrase = confirmationPhrase(verdicts.confirm);
  if (confirmation !== true && confirmation.trim() !== phrase)
    return refused('confirmGuarded', refusalOf('confirm', verdicts.confirm, phrase), verdicts);
  return { ok: true, confirmed: true, verdicts };
}
