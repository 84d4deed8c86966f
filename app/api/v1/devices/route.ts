import { listDevicePage, createDevices, deviceView } from '@/lib/api/devices';
import { apiRoute, json, parseBody, readBody, readQuery } from '@/lib/api/route';
import { bulkDevicesSchema, deviceInputSchema, deviceListQuery } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';

/** The devices the caller sees, by name, a page at a time. */
export const GET = apiRoute({}, async (req, ctx) => {
  const q = readQuery(req, deviceListQuery);
  const p = await listDevicePage(ctx.actor, q, ctx.runtime);
  return json({ items: p.items.map(deviceView), next_cursor: p.next_cursor });
});

/** One device, or {"devices":[…]} (all or nothing). Credentials are write-only. */
export const POST = apiRoute({ write: true, role: 'operator' }, async (req, ctx) => {
  const raw = await readBody(req, ctx);
  // one device, or {"devices":[…]}: validated as that shape, so errors name the field
  const items =
    typeof raw === 'object' && raw !== null && 'devices' in raw
      ? parseBody(bulkDevicesSchema, raw).devices
      : [parseBody(deviceInputSchema, raw)];
  const created = await createDevices(ctx.actor, items, ctx.services);
  await ctx.audit(
    'device.create',
    created.length === 1 ? created[0]!.name : `${created.length} devices`,
    created
      .slice(0, 20)
      .map((d) => `${d.name} ${d.vendor} ${d.host}:${d.port}`)
      .join(', ') + (created.length > 20 ? ', …' : ''),
  );
  return json({ items: created.map(deviceView) }, 201);
});
