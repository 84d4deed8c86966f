import 'server-only';
import { randomUUID } from 'node:crypto';
import type { AuditSink } from '../../audit';
import { usersReachingGroup, withAccessChange } from '../../auth/access-change';
import { can, type Role } from '../../auth/roles';
import type { CurrentUser } from '../../auth/session';
import type { PrismaClient } from '../../db/client';
import type { EventBus } from '../../events/types';
import { JUMP_MAX_HOPS } from '../connect';
import { credentialContext } from '../credentials';
import { readDeviceFields, storeDeviceFields } from '../fields';
import { newDeviceRow, sealedFields } from '../inventory';
import { endpointResetFields } from '../route-change';
import type { Vault } from '../vault';
import { operableDevicesWhere, visibleDevicesWhere } from '../visibility';
import type { Prisma } from '../../db/generated/client';
import { insertRows } from './bulk-insert';
import { IMPORT_MAX_ROWS } from './columns';
import {
  planImport,
  type ExistingDevice,
  type ImportAction,
  type ImportPlan,
  type JumpCandidate,
  type PlannedRow,
} from './plan';
import { rowsFromCsv, rowsFromJson, type ImportRow } from './rows';

/**
 * Inventory import: a dry run (each row new / changed / unchanged / error) and the apply, which
 * re-runs the same plan and writes it in one transaction, or nothing when any row is an error.
 */

export interface ImportDeps {
  db: PrismaClient;
  vault: Vault;
  audit: AuditSink;
  /** Group memberships an import removes can take access away: closed through the bus. */
  bus: EventBus;
}

/** The whole apply must fit in one transaction; 5,000 rows take a few seconds. */
const IMPORT_TX_TIMEOUT_MS = 120_000;
/** Ids per IN list. */
const IN_LIST_MAX = 500;

/** Every column newDeviceRow fills (its optional secrets as null when absent), and the timestamps. */
const DEVICE_INSERT_COLUMNS = [
  'id',
  'name',
  'host',
  'port',
  'vendor',
  'encoding',
  'username',
  'authType',
  'notes',
  'transport',
  'kind',
  'sshAlgorithms',
  'maxSessions',
  'fields',
  'createdById',
  'secretEnc',
  'passphraseEnc',
  'enableSecretEnc',
  'secretsRoute',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof Prisma.DeviceUncheckedCreateInput)[];
// a column newDeviceRow gains must be inserted too: this stops compiling until it is listed above
type Unlisted = Exclude<keyof ReturnType<typeof newDeviceRow>, (typeof DEVICE_INSERT_COLUMNS)[number]>;
const everyColumnListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyColumnListed;

export type ImportInput = { csv: string } | { rows: Record<string, unknown>[] };

type Actor = Pick<CurrentUser, 'id' | 'role'> & { username?: string };

/** What the API and the page show of one row. */
export interface ImportRowResult {
  line: number;
  name: string;
  action: ImportAction;
  fields: string[];
  error?: string;
  note?: string;
}

export type ImportOutcome =
  | {
      ok: true;
      rows: ImportRowResult[];
      summary: Record<ImportAction, number>;
      /** True when the rows were written (never on a dry run, never with an error row). */
      applied: boolean;
      groupsCreated: string[];
    }
  | { ok: false; code: 'forbidden' | 'invalid_file' | 'conflict'; message: string };

const chunks = <T>(list: T[], size = IN_LIST_MAX): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

function readRows(input: ImportInput): { ok: true; rows: ImportRow[] } | { ok: false; error: string } {
  return 'csv' in input ? rowsFromCsv(input.csv, IMPORT_MAX_ROWS) : rowsFromJson(input.rows, IMPORT_MAX_ROWS);
}

interface Snapshot {
  existing: Map<string, ExistingDevice>;
  groups: Map<string, { id: string; name: string }>;
  jumpHosts: Map<string, JumpCandidate>;
}

const DEVICE_FIELDS = {
  id: true,
  name: true,
  host: true,
  port: true,
  vendor: true,
  encoding: true,
  username: true,
  authType: true,
  notes: true,
  transport: true,
  kind: true,
  sshAlgorithms: true,
  maxSessions: true,
  fields: true,
  secretEnc: true,
  passphraseEnc: true,
  enableSecretEnc: true,
  jumpHost: { select: { name: true } },
  groups: { select: { group: { select: { name: true } } } },
} as const;

async function idsWhere(db: PrismaClient, ids: string[], where: object): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunks(ids)) {
    const rows = await db.device.findMany({
      where: { AND: [{ id: { in: part } }, where] },
      select: { id: true },
    });
    for (const r of rows) out.add(r.id);
  }
  return out;
}

