import 'zod-openapi';
import { GRANT_LEVELS } from '../devices/visibility';
import { z } from 'zod';
import { DEVICE_STATUSES } from '../devices/status';
import { DEVICE_KINDS, ENCODINGS, TRANSPORTS, VENDORS } from '../devices/schema';
import { DEVICE_FIELD_VALUE_MAX_CHARS, DEVICE_FIELDS_MAX } from '../devices/fields';
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
import { TEAM_PERMISSIONS } from '../auth/session-permissions';
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
    guard: z
      .object({
        kind: z.enum(['denied', 'approval', 'confirm', 'unconfirmedTask', 'unconfirmedSchedule']),
        items: z.array(z.object({ command: z.string(), device: z.string(), rule: z.string().nullable() })),
        more: z.number().int(),
        phrase: z.string().optional(),
      })
      .optional()
      .meta({
        description:
          'When the guard rails refused a task, run or schedule (422): the first commands refused, each on its device with the rule that decided (null: the read-only terminal policy), how many more, and for `confirm` the phrase to send as `confirm`. The field message says the same in English.',
      }),
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
    fields: z.record(z.string(), z.string()).meta({
      description: 'Custom fields (site, rack, role…), what templates fill in as `{{field.<key>}}`.',
    }),
    lab: z.boolean(),
    created_at: isoDate,
    updated_at: isoDate,
  })
  .meta({ id: 'Device', description: 'A device. Credentials are write-only and never returned.' });

