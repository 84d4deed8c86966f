import { checkPrivateKey } from '../credentials';
import { checkDeviceFields, FIELD_COLUMN_PREFIX, type DeviceFields } from '../fields';
import { groupNameSchema } from '../groups';
import { dropsEnableSecret, retargetErrors, routeChange } from '../route-change';
import {
  DEVICE_KINDS,
  ENCODINGS,
  TRANSPORTS,
  validateDeviceForm,
  VENDORS,
  type DeviceFormInput,
  type FieldErrors,
} from '../schema';
import { GROUP_SEPARATORS, VENDOR_AUTO, type ImportColumn } from './columns';
import type { ImportRow } from './rows';

/**
 * The dry run: what each import row would do to the inventory (new, changed with the fields,
 * unchanged, or an error with the reason), decided from the rows and a snapshot of what is stored.
 * Pure: the snapshot and the secret comparison come in through the context.
 */
export const IMPORT_ACTIONS = ['new', 'changed', 'unchanged', 'error'] as const;
export type ImportAction = (typeof IMPORT_ACTIONS)[number];

/** A stored device as the plan needs it. */
export interface ExistingDevice {
  id: string;
  name: string;
  host: string;
  port: number;
  vendor: string;
  encoding: string;
  username: string;
  authType: 'password' | 'key';
  notes: string;
  transport: string;
  kind: string;
  sshAlgorithms: string;
  maxSessions: number | null;
  jumpHostName: string | null;
  secretEnc: string;
  passphraseEnc: string | null;
  enableSecretEnc: string | null;
  groups: string[];
  /** Its custom fields (none when absent). */
  fields?: DeviceFields;
  /** What the importing user may do with it. */
  access: 'operate' | 'view' | 'none';
}

/** A device outside the file that a row may name as its jump host. */
export interface JumpCandidate {
  id: string;
  transport: string;
  jumpHostName: string | null;
  /** The importing user may operate it (a jump host carries their logins). */
  operable: boolean;
}

export interface PlanContext {
  isAdmin: boolean;
  /** Stored devices named by the rows, by name. */
  existing: ReadonlyMap<string, ExistingDevice>;
  /** Stored groups: lower-cased name → the name as stored. */
  groups: ReadonlyMap<string, string>;
  /** Stored devices the rows name as jump hosts (and the hops behind them), by name. */
  jumpHosts: ReadonlyMap<string, JumpCandidate>;
  jumpMaxHops: number;
  /** A stored secret in clear, to tell a secret given again from a new one (null: unreadable). */
  openSecret(device: ExistingDevice, field: 'secret' | 'passphrase' | 'enable'): string | null;
}

export interface PlannedRow {
  line: number;
  name: string;
  action: ImportAction;
  /** For `changed`: the columns whose values change. */
  fields: string[];
  error?: string;
  /** Something worth knowing that is not an error (vendor auto, a group matched without case). */
  note?: string;
  /** For new / changed rows: what to write. */
  write?: {
    value: DeviceFormInput;
    existing: ExistingDevice | null;
    /** Exactly these groups, or null to leave membership alone. */
    groups: string[] | null;
    /** The password or key differs from the stored one (reseal it). */
    secretChanged: boolean;
    endpointChanged: boolean;
    dropEnableSecret: boolean;
  };
}

export interface ImportPlan {
  rows: PlannedRow[];
  summary: Record<ImportAction, number>;
  /** Groups that do not exist yet and would be created (admins only). */
  groupsToCreate: string[];
}

/** The form fields' names as the file calls them. */
const COLUMN_OF: Partial<Record<keyof DeviceFormInput | 'form', ImportColumn | 'row'>> = {
  name: 'name',
  host: 'host',
  port: 'port',
  vendor: 'vendor',
  encoding: 'encoding',
  transport: 'transport',
  kind: 'kind',
  sshAlgorithms: 'ssh_algorithms',
  maxSessions: 'max_sessions',
  jumpHost: 'jump_host',
  username: 'username',
  authType: 'password',
  password: 'password',
  privateKey: 'private_key',
  passphrase: 'passphrase',
  enableSecret: 'enable_secret',
  notes: 'notes',
  form: 'row',
};

