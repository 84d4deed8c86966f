import { accessProblem } from '@/lib/api/access';
import { notFound } from '@/lib/api/problem';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { groupDevicesInputSchema } from '@/lib/api/schemas';
import { setGroupDevices } from '@/lib/devices/groups';
import { visibleDevicesWhere } from '@/lib/devices/visibility';

export const dynamic = 'force-dynamic';

/** The group's devices that the caller sees (ids, by name). */
export const GET = apiRoute<{ id: string }>({}, async (_req, ctx, { id }) => {
  const db = ctx.runtime.db;
  if (!(await db.deviceGroup.findUnique({ where: { id }, select: { id: true } }))) throw notFound('group');
  const rows = await db.device.findMany({
    where: { AND: [{ groups: { some: { groupId: id } } }, visibleDevicesWhere(ctx.actor)] },
    select: { id: true },
    orderBy: { name: 'asc' },
  });
  if (ctx.actor.role !== 'admin' && rows.length === 0) throw notFound('group');
  return json({ devices: rows.map((r) => r.id) });
});

/** Exactly these devices (admins). Devices leaving it close the terminals that only it allowed. */
export const PUT = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (req, ctx, { id }) => {
  const body = await readJson(req, groupDevicesInputSchema, ctx);
  const r = await setGroupDevices(ctx.user, id, body.devices, ctx.services);
  if (!r.ok) throw accessProblem(r, 'group');
  const rows = await ctx.runtime.db.deviceGroupMember.findMany({
    where: { groupId: id },
    select: { deviceId: true },
    orderBy: { device: { name: 'asc' } },
  });
  return json({ devices: rows.map((r) => r.deviceId) });
});
