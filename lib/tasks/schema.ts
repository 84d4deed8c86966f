import { z } from 'zod';
import { VENDOR_LABELS, VENDORS, type Vendor } from '../devices/schema';
import { compileUserPattern } from './patterns';

/** Bounds on what one task may ask for (named, with units; see README). */
export const TASK_MAX_DEVICES = 1000;
export const TASK_MAX_COMMANDS = 50;
export const TASK_MAX_COMMAND_CHARS = 1000;
export const TASK_MAX_CONCURRENCY = 100;
export const TASK_MIN_TIMEOUT_S = 5;
export const TASK_MAX_TIMEOUT_S = 3600;
export const TASK_DEFAULT_CONCURRENCY = 10;
export const TASK_DEFAULT_TIMEOUT_S = 60;
export const TASK_MAX_ANSWERS = 5;
export const TASK_MAX_ANSWER_CHARS = 200;
export const TASK_MAX_FAILURE_PATTERNS = 20;

// Anything but printable text and tab: a CR, ESC or NUL inside a command would inject keystrokes.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;

const commandText = z
  .string()
  .max(TASK_MAX_COMMAND_CHARS, `A command may have at most ${TASK_MAX_COMMAND_CHARS} characters.`)
  .refine((c) => !CONTROL.test(c), 'Commands cannot contain control characters.');

/** A question a command may ask and the answer to send (followed by Enter). */
export const commandAnswerSchema = z.object({
  prompt: z
    .string()
    .trim()
    .min(1, 'Say what the device asks (text it shows, e.g. [Y/N]).')
    .max(TASK_MAX_ANSWER_CHARS, `At most ${TASK_MAX_ANSWER_CHARS} characters.`)
    .refine((c) => !CONTROL.test(c), 'No control characters.'),
  answer: z
    .string()
    .max(TASK_MAX_ANSWER_CHARS, `At most ${TASK_MAX_ANSWER_CHARS} characters.`)
    .refine((c) => !CONTROL.test(c), 'No control characters.'),
});
export type CommandAnswer = z.infer<typeof commandAnswerSchema>;

const commandTimeout = z.coerce
  .number({ error: 'Timeout must be a number.' })
  .int('Timeout must be a whole number of seconds.')
  .min(1, `A command's timeout must be between 1 and ${TASK_MAX_TIMEOUT_S} seconds.`)
  .max(TASK_MAX_TIMEOUT_S, `A command's timeout must be between 1 and ${TASK_MAX_TIMEOUT_S} seconds.`);

/** Options for the commands of a task that equal `command`: its own timeout, its questions' answers. */
export const commandOptionsSchema = z.object({
  command: z.string().max(TASK_MAX_COMMAND_CHARS),
  timeoutSeconds: commandTimeout.optional(),
  answers: z
    .array(commandAnswerSchema)
    .max(TASK_MAX_ANSWERS, `At most ${TASK_MAX_ANSWERS} answers per command.`)
    .default([]),
});

/** One command of a task as it runs on a device. */
export interface CommandSpec {
  command: string;
  /** Waits for this command's prompt up to this long instead of sharing the device's timeout. */
  timeoutSeconds?: number;
  answers: CommandAnswer[];
}

/** Read a task's stored commands: JSON of CommandSpec[] (or of plain strings, from before options). */
export function parseStoredCommands(json: string): CommandSpec[] {
  const raw = JSON.parse(json) as (string | CommandSpec)[];
  return raw.map((c) =>
    typeof c === 'string' ? { command: c, answers: [] } : { ...c, answers: c.answers ?? [] },
  );
}

const userPattern = z.string().superRefine((src, ctx) => {
  const r = compileUserPattern(src);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
});

function lines(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l.trim() !== '');
}

/** A JSON text field of the form (the per-command options editor writes one). */
function jsonField<T extends z.ZodType>(schema: T, what: string) {
  return z
    .string()
    .default('')
    .transform((text, ctx) => {
      if (text.trim() === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `${what} are not valid JSON.` });
        return z.NEVER;
      }
    })
    .pipe(schema.optional());
}