function describeErrors(errors: FieldErrors): string {
  return Object.entries(errors)
    .map(([k, msg]) => `${COLUMN_OF[k as keyof FieldErrors] ?? k}: ${msg}`)
    .join(' ');
}

interface Draft {
  row: ImportRow;
  name: string;
  existing: ExistingDevice | null;
  value: DeviceFormInput;
  groups: string[] | null;
  secretGiven: boolean;
  secretChanged: boolean;
  enableChanged: boolean;
  passphraseChanged: boolean;
  notes: string[];
}

const lower = (s: string) => s.trim().toLowerCase();

export function planImport(rows: ImportRow[], ctx: PlanContext): ImportPlan {
  const out: PlannedRow[] = new Array<PlannedRow>(rows.length);
  const firstLine = new Map<string, number>();
  /** Groups the file names that do not exist: lower-cased → the first spelling. */
  const newGroups = new Map<string, string>();
  const drafts = new Map<string, Draft>();
  const draftAt = new Map<number, Draft>();

  // pass 1: each row on its own
  rows.forEach((row, index) => {
    const name = (row.cells.name ?? '').trim();
    if (row.problem) return void (out[index] = errorRow(row, name, row.problem));
    if (!name)
      return void (out[index] = errorRow(row, name, 'name is empty: every row needs the device name.'));
    const first = firstLine.get(name);
    if (first !== undefined)
      return void (out[index] = errorRow(
        row,
        name,
        `the same name as line ${first}: a file may name a device once.`,
      ));
    firstLine.set(name, row.line);
    const r = draftRow(row, name, ctx, newGroups);
    if (!r.ok) return void (out[index] = errorRow(row, name, r.error));
    drafts.set(name, r.draft);
    draftAt.set(index, r.draft);
    out[index] = { line: row.line, name, action: 'unchanged', fields: [] }; // decided in pass 2
  });

  // pass 2: what depends on other rows (jump hosts) and on the stored device
  rows.forEach((_row, index) => {
    const d = draftAt.get(index);
    if (!d) return;
    out[index] = decide(d, drafts, ctx);
  });

  const summary: Record<ImportAction, number> = { new: 0, changed: 0, unchanged: 0, error: 0 };
  for (const r of out) summary[r.action]++;
  // a group only a failed row named is not created (and nothing is written while any row fails)
  const named = new Set<string>();
  for (const r of out) for (const g of r.write?.groups ?? []) named.add(g);
  return { rows: out, summary, groupsToCreate: [...newGroups.values()].filter((g) => named.has(g)) };
}

function errorRow(row: ImportRow, name: string, error: string): PlannedRow {
  return { line: row.line, name, action: 'error', fields: [], error };
}

