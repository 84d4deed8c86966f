import 'server-only';
import type { CurrentUser } from '@/lib/auth/session';
import type { PrismaClient } from '@/lib/db/client';
import { DEVICE_STATUSES, type DeviceStatus } from '@/lib/devices/status';
import { visibleDevicesWhere } from '@/lib/devices/visibility';
import { onlineSeries, type OnlinePoint } from './online-series';

/** Samples of the "online over the last 24 h" chart: every 15 minutes, and now. */
export const ONLINE_CHART_POINTS = 97;
export const ONLINE_CHART_WINDOW_MS = 24 * 3600_000;
/** Groups shown on the dashboard (the largest by visible devices). */
export const DASHBOARD_TOP_GROUPS = 8;
/** Outages listed (longest first); the count says how many there are in all. */
export const DASHBOARD_OUTAGES = 15;

export interface Dashboard {
  /** The moment the numbers are for (ms since the epoch). */
  now: number;
  total: number;
  byStatus: Record<DeviceStatus, number>;
  groups: { id: string; name: string; total: number; online: number; offline: number }[];
  groupCount: number;
  outages: {
    id: string;
    name: string;
    host: string;
    port: number;
    since: string | null;
    reason: string | null;
  }[];
  online: OnlinePoint[];
}

/**
 * What "is my network OK" needs, all through the user's visibility rule: aggregates in SQL, a
 * bounded list of outages, one query for the day's transitions. A fixed number of queries whatever
 * the number of devices.
 */
export async function loadDashboard(
  user: CurrentUser,
  db: PrismaClient,
  now: number = Date.now(),
): Promise<Dashboard> {
  const visible = visibleDevicesWhere(user);
  const from = now - ONLINE_CHART_WINDOW_MS;
  const groupBy = (status?: DeviceStatus) =>
    db.deviceGroupMember.groupBy({
      by: ['groupId'],
      where: { device: status ? { AND: [visible, { status }] } : visible },
      _count: { _all: true },
    });
  const [byStatusRows, groupTotals, groupOnline, groupOffline, outages, changes] = await Promise.all([
    db.device.groupBy({ by: ['status'], where: visible, _count: { _all: true } }),
    groupBy(),
    groupBy('online'),
    groupBy('offline'),
    db.device.findMany({
      where: { AND: [visible, { status: 'offline' }] },
      orderBy: [{ statusChangedAt: 'asc' }, { name: 'asc' }],
      take: DASHBOARD_OUTAGES,
      select: { id: true, name: true, host: true, port: true, statusChangedAt: true },
    }),
    db.deviceStatusChange.findMany({
      // the relation filter becomes `deviceId IN (visible devices)`, answered from (deviceId, at)
      // only changes into or out of `online` move the count
      where: {
        at: { gt: new Date(from) },
        device: visible,
        OR: [{ status: 'online' }, { previous: 'online' }],
      },
      select: { at: true, status: true, previous: true },
    }),
  ]);
  const byStatus = Object.fromEntries(DEVICE_STATUSES.map((s) => [s, 0])) as Record<DeviceStatus, number>;
  for (const r of byStatusRows) if (r.status in byStatus) byStatus[r.status as DeviceStatus] = r._count._all;
  const total = byStatusRows.reduce((n, r) => n + r._count._all, 0);

  const top = [...groupTotals].sort((a, b) => b._count._all - a._count._all).slice(0, DASHBOARD_TOP_GROUPS);
  const count = (rows: typeof groupTotals, id: string) =>
    rows.find((r) => r.groupId === id)?._count._all ?? 0;
  const [names, reasons] = await Promise.all([
    db.deviceGroup.findMany({
      where: { id: { in: top.map((g) => g.groupId) } },
      select: { id: true, name: true },
    }),
    // why each listed device is down: its last transition (to offline)
    // (the monitor stamps statusChangedAt with the transition's own time: an exact index lookup)
    db.deviceStatusChange.findMany({
      where: {
        OR: outages
          .filter((o) => o.statusChangedAt)
          .map((o) => ({ deviceId: o.id, at: o.statusChangedAt!, status: 'offline' })),
      },
      select: { deviceId: true, reason: true },
    }),
  ]);
  const nameOf = new Map(names.map((g) => [g.id, g.name]));
  const reasonOf = new Map<string, string>();
  for (const r of reasons) if (!reasonOf.has(r.deviceId)) reasonOf.set(r.deviceId, r.reason);

  return {
    now,
    total,
    byStatus,
    groups: top.map((g) => ({
      id: g.groupId,
      name: nameOf.get(g.groupId) ?? g.groupId,
      total: g._count._all,
      online: count(groupOnline, g.groupId),
      offline: count(groupOffline, g.groupId),
    })),
    groupCount: groupTotals.length,
    outages: outages.map((o) => ({
      id: o.id,
      name: o.name,
      host: o.host,
      port: o.port,
      since: o.statusChangedAt?.toISOString() ?? null,
      reason: reasonOf.get(o.id) || null,
    })),
    online: onlineSeries({ onlineNow: byStatus.online, changes, from, to: now, points: ONLINE_CHART_POINTS }),
  };
}
