'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useActionState, useState, useTransition } from 'react';
import { CreateNamedForm, EditNamedForm } from './_components/name-forms';
import type { GroupDeleteImpact } from '@/lib/devices/groups';
import { ConfirmDialog } from './_components/confirm-dialog';
import {
  createGroupAction,
  deleteGroupAction,
  groupDeleteImpactAction,
  updateGroupAction,
  type GroupFormState,
} from './actions';

export function CreateGroupForm() {
  const t = useTranslations('admin.groups');
  return (
    <CreateNamedForm
      what="group"
      title={t('create')}
      action={createGroupAction}
      placeholder={t('namePlaceholder')}
    />
  );
}

export interface GroupRowData {
  id: string;
  name: string;
  description: string;
  devices: number;
  grants: number;
}

/** One group in the list: its counts, an inline edit form and Delete (which says who loses what first). */
export function GroupRow({ group }: { group: GroupRowData }) {
  const t = useTranslations('admin.groups');
  const tc = useTranslations('common');
  const router = useRouter();
  const [editAt, setEditAt] = useState<number | null>(null);
  const [state, action, saving] = useActionState<GroupFormState, FormData>(
    updateGroupAction.bind(null, group.id),
    {},
  );
  // open since the last save: a successful save (a new `saved`) closes the form
  const editing = editAt !== null && editAt === (state.saved ?? 0);
  const setEditing = (on: boolean) => setEditAt(on ? (state.saved ?? 0) : null);
  const [impact, setImpact] = useState<GroupDeleteImpact | null>(null);
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const askDelete = () =>
    start(async () => {
      setError(undefined);
      const r = await groupDeleteImpactAction(group.id);
      if (r.impact) setImpact(r.impact);
      else setError(r.error);
    });
  const confirmDelete = () =>
    start(async () => {
      const r = await deleteGroupAction(group.id, true);
      if (r.ok) {
        setImpact(null);
        router.refresh();
      } else setError(r.error);
    });
  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3" data-group={group.name}>
      {editing ? (
        <EditNamedForm
          id={group.id}
          current={group}
          state={state}
          action={action}
          saving={saving}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          <div className="min-w-0 flex-1 basis-56">
            <Link
              href={`/admin/groups/${group.id}`}
              className="font-medium break-all text-sky-700 hover:underline dark:text-sky-400"
            >
              {group.name}
            </Link>
            {group.description && (
              <p className="text-xs break-words text-slate-500 dark:text-slate-400">{group.description}</p>
            )}
          </div>
          <div className="flex shrink-0 gap-4 text-sm text-slate-600 dark:text-slate-300">
            <span data-testid="group-devices">{t('deviceCount', { count: group.devices })}</span>
            <span data-testid="group-grants">{t('grantCount', { count: group.grants })}</span>
          </div>
          <div className="ml-auto flex shrink-0 gap-2">
            <button
              type="button"
              className="btn-secondary"
              aria-label={t('edit', { name: group.name })}
              onClick={() => setEditing(true)}
            >
              {tc('actions.edit')}
            </button>
            <button
              type="button"
              className="btn-secondary text-red-700 dark:text-red-400"
              aria-label={t('delete', { name: group.name })}
              disabled={pending}
              onClick={askDelete}
            >
              {tc('actions.delete')}
            </button>
          </div>
          {error && !impact && <p className="field-error w-full text-right">{error}</p>}
        </>
      )}
      {impact && (
        <ConfirmDialog
          title={t('deleteTitle', { name: impact.group })}
          confirmLabel={t('deleteConfirm')}
          pending={pending}
          error={error}
          onConfirm={confirmDelete}
          onCancel={() => {
            setImpact(null);
            setError(undefined);
          }}
        >
          <DeleteImpact impact={impact} />
        </ConfirmDialog>
      )}
    </li>
  );
}

export function DeleteImpact({ impact }: { impact: GroupDeleteImpact }) {
  const t = useTranslations('admin.groups');
  return (
    <>
      <p>{t('impactDevices', { count: impact.devices })}</p>
      {impact.losses.length === 0 ? (
        <p>{t('nobodyLoses')}</p>
      ) : (
        <div
          className="rounded-md bg-amber-50 p-2 ring-1 ring-amber-200 dark:bg-amber-950/40 dark:ring-amber-800"
          data-testid="delete-impact"
        >
          <p className="font-medium text-amber-900 dark:text-amber-200">{t('lossesTitle')}</p>
          <ul className="mt-1 list-disc pl-5 text-amber-900 dark:text-amber-200">
            {impact.losses.map((l) => (
              <li key={l.username}>{t('loses', { username: l.username, count: l.devices })}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