function draftRow(
  row: ImportRow,
  name: string,
  ctx: PlanContext,
  newGroups: Map<string, string>,
): { ok: true; draft: Draft } | { ok: false; error: string } {
  const c = row.cells;
  const existing = ctx.existing.get(name) ?? null;
  if (existing?.access === 'none')
    return { ok: false, error: `a device named ${name} exists and you cannot see it.` };
  const notes: string[] = [];
  /** A column with a default: absent or empty keeps the stored value (a new device: the default). */
  const keepOr = (col: ImportColumn, stored: string | undefined, dflt: string) => {
    const v = c[col]?.trim() ?? '';
    return v !== '' ? v : existing ? (stored ?? dflt) : dflt;
  };
  /** A column where empty means something (no user, no notes, direct): absent keeps the stored value. */
  const valueOr = (col: ImportColumn, stored: string) => (c[col] === undefined ? stored : c[col]!);

  let vendor = lower(keepOr('vendor', existing?.vendor, ''));
  if (vendor === '')
    return { ok: false, error: `vendor is empty: give one of ${VENDORS.join(', ')}, or ${VENDOR_AUTO}.` };
  if (vendor === VENDOR_AUTO) {
    if (existing) vendor = existing.vendor;
    else {
      vendor = 'generic';
      notes.push('vendor auto: added as generic; Detect vendor on the device page sets the real one.');
    }
  } else if (!(VENDORS as readonly string[]).includes(vendor))
    return {
      ok: false,
      error: `vendor: unknown vendor "${c.vendor?.trim()}" (one of ${VENDORS.join(', ')}, or ${VENDOR_AUTO}).`,
    };
  const encoding = lower(keepOr('encoding', existing?.encoding, 'utf-8'));
  if (!(ENCODINGS as readonly string[]).includes(encoding))
    return {
      ok: false,
      error: `encoding: unknown encoding "${c.encoding?.trim()}" (one of ${ENCODINGS.join(', ')}).`,
    };
  const transport = lower(keepOr('transport', existing?.transport, 'ssh'));
  if (!(TRANSPORTS as readonly string[]).includes(transport))
    return { ok: false, error: `transport: "${c.transport?.trim()}" is not ${TRANSPORTS.join(' or ')}.` };
  const kind = lower(keepOr('kind', existing?.kind, 'device'));
  if (!(DEVICE_KINDS as readonly string[]).includes(kind))
    return { ok: false, error: `kind: "${c.kind?.trim()}" is not ${DEVICE_KINDS.join(' or ')}.` };

  // custom fields: each `field.<key>` column sets that field (an empty cell removes it); the
  // device's other fields stay. Without such columns the fields are not touched.
  let fields: DeviceFields | undefined;
  const fieldCells = Object.entries(row.fields ?? {});
  if (fieldCells.length > 0) {
    const merged: DeviceFields = { ...(existing?.fields ?? {}) };
    for (const [key, cell] of fieldCells) {
      if (cell.trim() === '') delete merged[key];
      else merged[key] = cell;
    }
    const checked = checkDeviceFields(Object.entries(merged));
    if (!checked.ok)
      return {
        ok: false,
        error: `${checked.key ? FIELD_COLUMN_PREFIX + checked.key : 'fields'}: ${checked.error}`,
      };
    fields = checked.fields;
  }

  const password = c.password ?? '';
  const privateKey = c.private_key ?? '';
  if (password !== '' && privateKey.trim() !== '')
    return { ok: false, error: 'password, private_key: give a password or a private key, not both.' };
  const authType = privateKey.trim() ? 'key' : password ? 'password' : (existing?.authType ?? 'password');
  const raw = {
    name,
    host: valueOr('host', existing?.host ?? '').trim(),
    port: keepOr('port', existing ? String(existing.port) : undefined, '22'),
    vendor,
    encoding,
    transport,
    kind,
    sshAlgorithms: keepOr('ssh_algorithms', existing?.sshAlgorithms, 'modern'),
    maxSessions: valueOr('max_sessions', existing?.maxSessions?.toString() ?? '').trim(),
    jumpHost: valueOr('jump_host', existing?.jumpHostName ?? '').trim(),
    username: valueOr('username', existing?.username ?? '').trim(),
    authType,
    password,
    privateKey,
    passphrase: c.passphrase ?? '',
    enableSecret: c.enable_secret ?? '',
    notes: valueOr('notes', existing?.notes ?? ''),
    ...(fields !== undefined ? { fields: JSON.stringify(fields) } : {}),
  };
  const parsed = validateDeviceForm(
    raw,
    existing ? { hasSecret: existing.secretEnc !== '', authType: existing.authType } : undefined,
  );
  if (!parsed.ok) {
    const errors = { ...parsed.errors };
    if (
      !existing &&
      (errors.password === 'Password is required.' || errors.privateKey === 'Private key is required.')
    ) {
      delete errors.privateKey;
      errors.password = 'a new device needs a password or a private key.';
    }
    return { ok: false, error: describeErrors(errors) };
  }
  const v = parsed.value;
  if (v.authType === 'key' && v.privateKey.trim()) {
    const problem = checkPrivateKey(v.privateKey, v.passphrase);
    if (problem)
      return { ok: false, error: `${/passphrase/.test(problem) ? 'passphrase' : 'private_key'}: ${problem}` };
  }

  // groups: a filled cell is the exact list; an empty one leaves membership alone
  let groups: string[] | null = null;
  const groupCell = c.groups?.trim() ?? '';
  if (groupCell !== '') {
    const chosen = new Map<string, string>();
    for (const part of groupCell.split(GROUP_SEPARATORS)) {
      if (!part.trim()) continue;
      const checked = groupNameSchema.safeParse(part);
      if (!checked.success)
        return {
          ok: false,
          error: `groups: "${part.trim()}": ${checked.error.issues[0]?.message ?? 'not a group name.'}`,
        };
      const key = checked.data.toLowerCase();
      const stored = ctx.groups.get(key);
      let resolved: string;
      if (stored !== undefined) {
        resolved = stored;
        if (stored !== checked.data) notes.push(`group "${checked.data}" is the existing group "${stored}".`);
      } else if (!ctx.isAdmin) {
        return {
          ok: false,
          error: `groups: there is no group "${checked.data}" (only an admin can create groups).`,
        };
      } else {
        const spelled = newGroups.get(key);
        if (spelled === undefined) newGroups.set(key, checked.data);
        else if (spelled !== checked.data)
          notes.push(`group "${checked.data}" is "${spelled}" (named earlier in the file).`);
        resolved = spelled ?? checked.data;
      }
      chosen.set(resolved.toLowerCase(), resolved);
    }
    groups = [...chosen.values()].sort();
  }

  const secretGiven = v.authType === 'key' ? v.privateKey.trim() !== '' : v.password !== '';
  const same = (field: 'secret' | 'passphrase' | 'enable', given: string, sealed: string | null) =>
    existing !== null && sealed !== null && sealed !== '' && ctx.openSecret(existing, field) === given;
  const secretChanged =
    secretGiven &&
    !(
      existing?.authType === v.authType &&
      same('secret', v.authType === 'key' ? v.privateKey.trim() + '\n' : v.password, existing.secretEnc)
    );
  const enableChanged =
    v.enableSecret !== '' && !same('enable', v.enableSecret, existing?.enableSecretEnc ?? null);
  const passphraseChanged =
    v.authType === 'key' &&
    v.passphrase !== '' &&
    !same('passphrase', v.passphrase, existing?.passphraseEnc ?? null);
  return {
    ok: true,
    draft: {
      row,
      name,
      existing,
      value: v,
      groups,
      secretGiven,
      secretChanged,
      enableChanged,
      passphraseChanged,
      notes,
    },
  };
}

