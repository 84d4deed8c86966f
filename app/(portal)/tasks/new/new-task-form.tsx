'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useActionState, useMemo, useState } from 'react';
import { StatusBadge } from '@/app/_components/status-badge';
import { VENDOR_LABELS, VENDORS, type Vendor } from '@/lib/devices/schema';
import {
  TASK_DEFAULT_CONCURRENCY,
  TASK_DEFAULT_TIMEOUT_S,
  TASK_MAX_CONCURRENCY,
  TASK_MAX_DEVICES,
  TASK_MAX_TIMEOUT_S,
  TASK_MIN_TIMEOUT_S,
} from '@/lib/tasks/schema';
import { createTaskAction, type NewTaskState } from '../actions';
import { DEVICE_STATUSES } from '@/lib/devices/status';
import { CommandOptions } from './command-options';
import { describedBy } from './described-by';
import { OutputChecks } from './output-checks';
import {
  NO_VENDOR_DRAFTS,
  openVendorTexts,
  VendorCommands,
  vendorCommandsJson,
  type VendorDrafts,
} from './vendor-commands';
import { vendorCoverage } from './vendor-coverage';

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
  const t = useTranslations('tasks.new');
  const tStatus = useTranslations('common.status');
  const [state, action, pending] = useActionState<NewTaskState, FormData>(createTaskAction, {});
  const [selected, setSelected] = useState<Set<string>>(() => new Set(initialSelected));
  const [q, setQ] = useState('');
  const [vendor, setVendor] = useState('');
  const [status, setStatus] = useState('');
  // the commands stay an uncontrolled field (restored from the answer like the others); this copy
  // feeds the per-command options list as the user types
  const [commandsText, setCommandsText] = useState('');
  // the per-vendor lists are React state outside the form: they stay as typed after a failed submit
  const [vendorDrafts, setVendorDrafts] = useState<VendorDrafts>(NO_VENDOR_DRAFTS);
  const vendorTexts = openVendorTexts(vendorDrafts);
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
  // which list each selected device runs, live (the executor decides the same way)
  const coverage = useMemo(
    () =>
      vendorCoverage(
        devices.filter((d) => selected.has(d.id)),
        commandsText,
        openVendorTexts(vendorDrafts),
      ),
    [devices, selected, commandsText, vendorDrafts],
  );
  const vendorLabel = (vendor: string) => VENDOR_LABELS[vendor as Vendor] ?? vendor;
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const n = new Set(s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });

  return (
    <form action={action} className="grid gap-4 lg:grid-cols-2" noValidate aria-label={t('formLabel')}>
      <div className="card min-w-0 space-y-4 p-4">
        {e?.form && (
          <p
            role="alert"
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/40 dark:text-red-300"
          >
            {e.form}
          </p>
        )}
        {(e?.confirmGuarded || v?.confirmGuarded) && (
          // guard-rail rules ask to confirm some commands: the server said what to type
          <div className="rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-700 dark:bg-amber-950/40">
            <label htmlFor="confirmGuarded">{t('confirmGuarded')}</label>
            <input
              id="confirmGuarded"
              name="confirmGuarded"
              className="input font-mono"
              autoComplete="off"
              defaultValue={v?.confirmGuarded}
              aria-invalid={!!e?.confirmGuarded}
              aria-describedby={describedBy(e?.confirmGuarded && 'confirmGuarded-error')}
            />
            {e?.confirmGuarded && (
              <p id="confirmGuarded-error" className="field-error">
                {e.confirmGuarded}
              </p>
            )}
          </div>
        )}
        <div>
          <label htmlFor="name">{t('name')}</label>
          <input
            id="name"
            name="name"
            className="input"
            placeholder={t('namePlaceholder')}
            defaultValue={v?.name}
            aria-invalid={!!e?.name}
            aria-describedby={describedBy(e?.name && 'name-error')}
          />
          {e?.name && (
            <p id="name-error" className="field-error">
              {e.name}
            </p>
          )}
        </div>
        <div>
          <label htmlFor="commands">{t('commands')}</label>
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
            aria-describedby={describedBy(
              e?.commands && 'commands-error',
              'commands-coverage',
              'commands-help',
            )}
          />
          {e?.commands && (
            <p id="commands-error" className="field-error">
              {e.commands}
            </p>
          )}
          <p
            id="commands-coverage"
            className="mt-1 text-xs font-medium text-slate-700 dark:text-slate-300"
            data-testid="common-coverage"
          >
            {vendorDrafts.open.length > 0
              ? t('commonCoverage', { count: coverage.common })
              : t('commonCoverageAll', { count: coverage.common })}
          </p>
          <p id="commands-help" className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            {t('commandsHelp')}
          </p>
        </div>
        <input type="hidden" name="vendorCommands" value={vendorCommandsJson(vendorDrafts)} />
        <VendorCommands
          drafts={vendorDrafts}
          onChange={setVendorDrafts}
          coverage={coverage}
          errors={state.vendorErrors}
          error={e?.vendorCommands}
          noForm={NO_FORM}
        />
        {/* options belong to a command's text: they apply to it in the common list and in any vendor's */}
        <CommandOptions
          commandsText={[commandsText, ...Object.values(vendorTexts)].join('\n')}
          noForm={NO_FORM}
          error={e?.commandOptions}
        />
        <OutputChecks values={v} errors={e} />
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          <div className="flex flex-col">
            <label htmlFor="concurrency">{t('concurrency')}</label>
            <input
              id="concurrency"
              name="concurrency"
              defaultValue={v?.concurrency ?? TASK_DEFAULT_CONCURRENCY}
              inputMode="numeric"
              className="input"
              aria-invalid={!!e?.concurrency}
              aria-describedby={e?.concurrency ? 'concurrency-error' : 'concurrency-help'}
            />
            {e?.concurrency ? (
              <p id="concurrency-error" className="field-error">
                {e.concurrency}
              </p>
            ) : (
              <p id="concurrency-help" className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                {t('concurrencyHelp', { min: 1, max: TASK_MAX_CONCURRENCY })}
              </p>
            )}
          </div>
          <div className="flex flex-col">
            <label htmlFor="timeoutSeconds">{t('timeout')}</label>
            <input
              id="timeoutSeconds"
              name="timeoutSeconds"
              defaultValue={v?.timeoutSeconds ?? TASK_DEFAULT_TIMEOUT_S}
              inputMode="numeric"
              className="input"
              aria-invalid={!!e?.timeoutSeconds}
              aria-describedby={e?.timeoutSeconds ? 'timeoutSeconds-error' : 'timeoutSeconds-help'}
            />
            {e?.timeoutSeconds ? (
              <p id="timeoutSeconds-error" className="field-error">
                {e.timeoutSeconds}
              </p>
            ) : (
              <p id="timeoutSeconds-help" className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                {t('timeoutHelp', { min: TASK_MIN_TIMEOUT_S, max: TASK_MAX_TIMEOUT_S })}
              </p>
            )}
          </div>
        </div>
        {/* out of the flow while empty (no gap), still a live region for when the warning comes */}
        <div role="status" className={coverage.skipped.length === 0 ? 'sr-only' : undefined}>
          {coverage.skipped.length > 0 && (
            <ul
              className="space-y-1 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-200"
              data-testid="skipped-warning"
            >
              {coverage.skipped.map(({ vendor: v, count }) => (
                <li key={v} className="flex gap-2" data-vendor={v}>
                  <span aria-hidden="true">⚠</span>
                  <span>{t('skipped', { count, vendor: vendorLabel(v) })}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        {[...selected].map((id) => (
          <input key={id} type="hidden" name="deviceIds" value={id} />
        ))}
        <button
          type="submit"
          className="btn-primary w-full sm:w-auto"
          disabled={pending}
          aria-describedby={describedBy(e?.deviceIds && 'deviceIds-error')}
        >
          {pending ? t('starting') : t('start', { count: selected.size })}
        </button>
      </div>

      <fieldset className="card flex max-h-[36rem] min-w-0 flex-col p-4">
        <legend className="sr-only">{t('devices')}</legend>
        <div className="flex flex-wrap items-end gap-2">
          <div className="min-w-32 flex-1">
            <label htmlFor="device-search">{t('deviceSearch')}</label>
            <input
              id="device-search"
              form={NO_FORM}
              className="input"
              value={q}
              onChange={(x) => setQ(x.target.value)}
              placeholder={t('deviceSearchPlaceholder')}
            />
          </div>
          <select
            aria-label={t('vendorFilter')}
            form={NO_FORM}
            className="input w-36"
            value={vendor}
            onChange={(x) => setVendor(x.target.value)}
          >
            <option value="">{t('allVendors')}</option>
            {VENDORS.map((v) => (
              <option key={v} value={v}>
                {VENDOR_LABELS[v]}
              </option>
            ))}
          </select>
          <select
            aria-label={t('statusFilter')}
            form={NO_FORM}
            className="input w-32"
            value={status}
            onChange={(x) => setStatus(x.target.value)}
          >
            <option value="">{t('anyStatus')}</option>
            {DEVICE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {tStatus(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
          <button
            type="button"
            className="btn-secondary"
            onClick={() =>
              setSelected((s) => new Set([...s, ...shown.map((d) => d.id)].slice(0, TASK_MAX_DEVICES)))
            }
          >
            {t('selectShown', { count: shown.length })}
          </button>
          <button type="button" className="btn-secondary" onClick={() => setSelected(new Set())}>
            {t('clearSelection')}
          </button>
          <span
            className="ml-auto text-slate-600 dark:text-slate-300"
            data-testid="selected-count"
            aria-live="polite"
          >
            {t('selected', { count: selected.size })}
          </span>
        </div>
        {e?.deviceIds && (
          <p id="deviceIds-error" role="alert" className="field-error">
            {e.deviceIds}
          </p>
        )}
        {devices.length === 0 ? (
          <div className="mt-2 rounded border border-dashed border-slate-300 p-4 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
            <p>{t('noDevices')}</p>
            <Link
              href="/devices/new"
              className="mt-2 inline-block font-medium text-sky-700 hover:underline dark:text-sky-400"
            >
              {t('addDevice')}
            </Link>
          </div>
        ) : shown.length === 0 ? (
          <div className="mt-2 rounded border border-dashed border-slate-300 p-4 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
            <p>{t('noDeviceMatch')}</p>
            <button
              type="button"
              className="btn-secondary mt-2"
              onClick={() => {
                setQ('');
                setVendor('');
                setStatus('');
              }}
            >
              {t('clearDeviceFilters')}
            </button>
          </div>
        ) : (
          <ul className="mt-2 min-h-0 flex-1 divide-y divide-slate-100 overflow-y-auto rounded border border-slate-200 text-sm dark:divide-slate-800 dark:border-slate-700">
            {shown.map((d) => (
              <li key={d.id} className="px-3 py-1">
                <label className="flex min-w-0 items-center gap-2 font-normal">
                  <input
                    type="checkbox"
                    form={NO_FORM}
                    checked={selected.has(d.id)}
                    onChange={(x) => toggle(d.id, x.target.checked)}
                    aria-label={t('selectDevice', { name: d.name })}
                  />
                  <span className="flex-none font-medium">{d.name}</span>
                  <span className="hidden min-w-0 truncate font-mono text-xs text-slate-500 sm:inline dark:text-slate-400">
                    {d.host}
                  </span>
                  <span className="min-w-0 truncate text-xs text-slate-500 dark:text-slate-400">
                    {VENDOR_LABELS[d.vendor as Vendor] ?? d.vendor}
                  </span>
                  <span className="ml-auto shrink-0">
                    <StatusBadge status={d.status} />
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
    </form>
  );
}
