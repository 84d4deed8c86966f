import 'server-only';
import type { CurrentUser } from '../auth/session';
import { Prisma } from '../db/generated/client';
import type { PrismaClient } from '../db/client';
import { containsText } from '../db/dialect';
import {
  lastPage,
  PALETTE_MAX_RESULTS,
  type DeviceListQuery,
  type DeviceSortColumn,
  type SortDir,
} from './device-list-params';
import { operableDevicesWhere, roleCap, visibleDevicesWhere } from './visibility';

/**
 * The Devices page's query: one page of the devices a user sees, filtered, searched and sorted in
 * SQL. A page costs one count, one findMany, one statement for the rows' group chips and (for operators)
 * one for which rows they may operate: never a query per row, never every device in memory.
 */

/** What a row of the list shows; no credentials are ever selected. */
export interface DeviceListRow {
  id: string;
  name: string;
  host: string;
  port: number;
  username: string;
  vendor: string;
  transport: string;
  status: string;
  statusChangedAt: Date | null;
  notes: string;
  lab: boolean;
  groups: { id: string; name: string }[];
  /** The user may open a terminal on it (and run tasks on it). */
  canOperate: boolean;
}

export interface DevicePage {
  rows: DeviceListRow[];
  total: number;
  /** The page shown: the one asked for, or the last one when it asked for more than there are. */
  page: number;
  pageSize: number;
}

const ROW_SELECT = {
  id: true,
  name: true,
  host: true,
  port: true,
  username: true,
  vendor: true,
  transport: true,
  status: true,
  statusChangedAt: true,
  notes: true,
  lab: true,
} as const satisfies Prisma.DeviceSelect;

type Subject = Pick<CurrentUser, 'id' | 'role'>;

/** Name, host and notes contain the text, or the device is in a group whose name does. */
function searchWhere(q: string, db: PrismaClient): Prisma.DeviceWhereInput {
  const has = containsText(db, q);
  return {
    OR: [
      { name: has },
      { host: has },
      { notes: has },
      { groups: { some: { group: { name: has } } } },
    ],
  };
}

/** The WHERE of the list: what the user sees, narrowed by the search and the filters. */
export function deviceListWhere(
  user: Subject,
  query: Pick<DeviceListQuery, 'q' | 'vendor' | 'status' | 'group'>,
  db: PrismaClient,
): Prisma.DeviceWhereInput {
  const and: Prisma.DeviceWhereInput[] = [visibleDevicesWhere(user)];
  if (query.q) and.push(searchWhere(query.q, db));
  if (query.vendor) and.push({ vendor: query.vendor });
  if (query.status) and.push({ status: query.status });
  if (query.group) and.push({ groups: { some: { groupId: query.group } } });
  return { AND: and };
}

const SORT_FIELD: Record<DeviceSortColumn, keyof Prisma.DeviceOrderByWithRelationInput> = {
  name: 'name',
  host: 'host',
  vendor: 'vendor',
  status: 'status',
  changed: 'statusChangedAt',
  transport: 'transport',
};

/** The column asked for, then the name (unique): equal values keep one order from page to page. */
export function deviceListOrderBy(
  sort: DeviceSortColumn,
  dir: SortDir,
): Prisma.DeviceOrderByWithRelationInput[] {
  if (sort === 'name') return [{ name: dir }];
  if (sort === 'changed')
    // devices never probed have no time: last whichever way the list is sorted
    return [{ statusChangedAt: { sort: dir, nulls: 'last' } }, { name: 'asc' }];
  return [{ [SORT_FIELD[sort]]: dir }, { name: 'asc' }];
}

/**
 * The groups of each of these devices, by name: one statement (a join), where the groups service's
 * a nested Prisma select costs two (Prisma fetches the nested group separately).
 */
export async function groupChips(
  db: PrismaClient,
  ids: string[],
): Promise<Map<string, { id: string; name: string }[]>> {
  const out = new Map<string, { id: string; name: string }[]>();
  if (ids.length === 0) return out;
  const rows = await db.$queryRaw<{ deviceId: string; id: string; name: string }[]>(Prisma.sql`
    SELECT m."deviceId" AS "deviceId", g."id" AS "id", g."name" AS "name"
    FROM "DeviceGroupMember" m JOIN "DeviceGroup" g ON g."id" = m."groupId"
    WHERE m."deviceId" IN (${Prisma.join(ids)})
    ORDER BY g."name"`);
  for (const r of rows) {
    const list = out.get(r.deviceId) ?? [];
    list.push({ id: r.id, name: r.name });
    out.set(r.deviceId, list);
  }
  return out;
}

