import 'zod-openapi';
import { GRANT_LEVELS } from '../devices/visibility';
import { z } from 'zod';
import { DEVICE_STATUSES } from '../devices/status';
import { DEVICE_KINDS, ENCODINGS, TRANSPORTS, VENDORS } from '../devices/schema';
import { TEST_STEPS } from '../devices/test-connection';
import { compileUserPattern } from '../tasks/patterns';
import {
  commandAnswerSchema,
  TASK_MAX_ANSWERS,
  TASK_MAX_COMMAND_CHARS,
  TASK_MAX_COMMANDS,
  TASK_MAX_FAILURE_PATTERNS,
  TASK_MAX_TIMEOUT_S,
} from '../tasks/schema';
import { TASK_DEVICE_STATUSES, TASK_STATUSES } from '../tasks/status';
import { ROLES } from '../auth/roles';
import { TOKEN_SCOPES } from '../auth/tokens';
import { pageQuery } from './cursor';

/**
 * The REST API's shapes, in snake_case. Handlers validate with these and the OpenAPI document is
 * generated from them (lib/api/openapi.ts), so the description cannot drift from the code.
 */

export const MAX_DEVICES_PER_REQUEST = 1000;

const isoDate = z.string().meta({ format: 'date-time' });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().meta({ description: 'Stable machine-readable reason, e.g. `invalid`, `not_found`.' }),
    detail: z.string(),
    errors: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: 'Per-field messages (422), keyed by the field path, e.g. `devices.3.host`.' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json).' });

export const meSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    role: z.enum(ROLES),
    via: z.enum(['token', 'session']),
    token: z
      .object({ name: z.string(), scope: z.enum(TOKEN_SCOPES), expires_at: isoDate.nullable() })
      .nullable(),
  })
  .meta({ id: 'Me' });

// ---- devices ------------------------------------------------------------------------------------

export const deviceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    host: z.string(),
    port: z.number().int(),
    vendor: z.string(),
    encoding: z.string(),
    username: z.string(),
    auth_type: z.enum(['password', 'key']),
    notes: z.string(),
    status: z.enum(DEVICE_STATUSES),
    status_changed_at: isoDate.nullable(),
    host_key_fingerprint: z.string().nullable(),
    transport: z.enum(TRANSPORTS),
    kind: z.enum(DEVICE_KINDS),
    ssh_algorithms: z.string().meta({ description: '`modern`, `legacy`, or a custom JSON list.' }),
    negotiated_algorithms: z
      .object({ kex: z.string(), server_host_key: z.string(), cipher: z.string(), hmac: z.string() })
      .nullable()
      .meta({ description: 'What the last SSH login agreed on.' }),
    jump_host: z.string().nullable().meta({ description: "The jump host's name, if any." }),
    max_sessions: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Concurrent sessions from the portal; null = the DEVICE_MAX_SESSIONS default.' }),
    groups: z.array(z.string()).meta({ description: 'Names of the device groups it is in.' }),
    lab: z.boolean(),
    created_at: isoDate,
    updated_at: isoDate,
  })
  .meta({ id: 'Device', description: 'A device. Credentials are write-only and never returned.' });

const secretFields = {
  password: z.string().max(256).optional(),
  private_key: z.string().max(16384).optional().meta({ description: 'PEM or OpenSSH private key.' }),
  passphrase: z.string().max(256).optional(),
  enable_secret: z.string().max(256).optional().meta({ description: 'Cisco enable secret.' }),
};

export const deviceInputSchema = z
  .object({
    name: z.string(),
    host: z.string(),
    port: z.number().int().default(22),
    vendor: z.enum(VENDORS),
    encoding: z.enum(ENCODINGS).default('utf-8'),
    transport: z.enum(TRANSPORTS).optional(),
    kind: z.enum(DEVICE_KINDS).optional(),
    ssh_algorithms: z.string().max(2000).optional(),
    jump_host: z
      .string()
      .max(64)
      .optional()
      .meta({ description: "A jump host's name or id; empty for none." }),
    max_sessions: z.number().int().min(1).max(1000).nullable().optional(),
    username: z.string(),
    ...secretFields,
    notes: z.string().max(2000).default(''),
  })
  .strict()
  .meta({ id: 'DeviceInput', description: 'Give `password` or `private_key`.' });

export const bulkDevicesSchema = z
  .object({ devices: z.array(deviceInputSchema).min(1).max(MAX_DEVICES_PER_REQUEST) })
  .strict();

