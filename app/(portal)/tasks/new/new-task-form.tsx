'use client';

import { useActionState, useMemo, useState } from 'react';
import { StatusBadge } from '@/app/_components/status-badge';
import { VENDOR_LABELS, VENDORS, type Vendor } from '@/lib/devices/schema';
import {
  TASK_DEFAULT_CONCURRENCY,
  TASK_DEFAULT_TIMEOUT_S,
  TASK_MAX_CONCURRENCY,
  TASK_MAX_DEVICES,
} from '@/lib/tasks/schema';
import { createTaskAction, type NewTaskState } from '../actions';
import { DEVICE_STATUSES } from '@/lib/devices/status';
import { CommandOptions } from './command-options';
import { OutputChecks } from './output-checks';

export interface TaskDeviceOption {
  id: string;
  name: string;
  host: string;
  vendor: string;
  status: string;
}

/**
 * The device list's checkboxes and filters are React state, not form fields: an id that names no
 * form takes them out of the form, so the reset React does after each submit cannot untick or
 * blank them while the state still says otherwise (the selection is sent as hidden deviceIds).
 */
const NO_FORM = 'new-task-device-picker';

export function NewTaskForm({
  devices,
  initialSelected = [],
}: {
  devices: TaskDeviceOption[];
  /** Devices ticked from the start (`/tasks/new?devices=…`). */
  initialSelected?: string[];
}) {
  const [state, action, pending] = useActionState<NewTaskState, FormData>(createTaskAction, {});
  const [selected, setSelected] = useState<Set<string>>(() => new Set(initialSelected));
  const [q, setQ] = useState('');
  const [vendor, setVendor] = useState('');
  const [status, setStatus] = useState('');
  // the commands stay an uncontrolled field (restored from the answer like the others); this copy
  // feeds the per-command options list as the user types
  const [commandsText, setCommandsText] = useState('');
  const e = state.errors;
  // React resets an action form after each submit: the fields take back the submitted values
  // from the action's answer (defaultValue), the device selection lives in state and stays.
  const v = state.values;
  const shown = useMemo(
    () =>
      devices.filter(
        (d) =>
          (!q || `${d.name} ${d.host}`.toLowerCase().includes(q.toLowerCase())) &&
          (!vendor || d.vendor === vendor) &&
          (!status || d.status === status),
      ),
    [devices, q, vendor, status],
  );
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const n = new Set(s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });

  return (
    <form action={action} className="grid gap-4 lg:grid-cols-2" noValidate aria-label="New task">
      <div className="card space-y-4 p-4">
        {e?.form && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {e.form}
          </p>
        )}
        <div>
          <label htmlFor="name">Name</label>
          <input
            id="name"
            name="name"
            className="input"
            placeholder="e.g. Check versions"
            defaultValue={v?.name}
            aria-invalid={!!e?.name}
          />
          {e?.name && <p className="field-error">{e.name}</p>}
        </div>
        <div>
          <label htmlFor="commands">Commands (one per line, run in order)</label>
          <textarea
            id="commands"
            name="commands"
            rows={8}
            className="input font-mono text-xs"
            placeholder={'display version\ndisplay interface brief'}
            spellCheck={false}
            defaultValue={v?.commands}
            onChange={(x) => setCommandsText(x.target.value)}
            aria-invalid={!!e?.commands}
          />
          {e?.commands && <p className="field-error">{e.commands}</p>}
          <p className="mt-1 text-xs text-slate-500">
            Paging is turned off per device (screen-length 0 temporary / terminal length 0) before the
            commands run.
          </p>
        </div>
        <CommandOptions commandsText={commandsText} noForm={NO_FORM} error={e?.commandOptions} />
        <OutputChecks values={v} errors={e} />
        <div className="grid grid-cols-2 gap-3">
          <div>
            <label htmlFor="concurrency">Concurrency (devices at once)</label>
            <input
              id="concurrency"
              name="concurrency"
              defaultValue={v?.concurrency ?? TASK_DEFAULT_CONCURRENCY}
              inputMode="numeric"
              className="input"
              aria-invalid={!!e?.concurrency}
            />
            {e?.concurrency ? (
              <p className="field-error">{e.concurrency}</p>
            ) : (
              <p className="mt-1 text-xs text-slate-500">1–{TASK_MAX_CONCURRENCY}</p>
            )}
          </div>
          <div>
            <label htmlFor="timeoutSeconds">Timeout per device (s)</label>
            <input
              id="timeoutSeconds"
              name="timeoutSeconds"
              defaultValue={v?.timeoutSeconds ?? TASK_DEFAULT_TIMEOUT_S}
              inputMode="numeric"
              className="input"
              aria-invalid={!!e?.timeoutSeconds}
            />
            {e?.timeoutSeconds && <p className="field-error">{e.timeoutSeconds}</p>}
          </div>
        </div>
        {[...selected].map((id) => (
          <input key={id} type="hidden" name="deviceIds" value={id} />
        ))}
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? 'Starting…' : `Start task on ${selected.size} device${selected.size === 1 ? '' : 's'}`}
        </button>
      </div>

      <fieldset className="card flex max-h-[36rem] flex-col p-4">
        <legend className="sr-only">Devices</legend>
        <div className="flex flex-wrap items-end gap-2">
          <div className="min-w-32 flex-1">
            <label htmlFor="device-search">Devices</label>
            <input
              id="device-search"
              form={NO_FORM}
              className="input"
              value={q}
              onChange={(x) => setQ(x.target.value)}
              placeholder="Search name or host"
            />
          </div>
          <select
            aria-label="Vendor filter"
            form={NO_FORM}
            className="input w-36"
            value={vendor}
            onChange={(x) => setVendor(x.target.value)}
          >
            <option value="">All vendors</option>
            {VENDORS.map((v) => (
              <option key={v} value={v}>
                {VENDOR_LABELS[v]}
              </option>
            ))}
          </select>
          <select
            aria-label="Status filter"
            form={NO_FORM}
            className="input w-32"
            value={status}
            onChange={(x) => setStatus(x.target.value)}
          >
            <option value="">Any status</option>
            {DEVICE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="mt-2 flex items-center gap-2 text-sm">
          <button
            type="button"
            className="btn-secondary"
            onClick={() =>
              setSelected((s) => new Set([...s, ...shown.map((d) => d.id)].slice(0, TASK_MAX_DEVICES)))
            }
          >
            Select shown ({shown.length})
          </button>
          <button type="button" className="btn-secondary" onClick={() => setSelected(new Set())}>
            Clear
          </button>
          <span className="ml-auto text-slate-600" data-testid="selected-count">
            {selected.size} selected
          </span>
        </div>
        {e?.deviceIds && <p className="field-error">{e.deviceIds}</p>}
        <ul className="mt-2 min-h-0 flex-1 divide-y divide-slate-100 overflow-y-auto rounded border border-slate-200 text-sm">
          {shown.map((d) => (
            <li key={d.id} className="px-3 py-1">
              <label className="flex items-center gap-2 font-normal">
                <input
                  type="checkbox"
                  form={NO_FORM}
                  checked={selected.has(d.id)}
                  onChange={(x) => toggle(d.id, x.target.checked)}
                  aria-label={`Select ${d.name}`}
                />
                <span className="font-medium">{d.name}</span>
                <span className="font-mono text-xs text-slate-500">{d.host}</span>
                <span className="text-xs text-slate-500">
                  {VENDOR_LABELS[d.vendor as Vendor] ?? d.vendor}
                </span>
                <span className="ml-auto">
                  <StatusBadge status={d.status} />
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
    </form>
  );
}
