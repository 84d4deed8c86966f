'use server';

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
  return { ok: `Vendor set to ${VENDOR_LABELS[args[1]]}.` };
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
