import 'server-only';
import { randomUUID } from 'node:crypto';
import type { CurrentUser } from '../auth/session';
import { containsText } from '../db/dialect';
import type { Prisma } from '../db/generated/client';
import { checkPrivateKey, credentialContext } from './credentials';
import { JUMP_MAX_HOPS } from './connect';
import { operableDevicesWhere, visibleDevicesWhere } from './visibility';
import { VENDORS, validateDeviceForm, type DeviceFormInput, type FieldErrors, type Vendor } from './schema';
import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/client';
import type { Vault } from './vault';
import { DEVICE_STATUSES } from './status';
import { dropsEnableSecret, endpointResetFields, retargetErrors, routeChange } from './route-change';
import { readDeviceFields, sameDeviceFields, storeDeviceFields } from './fields';

/** What the inventory needs from the runtime. */
export interface InventoryDeps {
  db: PrismaClient;
  vault: Vault;
  audit: AuditSink;
}

/** Every field a browser may see. Credentials are never selected for the UI. */
export const PUBLIC_DEVICE_SELECT = {
  id: true,
  name: true,
  host: true,
  port: true,
  vendor: true,
  encoding: true,
  username: true,
  authType: true,
  notes: true,
  status: true,
  statusChangedAt: true,
  hostKeyFingerprint: true,
  offeredHostKeyFingerprint: true,
  offeredHostKeyAt: true,
  hostKeyApprovalRequired: true,
  transport: true,
  kind: true,
  sshAlgorithms: true,
  negotiatedAlgorithms: true,
  maxSessions: true,
  jumpHostId: true,
  jumpHost: { select: { name: true } },
  groups: { select: { group: { select: { id: true, name: true } } }, orderBy: { group: { name: 'asc' } } },
  lab: true,
  /** Custom fields, JSON (readDeviceFields). */
  fields: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.DeviceSelect;

export { visibleDevicesWhere } from './visibility';

export type PublicDevice = Prisma.DeviceGetPayload<{ select: typeof PUBLIC_DEVICE_SELECT }>;

export interface DeviceFilters {
  q?: string;
  vendor?: string;
  status?: string;
}

export function normaliseFilters(params: Record<string, string | string[] | undefined>): DeviceFilters {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
  const vendor = one(params.vendor);
  const status = one(params.status);
  return {
    q: one(params.q)?.slice(0, 100),
    vendor: vendor && (VENDORS as readonly string[]).includes(vendor) ? vendor : undefined,
    status: status && (DEVICE_STATUSES as readonly string[]).includes(status) ? status : undefined,
  };
}

/** The devices the user sees, or (`level: 'operate'`: terminal picker, task form) may operate. */
export async function listDevices(
  user: CurrentUser,
  filters: DeviceFilters,
  deps: Pick<InventoryDeps, 'db'>,
  level: 'view' | 'operate' = 'view',
): Promise<PublicDevice[]> {
  const where: Prisma.DeviceWhereInput = {
    AND: [level === 'operate' ? operableDevicesWhere(user) : visibleDevicesWhere(user)],
  };
  const and = where.AND as Prisma.DeviceWhereInput[];
  if (filters.q)
    and.push({
      OR: [
        { name: containsText(deps.db, filters.q) },
        { host: containsText(deps.db, filters.q) },
        { notes: containsText(deps.db, filters.q) },
      ],
    });
  if (filters.vendor) and.push({ vendor: filters.vendor });
  if (filters.status) and.push({ status: filters.status });
  return deps.db.device.findMany({ where, select: PUBLIC_DEVICE_SELECT, orderBy: { name: 'asc' } });
}

export interface InventorySummary {
  total: number;
  byVendor: Record<string, number>;
  byStatus: Record<string, number>;
}

export async function inventorySummary(user: CurrentUser, deps: InventoryDeps): Promise<InventorySummary> {
  const db = deps.db;
  const where = visibleDevicesWhere(user);
  const [byVendor, byStatus] = await Promise.all([
    db.device.groupBy({ by: ['vendor'], where, _count: { _all: true } }),
    db.device.groupBy({ by: ['status'], where, _count: { _all: true } }),
  ]);
  return {
    total: byVendor.reduce((n, r) => n + r._count._all, 0),
    byVendor: Object.fromEntries(byVendor.map((r) => [r.vendor, r._count._all])),
    byStatus: Object.fromEntries(byStatus.map((r) => [r.status, r._count._all])),
  };
}

export async function getVisibleDevice(user: CurrentUser, id: string, deps: Pick<InventoryDeps, 'db'>) {
  const device = await deps.db.device.findFirst({
    where: { AND: [{ id }, visibleDevicesWhere(user)] },
    select: { ...PUBLIC_DEVICE_SELECT, passphraseEnc: true, enableSecretEnc: true },
  });
  if (!device) return null;
  const { passphraseEnc, enableSecretEnc, ...rest } = device;
  return { ...rest, hasPassphrase: passphraseEnc !== null, hasEnableSecret: enableSecretEnc !== null };
}

export type SaveResult = { ok: true; id: string } | { ok: false; errors: FieldErrors };

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}

