import { atLeast, isRole } from '../auth/roles';
import { Prisma, type PrismaClient } from '../db/generated/client';
import { deviceAccessWhere, deviceLevel, userCanSeeDevice, type GrantLevel } from './visibility';

/**
 * What a device login reads before it connects: the acting user, the device row, the jump hosts in
 * front of it (rows and group jump hosts, hop by hop) and the user's level on each. Logins that start
 * together (a task's devices taking their slots) are read together, a few statements for the lot
 * instead of about five per device.
 *
 * Freshness is what it was with one read per login: a login's rows are read by a load that starts
 * after the login asked, never from an earlier snapshot, so a grant revoked or a user disabled while
 * a task's device waited for its slot stops that device.
 */

/** The most jump hosts in front of a device (each hop is an SSH login of its own). */
export const JUMP_MAX_HOPS = 3;

/** The columns a login uses: its route, credentials, host-key policy, driver (not notes, fields, keys…). */
export const DEVICE_SELECT = {
  id: true,
  name: true,
  host: true,
  port: true,
  vendor: true,
  encoding: true,
  transport: true,
  kind: true,
  username: true,
  authType: true,
  secretEnc: true,
  passphraseEnc: true,
  enableSecretEnc: true,
  secretsRoute: true,
  sshAlgorithms: true,
  negotiatedAlgorithms: true,
  hostKeyFingerprint: true,
  hostKeyApprovalRequired: true,
  jumpHostId: true,
  updatedAt: true,
} as const;

export type DeviceRow = NonNullable<Awaited<ReturnType<typeof readDevice>>>;

function readDevice(db: PrismaClient, id: string) {
  return db.device.findUnique({ where: { id }, select: DEVICE_SELECT });
}

/** The acting user as the access check sees it. */
export interface ActorRow {
  id: string;
  username: string;
  role: string;
  disabled: boolean;
}

/** A device group that names a jump host, as seen from one of its devices. */
export interface JumpGroup {
  name: string;
  jumpHost: { id: string; name: string };
}

/** One load's answers. A device outside the load (not asked for, or past the hops read) is read on its own. */
export interface LoginReads {
  /** null: the user no longer exists. */
  readonly actor: ActorRow | null;
  device(id: string): Promise<DeviceRow | null>;
  /** The groups of the device that name a jump host other than the device itself, by name. */
  jumpGroups(deviceId: string): Promise<JumpGroup[]>;
  /** The actor's level on the device (only asked for an enabled operator or admin). */
  level(deviceId: string): Promise<GrantLevel | null>;
}

export const ACTOR_SELECT = { id: true, username: true, role: true, disabled: true } as const;

/*
 * A load's statements are written in SQL (the same text on SQLite and PostgreSQL: quoted model
 * and field names): a task of 500 devices makes about 50 loads, and Prisma's query builder costs
 * twice what the statements themselves do (README "raw-login-reads"). The columns are the selects
 * above, so the rows are what `findUnique` with those selects returns, typed by Prisma's raw-result
 * mapping (booleans, dates); tests/login-reads-sql.test.ts compares them on both databases.
 */
const columns = (select: Record<string, true>, table: string) =>
  Prisma.raw(
    Object.keys(select)
      .map((c) => `${table}."${c}"`)
      .join(', '),
  );
const ACTOR_COLUMNS = columns(ACTOR_SELECT, '"User"');
const DEVICE_COLUMNS = columns(DEVICE_SELECT, 'd');

/** The acting user, or null. */
export async function readActor(db: PrismaClient, userId: string): Promise<ActorRow | null> {
  const rows = await db.$queryRaw<
    ActorRow[]
  >`SELECT ${ACTOR_COLUMNS} FROM "User" WHERE "User"."id" = ${userId}`;
  return rows[0] ?? null;
}

/** A device row as a load reads it: with how many of its groups name a jump host (a number or a bigint, as the database counts). */
export type LoginDeviceRow = DeviceRow & { jumpGroups: number | bigint };

const JUMP_GROUPS = Prisma.sql`(SELECT COUNT(*) FROM "DeviceGroupMember" m JOIN "DeviceGroup" g ON g."id" = m."groupId" WHERE m."deviceId" = d."id" AND g."jumpHostId" IS NOT NULL) AS "jumpGroups"`;

/** The devices of `ids` (LoginDeviceRow). */
export async function readDevicesForLogin(
  db: PrismaClient,
  ids: readonly string[],
): Promise<LoginDeviceRow[]> {
  if (ids.length === 0) return [];
  return db.$queryRaw`SELECT ${DEVICE_COLUMNS}, ${JUMP_GROUPS} FROM "Device" d WHERE d."id" IN (${Prisma.join(ids)})`;
}