/** What the plan needs from the database: the devices the rows name, groups, jump-host candidates. */
async function snapshot(db: PrismaClient, actor: Actor, rows: ImportRow[]): Promise<Snapshot> {
  const names = [...new Set(rows.map((r) => (r.cells.name ?? '').trim()).filter(Boolean))];
  const found = (
    await Promise.all(
      chunks(names).map((part) =>
        db.device.findMany({ where: { name: { in: part } }, select: DEVICE_FIELDS }),
      ),
    )
  ).flat();
  const isAdmin = actor.role === 'admin';
  const ids = found.map((d) => d.id);
  const visible = isAdmin ? null : await idsWhere(db, ids, visibleDevicesWhere(actor));
  const operable = isAdmin ? null : await idsWhere(db, ids, operableDevicesWhere(actor));
  const existing = new Map<string, ExistingDevice>();
  for (const d of found)
    existing.set(d.name, {
      ...d,
      authType: d.authType === 'key' ? 'key' : 'password',
      jumpHostName: d.jumpHost?.name ?? null,
      groups: d.groups.map((g) => g.group.name),
      fields: readDeviceFields(d.fields),
      access: isAdmin || operable!.has(d.id) ? 'operate' : visible!.has(d.id) ? 'view' : 'none',
    });
  const groups = new Map<string, { id: string; name: string }>();
  for (const g of await db.deviceGroup.findMany({ select: { id: true, name: true } }))
    groups.set(g.name.toLowerCase(), g);
  // jump hosts: only when a row names one (the whole chain may lead anywhere, so all SSH hops)
  const jumpHosts = new Map<string, JumpCandidate>();
  if (rows.some((r) => (r.cells.jump_host ?? '').trim() !== '') || found.some((d) => d.jumpHost)) {
    const all = await db.device.findMany({
      select: { id: true, name: true, transport: true, jumpHost: { select: { name: true } } },
    });
    const mayOperate = isAdmin
      ? null
      : await idsWhere(
          db,
          all.map((d) => d.id),
          operableDevicesWhere(actor),
        );
    for (const d of all)
      jumpHosts.set(d.name, {
        id: d.id,
        transport: d.transport,
        jumpHostName: d.jumpHost?.name ?? null,
        operable: isAdmin || mayOperate!.has(d.id),
      });
  }
  return { existing, groups, jumpHosts };
}

function plan(rows: ImportRow[], actor: Actor, snap: Snapshot, vault: Vault): ImportPlan {
  return planImport(rows, {
    isAdmin: actor.role === 'admin',
    existing: snap.existing,
    groups: new Map([...snap.groups].map(([k, g]) => [k, g.name])),
    jumpHosts: snap.jumpHosts,
    jumpMaxHops: JUMP_MAX_HOPS,
    openSecret(device, field) {
      const sealed =
        field === 'secret'
          ? device.secretEnc
          : field === 'passphrase'
            ? device.passphraseEnc
            : device.enableSecretEnc;
      if (!sealed) return null;
      try {
        return vault.open(sealed, credentialContext(device.id, field));
      } catch {
        return null; // unreadable (another vault key): anything given replaces it
      }
    },
  });
}

const publicRow = (r: PlannedRow): ImportRowResult => ({
  line: r.line,
  name: r.name,
  action: r.action,
  fields: r.fields,
  ...(r.error !== undefined ? { error: r.error } : {}),
  ...(r.note !== undefined ? { note: r.note } : {}),
});

/**
 * Dry run (`apply: false`) or apply. Non-admins need `devices:edit`, may change only devices they
 * operate, and are granted the devices they add. Apply writes every row or none.
 */
export async function importDevices(
  actor: Actor,
  input: ImportInput,
  opts: { apply: boolean },
  deps: ImportDeps,
): Promise<ImportOutcome> {
  if (!can(actor.role as Role, 'devices:edit'))
    return { ok: false, code: 'forbidden', message: `Your role (${actor.role}) cannot import devices.` };
  const read = readRows(input);
  if (!read.ok) return { ok: false, code: 'invalid_file', message: read.error };
  const snap = await snapshot(deps.db, actor, read.rows);
  const p = plan(read.rows, actor, snap, deps.vault);
  const result = {
    ok: true as const,
    rows: p.rows.map(publicRow),
    summary: p.summary,
    groupsCreated: [] as string[],
  };
  if (!opts.apply || p.summary.error > 0) return { ...result, applied: false };
  try {
    await write(actor, p, snap, deps);
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002')
      return {
        ok: false,
        code: 'conflict',
        message:
          'A device or group with one of these names was added meanwhile; nothing was applied. Preview again.',
      };
    throw err;
  }
  const s = p.summary;
  await deps.audit({
    userId: actor.id,
    action: 'device.import',
    target: `${read.rows.length} rows`,
    detail:
      `new ${s.new}, changed ${s.changed}, unchanged ${s.unchanged}` +
      (p.groupsToCreate.length ? `; groups created: ${p.groupsToCreate.join(', ')}` : ''),
  });
  return { ...result, applied: true, groupsCreated: p.groupsToCreate };
}

