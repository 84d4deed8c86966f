import { z } from 'zod';

/** Bounds on what one task may ask for (named, with units; see README). */
export const TASK_MAX_DEVICES = 1000;
export const TASK_MAX_COMMANDS = 50;
export const TASK_MAX_COMMAND_CHARS = 1000;
export const TASK_MAX_CONCURRENCY = 100;
export const TASK_MIN_TIMEOUT_S = 5;
export const TASK_MAX_TIMEOUT_S = 3600;
export const TASK_DEFAULT_CONCURRENCY = 10;
export const TASK_DEFAULT_TIMEOUT_S = 60;

// Anything but printable text and tab: a CR, ESC or NUL inside a command would inject keystrokes.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;

export const taskFormSchema = z.object({
  name: z.string().trim().min(1, 'Give the task a name.').max(100, 'At most 100 characters.'),
  commands: z
    .string()
    .transform((text) =>
      text
        .replace(/\r\n?/g, '\n')
        .split('\n')
        .map((l) => l.replace(/\s+$/, ''))
        .filter((l) => l.trim() !== ''),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .max(TASK_MAX_COMMAND_CHARS, `A command may have at most ${TASK_MAX_COMMAND_CHARS} characters.`)
            .refine((c) => !CONTROL.test(c), 'Commands cannot contain control characters.'),
        )
        .min(1, 'Enter at least one command.')
        .max(TASK_MAX_COMMANDS, `At most ${TASK_MAX_COMMANDS} commands.`),
    ),
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
});

export type TaskFormInput = z.infer<typeof taskFormSchema>;
export type TaskFieldErrors = Partial<Record<keyof TaskFormInput | 'form', string>>;

export function validateTaskForm(
  raw: unknown,
): { ok: true; value: TaskFormInput } | { ok: false; errors: TaskFieldErrors } {
  const r = taskFormSchema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const errors: TaskFieldErrors = {};
  for (const issue of r.error.issues) {
    const key = (issue.path[0] as keyof TaskFormInput | undefined) ?? 'form';
    const line = key === 'commands' && typeof issue.path[1] === 'number' ? `Line ${issue.path[1] + 1}: ` : '';
    errors[key] ??= line + issue.message;
  }
  return { ok: false, errors };
}

export interface CommandOutput {
  command: string;
  output: string;
  status: 'success' | 'error';
}