export const devicesInputSchema = z.union([deviceInputSchema, bulkDevicesSchema]).meta({
  id: 'DevicesInput',
  description: `One device, or up to ${MAX_DEVICES_PER_REQUEST} as {"devices":[…]}.`,
});

export const devicePatchSchema = z
  .object({
    name: z.string().optional(),
    host: z.string().optional(),
    port: z.number().int().optional(),
    vendor: z.enum(VENDORS).optional(),
    encoding: z.enum(ENCODINGS).optional(),
    transport: z.enum(TRANSPORTS).optional(),
    kind: z.enum(DEVICE_KINDS).optional(),
    ssh_algorithms: z.string().max(2000).optional(),
    jump_host: z
      .string()
      .max(64)
      .optional()
      .meta({ description: "A jump host's name or id; empty for none." }),
    max_sessions: z.number().int().min(1).max(1000).nullable().optional(),
    username: z.string().optional(),
    ...secretFields,
    notes: z.string().max(2000).optional(),
  })
  .strict()
  .meta({
    id: 'DevicePatch',
    description:
      'Fields to change. A new route (host, port, username, transport or jump host) needs the password (or key) again.',
  });

/** What logging in showed about a device's vendor (POST /devices/{id}/detect-vendor). */
export const vendorDetectionSchema = z
  .object({
    vendor: z
      .enum(VENDORS)
      .nullable()
      .meta({ description: 'The proposed vendor; null when nothing pointed to one.' }),
    confidence: z.enum(['high', 'low']).nullable(),
    reason: z.string().nullable().meta({ description: 'What gave the vendor away.' }),
    current_vendor: z.enum(VENDORS),
    prompt: z.string(),
    server_ident: z.string(),
    version_command: z.string().nullable(),
    version_excerpt: z.string(),
  })
  .meta({ id: 'VendorDetection' });

/** One Test connection run (POST /devices/{id}/test-connection). */
export const connectionTestSchema = z
  .object({
    ok: z.boolean().meta({
      description:
        "Every step passed (a skipped step that does not apply, such as telnet's host key, is not a failure).",
    }),
    steps: z
      .array(
        z.object({
          id: z.enum(TEST_STEPS),
          label: z.string(),
          status: z.enum(['ok', 'failed', 'skipped']),
          detail: z.string().meta({ description: 'What the step found, or why it failed, in words.' }),
          ms: z.number().int().min(0),
        }),
      )
      .meta({ description: 'Every step, in order; the first failure stops the rest (skipped).' }),
  })
  .meta({ id: 'ConnectionTest' });

export const deviceListQuery = z
  .object({
    q: z.string().max(100).optional(),
    vendor: z.enum(VENDORS).optional(),
    status: z.enum(DEVICE_STATUSES).optional(),
    group: z.string().min(1).max(128).optional().meta({ description: 'A device group id' }),
    ...pageQuery,
  })
  .strict();

export const idParams = z.object({ id: z.string().min(1).max(128) });

export const listOf = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() }).meta({ id });

export const deviceListSchema = listOf(deviceSchema, 'DeviceList');
export const createdDevicesSchema = z.object({ items: z.array(deviceSchema) }).meta({ id: 'CreatedDevices' });

// ---- tasks --------------------------------------------------------------------------------------

const commandAnswerView = z
  .object({
    prompt: z.string().meta({ description: 'Text the device shows when it asks, e.g. `[Y/N]`.' }),
    answer: z.string().meta({ description: 'What is sent back (followed by Enter).' }),
  })
  .meta({ id: 'CommandAnswer' });

export const commandStepSchema = z
  .object({
    command: z.string(),
    timeout_seconds: z
      .number()
      .int()
      .nullable()
      .meta({ description: "This command's own timeout; null: it shares the device's `timeout_s`." }),
    answers: z.array(commandAnswerView),
  })
  .meta({ id: 'CommandStep' });

export const taskSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(TASK_STATUSES),
    status_reason: z.string().nullable(),
    commands: z.array(z.string()),
    steps: z
      .array(commandStepSchema)
      .meta({
        description: 'The commands with their options, in order (for every vendor without its own list).',
      }),
    vendor_steps: z
      .record(z.string(), z.array(commandStepSchema))
      .meta({
        description: "Per-vendor lists: a device of one of these vendors runs its vendor's list instead.",
      }),
    failure_patterns: z.array(z.string()),
    expect_output: z.string().nullable(),
    concurrency: z.number().int(),
    timeout_s: z.number().int(),
    progress: z.number(),
    total_devices: z.number().int(),
    completed_devices: z.number().int(),
    succeeded_devices: z.number().int(),
    failed_devices: z.number().int(),
    skipped_devices: z
      .number()
      .int()
      .meta({ description: 'Devices skipped because the task has no commands for their vendor.' }),
    current_device: z.string().nullable(),
    created_at: isoDate,
    started_at: isoDate.nullable(),
    finished_at: isoDate.nullable(),
  })
  .meta({ id: 'Task' });