async function write(actor: Actor, p: ImportPlan, snap: Snapshot, deps: ImportDeps): Promise<void> {
  const { db, vault } = deps;
  const now = new Date();
  const creating = p.rows.filter((r) => r.action === 'new').map((r) => r.write!);
  const changing = p.rows.filter((r) => r.action === 'changed').map((r) => r.write!);
  const newRows = creating.map((w) => newDeviceRow(vault, w.value, actor.id));
  const idOf = new Map<string, string>();
  for (const [name, d] of snap.jumpHosts) idOf.set(name, d.id);
  for (const [name, d] of snap.existing) idOf.set(name, d.id);
  for (const r of newRows) idOf.set(r.name, r.id);

  const groupId = new Map<string, string>();
  for (const g of snap.groups.values()) groupId.set(g.name, g.id);
  const newGroups = p.groupsToCreate.map((name) => ({ id: randomUUID(), name }));
  for (const g of newGroups) groupId.set(g.name, g.id);

  // memberships: what to add, and what to take away (which may end others' access)
  const adds: { groupId: string; deviceId: string }[] = [];
  const removes = new Map<string, string[]>(); // groupId → device ids
  for (const w of [...creating, ...changing]) {
    if (!w.groups) continue;
    const deviceId = idOf.get(w.value.name)!;
    const before = new Set(w.existing?.groups ?? []);
    for (const g of w.groups) if (!before.has(g)) adds.push({ groupId: groupId.get(g)!, deviceId });
    for (const g of before)
      if (!w.groups.includes(g)) {
        const id = groupId.get(g)!;
        removes.set(id, [...(removes.get(id) ?? []), deviceId]);
      }
  }

  const apply = () =>
    db.$transaction(
      async (tx) => {
        await insertRows(
          tx,
          'DeviceGroup',
          ['id', 'name', 'description', 'createdAt', 'updatedAt'],
          newGroups.map((g) => ({ ...g, description: '', createdAt: now, updatedAt: now })),
        );
        await insertRows(
          tx,
          'Device',
          DEVICE_INSERT_COLUMNS,
          newRows.map((r) => ({ ...r, createdAt: now, updatedAt: now })),
        );
        // the creator can use what they add (a plain grant: operate, capped by the role); admins see everything anyway
        if (actor.role !== 'admin')
          await insertRows(
            tx,
            'DeviceGrant',
            ['userId', 'deviceId', 'level', 'createdAt'],
            newRows.map((r) => ({ userId: actor.id, deviceId: r.id, level: 'operate', createdAt: now })),
          );
        for (const w of changing) {
          const id = w.existing!.id;
          const v = w.value;
          await tx.device.update({
            where: { id },
            data: {
              host: v.host,
              port: v.port,
              vendor: v.vendor,
              encoding: v.encoding,
              username: v.username,
              authType: v.authType,
              notes: v.notes,
              transport: v.transport,
              kind: v.kind,
              sshAlgorithms: v.sshAlgorithms,
              maxSessions: v.maxSessions,
              ...(v.fields !== undefined ? { fields: storeDeviceFields(v.fields) } : {}),
              jumpHostId: v.jumpHost ? idOf.get(v.jumpHost)! : null,
              ...sealedFields(vault, id, v, !w.secretChanged),
              ...(w.dropEnableSecret ? { enableSecretEnc: null } : {}),
              // the same reset as updateDevice: a new endpoint's key waits to be accepted
              ...(w.endpointChanged ? endpointResetFields(now) : {}),
            },
          });
        }
        // new devices behind a jump host, once every device of the file exists
        const behind = new Map<string, string[]>();
        for (const w of creating)
          if (w.value.jumpHost) {
            const hop = idOf.get(w.value.jumpHost)!;
            behind.set(hop, [...(behind.get(hop) ?? []), idOf.get(w.value.name)!]);
          }
        for (const [hop, ids] of behind)
          for (const part of chunks(ids))
            await tx.device.updateMany({ where: { id: { in: part } }, data: { jumpHostId: hop } });
        for (const [gid, ids] of removes)
          for (const part of chunks(ids))
            await tx.deviceGroupMember.deleteMany({ where: { groupId: gid, deviceId: { in: part } } });
        await insertRows(
          tx,
          'DeviceGroupMember',
          ['groupId', 'deviceId', 'createdAt'],
          adds.map((m) => ({ ...m, createdAt: now })),
        );
      },
      { timeout: IMPORT_TX_TIMEOUT_MS, maxWait: 10_000 },
    );

  if (removes.size === 0) {
    await apply();
    return;
  }
  const affected = new Set<string>();
  for (const gid of removes.keys()) for (const u of await usersReachingGroup(db, gid)) affected.add(u);
  const candidates = [...new Set([...removes.values()].flat())];
  const who = { id: actor.id, role: actor.role, username: actor.username ?? '', displayName: '' };
  await withAccessChange(who, affected, candidates, apply, deps);
}