/** Custom fields as the API takes them; the device form's rules check keys and values (422 names them). */
const deviceFieldsInput = z
  .record(z.string().max(64), z.string().max(DEVICE_FIELD_VALUE_MAX_CHARS * 4))
  .refine((f) => Object.keys(f).length <= DEVICE_FIELDS_MAX, `At most ${DEVICE_FIELDS_MAX} fields.`)
  .meta({
    description: `Custom fields, up to ${DEVICE_FIELDS_MAX}: keys \`^[a-z][a-z0-9_]{0,31}$\`, values one line of at most ${DEVICE_FIELD_VALUE_MAX_CHARS} characters. Templates use them as \`{{field.<key>}}\`.`,
  });

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
    fields: deviceFieldsInput.optional(),
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
    fields: deviceFieldsInput
      .optional()
      .meta({ description: 'Replaces all custom fields (`{}` removes them); left out, they stay.' }),
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
    steps: z.array(commandStepSchema).meta({
      description: 'The commands with their options, in order (for every vendor without its own list).',
    }),
    vendor_steps: z.record(z.string(), z.array(commandStepSchema)).meta({
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
    confirm: z.string().max(200).optional().meta({
      description:
        'Confirms commands that a guard-rail rule asks to confirm: the device’s name, or `N devices` when several have them. Without it such a task is refused (422, field `confirm`) with the phrase to send.',
    }),
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

const observeFlag = z.boolean().meta({
  description:
    "Members may also watch other users' live terminal sessions on the group's devices (read-only, whatever their role)",
});
export const teamGrantsInputSchema = z
  .object({
    devices: grantList.optional(),
    groups: z
      .array(
        z.union([
          grantItem.options[0],
          z
            .object({
              id: z.string().min(1).max(128),
              level: grantLevel.optional(),
              observe: observeFlag.optional(),
            })
            .strict(),
        ]),
      )
      .max(10_000)
      .optional(),
  })
  .strict()
  .meta({
    id: 'TeamGrantsInput',
    description:
      'Exactly these grants (replaces the current ones; a group grant without `observe` does not include it); a list left out is kept as it is. Access taken away closes the affected terminals at once.',
  });
export const teamGrantsSchema = z
  .object({
    devices: z.array(grantOut),
    groups: z.array(z.object({ id: z.string(), level: grantLevel, observe: observeFlag })),
  })
  .meta({ id: 'TeamGrants' });

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
const teamPermissions = z.array(z.enum(TEAM_PERMISSIONS)).meta({
  description: "`recordings`: the members see every user's session recordings, not only their own",
});
export const teamPatchSchema = z
  .object({
    name: z.string().max(200).optional(),
    description: z.string().max(500).optional(),
    permissions: teamPermissions.max(TEAM_PERMISSIONS.length).optional(),
  })
  .strict()
  .meta({ id: 'TeamPatch' });
export const teamSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    members: z.number().int(),
    grants: z.number().int(),
    permissions: teamPermissions,
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
    'UTF-8 CSV with a header line, `,` or `;` separated: name, host, port, vendor, encoding, username, password, private_key, enable_secret, groups, notes, transport, kind, ssh_algorithms, jump_host, max_sessions, and `field.<key>` for a custom field (an empty cell removes it; see GET /devices/import/template).',
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
      'The CSV columns as keys (name, host, port, vendor, encoding, username, password, private_key, enable_secret, groups, notes, transport, kind, ssh_algorithms, jump_host, max_sessions, passphrase, and `field.<key>` for a custom field); a missing key keeps the stored value.',
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

// ---- automation: templates, schedules, output history, webhooks (issue 16) ----------------------
// (its own imports here, so the block stays in one place while the rest of the file changes)
import { TEMPLATE_MAX_IGNORE_PATTERNS } from '../automation/diff';
import { INPUT_MAX_CHARS, TEMPLATE_MAX_INPUTS, VARIABLE_NAME } from '../automation/render';
import { MISSED_RUN_POLICIES } from '../automation/schedule';
import { WEBHOOK_EVENTS } from '../automation/webhooks';

const inputName = z
  .string()
  .regex(VARIABLE_NAME, 'Input names: letters, digits, _ and -, starting with a letter.');
const inputCommon = {
  name: inputName.meta({ description: 'Used in commands as `{{input.<name>}}`.' }),
  label: z.string().trim().min(1, 'Give the input a label.').max(100),
  required: z.boolean().default(true),
  default: z.string().max(INPUT_MAX_CHARS).optional(),
};

export const templateInputDefinitionSchema = z
  .discriminatedUnion('type', [
    z
      .object({
        ...inputCommon,
        type: z.literal('text'),
        pattern: z
          .string()
          .max(200)
          .optional()
          .meta({ description: 'An RE2 pattern the whole value must match.' }),
      })
      .strict(),
    z
      .object({
        ...inputCommon,
        type: z.literal('choice'),
        choices: z
          .array(z.string().min(1).max(INPUT_MAX_CHARS))
          .min(1, 'A choice needs at least one option.')
          .max(50),
      })
      .strict(),
  ])
  .meta({ id: 'TemplateInputDefinition', description: 'A value asked when the template runs.' });

const ignorePattern = userPattern.meta({
  description:
    'An RE2 pattern (multi-line: `^` and `$` match at each line); each match reads as `<ignored>` in diffs.',
});

const templateFields = {
  name: z.string(),
  description: z.string().max(1000).default(''),
  team_id: z.string().min(1).max(128).nullable().default(null).meta({
    description: 'Share with this team (its members see and run it); null: private to you (and admins).',
  }),
  commands: taskInputSchema.shape.commands.meta({
    description:
      'As for tasks: one list for every vendor, or a list per vendor. Commands may hold `{{device.name}}`, ' +
      '`{{device.host}}`, `{{device.vendor}}`, `{{field.<key>}}` (a custom field of the device) and `{{input.<name>}}`.',
  }),
  concurrency: z.number().int().default(10),
  timeout_s: z.number().int().default(60),
  inputs: z
    .array(templateInputDefinitionSchema)
    .max(TEMPLATE_MAX_INPUTS, `At most ${TEMPLATE_MAX_INPUTS} inputs.`)
    .default([]),
  ignore_patterns: z
    .array(ignorePattern)
    .max(TEMPLATE_MAX_IGNORE_PATTERNS, `At most ${TEMPLATE_MAX_IGNORE_PATTERNS} ignore patterns.`)
    .default([])
    .meta({ description: 'What changes on its own (uptime, clock): masked before outputs are compared.' }),
  failure_patterns: taskInputSchema.shape.failure_patterns,
  expect_output: userPattern.nullable().default(null).meta({
    description: 'An RE2 pattern the output must match somewhere, or the device fails; null for none.',
  }),
};

export const templateInputSchema = z.object(templateFields).strict().meta({
  id: 'TemplateInput',
  description: 'A template; PATCH takes the same body and saves it as the next version.',
});

export const templateSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    owner: z.string().meta({ description: "The owner's username." }),
    team: z.string().nullable().meta({ description: "The team's name it is shared with." }),
    built_in: z.boolean(),
    version: z.number().int(),
    editable: z.boolean().meta({ description: 'The caller may change or delete it (owner or admin).' }),
    updated_at: isoDate,
  })
  .meta({ id: 'TemplateSummary' });