const commandLine = z
  .string()
  .max(TASK_MAX_COMMAND_CHARS)
  .regex(/^[^\x00-\x1f\x7f]*$/, 'One command per item, without control characters or newlines.');

// Answers are checked here, with the domain's own rules, so an error names the exact item
// (`commands.2.answers.0.answer`); the task form's validation runs again on what this maps to.
const commandStepInput = z
  .object({
    command: commandLine,
    timeout_seconds: z
      .number()
      .int()
      .min(1)
      .max(TASK_MAX_TIMEOUT_S)
      .nullish()
      .meta({ description: "Wait this long for this command instead of sharing the device's `timeout_s`." }),
    answers: z
      .array(commandAnswerSchema.strict())
      .max(TASK_MAX_ANSWERS, `At most ${TASK_MAX_ANSWERS} answers per command.`)
      .default([])
      .meta({
        description:
          'Questions the command may ask (the text the device shows) and the answer to each, sent with Enter. ' +
          'A question not listed fails the device, showing the question.',
      }),
  })
  .strict()
  .meta({ id: 'CommandStepInput' });

// The form takes one pattern per line: a newline would split this one in two.
const userPattern = z.string().superRefine((src, ctx) => {
  if (/[\r\n]/.test(src))
    return ctx.addIssue({ code: 'custom', message: 'One pattern per item, without newlines.' });
  const r = compileUserPattern(src);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
});

/** A command's options in a comparable form: the form applies options to every line with its text. */
const optionsKey = (c: string | z.output<typeof commandStepInput>) =>
  typeof c === 'string'
    ? '{}'
    : JSON.stringify({ t: c.timeout_seconds ?? null, a: c.answers.map((a) => [a.prompt, a.answer]) });
const commandText = (c: string | { command: string }) => (typeof c === 'string' ? c : c.command).trim();

/** One list of commands: each a line or a command with options; a repeated command shares one set. */
const commandList = z
  .array(z.union([commandLine, commandStepInput]))
  .min(1)
  .max(TASK_MAX_COMMANDS)
  .superRefine((items, ctx) => {
    const seen = new Map<string, string>();
    items.forEach((c, i) => {
      const text = commandText(c);
      const key = optionsKey(c);
      const first = seen.get(text);
      if (first === undefined) seen.set(text, key);
      else if (first !== key)
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `\`${text}\` appears again with other options; repeated commands share one set of options.`,
        });
    });
  });

export const taskInputSchema = z
  .object({
    name: z.string(),
    devices: z.array(z.string().min(1).max(128)).min(1).max(MAX_DEVICES_PER_REQUEST),
    commands: z.union([commandList, z.partialRecord(z.enum(VENDORS), commandList)]).meta({
      description:
        'In order. Each item is a command, or `{command, timeout_seconds?, answers?}` for a command that ' +
        'asks questions or needs its own timeout. Either one list for every vendor, or an object with a ' +
        'list per vendor (`{"huawei_vrp": [...], "cisco_ios": [...]}`): a device whose vendor has no list ' +
        'is skipped with that reason, not failed.',
    }),
    failure_patterns: z
      .array(userPattern)
      .max(TASK_MAX_FAILURE_PATTERNS, `At most ${TASK_MAX_FAILURE_PATTERNS} failure patterns.`)
      .default([])
      .meta({
        description:
          "RE2 patterns (`(?i)` for case-insensitive): output matching any fails that command, beside the vendor's own error messages.",
      }),
    expect_output: userPattern
      .optional()
      .meta({ description: 'An RE2 pattern the output must match somewhere, or the device fails.' }),
    concurrency: z.number().int().default(10),
    timeout_s: z.number().int().default(60),
  })
  .strict()
  .meta({
    id: 'TaskInput',
    description: 'Send an `Idempotency-Key` header to make a retried request return the first task.',
  });

export const taskListQuery = z.object({ status: z.enum(TASK_STATUSES).optional(), ...pageQuery }).strict();
export const taskListSchema = listOf(taskSchema, 'TaskList');

export const commandOutputSchema = z
  .object({
    command: z.string(),
    output: z.string(),
    status: z.enum(['success', 'error', 'not_run']).meta({
      description: '`not_run`: an earlier command failed the device, so this one was never sent.',
    }),
    error: z.string().nullable().meta({
      description: 'Why the command failed (rejected, a failure pattern, a question, the session ended).',
    }),
  })
  .meta({ id: 'CommandOutput' });