/** A jump host's problem, looking at the file's rows first and the stored devices behind them. */
function jumpHostError(d: Draft, drafts: ReadonlyMap<string, Draft>, ctx: PlanContext): string | null {
  const target = d.value.jumpHost;
  if (!target) return null;
  if (target === d.name) return 'jump_host: a device cannot be its own jump host.';
  const hopOf = (name: string): { transport: string; jumpHost: string | null; operable: boolean } | null => {
    const inFile = drafts.get(name);
    if (inFile)
      return {
        transport: inFile.value.transport,
        jumpHost: inFile.value.jumpHost || null,
        operable: inFile.existing === null || inFile.existing.access === 'operate',
      };
    const stored = ctx.jumpHosts.get(name);
    return stored
      ? { transport: stored.transport, jumpHost: stored.jumpHostName, operable: stored.operable }
      : null;
  };
  const hop = hopOf(target);
  if (!hop || !hop.operable)
    return `jump_host: no device named ${target} that you may operate (in the inventory or valid in this file).`;
  if (hop.transport !== 'ssh')
    return `jump_host: ${target} is reached over telnet; a jump host must be an SSH device.`;
  let hops = 1;
  for (let next = hop.jumpHost; next; hops++) {
    if (next === d.name) return `jump_host: ${target} is itself reached through ${d.name}: that would loop.`;
    if (hops >= ctx.jumpMaxHops)
      return `jump_host: the route through ${target} would be longer than ${ctx.jumpMaxHops} jump hosts.`;
    next = hopOf(next)?.jumpHost ?? null;
  }
  return null;
}

