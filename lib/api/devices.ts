import 'server-only';
import { containsText } from '../db/dialect';
import type { Prisma } from '../db/generated/client';
import type { CurrentUser } from '../auth/session';
import {
  keyErrors,
  newDeviceRow,
  PUBLIC_DEVICE_SELECT,
  type InventoryDeps,
  type PublicDevice,
} from '../devices/inventory';
import { readDeviceFields } from '../devices/fields';
import { validateDeviceForm, type DeviceFormInput } from '../devices/schema';
import type { NegotiatedAlgorithms } from '../devices/ssh-algorithms';
import { visibleDevicesWhere } from '../devices/visibility';
import { decodeCursor, page } from './cursor';
import { ApiProblem } from './problem';
import { apiFieldErrors } from './views';
import type { deviceInputSchema, deviceSchema } from './schemas';
import type { z } from 'zod';

type Actor = Pick<CurrentUser, 'id' | 'role'>;

/** A stored device → the API's snake_case shape (lib/api/schemas.ts deviceSchema). */
export function deviceView(d: PublicDevice): z.infer<typeof deviceSchema> {
  return {
    id: d.id,
    name: d.name,
    host: d.host,
    port: d.port,
    vendor: d.vendor,
    encoding: d.encoding,
    username: d.username,
    auth_type: d.authType === 'key' ? 'key' : 'password',
    notes: d.notes,
    status: d.status as z.infer<typeof deviceSchema>['status'],
    status_changed_at: d.statusChangedAt?.toISOString() ?? null,
    host_key_fingerprint: d.hostKeyFingerprint,
    transport: d.transport === 'telnet' ? 'telnet' : 'ssh',
    kind: d.kind === 'console_line' ? 'console_line' : 'device',
    ssh_algorithms: d.sshAlgorithms,
    negotiated_algorithms: negotiatedView(d.negotiatedAlgorithms),
    jump_host: d.jumpHost?.name ?? null,
    groups: d.groups.map((m) => m.group.name),
    fields: readDeviceFields(d.fields),
    max_sessions: d.maxSessions,
    lab: d.lab,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

function negotiatedView(json: string | null) {
  if (!json) return null;
  const n = JSON.parse(json) as NegotiatedAlgorithms;
  return { kex: n.kex, server_host_key: n.serverHostKey, cipher: n.cipher, hmac: n.hmac };
}

/** The API's device fields → the device form's fields (one validation for both). */
export function deviceFormFields(input: {
  name?: string;
  host?: string;
  port?: number;
  vendor?: string;
  encoding?: string;
  username?: string;
  password?: string;
  private_key?: string;
  passphrase?: string;
  enable_secret?: string;
  notes?: string;
  transport?: string;
  kind?: string;
  ssh_algorithms?: string;
  jump_host?: string;
  max_sessions?: number | null;
  fields?: Record<string, string>;
}): Record<string, string> {
  const out: Record<string, string> = {};
  const set = (k: string, v: string | number | undefined) => {
    if (v !== undefined) out[k] = String(v);
  };
  set('name', input.name);
  set('host', input.host);
  set('port', input.port);
  set('vendor', input.vendor);
  set('encoding', input.encoding);
  set('username', input.username);
  set('password', input.password);
  set('privateKey', input.private_key);
  set('passphrase', input.passphrase);
  set('enableSecret', input.enable_secret);
  set('notes', input.notes);
  set('transport', input.transport);
  set('kind', input.kind);
  set('sshAlgorithms', input.ssh_algorithms);
  set('jumpHost', input.jump_host);
  if (input.max_sessions !== undefined)
    out.maxSessions = input.max_sessions === null ? '' : String(input.max_sessions);
  // as [key, value] pairs: the form's shape, checked by the same rules
  if (input.fields !== undefined) out.fields = JSON.stringify(Object.entries(input.fields));
  if (input.private_key !== undefined) out.authType = 'key';
  else if (input.password !== undefined) out.authType = 'password';
  return out;
}

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
      OR: [
        { name: containsText(deps.db, q.q) },
        { host: containsText(deps.db, q.q) },
        { notes: containsText(deps.db, q.q) },
      ],
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
