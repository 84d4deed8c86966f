import { deviceDetail, type TaskSummary } from '../tasks/service';
import type { z } from 'zod';
import type { taskDeviceSchema, taskInputSchema, taskSchema } from './schemas';

/** Domain rows → the API's snake_case shapes (lib/api/schemas.ts). */
export function taskView(t: TaskSummary): z.infer<typeof taskSchema> {
  return {
    id: t.id,
    name: t.name,
    status: t.status,
    status_reason: t.statusReason,
    commands: t.commands,
    steps: t.steps.map(stepView),
    vendor_steps: Object.fromEntries(
      Object.entries(t.vendorSteps).map(([v, steps]) => [v, steps!.map(stepView)]),
    ),
    failure_patterns: t.failurePatterns,
    expect_output: t.expectOutput,
    concurrency: t.concurrency,
    timeout_s: Math.round(t.timeoutMs / 1000),
    progress: t.progress,
    total_devices: t.totalDevices,
    completed_devices: t.completedDevices,
    succeeded_devices: t.succeededDevices,
    failed_devices: t.failedDevices,
    skipped_devices: t.skippedDevices,
    current_device: t.currentDevice,
    created_at: t.createdAt,
    started_at: t.startedAt,
    finished_at: t.finishedAt,
  };
}

export function taskDeviceView(r: Parameters<typeof deviceDetail>[0]): z.infer<typeof taskDeviceSchema> {
  const d = deviceDetail(r);
  return {
    device_id: d.deviceId,
    device_name: d.deviceName,
    status: d.status,
    error: d.error,
    attempts: d.attempts,
    started_at: d.startedAt,
    finished_at: d.finishedAt,
    outputs: d.outputs.map((o) => ({
      command: o.command,
      output: o.output,
      status: o.status,
      error: o.error ?? null,
    })),
  };
}

/** The API's task fields → the task form's fields (one validation for both). */
const stepView = (c: TaskSummary['steps'][number]) => ({
  command: c.command,
  timeout_seconds: c.timeoutSeconds ?? null,
  answers: c.answers.map((a) => ({ prompt: a.prompt, answer: a.answer })),
});

type CommandItem = Extract<z.output<typeof taskInputSchema>['commands'], unknown[]>[number];

/** The API's task body → the task form's fields (one validation for both). */
export function taskFormFields(body: z.output<typeof taskInputSchema>): Record<string, string | string[]> {
  const lists: CommandItem[][] = Array.isArray(body.commands)
    ? [body.commands]
    : Object.values(body.commands).filter((l): l is CommandItem[] => Array.isArray(l));
  const options = lists.flat().flatMap((c) =>
    typeof c === 'string'
      ? []
      : [
          {
            command: c.command,
            ...(c.timeout_seconds != null ? { timeoutSeconds: c.timeout_seconds } : {}),
            answers: c.answers,
          },
        ],
  );
  const text = (list: CommandItem[]) => list.map((c) => (typeof c === 'string' ? c : c.command)).join('\n');
  return {
    name: body.name,
    commands: Array.isArray(body.commands) ? text(body.commands) : '',
    vendorCommands: Array.isArray(body.commands)
      ? ''
      : JSON.stringify(
          Object.fromEntries(
            Object.entries(body.commands).flatMap(([v, list]) =>
              Array.isArray(list) ? [[v, text(list)]] : [],
            ),
          ),
        ),
    commandOptions: JSON.stringify(options),
    failurePatterns: body.failure_patterns.join('\n'),
    expectOutput: body.expect_output ?? '',
    deviceIds: body.devices,
    concurrency: String(body.concurrency),
    timeoutSeconds: String(body.timeout_s),
    confirmGuarded: body.confirm ?? '',
  };
}

const TASK_FORM_TO_API: Record<string, string> = {
  deviceIds: 'devices',
  timeoutSeconds: 'timeout_s',
  commandOptions: 'commands',
  vendorCommands: 'commands',
  failurePatterns: 'failure_patterns',
  expectOutput: 'expect_output',
  confirmGuarded: 'confirm',
};

/** Task form errors keyed by the API's field names. */
export function apiTaskFieldErrors(errors: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(errors)) if (v) out[TASK_FORM_TO_API[k] ?? k] ??= v;
  return out;
}

const FORM_TO_API: Record<string, string> = {
  privateKey: 'private_key',
  enableSecret: 'enable_secret',
  authType: 'password',
};

/** Device form errors keyed by the API's field names (prefixed for an item of a bulk request). */
export function apiFieldErrors(
  errors: Record<string, string | undefined>,
  prefix = '',
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(errors)) if (v) out[prefix + (FORM_TO_API[k] ?? k)] = v;
  return out;
}