function decide(d: Draft, drafts: ReadonlyMap<string, Draft>, ctx: PlanContext): PlannedRow {
  const { row, name, existing, value: v } = d;
  const base = { line: row.line, name, ...(d.notes.length ? { note: d.notes.join(' ') } : {}) };
  const error = (msg: string): PlannedRow => ({ ...base, action: 'error', fields: [], error: msg });
  const jumpError = jumpHostError(d, drafts, ctx);
  if (jumpError) return error(jumpError);
  if (!existing)
    return {
      ...base,
      action: 'new',
      fields: [],
      write: {
        value: v,
        existing: null,
        groups: d.groups,
        secretChanged: true,
        endpointChanged: false,
        dropEnableSecret: false,
      },
    };
  const change = routeChange(
    { ...existing, jumpHostId: existing.jumpHostName },
    { ...v, jumpHostId: v.jumpHost || null },
  );
  const retarget = retargetErrors(existing, v, { ...change, newSecret: d.secretGiven });
  if (retarget) {
    const moved = [
      existing.host !== v.host && 'host',
      existing.port !== v.port && 'port',
      existing.username !== v.username && 'username',
      existing.transport !== v.transport && 'transport',
      (existing.jumpHostName ?? '') !== v.jumpHost && 'jump_host',
    ].filter(Boolean);
    const what = Object.entries(retarget)
      .map(([k, msg]) => `${COLUMN_OF[k as keyof FieldErrors] ?? k}: ${msg}`)
      .join(' ');
    return error(`${moved.join('/')} changed: give the secret again. ${what}`);
  }
  const dropEnableSecret = dropsEnableSecret(change, v);
  const fields: string[] = [];
  const diff = (col: string, a: unknown, b: unknown) => a !== b && fields.push(col);
  diff('host', existing.host, v.host);
  diff('port', existing.port, v.port);
  diff('vendor', existing.vendor, v.vendor);
  diff('encoding', existing.encoding, v.encoding);
  diff('username', existing.username, v.username);
  if (d.secretChanged) fields.push(v.authType === 'key' ? 'private_key' : 'password');
  if (d.passphraseChanged) fields.push('passphrase');
  if (d.enableChanged || (dropEnableSecret && existing.enableSecretEnc)) fields.push('enable_secret');
  if (d.groups && d.groups.join('\n') !== [...existing.groups].sort().join('\n')) fields.push('groups');
  diff('notes', existing.notes, v.notes);
  diff('transport', existing.transport, v.transport);
  diff('kind', existing.kind, v.kind);
  diff('ssh_algorithms', existing.sshAlgorithms, v.sshAlgorithms);
  diff('jump_host', existing.jumpHostName ?? '', v.jumpHost);
  diff('max_sessions', existing.maxSessions, v.maxSessions);
  if (v.fields !== undefined) {
    const before = existing.fields ?? {};
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(v.fields)])].sort())
      diff(FIELD_COLUMN_PREFIX + key, before[key], v.fields[key]);
  }
  if (fields.length === 0) return { ...base, action: 'unchanged', fields };
  if (existing.access !== 'operate')
    return error(
      `you can see ${name} but not change it (you do not operate it); changes: ${fields.join(', ')}.`,
    );
  return {
    ...base,
    action: 'changed',
    fields,
    write: {
      value: v,
      existing,
      groups: d.groups,
      secretChanged: d.secretChanged,
      endpointChanged: change.endpointChanged,
      dropEnableSecret,
    },
  };
}
