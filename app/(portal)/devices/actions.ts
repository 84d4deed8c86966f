'use server';

import { getTranslations } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import {
  boolArg,
  fingerprintArg,
  formDataArg,
  idArg,
  INVALID_REQUEST,
  nameArg,
  parseArgs,
  prevStateArg,
} from '@/lib/actions/args';
import { authorise } from '@/lib/auth/session';
import { detectDeviceVendor, type VendorDetection } from '@/lib/devices/detect-vendor';
import { acceptOfferedHostKey, checkOfferedHostKey, forgetHostKey } from '@/lib/devices/host-keys';
import { setLabDeviceUp } from '@/lib/devices/lab-inventory';
import { testConnection, type ConnectionTest } from '@/lib/devices/test-connection';
import { createDevice, deleteDevice, setDeviceVendor, updateDevice } from '@/lib/devices/inventory';
import {
  DEVICE_FORM_FIELDS,
  formDataToObject,
  VENDOR_LABELS,
  VENDORS,
  type FieldErrors,
} from '@/lib/devices/schema';
import { getRuntime } from '@/lib/server/registry';
import { addDevicesToGroup, createGroup, removeDevicesFromGroup } from '@/lib/devices/groups';
import { listMatchingDevices } from '@/lib/devices/device-list';
import { BULK_SELECT_MAX, parseDeviceListParams } from '@/lib/devices/device-list-params';

export interface DeviceFormState {
  errors?: FieldErrors;
  /** What the user typed, to refill the form after an error; secrets are never echoed back. */
  values?: Record<string, string>;
}

const SECRET_FIELDS = new Set(['password', 'privateKey', 'passphrase', 'enableSecret']);

function echo(raw: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).filter(([k]) => !SECRET_FIELDS.has(k)));
}

export async function createDeviceAction(_prev: DeviceFormState, fd: FormData): Promise<DeviceFormState> {
  if (!parseArgs([_prev, fd], prevStateArg, formDataArg)) return { errors: { form: INVALID_REQUEST } };
  const auth = await authorise('devices:edit');
  if (!auth.ok) return { errors: { form: auth.error } };
  const raw = formDataToObject(fd, DEVICE_FORM_FIELDS);
  const result = await createDevice(auth.user, raw, getRuntime());
  if (!result.ok) return { errors: result.errors, values: echo(raw) };
  revalidatePath('/', 'layout');
  redirect('/devices');
}

export async function updateDeviceAction(
  id: string,
  _prev: DeviceFormState,
  fd: FormData,
): Promise<DeviceFormState> {
  if (!parseArgs([id, _prev, fd], idArg, prevStateArg, formDataArg))
    return { errors: { form: INVALID_REQUEST } };
  const auth = await authorise('devices:edit');
  if (!auth.ok) return { errors: { form: auth.error } };
  const raw = formDataToObject(fd, DEVICE_FORM_FIELDS);
  const result = await updateDevice(auth.user, id, raw, getRuntime());
  if (!result.ok) return { errors: result.errors, values: echo(raw) };
  revalidatePath('/', 'layout');
  redirect('/devices');
}

export async function deleteDeviceAction(id: string): Promise<{ error?: string }> {
  if (!parseArgs([id], idArg)) return { error: INVALID_REQUEST };
  const auth = await authorise('devices:edit');
  if (!auth.ok) return { error: auth.error };
  const result = await deleteDevice(auth.user, id, getRuntime());
  if (!result.ok) return { error: result.error };
  revalidatePath('/', 'layout');
  redirect('/devices');
}

export async function acceptHostKeyAction(
  deviceId: string,
  fingerprint: string,
): Promise<{ error?: string; ok?: string }> {
  if (!parseArgs([deviceId, fingerprint], idArg, fingerprintArg)) return { error: INVALID_REQUEST };
  // operators of the device decide too (the service checks the role and that they see the device)
  const auth = await authorise('devices:edit');
  if (!auth.ok) return { error: auth.error };
  const r = await acceptOfferedHostKey(auth.user, deviceId, fingerprint, getRuntime());
  revalidatePath(`/devices/${deviceId}`);
  return r.ok ? { ok: r.message } : { error: r.error };
}

