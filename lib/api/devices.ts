import 'server-only';
import type { Prisma } from '../db/generated/client';
import type { CurrentUser } from '../auth/session';
import {
  keyErrors,
  newDeviceRow,
  PUBLIC_DEVICE_SELECT,
  type InventoryDeps,
  type PublicDevice,
} from '../devices/inventory';
import { validateDeviceForm, type DeviceFormInput } from '../devices/schema';
import { visibleDevicesWhere } from '../devices/visibility';
import { decodeCursor, page } from './cursor';
import { ApiProblem } from './problem';
import { apiFieldErrors, deviceFormFields } from './views';
import type { deviceInputSchema } from './schemas';
import type { z } from 'zod';

type Actor = Pick<CurrentUser, 'id' | 'role'>;

/** SQLite takes at most 999 bound parameters in one statement. */
const IN_LIST_MAX = 500;
const chunks = <T>(list: T[]): T[][] =>
  Array.from({ length: Math.ceil(list.length / IN_LIST_MAX) }, (_, i) =>
    list.slice(i * IN_LIST_MAX, (i + 1) * IN_LIST_MAX),
  );

/** One page of the devices the actor sees, ordered by name (keyset: name, id). */
export async function listDevicePage(
  actor: Actor,
  q: { q?: string; vendor?: string; status?: string; group?: string; limit: number; cursor?: string },
  deps: Pick<InventoryDeps, 'db'>,
) {
  const and: Prisma.DeviceWhereInput[] = [visibleDevicesWhere(actor)];
  if (q.q)
    and.push({
      OR: [{ name: { contains: q.q } }, { host: { contains: q.q } }, { notes: { contains: q.q } }],
    });
  if (q.vendor) and.push({ vendor: q.vendor });
  if (q.status) and.push({ status: q.status });
  if (q.group) and.push({ groups: { some: { groupId: q.group } } });
  if (q.cursor) {
    const [name, id] = decodeCursor(q.cursor, 2) as [string, string];
    and.push({ OR: [{ name: { gt: name } }, { name, id: { gt: id } }] });
  }
  const rows = await deps.db.device.findMany({
    where: { AND: and },
    select: PUBLIC_DEVICE_SELECT,
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: q.limit + 1,
  });
  return page(rows, q.limit, (d) => [d.name, d.id]);
}

/**
 * Create up to MAX_DEVICES_PER_REQUEST devices, all or nothing: every item is validated first (the
 * device form's rules), and one bad item saves nothing and is named in the errors.
 */
export async function createDevices(
  actor: Actor,
  items: z.output<typeof deviceInputSchema>[],
  deps: InventoryDeps,
): Promise<PublicDevice[]> {
  const errors: Record<string, string> = {};
  const valid: DeviceFormInput[] = [];
  const prefix = (i: number) => (items.length === 1 ? '' : `devices.${i}.`);
  items.forEach((item, i) => {
    const r = validateDeviceForm(deviceFormFields(item));
    if (!r.ok) return Object.assign(errors, apiFieldErrors(r.errors, prefix(i)));
    const bad = keyErrors(r.value);
    if (bad) return Object.assign(errors, apiFieldErrors(bad, prefix(i)));
    valid.push(r.value);
  });
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const name = item.name.trim();
    const first = seen.get(name);
    if (first !== undefined) errors[`${prefix(i)}name`] ??= `The same name as devices.${first}.`;
    else seen.set(name, i);
  });
  const taken = (
    await Promise.all(
      chunks([...seen.keys()]).map((names) =>
        deps.db.device.findMany({ where: { name: { in: names } }, select: { name: true } }),
      ),
    )
  ).flat();
  for (const t of taken)
    errors[`${prefix(seen.get(t.name)!)}name`] ??= 'A device with this name already exists.';
  if (Object.keys(errors).length > 0)
    throw new ApiProblem(
      422,
      'invalid',
      items.length === 1 ? 'The device has invalid fields.' : 'Some devices are invalid; none was saved.',
      { errors },
    );
  const rows = valid.map((v) => newDeviceRow(deps.vault, v, actor.id));
  try {
    await deps.db.$transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += 200) await tx.device.createMany({ data: rows.slice(i, i + 200) });
      // the creator can use what they add; admins see everything anyway
      if (actor.role !== 'admin')
        await tx.deviceGrant.createMany({ data: rows.map((r) => ({ userId: actor.id, deviceId: r.id })) });
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002')
      throw new ApiProblem(
        409,
        'conflict',
        'A device with one of these names was added meanwhile; nothing was saved.',
      );
    throw err;
  }
  const created = await Promise.all(
    chunks(rows.map((r) => r.id)).map((ids) =>
      deps.db.device.findMany({ where: { id: { in: ids } }, select: PUBLIC_DEVICE_SELECT }),
    ),
  );
  return created.flat().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
