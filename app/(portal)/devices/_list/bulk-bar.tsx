'use client';

import { useTranslations } from 'next-intl';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState, useTransition, type Dispatch, type SetStateAction } from 'react';
import { BULK_SELECT_MAX, BULK_TERMINALS_MAX } from '@/lib/devices/device-list-params';
import { bulkDeleteDevicesAction, bulkGroupAction, matchingDevicesAction } from '../actions';

/** Selected devices by id, with what the bar needs without asking the server again. */
export type Selection = Map<string, { name: string; canOperate: boolean }>;

type Notice = { kind: 'ok' | 'error'; text: string; details?: string[] } | null;
type DialogKind = 'add' | 'remove' | 'delete' | null;

const NEW_GROUP = '__new__';

/**
 * What can be done with the selection: group membership (operators and admins, through the groups
 * service), a task on the devices (/tasks/new with them ticked), terminals (one tab each, at most
 * BULK_TERMINALS_MAX), and delete (after a dialog naming them). "Select all N matching" takes the
 * list's query across every page, up to BULK_SELECT_MAX.
 */
export function BulkBar({
  selected,
  setSelected,
  pageAllSelected,
  total,
  groups,
  canEdit,
  canRunTasks,
  canCreateGroups,
}: {
  selected: Selection;
  setSelected: Dispatch<SetStateAction<Selection>>;
  pageAllSelected: boolean;
  total: number;
  groups: { id: string; name: string }[];
  canEdit: boolean;
  canRunTasks: boolean;
  canCreateGroups: boolean;
}) {
  const t = useTranslations('devices');
  const router = useRouter();
  const params = useSearchParams();
  const [pending, start] = useTransition();
  const [notice, setNotice] = useState<Notice>(null);
  const [dialog, setDialog] = useState<DialogKind>(null);
  const [groupId, setGroupId] = useState('');
  const [newGroup, setNewGroup] = useState('');
  const dialogRef = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialogRef.current;
    if (!d) return;
    if (dialog && !d.open) d.showModal();
    if (!dialog && d.open) d.close();
  }, [dialog]);

  const ids = [...selected.keys()];
  const names = [...selected.values()].map((v) => v.name);
  const operable = [...selected.entries()].filter(([, v]) => v.canOperate).map(([id]) => id);
  const matching = Math.min(total, BULK_SELECT_MAX);
  const n = selected.size;

  function selectAllMatching() {
    start(async () => {
      const r = await matchingDevicesAction(Object.fromEntries(params.entries()));
      if (!r.ok) return setNotice({ kind: 'error', text: r.error });
      setSelected(new Map(r.devices.map((d) => [d.id, { name: d.name, canOperate: d.canOperate }])));
      setNotice(
        total > BULK_SELECT_MAX
          ? { kind: 'ok', text: t('bulk.selectedFirst', { count: BULK_SELECT_MAX, total }) }
          : null,
      );
    });
  }

  function openDialog(kind: DialogKind) {
    setNotice(null);
    setGroupId(kind === 'add' && groups.length === 0 && canCreateGroups ? NEW_GROUP : '');
    setNewGroup('');
    setDialog(kind);
  }

  function applyGroup(op: 'add' | 'remove') {
    const target = groupId === NEW_GROUP ? { newGroup: newGroup.trim() } : { groupId };
    if (groupId === '' || (groupId === NEW_GROUP && !newGroup.trim())) return;
    start(async () => {
      const r = await bulkGroupAction(op, target, ids);
      if (r.error !== undefined) return setNotice({ kind: 'error', text: r.error });
      setDialog(null);
      setNotice({ kind: 'ok', text: r.ok });
      router.refresh();
    });
  }

  function applyDelete() {
    start(async () => {
      const r = await bulkDeleteDevicesAction(ids);
      setDialog(null);
      if (r.error) return setNotice({ kind: 'error', text: r.error });
      const refused = new Set(r.refused.map((x) => x.id));
      setSelected((s) => new Map([...s].filter(([id]) => refused.has(id))));
      setNotice(
        r.refused.length === 0
          ? { kind: 'ok', text: t('bulk.deleted', { count: r.deleted.length }) }
          : {
              kind: 'error',
              text: t('bulk.deletedSome', { deleted: r.deleted.length, kept: r.refused.length }),
              details: r.refused.map((x) => `${x.name}: ${x.reason}`),
            },
      );
      router.refresh();
    });
  }

  // nothing selected: only what the last action said (e.g. "Deleted 2 devices."), if anything
  if (n === 0 && !notice) return null;
  return (
    <div
      className="card sticky top-2 z-10 space-y-2 border-sky-300 bg-sky-50 p-3 text-sm dark:border-sky-800 dark:bg-slate-900"
      role="region"
      aria-label={t('bulk.label')}
      aria-busy={pending}
    >
      <div className={`flex flex-wrap items-center gap-2 ${n === 0 ? 'hidden' : ''}`}>
        <span className="font-medium" data-testid="selected-count">
          {t('bulk.selected', { count: n })}
        </span>
        {pageAllSelected && total > n && n < BULK_SELECT_MAX && (
          <button
            type="button"
            className="min-h-8 text-sky-700 underline hover:text-sky-900 dark:text-sky-400 dark:hover:text-sky-300"
            onClick={selectAllMatching}
            disabled={pending}
          >
            {total > BULK_SELECT_MAX
              ? t('bulk.selectAllMatchingOf', { count: matching, total })
              : t('bulk.selectAllMatching', { count: matching })}
          </button>
        )}
        <button
          type="button"
          className="min-h-8 text-slate-700 underline hover:text-slate-900 dark:text-slate-300 dark:hover:text-white"
          onClick={() => {
            setSelected(new Map());
            setNotice(null);
          }}
        >
          {t('bulk.clearSelection')}
        </button>
        <span className="ml-auto flex flex-wrap gap-2">
          {canEdit && (
            <>
              <button
                type="button"
                className="btn-secondary"
                onClick={() => openDialog('add')}
                disabled={pending}
              >
                {t('bulk.addToGroup')}
              </button>
              <button
                type="button"
                className="btn-secondary"
                onClick={() => openDialog('remove')}
                disabled={pending || groups.length === 0}
              >
                {t('bulk.removeFromGroup')}
              </button>
            </>
          )}
          {canRunTasks && (
            <>
              <button
                type="button"
                className="btn-secondary"
                disabled={pending || operable.length === 0}
                title={operable.length < n ? t('bulk.leftOut', { count: n - operable.length }) : undefined}
                onClick={() => router.push(`/tasks/new?devices=${operable.join(',')}`)}
              >
                {t('bulk.runTask')}
              </button>
              <button
                type="button"
                className="btn-secondary"
                disabled={pending || operable.length === 0}
                title={t('bulk.terminalsTitle', { count: BULK_TERMINALS_MAX })}
                onClick={() =>
                  router.push(`/terminal?devices=${operable.slice(0, BULK_TERMINALS_MAX).join(',')}`)
                }
              >
                {operable.length > BULK_TERMINALS_MAX
                  ? t('bulk.openTerminalsFirst', { count: BULK_TERMINALS_MAX })
                  : t('bulk.openTerminals')}
              </button>
            </>
          )}
          {canEdit && (
            <button
              type="button"
              className="btn-danger"
              onClick={() => openDialog('delete')}
              disabled={pending}
            >
              {t('bulk.delete')}
            </button>
          )}
        </span>
      </div>
      {notice && (
        <div
          role={notice.kind === 'error' ? 'alert' : 'status'}
          className={
            notice.kind === 'error'
              ? 'text-red-700 dark:text-red-300'
              : 'text-emerald-800 dark:text-emerald-300'
          }
        >
          {notice.text}
          {notice.details && (
            <ul className="mt-1 list-disc pl-5">
              {notice.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      <dialog
        ref={dialogRef}
        aria-labelledby="bulk-dialog-title"
        className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40 dark:border dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:backdrop:bg-black/60"
        onClose={() => setDialog(null)}
      >
        {dialog && (
          <form
            method="dialog"
            className="space-y-3 p-4 text-sm"
            onSubmit={(e) => {
              e.preventDefault();
              if (dialog === 'delete') applyDelete();
              else applyGroup(dialog);
            }}
          >
            <h2 id="bulk-dialog-title" className="text-base font-semibold">
              {dialog === 'delete'
                ? t('bulk.deleteTitle', { count: n })
                : dialog === 'add'
                  ? t('bulk.addTitle', { count: n })
                  : t('bulk.removeTitle', { count: n })}
            </h2>
            {dialog === 'delete' ? (
              <>
                <p className="text-slate-600 dark:text-slate-400">{t('bulk.deleteBody')}</p>
                <ul
                  className="max-h-48 overflow-y-auto rounded border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-xs dark:border-slate-700 dark:bg-slate-950"
                  data-testid="delete-names"
                >
                  {names.map((name) => (
                    <li key={name}>{name}</li>
                  ))}
                </ul>
              </>
            ) : (
              <>
                <div>
                  <label htmlFor="bulk-group">{t('bulk.group')}</label>
                  <select
                    id="bulk-group"
                    className="input"
                    value={groupId}
                    onChange={(e) => setGroupId(e.target.value)}
                    autoFocus
                  >
                    <option value="" disabled>
                      {t('bulk.chooseGroup')}
                    </option>
                    {groups.map((g) => (
                      <option key={g.id} value={g.id}>
                        {g.name}
                      </option>
                    ))}
                    {dialog === 'add' && canCreateGroups && (
                      <option value={NEW_GROUP}>{t('bulk.newGroupOption')}</option>
                    )}
                  </select>
                </div>
                {groupId === NEW_GROUP && (
                  <div>
                    <label htmlFor="bulk-new-group">{t('bulk.newGroupName')}</label>
                    <input
                      id="bulk-new-group"
                      className="input"
                      value={newGroup}
                      onChange={(e) => setNewGroup(e.target.value)}
                      placeholder={t('bulk.newGroupPlaceholder')}
                      autoComplete="off"
                    />
                  </div>
                )}
              </>
            )}
            {notice?.kind === 'error' && (
              <p role="alert" className="text-red-700 dark:text-red-300">
                {notice.text}
              </p>
            )}
            <div className="flex justify-end gap-2">
              <button type="button" className="btn-secondary" onClick={() => setDialog(null)}>
                {t('bulk.cancel')}
              </button>
              <button
                type="submit"
                className={dialog === 'delete' ? 'btn-danger' : 'btn-primary'}
                disabled={
                  pending ||
                  (dialog !== 'delete' && (groupId === '' || (groupId === NEW_GROUP && !newGroup.trim())))
                }
              >
                {dialog === 'delete'
                  ? t('bulk.confirmDelete', { count: n })
                  : dialog === 'add'
                    ? t('bulk.confirmAdd')
                    : t('bulk.confirmRemove')}
              </button>
            </div>
          </form>
        )}
      </dialog>
    </div>
  );
}