const DUPLICATE_NAME: FieldErrors = { name: 'A device with this name already exists.' };

/** A device's sealed secret columns from validated input (`keepSecret`: leave the stored secret). */
export function sealedFields(vault: Vault, id: string, v: DeviceFormInput, keepSecret: boolean) {
  const secret = v.authType === 'key' ? v.privateKey.trim() + '\n' : v.password;
  return {
    // a secret entered (again) goes by the route of its next login, whichever that is
    ...(keepSecret
      ? {}
      : { secretEnc: vault.seal(secret, credentialContext(id, 'secret')), secretsRoute: null }),
    ...(v.authType === 'key' && v.passphrase
      ? { passphraseEnc: vault.seal(v.passphrase, credentialContext(id, 'passphrase')) }
      : {}),
    ...(v.authType === 'password' ? { passphraseEnc: null } : {}),
    ...(v.enableSecret
      ? { enableSecretEnc: vault.seal(v.enableSecret, credentialContext(id, 'enable')) }
      : {}),
  };
}

export function keyErrors(v: DeviceFormInput): FieldErrors | null {
  if (v.authType !== 'key' || !v.privateKey.trim()) return null;
  const problem = checkPrivateKey(v.privateKey, v.passphrase);
  return problem ? (/passphrase/.test(problem) ? { passphrase: problem } : { privateKey: problem }) : null;
}

/**
 * The jump host a form names, as an id: a device the user can see, reached over SSH, not the device
 * itself, and not making the route loop or longer than JUMP_MAX_HOPS.
 */
async function resolveJumpHost(
  db: PrismaClient,
  user: CurrentUser,
  deviceId: string | null,
  name: string,
): Promise<{ ok: true; id: string | null } | { ok: false; errors: FieldErrors }> {
  if (!name) return { ok: true, id: null };
  const bad = (jumpHost: string) => ({ ok: false as const, errors: { jumpHost } });
  const hop = await db.device.findFirst({
    where: { AND: [{ OR: [{ name }, { id: name }] }, operableDevicesWhere(user)] },
    select: { id: true, name: true, transport: true, jumpHostId: true },
  });
  if (!hop) return bad(`No device named ${name} that you may operate.`);
  if (hop.id === deviceId) return bad('A device cannot be its own jump host.');
  if (hop.transport !== 'ssh')
    return bad(`${hop.name} is reached over telnet; a jump host must be an SSH device.`);
  let hops = 1;
  for (let next = hop.jumpHostId; next; hops++) {
    if (next === deviceId) return bad(`${hop.name} is itself reached through this device: that would loop.`);
    if (hops >= JUMP_MAX_HOPS)
      return bad(`The route through ${hop.name} would be longer than ${JUMP_MAX_HOPS} jump hosts.`);
    const up = await db.device.findUnique({ where: { id: next }, select: { jumpHostId: true } });
    next = up?.jumpHostId ?? null;
  }
  return { ok: true, id: hop.id };
}

/** The row of a new device from validated form input, its secrets sealed to its id. */
export function newDeviceRow(vault: Vault, v: DeviceFormInput, createdById: string) {
  const id = randomUUID();
  return {
    id,
    name: v.name,
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
    fields: storeDeviceFields(v.fields ?? {}),
    createdById,
    secretEnc: '',
    ...sealedFields(vault, id, v, false),
  };
}

export async function createDevice(
  user: CurrentUser,
  raw: Record<string, unknown>,
  deps: InventoryDeps,
): Promise<SaveResult> {
  const parsed = validateDeviceForm(raw);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  const bad = keyErrors(v);
  if (bad) return { ok: false, errors: bad };
  const jump = await resolveJumpHost(deps.db, user, null, v.jumpHost);
  if (!jump.ok) return jump;
  const row = newDeviceRow(deps.vault, v, user.id);
  const { id } = row;
  try {
    await deps.db.device.create({
      data: {
        ...row,
        jumpHostId: jump.id,
        // the creator can use what they add; admins see everything anyway
        ...(user.role === 'admin' ? {} : { grants: { create: { userId: user.id } } }),
      },
    });
  } catch (err) {
    if (isUniqueViolation(err)) return { ok: false, errors: DUPLICATE_NAME };
    throw err;
  }
  await deps.audit({
    userId: user.id,
    action: 'device.create',
    target: v.name,
    detail: `${v.vendor} ${v.transport} ${v.host}:${v.port}${v.jumpHost ? ` via ${v.jumpHost}` : ''}`,
  });
  return { ok: true, id };
}