/** Which of these ids the user may operate (admins all, viewers none; operators: one query). */
export async function operableAmong(db: PrismaClient, user: Subject, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0 || roleCap(user.role) !== 'operate') return new Set();
  if (user.role === 'admin') return new Set(ids);
  const rows = await db.device.findMany({
    where: { AND: [{ id: { in: ids } }, operableDevicesWhere(user)] },
    select: { id: true },
  });
  return new Set(rows.map((r) => r.id));
}

export async function listDevicePage(
  user: Subject,
  query: DeviceListQuery,
  db: PrismaClient,
): Promise<DevicePage> {
  const where = deviceListWhere(user, query, db);
  const total = await db.device.count({ where });
  const page = Math.min(query.page, lastPage(total, query.pageSize));
  const devices =
    total === 0
      ? []
      : await db.device.findMany({
          where,
          orderBy: deviceListOrderBy(query.sort, query.dir),
          skip: (page - 1) * query.pageSize,
          take: query.pageSize,
          select: ROW_SELECT,
        });
  const ids = devices.map((d) => d.id);
  const [groups, operable] =
    ids.length === 0
      ? [new Map<string, { id: string; name: string }[]>(), new Set<string>()]
      : await Promise.all([groupChips(db, ids), operableAmong(db, user, ids)]);
  return {
    rows: devices.map((d) => ({ ...d, groups: groups.get(d.id) ?? [], canOperate: operable.has(d.id) })),
    total,
    page,
    pageSize: query.pageSize,
  };
}

export interface PaletteMatch {
  id: string;
  name: string;
  host: string;
  vendor: string;
  status: string;
  canOperate: boolean;
}

/**
 * The quick-connect palette: up to PALETTE_MAX_RESULTS devices the user sees whose name, host or a
 * group's name contains the text, names starting with it first. One query (plus one for operators:
 * which of the matches they may operate).
 */
export async function paletteSearch(user: Subject, text: string, db: PrismaClient): Promise<PaletteMatch[]> {
  const q = text.trim().slice(0, 100);
  if (!q) return [];
  const rows = await db.device.findMany({
    where: {
      AND: [
        visibleDevicesWhere(user),
        {
          OR: [
            { name: containsText(db, q) },
            { host: containsText(db, q) },
            { groups: { some: { group: { name: containsText(db, q) } } } },
          ],
        },
      ],
    },
    orderBy: { name: 'asc' },
    // a few more than shown: the ones whose name starts with the text move to the top
    take: PALETTE_MAX_RESULTS * 5,
    select: { id: true, name: true, host: true, vendor: true, status: true },
  });
  const lower = q.toLowerCase();
  const rank = (name: string) =>
    name.toLowerCase().startsWith(lower) ? 0 : name.toLowerCase().includes(lower) ? 1 : 2;
  const top = rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r.name) - rank(b.r.name) || a.i - b.i)
    .slice(0, PALETTE_MAX_RESULTS)
    .map((x) => x.r);
  const operable = await operableAmong(
    db,
    user,
    top.map((r) => r.id),
  );
  return top.map((r) => ({ ...r, canOperate: operable.has(r.id) }));
}

/**
 * "Select all N matching": the devices of a list query across all its pages, in the list's order, up
 * to `max` (BULK_SELECT_MAX), with whether the user may operate each. Two statements.
 */
export async function listMatchingDevices(
  user: Subject,
  query: DeviceListQuery,
  db: PrismaClient,
  max: number,
): Promise<{ id: string; name: string; canOperate: boolean }[]> {
  const rows = await db.device.findMany({
    where: deviceListWhere(user, query, db),
    orderBy: deviceListOrderBy(query.sort, query.dir),
    take: max,
    select: { id: true, name: true },
  });
  const operable = await operableAmong(
    db,
    user,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, canOperate: operable.has(r.id) }));
}
