'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { boolArg, formDataArg, idArg, INVALID_REQUEST, parseArgs, prevStateArg } from '@/lib/actions/args';
import { authorise } from '@/lib/auth/session';
import {
  addDevicesToGroup,
  createGroup,
  deleteGroup,
  GROUP_MEMBERS_MAX,
  groupDeleteImpact,
  type GroupDeleteImpact,
  removeDevicesFromGroup,
  setGroupJumpHost,
  updateGroup,
} from '@/lib/devices/groups';
import { containsText } from '@/lib/db/dialect';
import type { Prisma } from '@/lib/db/generated/client';
import { getRuntime } from '@/lib/server/registry';
import { adminTranslator, localiseError } from '../_lib/translate';
import { DEVICE_PAGE_SIZE, type DevicePage, type DeviceSearch } from './_components/device-search';

/** What the group forms show: an error on a field or the form, or what was done. */
export interface GroupFormState {
  error?: string;
  field?: 'name' | 'description';
  values?: { name: string; description: string };
  ok?: string;
  /** Bumped on every success, so a form can clear itself once per save. */
  saved?: number;
}

const deviceIdsArg = z.array(idArg).min(1).max(GROUP_MEMBERS_MAX);

const searchArg = z.strictObject({
  q: z.string().max(100),
  page: z.number().int().min(0).max(1_000_000),
  groupId: idArg.optional(),
  scope: z.enum(['all', 'in', 'out']).optional(),
});

function formValues(fd: FormData) {
  return { name: String(fd.get('name') ?? ''), description: String(fd.get('description') ?? '') };
}