export const taskDeviceSchema = z
  .object({
    device_id: z.string().nullable(),
    device_name: z.string(),
    status: z.enum(TASK_DEVICE_STATUSES),
    error: z.string().nullable(),
    attempts: z.number().int(),
    started_at: isoDate.nullable(),
    finished_at: isoDate.nullable(),
    outputs: z.array(commandOutputSchema),
  })
  .meta({ id: 'TaskDevice' });

export const taskDeviceListQuery = z
  .object({ status: z.enum(TASK_DEVICE_STATUSES).optional(), ...pageQuery })
  .strict();
export const taskDeviceListSchema = listOf(taskDeviceSchema, 'TaskDeviceList');

export const resultsQuery = z.object({ format: z.enum(['json', 'csv']).default('json') }).strict();

// ---- notifications ------------------------------------------------------------------------------

export const notificationSchema = z
  .object({
    id: z.string(),
    seq: z.number().int().meta({ description: 'Per-user sequence number, gap-free.' }),
    kind: z.string(),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable(),
    created_at: isoDate,
    read: z.boolean(),
  })
  .meta({ id: 'Notification' });

export const notificationListQuery = z
  .object({
    after_seq: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const notificationListSchema = z
  .object({
    items: z.array(notificationSchema),
    last_seq: z.number().int().meta({ description: 'The newest sequence number of this user.' }),
    unread: z.number().int(),
  })
  .meta({
    id: 'NotificationList',
    description: 'Oldest first after `after_seq`; ask again with the last `seq`.',
  });

export const notificationsReadSchema = z
  .union([
    z.object({ ids: z.array(z.string().min(1).max(128)).min(1).max(1000) }).strict(),
    z.object({ all: z.literal(true) }).strict(),
  ])
  .meta({ id: 'NotificationsRead', description: '`{"ids":[…]}` or `{"all":true}`.' });

export const unreadSchema = z.object({ unread: z.number().int() }).meta({ id: 'Unread' });

// ---- users (admins) -----------------------------------------------------------------------------

export const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    display_name: z.string(),
    role: z.enum(ROLES),
    disabled: z.boolean(),
    last_login_at: isoDate.nullable(),
    created_at: isoDate,
  })
  .meta({ id: 'User' });

export const userListSchema = listOf(userSchema, 'UserList');
export const userListQuery = z.object({ ...pageQuery }).strict();

export const userInputSchema = z
  .object({
    username: z.string(),
    display_name: z.string().default(''),
    role: z.enum(ROLES),
    password: z.string(),
  })
  .strict()
  .meta({ id: 'UserInput' });

export const userPatchSchema = z
  .object({
    role: z.enum(ROLES).optional(),
    disabled: z.boolean().optional(),
    password: z.string().optional(),
  })
  .strict()
  .meta({
    id: 'UserPatch',
    description: 'A changed role, disabled flag or password ends the user’s sessions.',
  });

// ---- access: grants, groups, teams (issue 13) ----
const grantLevel = z.enum(GRANT_LEVELS).meta({
  description: '`view` sees the device; `operate` also opens terminals and runs tasks. The role caps it.',
});
const grantItem = z.union([
  z.string().min(1).max(128).meta({ description: 'An id alone: the highest level the role allows' }),
  z.object({ id: z.string().min(1).max(128), level: grantLevel.optional() }).strict(),
]);
const grantList = z.array(grantItem).max(10_000);

export const grantsInputSchema = z
  .object({ devices: grantList.optional(), groups: grantList.optional() })
  .strict()
  .meta({
    id: 'GrantsInput',
    description:
      'Exactly these grants (replaces the current ones); a list left out is kept as it is. Access taken away closes the affected terminals at once.',
  });

const grantOut = z.object({ id: z.string(), level: grantLevel });
export const grantsSchema = z
  .object({ devices: z.array(grantOut), groups: z.array(grantOut) })
  .meta({ id: 'Grants' });

export const groupInputSchema = z
  .object({ name: z.string().max(200), description: z.string().max(500).optional() })
  .strict()
  .meta({ id: 'GroupInput' });
export const groupPatchSchema = z
  .object({
    name: z.string().max(200).optional(),
    description: z.string().max(500).optional(),
    jump_host: z.string().max(200).nullable().optional().meta({
      description:
        'A device name or id: the jump host of the group’s devices that have none of their own; null for none.',
    }),
  })
  .strict()
  .meta({ id: 'GroupPatch' });