export const templateListSchema = z
  .object({ items: z.array(templateSummarySchema) })
  .meta({ id: 'TemplateList' });

export const templateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    owner_id: z.string(),
    team_id: z.string().nullable(),
    built_in: z.boolean(),
    version: z.number().int().meta({ description: 'The version shown (the current one unless ?version=N).' }),
    current_version: z.number().int(),
    editable: z.boolean(),
    steps: z.array(commandStepSchema),
    vendor_steps: z.record(z.string(), z.array(commandStepSchema)),
    concurrency: z.number().int(),
    timeout_s: z.number().int(),
    inputs: z.array(templateInputDefinitionSchema),
    ignore_patterns: z.array(z.string()),
    failure_patterns: z.array(z.string()),
    expect_output: z.string().nullable(),
    updated_at: isoDate,
  })
  .meta({ id: 'Template' });

export const templateQuery = z
  .object({ version: z.coerce.number().int().min(1).optional().meta({ description: 'An older version.' }) })
  .strict();

export const templateVersionListSchema = z
  .object({
    items: z.array(
      z.object({ version: z.number().int(), created_at: isoDate, created_by: z.string().nullable() }),
    ),
  })
  .meta({ id: 'TemplateVersionList', description: 'Newest first; `created_by` is a username.' });

export const outputSearchQuery = z
  .object({
    q: z.string().max(502).meta({
      description: 'Text (case-insensitive) or an RE2 pattern between slashes, e.g. `/^snmp-agent/`.',
    }),
  })
  .strict();

export const outputSearchSchema = z
  .object({
    searched: z.number().int().meta({ description: 'Device outputs searched.' }),
    items: z.array(
      z.object({
        device: z.string(),
        device_id: z.string().nullable(),
        lines: z.array(
          z.object({ command: z.string().nullable(), line: z.number().int(), text: z.string() }),
        ),
        more: z.number().int().meta({ description: 'Further matching lines not shown.' }),
      }),
    ),
  })
  .meta({ id: 'OutputSearch', description: 'Devices whose output matched, with the first matching lines.' });

export const templateSubscriptionSchema = z
  .object({ subscribed: z.boolean() })
  .meta({ id: 'TemplateSubscription', description: 'Whether you follow the template.' });

const deviceRefs = z
  .array(z.string().min(1).max(128))
  .min(1)
  .max(MAX_DEVICES_PER_REQUEST)
  .meta({ description: 'Device ids or names, among the devices you may operate.' });
const inputValues = z
  .record(z.string().max(64), z.string().max(INPUT_MAX_CHARS))
  .default({})
  .meta({ description: "Input name → value; a missing one takes the input's default." });

export const templatePreviewInputSchema = z
  .object({ devices: deviceRefs, inputs: inputValues })
  .strict()
  .meta({ id: 'TemplatePreviewInput' });

export const templatePreviewSchema = z
  .object({
    template_id: z.string(),
    version: z.number().int(),
    inputs: z.record(z.string(), z.string()).meta({ description: 'The values used (defaults filled in).' }),
    items: z.array(
      z.object({
        device_id: z.string(),
        device: z.string(),
        vendor: z.string(),
        status: z.enum(['ok', 'skipped', 'error']),
        commands: z
          .array(z.string())
          .optional()
          .meta({ description: '`ok`: exactly what the device receives.' }),
        reason: z.string().optional().meta({ description: '`skipped` or `error`: why.' }),
        command: z.string().optional().meta({ description: '`error`: the command that cannot be rendered.' }),
      }),
    ),
  })
  .meta({ id: 'TemplatePreview', description: 'Per device, by name.' });