export async function createGroupAction(_prev: GroupFormState, fd: FormData): Promise<GroupFormState> {
  const t = await adminTranslator();
  if (!parseArgs([_prev, fd], prevStateArg, formDataArg)) return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('grants:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const values = formValues(fd);
  const r = await createGroup(auth.user, values, getRuntime());
  if (!r.ok) return { error: localiseError(t, r.error), field: r.field, values };
  revalidatePath('/admin/groups');
  return { ok: t('groups.created', { name: values.name.trim() }), saved: Date.now() };
}

export async function updateGroupAction(
  groupId: string,
  _prev: GroupFormState,
  fd: FormData,
): Promise<GroupFormState> {
  const t = await adminTranslator();
  if (!parseArgs([groupId, _prev, fd], idArg, prevStateArg, formDataArg))
    return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('grants:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const values = formValues(fd);
  const r = await updateGroup(auth.user, groupId, values, getRuntime());
  if (!r.ok) return { error: localiseError(t, r.error), field: r.field, values };
  revalidatePath('/admin/groups');
  revalidatePath(`/admin/groups/${groupId}`);
  return { ok: t('groups.saved'), saved: Date.now() };
}

export interface JumpHostState {
  error?: string;
  ok?: string;
  value?: string;
}

/** The group's jump host (a device name; empty for none). */
export async function setGroupJumpHostAction(
  groupId: string,
  _prev: JumpHostState,
  fd: FormData,
): Promise<JumpHostState> {
  const t = await adminTranslator();
  if (!parseArgs([groupId, _prev, fd], idArg, prevStateArg, formDataArg))
    return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('grants:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const value = String(fd.get('jumpHost') ?? '')
    .trim()
    .slice(0, 200);
  const r = await setGroupJumpHost(auth.user, groupId, value === '' ? null : value, getRuntime());
  if (!r.ok) return { error: localiseError(t, r.error), value };
  revalidatePath(`/admin/groups/${groupId}`);
  revalidatePath('/admin/groups');
  return {
    ok: value ? t('group.jumpHost.set', { name: value }) : t('group.jumpHost.cleared'),
    value,
  };
}

export type ImpactState = { impact?: GroupDeleteImpact; error?: string };

/** Who would lose what if the group went: asked before the delete dialog opens. */
export async function groupDeleteImpactAction(groupId: string): Promise<ImpactState> {
  const t = await adminTranslator();
  if (!parseArgs([groupId], idArg)) return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('grants:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const impact = await groupDeleteImpact(getRuntime().db, groupId);
  return impact ? { impact } : { error: t('errors.noSuchGroup') };
}

export type DeleteGroupState = { ok?: boolean; error?: string; impact?: GroupDeleteImpact };

export async function deleteGroupAction(groupId: string, confirm: boolean): Promise<DeleteGroupState> {
  const t = await adminTranslator();
  if (!parseArgs([groupId, confirm], idArg, boolArg)) return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('grants:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const r = await deleteGroup(auth.user, groupId, { confirm }, getRuntime());
  revalidatePath('/admin/groups');
  return r.ok ? { ok: true } : { error: localiseError(t, r.error), impact: r.impact };
}

export type MembershipState = { ok?: string; error?: string };

export async function addGroupDevicesAction(groupId: string, deviceIds: string[]): Promise<MembershipState> {
  const t = await adminTranslator();
  if (!parseArgs([groupId, deviceIds], idArg, deviceIdsArg))
    return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('grants:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const r = await addDevicesToGroup(auth.user, groupId, deviceIds, getRuntime());
  revalidatePath(`/admin/groups/${groupId}`);
  revalidatePath('/admin/groups');
  if (!r.ok) return { error: localiseError(t, r.error) };
  const skipped = deviceIds.length - r.changed;
  return { ok: t('group.devices.added', { count: r.changed, skipped }) };
}

export async function removeGroupDevicesAction(
  groupId: string,
  deviceIds: string[],
): Promise<MembershipState> {
  const t = await adminTranslator();
  if (!parseArgs([groupId, deviceIds], idArg, deviceIdsArg))
    return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('grants:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const r = await removeDevicesFromGroup(auth.user, groupId, deviceIds, getRuntime());
  revalidatePath(`/admin/groups/${groupId}`);
  revalidatePath('/admin/groups');
  if (!r.ok) return { error: localiseError(t, r.error) };
  return { ok: t('group.devices.removed', { count: r.changed }) };
}

/**
 * One page of the inventory for the admin pickers (groups, team and user grants): searched and
 * paginated in the database, so 5,000 devices never reach the browser at once. With a group, each
 * row says whether it is in the group, and `scope` narrows to members or non-members.
 */
export async function searchDevicesAction(query: DeviceSearch): Promise<DevicePage | { error: string }> {
  const t = await adminTranslator();
  const args = parseArgs([query], searchArg);
  if (!args) return { error: localiseError(t, INVALID_REQUEST) };
  const [{ q, page, groupId, scope }] = args;
  const auth = await authorise('grants:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const { db } = getRuntime();
  const and: Prisma.DeviceWhereInput[] = [];
  const text = q.trim();
  if (text)
    and.push({
      OR: [
        { name: containsText(db, text) },
        { host: containsText(db, text) },
        { vendor: containsText(db, text) },
      ],
    });
  if (groupId && scope === 'in') and.push({ groups: { some: { groupId } } });
  if (groupId && scope === 'out') and.push({ groups: { none: { groupId } } });
  const where: Prisma.DeviceWhereInput = { AND: and };
  const [total, rows] = await Promise.all([
    db.device.count({ where }),
    db.device.findMany({
      where,
      orderBy: { name: 'asc' },
      skip: page * DEVICE_PAGE_SIZE,
      take: DEVICE_PAGE_SIZE,
      select: {
        id: true,
        name: true,
        host: true,
        vendor: true,
        ...(groupId ? { groups: { where: { groupId }, select: { groupId: true } } } : {}),
      },
    }),
  ]);
  return {
    total,
    page,
    pageSize: DEVICE_PAGE_SIZE,
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      host: r.host,
      vendor: r.vendor,
      inGroup: groupId ? ((r as { groups?: unknown[] }).groups?.length ?? 0) > 0 : undefined,
    })),
  };
}
