'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useActionState, useState, useTransition } from 'react';
import { CreateNamedForm, EditNamedForm } from '../groups/_components/name-forms';
import { plural } from '@/lib/format/plural';
import { ConfirmDialog } from '../groups/_components/confirm-dialog';
import { createTeamAction, deleteTeamAction, updateTeamAction, type TeamFormState } from './actions';

export function CreateTeamForm() {
  return <CreateNamedForm what="team" action={createTeamAction} placeholder="NOC" />;
}

export interface TeamRowData {
  id: string;
  name: string;
  description: string;
  members: number;
  grants: number;
}

export function TeamRow({ team }: { team: TeamRowData }) {
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
              className="font-medium break-all text-sky-700 hover:underline"
            >
              {team.name}
            </Link>
            {team.description && <p className="text-xs break-words text-slate-500">{team.description}</p>}
          </div>
          <div className="flex shrink-0 gap-4 text-sm text-slate-600">
            <span>{plural(team.members, 'member')}</span>
            <span>{plural(team.grants, 'grant')}</span>
          </div>
          <div className="ml-auto flex shrink-0 gap-2">
            <button
              type="button"
              className="btn-secondary"
              aria-label={`Edit ${team.name}`}
              onClick={() => setEditing(true)}
            >
              Edit
            </button>
            <button
              type="button"
              className="btn-secondary text-red-700"
              aria-label={`Delete ${team.name}`}
              onClick={() => setConfirming(true)}
            >
              Delete
            </button>
          </div>
        </>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Delete team ${team.name}?`}
          confirmLabel="Delete team"
          pending={pending}
          error={error}
          onConfirm={confirmDelete}
          onCancel={() => {
            setConfirming(false);
            setError(undefined);
          }}
        >
          <p>
            Its {plural(team.members, 'member')} lose what only this team gave them (
            {plural(team.grants, 'grant')}), at once: their terminals on those devices close. The users
            themselves stay.
          </p>
        </ConfirmDialog>
      )}
    </li>
  );
}