export async function checkHostKeyAction(deviceId: string): Promise<{ error?: string; ok?: string }> {
  if (!parseArgs([deviceId], idArg)) return { error: INVALID_REQUEST };
  const auth = await authorise('devices:edit');
  if (!auth.ok) return { error: auth.error };
  const r = await checkOfferedHostKey(auth.user, deviceId, getRuntime());
  revalidatePath(`/devices/${deviceId}`);
  return r.ok ? { ok: r.message } : { error: r.error };
}

export async function forgetHostKeyAction(deviceId: string): Promise<{ error?: string; ok?: string }> {
  if (!parseArgs([deviceId], idArg)) return { error: INVALID_REQUEST };
  const auth = await authorise('hostkeys:manage');
  if (!auth.ok) return { error: auth.error };
  const r = await forgetHostKey(auth.user, deviceId, getRuntime());
  revalidatePath(`/devices/${deviceId}`);
  return r.ok ? { ok: r.message } : { error: r.error };
}

export async function setLabDeviceUpAction(name: string, up: boolean): Promise<{ error?: string }> {
  if (!parseArgs([name, up], nameArg, boolArg)) return { error: INVALID_REQUEST };
  const auth = await authorise('lab:control');
  if (!auth.ok) return { error: auth.error };
  const r = await setLabDeviceUp(auth.user, name, up, getRuntime());
  return r.ok ? {} : { error: r.error };
}

export type DetectVendorResult = Extract<VendorDetection, { ok: true }> | { ok: false; error: string };

export async function detectVendorAction(deviceId: string): Promise<DetectVendorResult> {
  if (!parseArgs([deviceId], idArg)) return { ok: false, error: INVALID_REQUEST };
  const auth = await authorise('devices:edit');
  if (!auth.ok) return { ok: false, error: auth.error };
  // the device login refuses those who may not operate the device, with a message to show
  const r = await detectDeviceVendor(deviceId, auth.user.id, getRuntime());
  return r.ok ? r : { ok: false, error: r.message };
}

export async function setDeviceVendorAction(
  deviceId: string,
  vendor: string,
): Promise<{ error?: string; ok?: string }> {
  const args = parseArgs([deviceId, vendor], idArg, z.enum(VENDORS));
  if (!args) return { error: INVALID_REQUEST };
  const auth = await authorise('devices:edit');
  if (!auth.ok) return { error: auth.error };
  const r = await setDeviceVendor(auth.user, deviceId, args[1], getRuntime());
  if (!r.ok) return { error: r.error };
  // the vendor shows on the edit form, the device list and the dashboard's summary
  revalidatePath('/', 'layout');
  const t = await getTranslations('devices');
  const label = args[1] === 'generic' ? t('form.vendorGeneric') : VENDOR_LABELS[args[1]];
  return { ok: t('actions.vendorSet', { vendor: label }) };
}

export type TestConnectionResult = (ConnectionTest & { error?: undefined }) | { error: string };

export async function testConnectionAction(deviceId: string): Promise<TestConnectionResult> {
  if (!parseArgs([deviceId], idArg)) return { error: INVALID_REQUEST };
  const auth = await authorise('devices:edit');
  if (!auth.ok) return { error: auth.error };
  // the login checks that the user may operate the device; a refusal is the report's failed access step
  const r = await testConnection(deviceId, auth.user.id, getRuntime());
  // a key seen for the first time is now offered: the host-key panel shows it with Accept
  revalidatePath(`/devices/${deviceId}`);
  return r;
}

// ---- Bulk actions on the device list's selection -------------------------------------------------

const bulkIdsArg = z.array(idArg).min(1).max(BULK_SELECT_MAX);
const listParamsArg = z.record(z.string().max(200), z.string().max(200));

export type MatchingDevices =
  { ok: true; devices: { id: string; name: string; canOperate: boolean }[] } | { ok: false; error: string };

/** "Select all N matching": the devices the list's query matches on every page, up to BULK_SELECT_MAX. */
export async function matchingDevicesAction(params: Record<string, string>): Promise<MatchingDevices> {
  const args = parseArgs([params], listParamsArg);
  if (!args) return { ok: false, error: INVALID_REQUEST };
  const auth = await authorise('devices:view');
  if (!auth.ok) return { ok: false, error: auth.error };
  const query = parseDeviceListParams(args[0]);
  const devices = await listMatchingDevices(auth.user, query, getRuntime().db, BULK_SELECT_MAX);
  return { ok: true, devices };
}

