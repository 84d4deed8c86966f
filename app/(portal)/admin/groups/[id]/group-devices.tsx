'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { FocusButton } from '../../_components/focus-button';
import { DevicePicker, pickerKey } from '../_components/device-picker';
import { addGroupDevicesAction, removeGroupDevicesAction, type MembershipState } from '../actions';

/**
 * The group's devices: search the whole inventory (a page at a time), tick devices on any page, then
 * add them to the group or take them out. Changes apply at once (taking a device out closes the
 * terminals of whoever reached it only through this group).
 */
export function GroupDevices({ groupId, hasMembers }: { groupId: string; hasMembers: boolean }) {
  const t = useTranslations('admin.group.devices');
  const router = useRouter();
  const queries = useQueryClient();
  const [selected, setSelected] = useState<Map<string, string>>(new Map());
  const [state, setState] = useState<MembershipState>({});
  const [pending, start] = useTransition();
  const toggle = (id: string, name: string, on: boolean) =>
    setSelected((s) => {
      const n = new Map(s);
      if (on) n.set(id, name);
      else n.delete(id);
      return n;
    });
  const run = (fn: (ids: string[]) => Promise<MembershipState>) =>
    start(async () => {
      const r = await fn([...selected.keys()]);
      setState(r);
      if (r.ok) {
        setSelected(new Map());
        await queries.invalidateQueries({ queryKey: pickerKey });
        router.refresh();
      }
    });
  return (
    <div className="space-y-2">
      {!hasMembers && (
        <div
          className="flex flex-wrap items-center gap-3 rounded-md bg-sky-50 p-3 text-sm text-sky-900 ring-1 ring-sky-200 dark:bg-sky-950/40 dark:text-sky-200 dark:ring-sky-800"
          data-testid="group-empty"
        >
          <p className="min-w-0 flex-1 basis-56">{t('empty')}</p>
          <FocusButton target="group-device-search">{t('emptyAction')}</FocusButton>
        </div>
      )}
      <DevicePicker
        inputId="group-device-search"
        groupId={groupId}
        initialScope={hasMembers ? 'in' : 'all'}
        control={(d) => (
          <input
            type="checkbox"
            className="shrink-0"
            aria-label={t('select', { name: d.name })}
            checked={selected.has(d.id)}
            onChange={(e) => toggle(d.id, d.name, e.target.checked)}
          />
        )}
        toolbar={(rows) => (
          <button
            type="button"
            className="btn-secondary"
            disabled={rows.length === 0}
            onClick={() =>
              setSelected((s) => {
                const n = new Map(s);
                for (const r of rows) n.set(r.id, r.name);
                return n;
              })
            }
          >
            {t('selectPage')}
          </button>
        )}
      />
      <div className="flex flex-wrap items-center gap-2" aria-live="polite">
        <span className="text-sm text-slate-600 dark:text-slate-300" data-testid="selected-count">
          {t('selected', { count: selected.size })}
        </span>
        <button
          type="button"
          className="btn-primary"
          disabled={pending || selected.size === 0}
          onClick={() => run((ids) => addGroupDevicesAction(groupId, ids))}
        >
          {t('add')}
        </button>
        <button
          type="button"
          className="btn-secondary"
          disabled={pending || selected.size === 0}
          onClick={() => run((ids) => removeGroupDevicesAction(groupId, ids))}
        >
          {t('remove')}
        </button>
        {selected.size > 0 && (
          <button type="button" className="btn-secondary" onClick={() => setSelected(new Map())}>
            {t('clear')}
          </button>
        )}
        {state.ok && (
          <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            {state.ok}
          </span>
        )}
        {state.error && <span className="field-error">{state.error}</span>}
      </div>
    </div>
  );
}
