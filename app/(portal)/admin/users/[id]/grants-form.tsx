'use client';

import { useActionState, useMemo, useState } from 'react';
import { setGrantsAction, type SimpleState } from '../actions';

export function GrantsForm({
  userId,
  devices,
  granted,
}: {
  userId: string;
  devices: { id: string; name: string; host: string; vendor: string }[];
  granted: string[];
}) {
  const [state, action, pending] = useActionState<SimpleState, FormData>(
    setGrantsAction.bind(null, userId),
    {},
  );
  const [selected, setSelected] = useState(() => new Set(granted));
  const [filter, setFilter] = useState('');
  const shown = useMemo(
    () =>
      devices.filter((d) => `${d.name} ${d.host} ${d.vendor}`.toLowerCase().includes(filter.toLowerCase())),
    [devices, filter],
  );
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const n = new Set(s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });
  return (
    <form action={action} className="card space-y-3 p-4">
      <div className="flex items-end gap-3">
        <div className="flex-1">
          <label htmlFor="grant-filter">Filter</label>
          <input
            id="grant-filter"
            className="input"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="Name, host or vendor"
          />
        </div>
        <button
          type="button"
          className="btn-secondary"
          onClick={() => setSelected((s) => new Set([...s, ...shown.map((d) => d.id)]))}
        >
          Select shown
        </button>
        <button
          type="button"
          className="btn-secondary"
          onClick={() => setSelected((s) => new Set([...s].filter((id) => !shown.some((d) => d.id === id))))}
        >
          Clear shown
        </button>
      </div>
      {[...selected].map((id) => (
        <input key={id} type="hidden" name="device" value={id} />
      ))}
      <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto rounded border border-slate-200">
        {shown.map((d) => (
          <li key={d.id} className="px-3 py-1.5">
            <label className="flex items-center gap-2 font-normal">
              <input
                type="checkbox"
                checked={selected.has(d.id)}
                onChange={(e) => toggle(d.id, e.target.checked)}
                aria-label={`Grant ${d.name}`}
              />
              <span className="font-medium">{d.name}</span>
              <span className="font-mono text-xs text-slate-500">{d.host}</span>
              <span className="text-xs text-slate-500">{d.vendor}</span>
            </label>
          </li>
        ))}
      </ul>
      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? 'Saving…' : `Save grants (${selected.size})`}
        </button>
        {state.ok && (
          <span role="status" className="text-sm text-emerald-700">
            {state.ok}
          </span>
        )}
        {state.error && <span className="field-error">{state.error}</span>}
      </div>
    </form>
  );
}
