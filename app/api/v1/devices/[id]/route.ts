import { ApiProblem, notFound } from '@/lib/api/problem';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { devicePatchSchema } from '@/lib/api/schemas';
import { deviceFormFields, deviceView } from '@/lib/api/devices';
import { apiFieldErrors } from '@/lib/api/views';
import { deleteDevice, getVisibleDevice, PUBLIC_DEVICE_SELECT, updateDevice } from '@/lib/devices/inventory';

export const dynamic = 'force-dynamic';

type Params = { id: string };

export const GET = apiRoute<Params>({}, async (_req, ctx, { id }) => {
  const d = await getVisibleDevice(ctx.user, id, ctx.runtime);
  if (!d) throw notFound('device');
  const full = await ctx.runtime.db.device.findUniqueOrThrow({
    where: { id: d.id },
    select: PUBLIC_DEVICE_SELECT,
  });
  return json(deviceView(full));
});

/** Change some fields; a new host, port or username needs the secret again (never sent back). */
export const PATCH = apiRoute<Params>({ write: true, role: 'operator' }, async (req, ctx, { id }) => {
  const patch = await readJson(req, devicePatchSchema, ctx);
  const d = await getVisibleDevice(ctx.user, id, ctx.runtime);
  if (!d) throw notFound('device');
  // what the patch leaves out stays as stored (the route, the session cap and the custom fields too)
  const merged = {
    ...deviceFormFields({
      name: d.name,
      host: d.host,
      port: d.port,
      vendor: d.vendor,
      encoding: d.encoding,
      username: d.username,
      notes: d.notes,
      transport: d.transport,
      kind: d.kind,
      ssh_algorithms: d.sshAlgorithms,
      jump_host: d.jumpHost?.name ?? '',
      max_sessions: d.maxSessions,
    }),
    authType: d.authType,
    ...deviceFormFields(patch),
  };
  const r = await updateDevice(ctx.user, id, merged, ctx.services);
  if (!r.ok) {
    if (r.errors.form) throw notFound('device');
    throw new ApiProblem(422, 'invalid', 'The device has invalid fields.', {
      errors: apiFieldErrors(r.errors),
    });
  }
  const full = await ctx.runtime.db.device.findUniqueOrThrow({ where: { id }, select: PUBLIC_DEVICE_SELECT });
  return json(deviceView(full));
});

export const DELETE = apiRoute<Params>({ write: true, role: 'operator' }, async (_req, ctx, { id }) => {
  const r = await deleteDevice(ctx.user, id, ctx.services);
  if (!r.ok) throw notFound('device');
  return new Response(null, { status: 204 });
});