export const taskFormSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the task a name.').max(100, 'At most 100 characters.'),
    /** The commands for every vendor without a list of its own (one per line; may be empty then). */
    commands: z
      .string()
      .default('')
      .transform(lines)
      .pipe(z.array(commandText).max(TASK_MAX_COMMANDS, `At most ${TASK_MAX_COMMANDS} commands.`)),
    /** JSON object: vendor → its own commands, one per line (a Cisco list beside a Huawei one). */
    vendorCommands: jsonField(
      z.record(z.string().max(64), z.string().max(TASK_MAX_COMMANDS * (TASK_MAX_COMMAND_CHARS + 2))),
      'Per-vendor commands',
    ),
    /** JSON array of per-command options, matched to commands by their text. */
    commandOptions: jsonField(
      z.array(commandOptionsSchema).max(TASK_MAX_COMMANDS, `At most ${TASK_MAX_COMMANDS} commands.`),
      'Command options',
    ),
    /** One RE2 pattern per line: output matching any fails the command (beside the driver's own). */
    failurePatterns: z
      .string()
      .default('')
      .transform(lines)
      .pipe(
        z
          .array(userPattern)
          .max(TASK_MAX_FAILURE_PATTERNS, `At most ${TASK_MAX_FAILURE_PATTERNS} failure patterns.`),
      ),
    /** An RE2 pattern that the device's output must contain somewhere, or the device fails. */
    expectOutput: z
      .string()
      .trim()
      .default('')
      .pipe(userPattern)
      .transform((s) => (s === '' ? null : s)),
    /**
     * Confirms the task's commands that guard-rail rules ask to confirm: the device's name, or `N
     * devices` when several have them (lib/tasks/guard.ts).
     */
    confirmGuarded: z.string().trim().max(200).default(''),
    deviceIds: z
      .array(z.string().min(1).max(64))
      .transform((ids) => [...new Set(ids)])
      .pipe(
        z
          .array(z.string())
          .min(1, 'Choose at least one device.')
          .max(TASK_MAX_DEVICES, `At most ${TASK_MAX_DEVICES} devices per task.`),
      ),
    concurrency: z.coerce
      .number({ error: 'Concurrency must be a number.' })
      .int('Concurrency must be a whole number.')
      .min(1, `Concurrency must be between 1 and ${TASK_MAX_CONCURRENCY}.`)
      .max(TASK_MAX_CONCURRENCY, `Concurrency must be between 1 and ${TASK_MAX_CONCURRENCY}.`),
    timeoutSeconds: z.coerce
      .number({ error: 'Timeout must be a number.' })
      .int('Timeout must be a whole number of seconds.')
      .min(
        TASK_MIN_TIMEOUT_S,
        `Timeout must be between ${TASK_MIN_TIMEOUT_S} and ${TASK_MAX_TIMEOUT_S} seconds.`,
      )
      .max(
        TASK_MAX_TIMEOUT_S,
        `Timeout must be between ${TASK_MIN_TIMEOUT_S} and ${TASK_MAX_TIMEOUT_S} seconds.`,
      ),
  })
  // checked beside the fields' own errors (a transform would run only once every field is valid)
  .superRefine(({ commands, vendorCommands }, ctx) => {
    const unknown = Object.keys(vendorCommands ?? {}).find(
      (k) => !(VENDORS as readonly string[]).includes(k),
    );
    if (unknown !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['vendorCommands'],
        message: `Unknown vendor “${unknown.slice(0, 64)}” (use ${VENDORS.join(', ')}).`,
      });
      return;
    }
    let any = commands.length > 0;
    for (const vendor of VENDORS) {
      const list = lines(vendorCommands?.[vendor] ?? '');
      if (list.length === 0) continue;
      any = true;
      // the path names the vendor (and the line): validateTaskForm words it for each reader
      if (list.length > TASK_MAX_COMMANDS) {
        ctx.addIssue({
          code: 'custom',
          path: ['vendorCommands', vendor],
          message: `At most ${TASK_MAX_COMMANDS} commands.`,
        });
        return;
      }
      for (const [i, c] of list.entries()) {
        const r = commandText.safeParse(c);
        if (!r.success) {
          ctx.addIssue({
            code: 'custom',
            path: ['vendorCommands', vendor, i],
            message: r.error.issues[0]?.message ?? 'invalid',
          });
          return;
        }
      }
    }
    if (!any) ctx.addIssue({ code: 'custom', path: ['commands'], message: 'Enter at least one command.' });
  })
  .transform(({ commandOptions, vendorCommands, ...v }) => {
    const byCommand = new Map((commandOptions ?? []).map((o) => [o.command.trim(), o]));
    const stepsOf = (commands: string[]): CommandSpec[] =>
      commands.map((command) => {
        const o = byCommand.get(command.trim());
        return {
          command,
          ...(o?.timeoutSeconds !== undefined ? { timeoutSeconds: o.timeoutSeconds } : {}),
          answers: o?.answers ?? [],
        };
      });
    const perVendor: Partial<Record<Vendor, CommandSpec[]>> = {};
    for (const vendor of VENDORS) {
      const list = lines(vendorCommands?.[vendor] ?? '');
      if (list.length > 0) perVendor[vendor] = stepsOf(list);
    }
    return { ...v, steps: stepsOf(v.commands), vendorSteps: perVendor };
  });