export const groupSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    jump_host: z
      .string()
      .nullable()
      .meta({ description: 'The jump host of its devices that have none of their own' }),
    devices: z
      .number()
      .int()
      .meta({ description: 'Devices in the group (that the caller sees, for non-admins)' }),
    grants: z.number().int().meta({ description: 'Grants on the group (admins; 0 for others)' }),
  })
  .meta({ id: 'Group' });
export const groupListSchema = z.object({ items: z.array(groupSchema) }).meta({ id: 'GroupList' });
export const groupDevicesInputSchema = z
  .object({ devices: z.array(z.string().min(1).max(128)).max(10_000) })
  .strict()
  .meta({ id: 'GroupDevicesInput', description: 'Exactly these devices (replaces the membership).' });
export const groupDevicesSchema = z.object({ devices: z.array(z.string()) }).meta({ id: 'GroupDevices' });
export const groupDeleteQuery = z
  .object({ confirm: z.enum(['true', 'false']).optional() })
  .strict()
  .meta({
    description: 'A group that grants access is deleted only with confirm=true (409 names who loses what).',
  });

export const teamInputSchema = groupInputSchema.meta({ id: 'TeamInput' });
export const teamPatchSchema = z
  .object({ name: z.string().max(200).optional(), description: z.string().max(500).optional() })
  .strict()
  .meta({ id: 'TeamPatch' });
export const teamSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    members: z.number().int(),
    grants: z.number().int(),
  })
  .meta({ id: 'Team' });
export const teamListSchema = z.object({ items: z.array(teamSchema) }).meta({ id: 'TeamList' });
export const teamMembersInputSchema = z
  .object({ users: z.array(z.string().min(1).max(128)).max(5_000) })
  .strict()
  .meta({ id: 'TeamMembersInput', description: 'Exactly these users (replaces the membership).' });
export const teamMembersSchema = z.object({ users: z.array(z.string()) }).meta({ id: 'TeamMembers' });
// ---- end access ----

// ---- device import / export (issue 13) ----------------------------------------------------------
// (its own import here, so the block stays in one place while the rest of the file changes)
import { IMPORT_MAX_ROWS } from '../devices/import/columns';

export const IMPORT_ACTION_VALUES = ['new', 'changed', 'unchanged', 'error'] as const;

export const csvTextSchema = z.string().meta({
  id: 'DeviceCsv',
  description:
    'UTF-8 CSV with a header line, `,` or `;` separated: name, host, port, vendor, encoding, username, password, private_key, enable_secret, groups, notes, transport, kind, ssh_algorithms, jump_host, max_sessions (see GET /devices/import/template).',
});

export const deviceImportQuery = z
  .object({
    dry_run: z.enum(['true', 'false']).default('true').meta({
      description: '`true` (default): only report what each row would do. `false`: apply, all or nothing.',
    }),
  })
  .strict();

export const deviceImportJsonSchema = z
  .object({
    rows: z
      .array(z.record(z.string(), z.union([z.string(), z.number(), z.null()])))
      .max(
        IMPORT_MAX_ROWS,
        `More than ${IMPORT_MAX_ROWS.toLocaleString('en-US')} rows (IMPORT_MAX_ROWS): split the import.`,
      ),
  })
  .strict()
  .meta({
    id: 'DeviceImportInput',
    description:
      'The CSV columns as keys (name, host, port, vendor, encoding, username, password, private_key, enable_secret, groups, notes, transport, kind, ssh_algorithms, jump_host, max_sessions, passphrase); a missing key keeps the stored value.',
  });

export const deviceImportRowSchema = z
  .object({
    line: z.number().int().meta({
      description: 'CSV: the line the record starts on (header = 1). JSON: the row position from 1.',
    }),
    name: z.string(),
    action: z.enum(IMPORT_ACTION_VALUES),
    fields: z.array(z.string()).meta({ description: 'For `changed`: the columns that change.' }),
    error: z.string().optional(),
    note: z.string().optional(),
  })
  .meta({ id: 'DeviceImportRow' });

export const deviceImportResultSchema = z
  .object({
    rows: z.array(deviceImportRowSchema),
    summary: z.object({
      new: z.number().int(),
      changed: z.number().int(),
      unchanged: z.number().int(),
      error: z.number().int(),
    }),
    applied: z.boolean(),
    groups_created: z.array(z.string()),
  })
  .meta({
    id: 'DeviceImportResult',
    description:
      'Every row with what it does (dry run) or did (applied). With an error row nothing is applied (422).',
  });
// ---- end device import / export ----