export const templateRunInputSchema = z
  .object({
    devices: deviceRefs,
    inputs: inputValues,
    name: z.string().max(100).optional().meta({ description: "The task's name (default: the template's)." }),
    concurrency: z.number().int().optional(),
    timeout_s: z.number().int().optional(),
    confirm: z.string().max(200).optional().meta({
      description:
        'Confirms commands a guard-rail rule asks to confirm: the device’s name, or `N devices` (as for tasks).',
    }),
  })
  .strict()
  .meta({
    id: 'TemplateRunInput',
    description:
      'Every device must render (one lacking a field refuses the run, naming it). Send an `Idempotency-Key` header to make a retried request return the first task.',
  });

const scheduleTargets = z
  .object({
    device_ids: z.array(z.string().min(1).max(128)).max(1000).default([]),
    group_ids: z.array(z.string().min(1).max(128)).max(100).default([]),
  })
  .strict()
  .meta({ description: "Devices and groups; groups' members are resolved at each run." });

const scheduleFields = {
  template_id: z.string().min(1).max(128),
  cron: z.string().max(200).meta({ description: 'Five fields: minute hour day-of-month month day-of-week.' }),
  time_zone: z.string().max(64).default('UTC').meta({ description: 'IANA, e.g. Asia/Shanghai.' }),
  enabled: z.boolean().default(true),
  missed_policy: z
    .enum(MISSED_RUN_POLICIES)
    .default('skip')
    .meta({ description: 'Runs missed while the portal was down: `skip` them, or `run_once` at start.' }),
  targets: scheduleTargets,
  inputs: inputValues,
  confirm: z.string().max(200).optional().meta({
    description:
      'Confirms the commands a guard-rail rule asks to confirm (the device’s name, or `N devices`, for the devices the schedule resolves to now, judged as its owner): its runs may then send them on those devices while the same rule asks for the same command. Without it such a schedule is refused (422, field `confirm`) with the phrase to send; a change without it keeps what was confirmed. Denied commands, or ones that need an approval, refuse it (422, field `commands`).',
  }),
};

export const scheduleInputSchema = z.object(scheduleFields).strict().meta({ id: 'ScheduleInput' });
export const schedulePatchSchema = z
  .object({
    template_id: scheduleFields.template_id.optional(),
    cron: scheduleFields.cron.optional(),
    time_zone: z.string().max(64).optional(),
    enabled: z.boolean().optional(),
    missed_policy: z.enum(MISSED_RUN_POLICIES).optional(),
    targets: scheduleTargets.optional(),
    inputs: z.record(z.string().max(64), z.string().max(INPUT_MAX_CHARS)).optional(),
    confirm: scheduleFields.confirm,
  })
  .strict()
  .meta({ id: 'SchedulePatch', description: 'Fields to change; the rest stay.' });

export const scheduleSchema = z
  .object({
    id: z.string(),
    template_id: z.string(),
    template: z.string(),
    owner: z.string(),
    cron: z.string(),
    time_zone: z.string(),
    enabled: z.boolean(),
    missed_policy: z.enum(MISSED_RUN_POLICIES),
    targets: z.object({ device_ids: z.array(z.string()), group_ids: z.array(z.string()) }),
    inputs: z.record(z.string(), z.string()),
    next_run_at: isoDate.nullable().meta({ description: 'The next planned run; null when disabled.' }),
    next_runs: z.array(isoDate).meta({ description: 'The next five run times (empty when disabled).' }),
    last_run_at: isoDate.nullable(),
    last_task_id: z.string().nullable(),
    last_error: z.string().nullable().meta({ description: 'Why the last planned run did not start.' }),
    missed_runs: z.number().int(),
    created_at: isoDate,
  })
  .meta({ id: 'Schedule' });
export const scheduleListSchema = z.object({ items: z.array(scheduleSchema) }).meta({ id: 'ScheduleList' });

export const OUTPUT_CHANGES = ['new', 'changed', 'unchanged'] as const;

