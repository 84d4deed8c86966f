'use client';

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
  const devicesWord = (k: number) => `${k} device${k === 1 ? '' : 's'}`;

  function selectAllMatching() {
    start(async () => {
      const r = await matchingDevicesAction(Object.fromEntries(params.entries()));
      if (!r.ok) return setNotice({ kind: 'error', text: r.error });
      setSelected(new Map(r.devices.map((d) => [d.id, { name: d.name, canOperate: d.canOperate }])));
      setNotice(
        total > BULK_SELECT_MAX
          ? {
              kind: 'ok',
              text: `Selected the first ${BULK_SELECT_MAX} of ${total} (the most one selection holds).`,
            }
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
          ? { kind: 'ok', text: `Deleted ${devicesWord(r.deleted.length)}.` }
          : {
              kind: 'error',
              text: `Deleted ${devicesWord(r.deleted.length)}; ${devicesWord(r.refused.length)} kept:`,
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
      className="card sticky top-2 z-10 space-y-2 border-sky-300 bg-sky-50 p-3 text-sm"
      role="region"
      aria-label="Bulk actions"
      aria-busy={pending}
    >
      <div className={`flex flex-wrap items-center gap-2 ${n === 0 ? 'hidden' : ''}`}>
        <span className="font-medium" data-testid="selected-count">
          {n} selected
        </span>
        {pageAllSelected && total > n && n < BULK_SELECT_MAX && (
          <button
            type="button"
            className="text-sky-700 underline hover:text-sky-900"
            onClick={selectAllMatching}
            disabled={pending}
          >
            Select all {matching} matching
            {total > BULK_SELECT_MAX ? ` (of ${total})` : ''}
          </button>
        )}
        <button
          type="button"
          className="text-slate-600 underline hover:text-slate-900"
          onClick={() => {
            setSelected(new Map());
            setNotice(null);
          }}
        >
          Clear selection
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
                Add to group…
              </button>
              <button
                type="button"
                className="btn-secondary"
                onClick={() => openDialog('remove')}
                disabled={pending || groups.length === 0}
              >
                Remove from group…
              </button>
            </>
          )}
          {canRunTasks && (
            <>
              <button
                type="button"
                className="btn-secondary"
                disabled={pending || operable.length === 0}
                title={
                  operable.length < n
                    ? `${devicesWord(n - operable.length)} you may not operate are left out`
                    : undefined
                }
                onClick={() => router.push(`/tasks/new?devices=${operable.join(',')}`)}
              >
                Run task…
              </button>
              <button
                type="button"
                className="btn-secondary"
                disabled={pending || operable.length === 0}
                title={`One tab per device, at most ${BULK_TERMINALS_MAX}`}
                onClick={() =>
                  router.push(`/terminal?devices=${operable.slice(0, BULK_TERMINALS_MAX).join(',')}`)
                }
              >
                Open terminals{operable.length > BULK_TERMINALS_MAX ? ` (first ${BULK_TERMINALS_MAX})` : ''}
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
              Delete…
            </button>
          )}
        </span>
      </div>
      {notice && (
        <div
          role={notice.kind === 'error' ? 'alert' : 'status'}
          className={notice.kind === 'error' ? 'text-red-700' : 'text-emerald-800'}
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
        className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
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
                ? `Delete ${devicesWord(n)}?`
                : dialog === 'add'
                  ? `Add ${devicesWord(n)} to a group`
                  : `Remove ${devicesWord(n)} from a group`}
            </h2>
            {dialog === 'delete' ? (
              <>
                <p className="text-slate-600">
                  Their credentials, host keys and grants go with them. A jump host that other devices still
                  use is kept, with the reason.
                </p>
                <ul
                  className="max-h-48 overflow-y-auto rounded border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-xs"
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
                  <label htmlFor="bulk-group">Group</label>
                  <select
                    id="bulk-group"
                    className="input"
                    value={groupId}
                    onChange={(e) => setGroupId(e.target.value)}
                    autoFocus
                  >
                    <option value="" disabled>
                      Choose a group…
                    </option>
                    {groups.map((g) => (
                      <option key={g.id} value={g.id}>
                        {g.name}
                      </option>
                    ))}
                    {dialog === 'add' && canCreateGroups && <option value={NEW_GROUP}>New group…</option>}
                  </select>
                </div>
                {groupId === NEW_GROUP && (
                  <div>
                    <label htmlFor="bulk-new-group">New group’s name</label>
                    <input
                      id="bulk-new-group"
                      className="input"
                      value={newGroup}
                      onChange={(e) => setNewGroup(e.target.value)}
                      placeholder="e.g. site:shanghai-dc1"
                      autoComplete="off"
                    />
                  </div>
                )}
              </>
            )}
            {notice?.kind === 'error' && (
              <p role="alert" className="text-red-700">
                {notice.text}
              </p>
            )}
            <div className="flex justify-end gap-2">
              <button type="button" className="btn-secondary" onClick={() => setDialog(null)}>
                Cancel
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
                  ? `Delete ${devicesWord(n)}`
                  : dialog === 'add'
                    ? 'Add to group'
                    : 'Remove from group'}
              </button>
            </div>
          </form>
        )}
      </dialog>
    </div>
  );
}