/** The actor's columns under names no device column has. */
const ACTOR_AS = Object.keys(ACTOR_SELECT).map((c) => [c, `actor_${c}`] as const);
const ACTOR_ALIASED = Prisma.raw(ACTOR_AS.map(([c, as]) => `u."${c}" AS "${as}"`).join(', '));

/**
 * The acting user and the devices of `ids` in one statement, the first of every load: the user's row
 * joined to each device (or to nothing: one row with the device's columns null). No row: the user is
 * gone (rare: the devices are then read on their own). A load of eleven devices, a task's usual, was
 * two statements.
 */
export async function readActorAndDevices(
  db: PrismaClient,
  userId: string,
  ids: readonly string[],
): Promise<{ actor: ActorRow | null; devices: LoginDeviceRow[] }> {
  if (ids.length === 0) return { actor: await readActor(db, userId), devices: [] };
  const rows = await db.$queryRaw<
    Record<string, unknown>[]
  >`SELECT ${ACTOR_ALIASED}, ${DEVICE_COLUMNS}, ${JUMP_GROUPS} FROM "User" u LEFT JOIN "Device" d ON d."id" IN (${Prisma.join(ids)}) WHERE u."id" = ${userId}`;
  // the user is gone: the devices are read all the same (the access check, not the row, refuses)
  if (rows.length === 0) return { actor: null, devices: await readDevicesForLogin(db, ids) };
  const actor = Object.fromEntries(ACTOR_AS.map(([c, as]) => [c, rows[0]![as]])) as unknown as ActorRow;
  const devices: LoginDeviceRow[] = [];
  for (const row of rows) {
    if (row.id === null) continue; // the user's row alone: none of the devices exists
    for (const [, as] of ACTOR_AS) delete row[as];
    devices.push(row as unknown as LoginDeviceRow);
  }
  return { actor, devices };
}

/** A device's membership of a group that names a jump host. */
const JUMP_GROUP_MEMBER = { group: { jumpHostId: { not: null } } } as const;

/** The jump-host groups of each device (devices known to be in such a group). */
async function readJumpGroups(db: PrismaClient, deviceIds: string[]): Promise<Map<string, JumpGroup[]>> {
  const byDevice = new Map<string, JumpGroup[]>();
  if (deviceIds.length === 0) return byDevice;
  const members = await db.deviceGroupMember.findMany({
    where: { deviceId: { in: deviceIds }, ...JUMP_GROUP_MEMBER },
    select: { deviceId: true, groupId: true },
  });
  if (members.length === 0) return byDevice;
  const groups = await db.deviceGroup.findMany({
    where: { id: { in: [...new Set(members.map((m) => m.groupId))] }, jumpHostId: { not: null } },
    select: { id: true, name: true, jumpHost: { select: { id: true, name: true } } },
    orderBy: { name: 'asc' },
  });
  const inGroup = new Set(members.map((m) => `${m.groupId}|${m.deviceId}`));
  for (const id of deviceIds) {
    const mine = groups.flatMap((g) =>
      g.jumpHost && g.jumpHost.id !== id && inGroup.has(`${g.id}|${id}`)
        ? [{ name: g.name, jumpHost: g.jumpHost }]
        : [],
    );
    if (mine.length > 0) byDevice.set(id, mine);
  }
  return byDevice;
}

/** The same groups for one device, read on their own (a device outside a load). */
async function readJumpGroupsOf(db: PrismaClient, deviceId: string): Promise<JumpGroup[]> {
  const groups = await db.deviceGroup.findMany({
    where: {
      members: { some: { deviceId } },
      jumpHostId: { not: null },
      NOT: { jumpHostId: deviceId },
    },
    select: { name: true, jumpHost: { select: { id: true, name: true } } },
    orderBy: { name: 'asc' },
  });
  return groups.flatMap((g) => (g.jumpHost ? [{ name: g.name, jumpHost: g.jumpHost }] : []));
}

/** The next hop a route takes from a device, when its rows say so without doubt (else route resolution decides). */
function nextHop(row: DeviceRow, groups: JumpGroup[] | undefined): string | null {
  if (row.jumpHostId) return row.jumpHostId;
  const distinct = new Set(groups?.map((g) => g.jumpHost.id));
  return distinct.size === 1 ? [...distinct][0]! : null;
}

/**
 * Read everything the logins of `userId` to `deviceIds` need: the user, then the devices and their jump
 * hosts hop by hop (up to JUMP_MAX_HOPS), then the user's operate access to all of them. Typically one
 * statement (an operator's access adds one, devices in a jump-host group two), whatever the number
 * of devices.
 */