export type BulkResult = { ok: string; error?: undefined } | { error: string; ok?: undefined };

const groupTargetArg = z.union([
  z.object({ groupId: idArg }).strict(),
  z.object({ newGroup: z.string().min(1).max(200) }).strict(),
]);

/**
 * Add the selection to a group or take it out of one (operators and admins, for devices they
 * operate: the groups service checks). An admin may name a new group, created first.
 */
export async function bulkGroupAction(
  op: 'add' | 'remove',
  target: { groupId: string } | { newGroup: string },
  ids: string[],
): Promise<BulkResult> {
  const args = parseArgs([op, target, ids], z.enum(['add', 'remove']), groupTargetArg, bulkIdsArg);
  if (!args) return { error: INVALID_REQUEST };
  const auth = await authorise('devices:edit');
  if (!auth.ok) return { error: auth.error };
  const rt = getRuntime();
  const tr = await getTranslations('devices');
  let groupId: string;
  let groupName: string;
  const t = args[1];
  if ('newGroup' in t) {
    if (args[0] !== 'add') return { error: INVALID_REQUEST };
    const admin = await authorise('grants:manage');
    if (!admin.ok) return { error: tr('bulk.onlyAdminCreatesGroup') };
    const created = await createGroup(auth.user, { name: t.newGroup }, rt);
    if (!created.ok) return { error: created.error };
    groupId = created.id;
    groupName = t.newGroup.trim();
  } else {
    const g = await rt.db.deviceGroup.findUnique({ where: { id: t.groupId }, select: { name: true } });
    if (!g) return { error: tr('bulk.noSuchGroup') };
    groupId = t.groupId;
    groupName = g.name;
  }
  const r =
    args[0] === 'add'
      ? await addDevicesToGroup(auth.user, groupId, args[2], rt)
      : await removeDevicesFromGroup(auth.user, groupId, args[2], rt);
  if (!r.ok) return { error: r.error };
  revalidatePath('/devices');
  const n = args[2].length;
  const unchanged = n - r.changed;
  const add = args[0] === 'add';
  return {
    ok:
      unchanged === 0
        ? tr(add ? 'bulk.added' : 'bulk.removed', { count: n, group: groupName })
        : add
          ? tr('bulk.addedSome', { count: n, group: groupName, already: unchanged })
          : tr('bulk.removedSome', { count: n, group: groupName, notIn: unchanged }),
  };
}

export interface BulkDeleteResult {
  error?: string;
  deleted: string[];
  /** Devices that stay, each with the reason (a jump host still in use, gone, not visible). */
  refused: { id: string; name: string; reason: string }[];
}

/**
 * Delete the selection, one device at a time through the inventory (audited each). A jump host is
 * deleted only once no device uses it: devices behind it in the same selection go first, so a
 * selection holding a jump host and everything behind it is deleted whole.
 */
export async function bulkDeleteDevicesAction(ids: string[]): Promise<BulkDeleteResult> {
  const args = parseArgs([ids], bulkIdsArg);
  if (!args) return { error: INVALID_REQUEST, deleted: [], refused: [] };
  const auth = await authorise('devices:edit');
  if (!auth.ok) return { error: auth.error, deleted: [], refused: [] };
  const rt = getRuntime();
  const names = new Map(
    (await rt.db.device.findMany({ where: { id: { in: args[0] } }, select: { id: true, name: true } })).map(
      (d) => [d.id, d.name] as const,
    ),
  );
  let left = [...new Set(args[0])];
  const deleted: string[] = [];
  let reasons = new Map<string, string>();
  // each pass deletes what it can; a jump host refused because of a device deleted later in the
  // pass gets another chance, until a pass deletes nothing
  for (;;) {
    reasons = new Map();
    const next: string[] = [];
    for (const id of left) {
      const r = await deleteDevice(auth.user, id, rt);
      if (r.ok) deleted.push(names.get(id) ?? id);
      else {
        reasons.set(id, r.error);
        next.push(id);
      }
    }
    if (next.length === left.length || next.length === 0) {
      left = next;
      break;
    }
    left = next;
  }
  if (deleted.length > 0) revalidatePath('/', 'layout');
  return {
    deleted,
    refused: left.map((id) => ({ id, name: names.get(id) ?? id, reason: reasons.get(id) ?? '' })),
  };
}
