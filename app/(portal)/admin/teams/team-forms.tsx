'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useActionState, useState, useTransition } from 'react';
import { CreateNamedForm, EditNamedForm } from '../groups/_components/name-forms';
import { ConfirmDialog } from '../groups/_components/confirm-dialog';
import { createTeamAction, deleteTeamAction, updateTeamAction, type TeamFormState } from './actions';

export function CreateTeamForm() {
  const t = useTranslations('admin.teams');
  return (
    <CreateNamedForm
      what="team"
      title={t('create')}
      action={createTeamAction}
      placeholder={t('namePlaceholder')}
    />
  );
}

export interface TeamRowData {
  id: string;
  name: string;
  description: string;
  members: number;
  grants: number;
  /** Team permissions (`recordings`), shown as badges. */
  permissions?: string[];
}

export function TeamRow({ team }: { team: TeamRowData }) {
  const t = useTranslations('admin.teams');
  const tc = useTranslations('common');
  const router = useRouter();
  const [editAt, setEditAt] = useState<number | null>(null);
  const [state, action, saving] = useActionState<TeamFormState, FormData>(
    updateTeamAction.bind(null, team.id),
    {},
  );
  // open since the last save: a successful save (a new `saved`) closes the form
  const editing = editAt !== null && editAt === (state.saved ?? 0);
  const setEditing = (on: boolean) => setEditAt(on ? (state.saved ?? 0) : null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const confirmDelete = () =>
    start(async () => {
      const r = await deleteTeamAction(team.id);
      if (r.error) setError(r.error);
      else {
        setConfirming(false);
        router.refresh();
      }
    });
  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3" data-team={team.name}>
      {editing ? (
        <EditNamedForm
          id={team.id}
          current={team}
          state={state}
          action={action}
          saving={saving}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          <div className="min-w-0 flex-1 basis-56">
            <Link
              href={`/admin/teams/${team.id}`}
              className="font-medium break-all text-sky-700 hover:underline dark:text-sky-400"
            >
              {team.name}
            </Link>
            {team.description && (
              <p className="text-xs break-words text-slate-500 dark:text-slate-400">{team.description}</p>
            )}
          </div>
          <div className="flex shrink-0 gap-4 text-sm text-slate-600 dark:text-slate-300">
            <span>{t('memberCount', { count: team.members })}</span>
            <span>{t('grantCount', { count: team.grants })}</span>
            {team.permissions?.includes('recordings') && (
              <span className="rounded bg-sky-100 px-1.5 text-xs leading-5 text-sky-800 dark:bg-sky-900/60 dark:text-sky-200">
                {t('allRecordings')}
              </span>
            )}
          </div>
          <div className="ml-auto flex shrink-0 gap-2">
            <button
              type="button"
              className="btn-secondary"
              aria-label={t('edit', { name: team.name })}
              onClick={() => setEditing(true)}
            >
              {tc('actions.edit')}
            </button>
            <button
              type="button"
              className="btn-secondary text-red-700 dark:text-red-400"
              aria-label={t('delete', { name: team.name })}
              onClick={() => setConfirming(true)}
            >
              {tc('actions.delete')}
            </button>
          </div>
        </>
      )}
      {confirming && (
        <ConfirmDialog
          title={t('deleteTitle', { name: team.name })}
          confirmLabel={t('deleteConfirm')}
          pending={pending}
          error={error}
          onConfirm={confirmDelete}
          onCancel={() => {
            setConfirming(false);
            setError(undefined);
          }}
        >
          <p>{t('deleteBody', { members: team.members, grants: team.grants })}</p>
        </ConfirmDialog>
      )}
    </li>
  );
}