export const historyQuery = z
  .object({
    template: z.string().min(1).max(128).optional().meta({ description: 'Only this template’s versions.' }),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const outputVersionSchema = z
  .object({
    id: z.string(),
    template_id: z.string().nullable(),
    template: z.string().nullable(),
    task_id: z.string().nullable(),
    change: z
      .enum(OUTPUT_CHANGES)
      .meta({ description: 'Against the previous version of the same template.' }),
    added: z.number().int(),
    removed: z.number().int(),
    bytes: z.number().int(),
    created_at: isoDate,
  })
  .meta({ id: 'OutputVersion' });
export const outputHistorySchema = z
  .object({ items: z.array(outputVersionSchema) })
  .meta({ id: 'OutputHistory', description: 'Newest first.' });

export const outputTextSchema = z
  .object({ id: z.string(), text: z.string() })
  .meta({ id: 'OutputText', description: 'The stored output (secrets already hidden).' });

export const historyDiffQuery = z
  .object({
    against: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .meta({ description: "Another version of this device (default: this version's previous one)." }),
  })
  .strict();

export const outputDiffSchema = z
  .object({
    from: z.object({ id: z.string(), created_at: isoDate }),
    to: z.object({ id: z.string(), created_at: isoDate }),
    changed: z.boolean(),
    added: z.number().int(),
    removed: z.number().int(),
    patch: z.string().nullable().meta({ description: 'Unified diff; null when unchanged or too different.' }),
    cut: z.boolean().meta({ description: 'A side was too long: only its first part was compared.' }),
    too_different: z.boolean().meta({ description: 'Too many lines differ for a line-by-line diff.' }),
  })
  .meta({ id: 'OutputDiff', description: 'Older first, after the template’s ignore patterns.' });

export const outputGroupsSchema = z
  .object({
    devices: z.number().int().meta({ description: 'Devices compared (those that succeeded).' }),
    identical: z.number().int().meta({ description: 'Devices in the majority group.' }),
    variant_devices: z.number().int(),
    variants: z.array(
      z.object({
        hash: z.string(),
        devices: z.array(z.string()),
        sample_device: z.string(),
      }),
    ),
    majority: z.string().nullable().meta({ description: 'The hash of the strictly largest group.' }),
  })
  .meta({
    id: 'OutputGroups',
    description: "Devices whose output (after the template's ignore patterns) is the same.",
  });

export const webhookInputSchema = z
  .object({
    url: z.string().max(2000),
    description: z.string().max(200).default(''),
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'Choose at least one event.'),
    enabled: z.boolean().default(true),
    allow_local: z
      .boolean()
      .default(false)
      .meta({ description: 'Deliver to loopback and link-local addresses too (refused otherwise).' }),
  })
  .strict()
  .meta({ id: 'WebhookInput' });

export const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.string()),
    enabled: z.boolean(),
    allow_local: z.boolean(),
    created_at: isoDate,
  })
  .meta({ id: 'Webhook' });
export const webhookListSchema = z.object({ items: z.array(webhookSchema) }).meta({ id: 'WebhookList' });
export const createdWebhookSchema = webhookSchema
  .extend({
    secret: z.string().meta({
      description:
        'The HMAC-SHA256 signing secret, shown only now. Each delivery carries X-Switchboard-Signature: t=<unix>,v1=<hex HMAC of "<t>.<body>">.',
    }),
  })
  .meta({ id: 'CreatedWebhook' });

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    event: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    response_code: z.number().int().nullable(),
    error: z.string().nullable(),
    duration_ms: z.number().int().nullable(),
    created_at: isoDate,
    delivered_at: isoDate.nullable(),
  })
  .meta({ id: 'WebhookDelivery' });
export const webhookDeliveryListSchema = z
  .object({ items: z.array(webhookDeliverySchema) })
  .meta({ id: 'WebhookDeliveryList', description: 'The latest 100, newest first.' });
export const webhookTestSchema = z
  .object({ queued: z.literal(true) })
  .meta({ id: 'WebhookTest', description: 'A ping is queued; see its delivery under /deliveries.' });
// ---- end automation ----