/**
 * The commands one device runs: its vendor's own list when the task has one, else the list for every
 * other vendor; null when neither exists (the device is skipped, not failed).
 */
export function stepsForVendor(
  task: { steps: CommandSpec[]; vendorSteps: Partial<Record<string, CommandSpec[]>> },
  vendor: string,
): CommandSpec[] | null {
  const own = Object.hasOwn(task.vendorSteps, vendor) ? task.vendorSteps[vendor] : undefined;
  if (own && own.length > 0) return own;
  return task.steps.length > 0 ? task.steps : null;
}

/** Read a task's stored per-vendor commands (JSON object vendor → CommandSpec[]; "{}" when none). */
export function parseStoredVendorCommands(json: string): Partial<Record<Vendor, CommandSpec[]>> {
  const raw = JSON.parse(json || '{}') as Record<string, (string | CommandSpec)[]>;
  const out: Partial<Record<Vendor, CommandSpec[]>> = {};
  for (const vendor of VENDORS) {
    const list = Object.hasOwn(raw, vendor) ? raw[vendor] : undefined;
    if (Array.isArray(list) && list.length > 0) out[vendor] = parseStoredCommands(JSON.stringify(list));
  }
  return out;
}

export type TaskFormInput = z.infer<typeof taskFormSchema>;
export type TaskFieldErrors = Partial<Record<keyof z.input<typeof taskFormSchema> | 'form', string>>;

export type TaskFormResult =
  | { ok: true; value: TaskFormInput }
  | {
      ok: false;
      /** Per field; a per-vendor list's error is under `vendorCommands`, named by its vendor (the API's). */
      errors: TaskFieldErrors;
      /** The same per-vendor error without the vendor's name, for the form to show under that list. */
      vendorErrors?: Partial<Record<Vendor, string>>;
    };

export function validateTaskForm(raw: unknown): TaskFormResult {
  const r = taskFormSchema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const errors: TaskFieldErrors = {};
  let vendorErrors: Partial<Record<Vendor, string>> | undefined;
  for (const issue of r.error.issues) {
    const key = (issue.path[0] as keyof TaskFieldErrors | undefined) ?? 'form';
    const [, at, lineIndex] = issue.path;
    if (key === 'vendorCommands' && (VENDORS as readonly unknown[]).includes(at)) {
      const vendor = at as Vendor;
      const line = typeof lineIndex === 'number' ? lineIndex + 1 : undefined;
      vendorErrors ??= {};
      vendorErrors[vendor] ??= line === undefined ? issue.message : `Line ${line}: ${issue.message}`;
      const label = VENDOR_LABELS[vendor];
      errors.vendorCommands ??=
        line === undefined
          ? `${label}: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`
          : `${label}, line ${line}: ${issue.message}`;
      continue;
    }
    const line =
      (key === 'commands' || key === 'failurePatterns') && typeof issue.path[1] === 'number'
        ? `Line ${issue.path[1] + 1}: `
        : '';
    errors[key] ??= line + issue.message;
  }
  return vendorErrors ? { ok: false, errors, vendorErrors } : { ok: false, errors };
}

/**
 * One command's result on one device. `error`: the device rejected it, a failure pattern matched,
 * it asked an unexpected question, or the session ended while it ran (`error` says which);
 * `not_run`: an earlier command failed the device, so this one was never sent.
 */
export interface CommandOutput {
  command: string;
  output: string;
  status: 'success' | 'error' | 'not_run';
  error?: string;
}

/**
 * Stored commands back to the task form's fields (commands text, per-vendor text as JSON, options as
 * JSON): how a template run and "Run again" hand stored commands to the one validation.
 */
export function commandFieldsOf(
  steps: CommandSpec[],
  vendorSteps: Partial<Record<string, CommandSpec[]>>,
): { commands: string; vendorCommands: string; commandOptions: string } {
  const text = (list: CommandSpec[]) => list.map((c) => c.command).join('\n');
  const options = [...steps, ...Object.values(vendorSteps).flatMap((l) => l ?? [])]
    .filter((c) => c.timeoutSeconds !== undefined || c.answers.length > 0)
    .map((c) => ({
      command: c.command,
      ...(c.timeoutSeconds !== undefined ? { timeoutSeconds: c.timeoutSeconds } : {}),
      answers: c.answers,
    }));
  return {
    commands: text(steps),
    vendorCommands: JSON.stringify(
      Object.fromEntries(Object.entries(vendorSteps).map(([v, l]) => [v, text(l ?? [])])),
    ),
    commandOptions: JSON.stringify(options),
  };
}
