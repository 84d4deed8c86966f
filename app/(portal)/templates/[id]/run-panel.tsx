'use client';

import { useTranslations } from 'next-intl';
import { useMemo, useState, useTransition } from 'react';
import { StatusDot } from '@/app/_components/status-badge';
import type { PreviewRow } from '@/lib/automation/templates';
import type { InputDefinition } from '@/lib/automation/render';
import {
  createScheduleAction,
  previewTemplateAction,
  runTemplateAction,
  type PreviewState,
} from '../actions';

export interface RunDevice {
  id: string;
  name: string;
  host: string;
  vendor: string;
  status: string;
}

/** A device group with the devices of it the user may run tasks on. */
export interface RunGroup {
  id: string;
  name: string;
  deviceIds: string[];
}

const SHOWN_MAX = 200;

/**
 * Choose devices, fill in the inputs, see exactly what each device will receive, then run now or
 * put it on a schedule.
 */
export function RunPanel({
  templateId,
  devices,
  groups = [],
  inputs,
  timeZone,
}: {
  templateId: string;
  devices: RunDevice[];
  groups?: RunGroup[];
  inputs: InputDefinition[];
  timeZone: string;
}) {
  const t = useTranslations('automation.run');
  const ts = useTranslations('automation.schedules');
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // groups chosen as a whole: their devices are ticked now, and a schedule keeps the group itself
  // (devices added to it later are in the next run)
  const [chosenGroups, setChosenGroups] = useState<string[]>([]);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(inputs.map((d) => [d.name, d.default ?? ''])),
  );
  const [preview, setPreview] = useState<PreviewState | null>(null);
  const [error, setError] = useState<string | null>(null);
  // guard-rail rules asked to confirm some commands: what the user types to confirm them
  const [confirm, setConfirm] = useState<string | null>(null);
  const [inputErrors, setInputErrors] = useState<Record<string, string>>({});
  const [pending, start] = useTransition();
  const [cron, setCron] = useState('0 2 * * *');
  const [tz, setTz] = useState(timeZone);
  const [missed, setMissed] = useState('skip');
  const [scheduleError, setScheduleError] = useState<string | null>(null);
  // guard-rail rules ask to confirm some of the schedule's commands: its owner confirms them once
  const [scheduleConfirm, setScheduleConfirm] = useState<string | null>(null);

  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return devices
      .filter(
        (d) =>
          !needle ||
          d.name.toLowerCase().includes(needle) ||
          d.host.includes(needle) ||
          d.vendor.includes(needle),
      )
      .slice(0, SHOWN_MAX);
  }, [devices, q]);
  const req = () => ({ deviceIds: [...selected], inputs: values, ...(confirm !== null && { confirm }) });
  const toggle = (id: string) =>
    setSelected((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const rows = preview?.ok ? preview.rows : [];
  const byStatus = (s: PreviewRow['status']) => rows.filter((r) => r.status === s);

  return (
    <section className="card space-y-4 p-4" aria-labelledby="run-heading" data-testid="run-panel">
      <h2 id="run-heading" className="text-lg font-semibold">
        {t('title')}
      </h2>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{t('devices')}</legend>
        {devices.length === 0 ? (
          <p className="text-sm text-slate-500 dark:text-slate-400">{t('noDevices')}</p>
        ) : (
          <>
            <div className="flex flex-wrap items-center gap-2">
              <label htmlFor="run-filter" className="sr-only">
                {t('filter')}
              </label>
              <input
                id="run-filter"
                type="search"
                className="input mt-0 max-w-xs"
                placeholder={t('filter')}
                value={q}
                onChange={(e) => setQ(e.target.value)}
              />
              <button
                type="button"
                className="btn-secondary"
                onClick={() => setSelected((old) => new Set([...old, ...shown.map((d) => d.id)]))}
              >
                {t('selectShown', { count: shown.length })}
              </button>
              {groups.length > 0 && (
                <select
                  aria-label={t('addGroup')}
                  className="input mt-0 w-auto max-w-full"
                  value=""
                  onChange={(e) => {
                    const g = groups.find((x) => x.id === e.target.value);
                    if (!g) return;
                    setChosenGroups((old) => (old.includes(g.id) ? old : [...old, g.id]));
                    setSelected((old) => new Set([...old, ...g.deviceIds]));
                  }}
                >
                  <option value="">{t('addGroup')}</option>
                  {groups.map((g) => (
                    <option key={g.id} value={g.id}>
                      {t('groupOption', { name: g.name, count: g.deviceIds.length })}
                    </option>
                  ))}
                </select>
              )}
              <button
                type="button"
                className="btn-secondary"
                onClick={() => {
                  setSelected(new Set());
                  setChosenGroups([]);
                }}
              >
                {t('clear')}
              </button>
              <span
                className="text-sm text-slate-600 dark:text-slate-400"
                data-testid="run-selected"
                aria-live="polite"
              >
                {t('selected', { count: selected.size })}
              </span>
            </div>
            {chosenGroups.length > 0 && (
              <ul className="flex flex-wrap gap-2" aria-label={t('groupsChosen')} data-testid="run-groups">
                {chosenGroups.map((id) => {
                  const g = groups.find((x) => x.id === id);
                  if (!g) return null;
                  return (
                    <li
                      key={id}
                      className="flex items-center gap-1 rounded-full bg-sky-50 py-0.5 pr-1 pl-3 text-sm text-sky-900 dark:bg-sky-950 dark:text-sky-100"
                    >
                      {g.name}
                      <button
                        type="button"
                        className="rounded-full px-2 py-0.5 hover:bg-sky-100 dark:hover:bg-sky-900"
                        aria-label={t('removeGroup', { name: g.name })}
                        onClick={() => {
                          setChosenGroups((old) => old.filter((x) => x !== id));
                          setSelected((old) => {
                            const next = new Set(old);
                            for (const d of g.deviceIds) next.delete(d);
                            return next;
                          });
                        }}
                      >
                        ×
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
            <ul className="grid max-h-64 gap-1 overflow-y-auto rounded-md border border-slate-200 p-2 sm:grid-cols-2 lg:grid-cols-3 dark:border-slate-700">
              {shown.map((d) => (
                <li key={d.id}>
                  <label className="flex cursor-pointer items-center gap-2 rounded px-1 py-0.5 text-sm font-normal hover:bg-slate-50 dark:hover:bg-slate-800">
                    <input type="checkbox" checked={selected.has(d.id)} onChange={() => toggle(d.id)} />
                    <StatusDot status={d.status} />
                    <span className="truncate">{d.name}</span>
                    <span className="ml-auto text-xs text-slate-500 dark:text-slate-400">{d.vendor}</span>
                  </label>
                </li>
              ))}
            </ul>
          </>
        )}
      </fieldset>
      {inputs.length > 0 && (
        <fieldset className="grid gap-3 sm:grid-cols-2">
          <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-300">
            {t('inputs')}
          </legend>
          {inputs.map((d) => (
            <div key={d.name}>
              <label htmlFor={`in-${d.name}`}>{d.label}</label>
              {d.type === 'choice' ? (
                <select
                  id={`in-${d.name}`}
                  className="input"
                  value={values[d.name] ?? ''}
                  onChange={(e) => setValues({ ...values, [d.name]: e.target.value })}
                  aria-invalid={Boolean(inputErrors[d.name])}
                >
                  {!d.required && <option value="" />}
                  {d.choices.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={`in-${d.name}`}
                  className="input font-mono"
                  value={values[d.name] ?? ''}
                  onChange={(e) => setValues({ ...values, [d.name]: e.target.value })}
                  aria-invalid={Boolean(inputErrors[d.name])}
                />
              )}
              {inputErrors[d.name] && <p className="field-error">{inputErrors[d.name]}</p>}
            </div>
          ))}
        </fieldset>
      )}
      <Refusal error={error} />
      {confirm !== null && (
        <ConfirmField id="run-confirm" label={t('confirmGuarded')} value={confirm} onChange={setConfirm} />
      )}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className="btn-secondary"
          disabled={pending}
          onClick={() =>
            start(async () => {
              if (selected.size === 0) return setError(t('needDevices'));
              const r = await previewTemplateAction(templateId, req());
              setPreview(r);
              setError(r.ok ? null : (r.error ?? null));
              setInputErrors(r.ok ? {} : (r.inputErrors ?? {}));
            })
          }
        >
          {pending ? t('previewing') : t('preview')}
        </button>
        <button
          type="button"
          className="btn-primary"
          disabled={pending || selected.size === 0}
          onClick={() =>
            start(async () => {
              const r = await runTemplateAction(templateId, req());
              setError(r?.error ?? null);
              setInputErrors(r?.inputErrors ?? {});
              if (r?.confirm) setConfirm((c) => c ?? '');
            })
          }
        >
          {pending ? t('starting') : t('runNow', { count: selected.size })}
        </button>
      </div>
      {preview?.ok && (
        <div className="space-y-2" data-testid="preview">
          <h3 className="text-sm font-semibold">{t('previewHeading')}</h3>
          <ul className="space-y-1 text-sm">
            {rows.map((r) => (
              <li
                key={r.deviceId}
                data-device={r.device}
                data-status={r.status}
                className="rounded-md border border-slate-200 p-2 dark:border-slate-700"
              >
                <span className="font-medium">{r.device}</span>{' '}
                <span className="text-xs text-slate-500 dark:text-slate-400">{r.vendor}</span>
                {r.status === 'ok' ? (
                  <pre className="mt-1 overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-950">
                    {r.commands.join('\n')}
                  </pre>
                ) : (
                  <p
                    className={
                      r.status === 'error' ? 'field-error' : 'text-xs text-slate-500 dark:text-slate-400'
                    }
                  >
                    {r.status === 'error'
                      ? t('cannot', { reason: r.reason })
                      : t('skipped', { reason: r.reason })}
                  </p>
                )}
              </li>
            ))}
          </ul>
          <p className="text-xs text-slate-500 dark:text-slate-400">
            {t('previewCounts', {
              ok: byStatus('ok').length,
              skipped: byStatus('skipped').length,
              errors: byStatus('error').length,
            })}
          </p>
        </div>
      )}
      <details
        className="rounded-md border border-slate-200 p-3 dark:border-slate-700"
        data-testid="schedule-form"
      >
        <summary className="cursor-pointer text-sm font-medium">{ts('add')}</summary>
        <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">{ts('targets')}</p>
        <div className="mt-2 grid gap-3 sm:grid-cols-3">
          <div>
            <label htmlFor="sch-cron">{ts('cron')}</label>
            <input
              id="sch-cron"
              className="input font-mono"
              value={cron}
              onChange={(e) => setCron(e.target.value)}
              aria-describedby="sch-cron-hint"
            />
            <p id="sch-cron-hint" className="mt-1 text-xs text-slate-500 dark:text-slate-400">
              {ts('cronHint')}
            </p>
          </div>
          <div>
            <label htmlFor="sch-tz">{ts('timeZone')}</label>
            <input id="sch-tz" className="input" value={tz} onChange={(e) => setTz(e.target.value)} />
          </div>
          <div>
            <label htmlFor="sch-missed">{ts('missed')}</label>
            <select
              id="sch-missed"
              className="input"
              value={missed}
              onChange={(e) => setMissed(e.target.value)}
            >
              <option value="skip">{ts('missedSkip')}</option>
              <option value="run_once">{ts('missedRunOnce')}</option>
            </select>
          </div>
        </div>
        <Refusal error={scheduleError} />
        {scheduleConfirm !== null && (
          <ConfirmField
            id="sch-confirm"
            label={t('confirmGuarded')}
            value={scheduleConfirm}
            onChange={setScheduleConfirm}
          />
        )}
        <button
          type="button"
          className="btn-secondary mt-3"
          disabled={pending}
          onClick={() =>
            start(async () => {
              if (selected.size === 0) return setScheduleError(t('needDevices'));
              const r = await createScheduleAction(templateId, {
                cron,
                timeZone: tz,
                missedPolicy: missed,
                deviceIds: [...selected],
                groupIds: chosenGroups,
                inputs: values,
                ...(scheduleConfirm !== null && { confirm: scheduleConfirm }),
              });
              setScheduleError(r.error ?? null);
              if (r.field === 'confirm') setScheduleConfirm((c) => c ?? '');
              else if (!r.error) setScheduleConfirm(null);
            })
          }
        >
          {pending ? ts('adding') : ts('add')}
        </button>
      </details>
    </section>
  );
}

function Refusal({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="field-error">
      {error}
    </p>
  );
}

/** Where the phrase a guard-rail rule asks for is typed (the device's name, or `N devices`). */
function ConfirmField(props: { id: string; label: string; value: string; onChange: (v: string) => void }) {
  return (
    <div className="mt-2">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        className="input font-mono"
        autoComplete="off"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}
