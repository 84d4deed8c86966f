'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { plural } from '@/lib/format/plural';
import { DevicePicker, pickerKey } from '../_components/device-picker';
import { addGroupDevicesAction, removeGroupDevicesAction, type MembershipState } from '../actions';

/**
 * The group's devices: search the whole inventory (a page at a time), tick devices on any page, then
 * add them to the group or take them out. Changes apply at once (taking a device out closes the
 * terminals of whoever reached it only through this group).
 */
export function GroupDevices({ groupId, hasMembers }: { groupId: string; hasMembers: boolean }) {
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
      <DevicePicker
        groupId={groupId}
        initialScope={hasMembers ? 'in' : 'all'}
        control={(d) => (
          <input
            type="checkbox"
            className="shrink-0"
            aria-label={`Select ${d.name}`}
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
            Select page
          </button>
        )}
      />
      <div className="flex flex-wrap items-center gap-2" aria-live="polite">
        <span className="text-sm text-slate-600" data-testid="selected-count">
          {plural(selected.size, 'device')} selected
        </span>
        <button
          type="button"
          className="btn-primary"
          disabled={pending || selected.size === 0}
          onClick={() => run((ids) => addGroupDevicesAction(groupId, ids))}
        >
          Add to group
        </button>
        <button
          type="button"
          className="btn-secondary"
          disabled={pending || selected.size === 0}
          onClick={() => run((ids) => removeGroupDevicesAction(groupId, ids))}
        >
          Remove from group
        </button>
        {selected.size > 0 && (
          <button type="button" className="btn-secondary" onClick={() => setSelected(new Map())}>
            Clear selection
          </button>
        )}
        {state.ok && (
          <span role="status" className="text-sm text-emerald-700">
            {state.ok}
          </span>
        )}
        {state.error && <span className="field-error">{state.error}</span>}
      </div>
    </div>
  );
}