export async function updateDevice(
  user: CurrentUser,
  id: string,
  raw: Record<string, unknown>,
  deps: InventoryDeps,
): Promise<SaveResult> {
  const db = deps.db;
  const existing = await db.device.findFirst({ where: { AND: [{ id }, operableDevicesWhere(user)] } });
  if (!existing) return { ok: false, errors: { form: 'This device does not exist or you cannot see it.' } };
  const parsed = validateDeviceForm(raw, {
    hasSecret: existing.secretEnc !== '',
    authType: existing.authType as 'password' | 'key',
  });
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  const bad = keyErrors(v);
  if (bad) return { ok: false, errors: bad };
  const jump = await resolveJumpHost(db, user, id, v.jumpHost);
  if (!jump.ok) return jump;
  const newSecret = v.authType === 'key' ? v.privateKey.trim() !== '' : v.password !== '';
  const change = routeChange(existing, { ...v, jumpHostId: jump.id });
  const { endpointChanged, pathChanged } = change;
  // Stored secrets were entered for one route and user: sending them elsewhere needs them again
  // (for every role: an edit must not turn into a way to read the password off the wire, and a jump
  // host of one's own must not become a way to forward the login somewhere else).
  const secretsError = retargetErrors(existing, v, { ...change, newSecret });
  if (secretsError) return { ok: false, errors: secretsError };
  const dropEnableSecret = dropsEnableSecret(change, v);
  const fieldsChanged =
    v.fields !== undefined && !sameDeviceFields(readDeviceFields(existing.fields), v.fields);
  try {
    await db.device.update({
      where: { id },
      data: {
        name: v.name,
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
        jumpHostId: jump.id,
        ...(v.fields !== undefined ? { fields: storeDeviceFields(v.fields) } : {}),
        ...sealedFields(deps.vault, id, v, !newSecret),
        ...(dropEnableSecret ? { enableSecretEnc: null } : {}),
        // a different SSH server: its key waits for someone who operates the device to accept it
        ...(endpointChanged ? endpointResetFields(new Date()) : {}),
      },
    });
  } catch (err) {
    if (isUniqueViolation(err)) return { ok: false, errors: DUPLICATE_NAME };
    throw err;
  }
  await deps.audit({
    userId: user.id,
    action: 'device.update',
    target: v.name,
    detail:
      (newSecret ? 'credentials replaced' : 'credentials unchanged') +
      (endpointChanged
        ? `; moved from ${existing.host}:${existing.port} to ${v.host}:${v.port}, host key to be accepted`
        : '') +
      (pathChanged ? `; route now ${v.transport}${v.jumpHost ? ` via ${v.jumpHost}` : ' direct'}` : '') +
      (fieldsChanged ? `; fields now ${Object.keys(v.fields!).join(', ') || 'none'}` : ''),
  });
  return { ok: true, id };
}

/**
 * Change only a device's vendor (e.g. to what detection found): its address, user and secrets stay
 * as they are, so nothing needs to be entered again.
 */
export async function setDeviceVendor(
  user: CurrentUser,
  id: string,
  vendor: Vendor,
  deps: Pick<InventoryDeps, 'db' | 'audit'>,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const existing = await deps.db.device.findFirst({
    where: { AND: [{ id }, operableDevicesWhere(user)] },
    select: { name: true, vendor: true },
  });
  if (!existing) return { ok: false, error: 'This device does not exist or you may not change it.' };
  if (existing.vendor === vendor) return { ok: true };
  await deps.db.device.update({ where: { id }, data: { vendor } });
  await deps.audit({
    userId: user.id,
    action: 'device.update',
    target: existing.name,
    detail: `vendor changed from ${existing.vendor} to ${vendor}`,
  });
  return { ok: true };
}

export async function deleteDevice(
  user: CurrentUser,
  id: string,
  deps: InventoryDeps,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const db = deps.db;
  const existing = await db.device.findFirst({
    where: { AND: [{ id }, operableDevicesWhere(user)] },
    select: { name: true },
  });
  if (!existing) return { ok: false, error: 'This device does not exist or you may not change it.' };
  const behind = await db.device.findMany({ where: { jumpHostId: id }, select: { name: true }, take: 5 });
  if (behind.length > 0)
    return {
      ok: false,
      error: `${existing.name} is the jump host of ${behind.map((d) => d.name).join(', ')}${behind.length === 5 ? ' and others' : ''}; give those another route first.`,
    };
  await db.device.delete({ where: { id } });
  await deps.audit({ userId: user.id, action: 'device.delete', target: existing.name });
  return { ok: true };
}