export async function readLoginBatch(
  db: PrismaClient,
  userId: string,
  deviceIds: readonly string[],
): Promise<LoginReads> {
  let wanted = [...new Set(deviceIds)];
  const first = await readActorAndDevices(db, userId, wanted);
  const { actor } = first;
  const rows = new Map<string, DeviceRow>();
  const groups = new Map<string, JumpGroup[]>();
  /** Devices this load looked for: a missing one is gone, not unread. */
  const looked = new Set<string>();
  for (let depth = 0; depth <= JUMP_MAX_HOPS && wanted.length > 0; depth++) {
    for (const id of wanted) looked.add(id);
    // with each device, how many of its groups name a jump host: their names and hosts are read only
    // for a device that has such a group (rarely), not a statement per load for every device
    const found = depth === 0 ? first.devices : await readDevicesForLogin(db, wanted);
    for (const r of found) rows.set(r.id, r); // `jumpGroups` rides along unread
    const ownHopless = found.filter((r) => !r.jumpHostId && Number(r.jumpGroups) > 0).map((r) => r.id);
    for (const [id, g] of await readJumpGroups(db, ownHopless)) groups.set(id, g);
    const next = new Set<string>();
    for (const r of found) {
      const hop = nextHop(r, groups.get(r.id));
      if (hop && !looked.has(hop)) next.add(hop);
    }
    wanted = [...next];
  }
  /** Every device read; its jump-host groups were read with it. */
  const grouped = new Set(rows.keys());

  const subject = actor && isRole(actor.role) ? { id: actor.id, role: actor.role } : null;
  // an admin operates every device there is; an operator's grants are read for all of them at once
  let operable: Set<string> | null = null;
  if (subject && !actor!.disabled && subject.role !== 'admin' && atLeast(subject.role, 'operator')) {
    const ids = [...rows.keys()];
    operable = new Set(
      ids.length === 0
        ? []
        : (
            await db.device.findMany({
              where: { AND: [{ id: { in: ids } }, deviceAccessWhere(subject, 'operate')] },
              select: { id: true },
            })
          ).map((d) => d.id),
    );
  }

  return {
    actor,
    async device(id) {
      if (rows.has(id)) return rows.get(id)!;
      if (looked.has(id)) return null;
      return readDevice(db, id);
    },
    async jumpGroups(id) {
      return grouped.has(id) ? (groups.get(id) ?? []) : readJumpGroupsOf(db, id);
    },
    async level(id) {
      if (!subject) return null;
      if (subject.role === 'admin' && looked.has(id)) return rows.has(id) ? 'operate' : null;
      if (operable && rows.has(id)) {
        if (operable.has(id)) return 'operate';
        return (await userCanSeeDevice(db, subject, id)) ? 'view' : null;
      }
      return deviceLevel(db, subject, id);
    },
  };
}

/**
 * Gathers requests made close together into one load per key: those of one event-loop turn, and those
 * made while the key's load runs (they go in the next one, as soon as it ends). A request is always
 * answered by a load that started after it was made.
 */
export class Coalescer<K, Item, Result> {
  private readonly queues = new Map<
    K,
    {
      items: Set<Item>;
      waiters: { resolve(r: Result): void; reject(e: unknown): void }[];
      scheduled: boolean;
      running: boolean;
    }
  >();

  constructor(
    private readonly load: (key: K, items: Item[]) => Promise<Result>,
    /** When the gathered requests go (default: after the I/O callbacks of this turn). */
    private readonly defer: (fn: () => void) => void = (fn) => void setImmediate(fn),
  ) {}

  request(key: K, item: Item): Promise<Result> {
    let q = this.queues.get(key);
    if (!q) {
      q = { items: new Set(), waiters: [], scheduled: false, running: false };
      this.queues.set(key, q);
    }
    q.items.add(item);
    const answer = new Promise<Result>((resolve, reject) => q.waiters.push({ resolve, reject }));
    this.schedule(key);
    return answer;
  }

  private schedule(key: K): void {
    const q = this.queues.get(key)!;
    if (q.scheduled || q.running) return;
    q.scheduled = true;
    this.defer(() => {
      q.scheduled = false;
      void this.run(key);
    });
  }

  private async run(key: K): Promise<void> {
    const q = this.queues.get(key)!;
    const items = [...q.items];
    const waiters = q.waiters;
    q.items = new Set();
    q.waiters = [];
    q.running = true;
    try {
      const result = await this.load(key, items);
      for (const w of waiters) w.resolve(result);
    } catch (err) {
      for (const w of waiters) w.reject(err);
    } finally {
      q.running = false;
      if (q.waiters.length > 0) this.schedule(key);
      else this.queues.delete(key);
    }
  }
}

/** Login reads gathered per acting user (see Coalescer). */
export function createLoginReader(db: PrismaClient): {
  read(userId: string, deviceId: string): Promise<LoginReads>;
} {
  const batches = new Coalescer<string, string, LoginReads>((userId, ids) => readLoginBatch(db, userId, ids));
  return { read: (userId, deviceId) => batches.request(userId, deviceId) };
}
