'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formDataArg, idArg, INVALID_REQUEST, parseArgs, prevStateArg } from '@/lib/actions/args';
import { setTeamGrants } from '@/lib/auth/grants';
import { authorise } from '@/lib/auth/session';
import { TEAM_PERMISSIONS } from '@/lib/auth/session-permissions';
import {
  createTeam,
  deleteTeam,
  setTeamMembers,
  setTeamPermissions,
  TEAM_MEMBERS_MAX,
  updateTeam,
} from '@/lib/auth/teams';
import { getRuntime } from '@/lib/server/registry';
import { savedMessage, teamGrantSetArg } from '../groups/_components/grant-args';
import { adminTranslator, localiseError } from '../_lib/translate';
import type { GrantSetInput } from '../groups/_components/grants-editor';

export interface TeamFormState {
  error?: string;
  field?: 'name' | 'description';
  values?: { name: string; description: string };
  ok?: string;
  /** Bumped on every success, so a form can clear or close itself once per save. */
  saved?: number;
}

export type TeamState = { ok?: string; error?: string };

const userIdsArg = z.array(idArg).max(TEAM_MEMBERS_MAX);
// each known permission at most once
const permissionsArg = z
  .array(z.enum(TEAM_PERMISSIONS))
  .max(TEAM_PERMISSIONS.length)
  .refine((ps) => new Set(ps).size === ps.length);

function formValues(fd: FormData) {
  return { name: String(fd.get('name') ?? ''), description: String(fd.get('description') ?? '') };
}

export async function createTeamAction(_prev: TeamFormState, fd: FormData): Promise<TeamFormState> {
  const t = await adminTranslator();
  if (!parseArgs([_prev, fd], prevStateArg, formDataArg)) return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('grants:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const values = formValues(fd);
  const r = await createTeam(auth.user, values, getRuntime());
  if (!r.ok) return { error: localiseError(t, r.error), field: r.field, values };
  revalidatePath('/admin/teams');
  return { ok: t('teams.created', { name: values.name.trim() }), saved: Date.now() };
}

export async function updateTeamAction(
  teamId: string,
  _prev: TeamFormState,
  fd: FormData,
): Promise<TeamFormState> {
  const t = await adminTranslator();
  if (!parseArgs([teamId, _prev, fd], idArg, prevStateArg, formDataArg))
    return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('grants:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const values = formValues(fd);
  const r = await updateTeam(auth.user, teamId, values, getRuntime());
  if (!r.ok) return { error: localiseError(t, r.error), field: r.field, values };
  revalidatePath('/admin/teams');
  revalidatePath(`/admin/teams/${teamId}`);
  return { ok: t('teams.saved'), saved: Date.now() };
}

export async function deleteTeamAction(teamId: string): Promise<TeamState> {
  const t = await adminTranslator();
  if (!parseArgs([teamId], idArg)) return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('grants:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const r = await deleteTeam(auth.user, teamId, getRuntime());
  revalidatePath('/admin/teams');
  return r.ok ? { ok: t('teams.deleted') } : { error: localiseError(t, r.error) };
}

/** Make the team hold exactly these users (a member taken out loses what only the team gave, at once). */
export async function setTeamMembersAction(teamId: string, userIds: string[]): Promise<TeamState> {
  const t = await adminTranslator();
  if (!parseArgs([teamId, userIds], idArg, userIdsArg)) return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('grants:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const r = await setTeamMembers(auth.user, teamId, userIds, getRuntime());
  revalidatePath(`/admin/teams/${teamId}`);
  revalidatePath('/admin/teams');
  revalidatePath('/admin/users');
  return r.ok ? { ok: t('team.members.saved', { count: r.members }) } : { error: localiseError(t, r.error) };
}

/**
 * Replace the team's grants (groups and devices, each with a level; a group's may include observing
 * others' sessions) with exactly this set.
 */
export async function setTeamGrantsAction(teamId: string, grants: GrantSetInput): Promise<TeamState> {
  const t = await adminTranslator();
  if (!parseArgs([teamId, grants], idArg, teamGrantSetArg))
    return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('grants:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const r = await setTeamGrants(auth.user, teamId, grants, getRuntime());
  revalidatePath(`/admin/teams/${teamId}`);
  revalidatePath('/admin/teams');
  return r.ok ? { ok: savedMessage(t, r.grants) } : { error: localiseError(t, r.error) };
}

/** Give the team exactly these permissions (`recordings`: its members see everyone's recordings). */
export async function setTeamPermissionsAction(teamId: string, permissions: string[]): Promise<TeamState> {
  const t = await adminTranslator();
  if (!parseArgs([teamId, permissions], idArg, permissionsArg))
    return { error: localiseError(t, INVALID_REQUEST) };
  const auth = await authorise('grants:manage');
  if (!auth.ok) return { error: localiseError(t, auth.error) };
  const r = await setTeamPermissions(auth.user, teamId, permissions, getRuntime());
  revalidatePath(`/admin/teams/${teamId}`);
  revalidatePath('/admin/teams');
  return r.ok ? { ok: t('team.permissions.saved') } : { error: localiseError(t, r.error) };
}
