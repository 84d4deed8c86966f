'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState, useSyncExternalStore } from 'react';
import type { InputDefinition } from '@/lib/automation/render';
import { VENDOR_LABELS, VENDORS, type Vendor } from '@/lib/devices/schema';
import type { TemplateFormState } from './actions';

export interface TemplateFormValues {
  name: string;
  description: string;
  teamId: string | null;
  commands: string;
  vendorCommands: Partial<Record<Vendor, string>>;
  concurrency: number;
  timeoutSeconds: number;
  inputs: InputDefinition[];
  ignorePatterns: string;
  failurePatterns: string;
  expectOutput: string;
}

const noop = () => () => {};
const count = (text: string) => text.split('\n').filter((l) => l.trim() !== '').length;

/** New template and edit (a save makes the next version). Field values survive a validation error. */
export function TemplateForm({
  action,
  initial,
  teams,
  mode,
}: {
  action: (prev: TemplateFormState, fd: FormData) => Promise<TemplateFormState>;
  initial: TemplateFormValues;
  teams: { id: string; name: string }[];
  mode: 'create' | 'edit';
}) {
  const t = useTranslations('automation.form');
  const [state, formAction, pending] = useActionState(action, {});
  const hydrated = useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
  const [values, setValues] = useState(initial);
  const set = <K extends keyof TemplateFormValues>(k: K, v: TemplateFormValues[K]) =>
    setValues((old) => ({ ...old, [k]: v }));
  const e = state.errors ?? {};
  const err = (k: keyof typeof e) =>
    e[k] ? (
      <p id={`${k}-error`} className="field-error" role="alert">
        {e[k]}
      </p>
    ) : null;
  const described = (k: keyof typeof e, hint?: string) =>
    [e[k] ? `${k}-error` : null, hint].filter(Boolean).join(' ') || undefined;
  const vendorJson = JSON.stringify(
    Object.fromEntries(Object.entries(values.vendorCommands).filter(([, v]) => (v ?? '').trim() !== '')),
  );
  const inputsJson = JSON.stringify(
    values.inputs.map((d) =>
      d.type === 'choice'
        ? { ...d, default: d.default || undefined }
        : { ...d, default: d.default || undefined, pattern: d.pattern || undefined },
    ),
  );
  return (
    <form
      action={formAction}
      aria-label={t('label')}
      className="card grid gap-4 p-4"
      noValidate
      data-hydrated={hydrated}
      data-testid="template-form"
    >
      {e.form && (
        <p role="alert" className="field-error">
          {e.form}
        </p>
      )}
      <input type="hidden" name="vendorCommands" value={vendorJson} />
      <input type="hidden" name="inputs" value={inputsJson} />
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="tpl-name">{t('name')}</label>
          <input
            id="tpl-name"
            name="name"
            className="input"
            value={values.name}
            maxLength={100}
            onChange={(ev) => set('name', ev.target.value)}
            aria-invalid={Boolean(e.name)}
            aria-describedby={described('name')}
          />
          {err('name')}
        </div>
        <div>
          <label htmlFor="tpl-team">{t('team')}</label>
          <select
            id="tpl-team"
            name="teamId"
            className="input"
            value={values.teamId ?? ''}
            onChange={(ev) => set('teamId', ev.target.value || null)}
            aria-invalid={Boolean(e.teamId)}
            aria-describedby={described('teamId')}
          >
            <option value="">{t('teamNone')}</option>
            {teams.map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
          </select>
          {err('teamId')}
        </div>
      </div>
      <div>
        <label htmlFor="tpl-description">{t('description')}</label>
        <textarea
          id="tpl-description"
          name="description"
          rows={2}
          className="input"
          value={values.description}
          onChange={(ev) => set('description', ev.target.value)}
        />
        {err('description')}
      </div>
      <div>
        <label htmlFor="tpl-commands">{t('commandsAll')}</label>
        <textarea
          id="tpl-commands"
          name="commands"
          rows={4}
          className="input font-mono"
          spellCheck={false}
          value={values.commands}
          onChange={(ev) => set('commands', ev.target.value)}
          aria-invalid={Boolean(e.commands)}
          aria-describedby={described('commands', 'tpl-commands-hint')}
        />
        <p id="tpl-commands-hint" className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          {t('commandsAllHint', { example: '{{device.name}} {{device.host}} {{field.site}} {{input.vlan}}' })}
        </p>
        {err('commands')}
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{t('perVendor')}</legend>
        <p className="text-xs text-slate-500 dark:text-slate-400">{t('perVendorHint')}</p>
        {err('vendorCommands')}
        <div className="grid gap-2 lg:grid-cols-2">
          {VENDORS.map((v) => {
            const text = values.vendorCommands[v] ?? '';
            return (
              <details
                key={v}
                open={text.trim() !== ''}
                className="rounded-md border border-slate-200 px-3 py-2 dark:border-slate-700"
                data-vendor={v}
              >
                <summary className="cursor-pointer text-sm">
                  {VENDOR_LABELS[v]}{' '}
                  <span className="text-xs text-slate-500 dark:text-slate-400">
                    ({t('lines', { count: count(text) })})
                  </span>
                </summary>
                <label htmlFor={`tpl-vendor-${v}`} className="sr-only">
                  {t('vendorCommands', { vendor: VENDOR_LABELS[v] })}
                </label>
                <textarea
                  id={`tpl-vendor-${v}`}
                  rows={3}
                  className="input font-mono"
                  spellCheck={false}
                  value={text}
                  onChange={(ev) => set('vendorCommands', { ...values.vendorCommands, [v]: ev.target.value })}
                />
              </details>
            );
          })}
        </div>
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="tpl-concurrency">{t('concurrency')}</label>
          <input
            id="tpl-concurrency"
            name="concurrency"
            type="number"
            min={1}
            className="input"
            value={values.concurrency}
            onChange={(ev) => set('concurrency', Number(ev.target.value))}
            aria-invalid={Boolean(e.concurrency)}
            aria-describedby={described('concurrency')}
          />
          {err('concurrency')}
        </div>
        <div>
          <label htmlFor="tpl-timeout">{t('timeout')}</label>
          <input
            id="tpl-timeout"
            name="timeoutSeconds"
            type="number"
            min={5}
            className="input"
            value={values.timeoutSeconds}
            onChange={(ev) => set('timeoutSeconds', Number(ev.target.value))}
            aria-invalid={Boolean(e.timeoutSeconds)}
            aria-describedby={described('timeoutSeconds')}
          />
          {err('timeoutSeconds')}
        </div>
      </div>
      <InputsEditor inputs={values.inputs} onChange={(v) => set('inputs', v)} error={e.inputs} />
      <div className="grid gap-4 lg:grid-cols-2">
        <div>
          <label htmlFor="tpl-ignore">{t('ignore')}</label>
          <textarea
            id="tpl-ignore"
            name="ignorePatterns"
            rows={3}
            className="input font-mono"
            spellCheck={false}
            value={values.ignorePatterns}
            onChange={(ev) => set('ignorePatterns', ev.target.value)}
            aria-invalid={Boolean(e.ignorePatterns)}
            aria-describedby={described('ignorePatterns', 'tpl-ignore-hint')}
          />
          <p id="tpl-ignore-hint" className="mt-1 text-xs text-slate-500 dark:text-slate-400">
            {t('ignoreHint')}
          </p>
          {err('ignorePatterns')}
        </div>
        <div>
          <label htmlFor="tpl-failure">{t('failure')}</label>
          <textarea
            id="tpl-failure"
            name="failurePatterns"
            rows={3}
            className="input font-mono"
            spellCheck={false}
            value={values.failurePatterns}
            onChange={(ev) => set('failurePatterns', ev.target.value)}
            aria-invalid={Boolean(e.failurePatterns)}
            aria-describedby={described('failurePatterns', 'tpl-failure-hint')}
          />
          <p id="tpl-failure-hint" className="mt-1 text-xs text-slate-500 dark:text-slate-400">
            {t('failureHint')}
          </p>
          {err('failurePatterns')}
        </div>
      </div>
      <div>
        <label htmlFor="tpl-expect">{t('expect')}</label>
        <input
          id="tpl-expect"
          name="expectOutput"
          className="input font-mono"
          value={values.expectOutput}
          onChange={(ev) => set('expectOutput', ev.target.value)}
          aria-invalid={Boolean(e.expectOutput)}
          aria-describedby={described('expectOutput')}
        />
        {err('expectOutput')}
      </div>
      <div>
        <button type="submit" className="btn-primary" disabled={pending || !hydrated}>
          {pending ? t('saving') : mode === 'create' ? t('create') : t('save')}
        </button>
      </div>
    </form>
  );
}

function InputsEditor({
  inputs,
  onChange,
  error,
}: {
  inputs: InputDefinition[];
  onChange: (v: InputDefinition[]) => void;
  error?: string;
}) {
  const t = useTranslations('automation.form');
  const update = (i: number, patch: Partial<InputDefinition>) =>
    onChange(inputs.map((d, j) => (j === i ? ({ ...d, ...patch } as InputDefinition) : d)));
  return (
    <fieldset className="space-y-2" data-testid="inputs-editor">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{t('inputs')}</legend>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        {t('inputsHint', { example: '{{input.name}}' })}
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {inputs.map((d, i) => (
        <div
          key={i}
          className="grid gap-2 rounded-md border border-slate-200 p-2 sm:grid-cols-[1fr_1fr_7rem_1.5fr_auto] dark:border-slate-700"
          data-input={d.name}
        >
          <label className="text-xs">
            {t('inputName')}
            <input
              className="input font-mono"
              value={d.name}
              onChange={(ev) => update(i, { name: ev.target.value })}
            />
          </label>
          <label className="text-xs">
            {t('inputLabel')}
            <input
              className="input"
              value={d.label}
              onChange={(ev) => update(i, { label: ev.target.value })}
            />
          </label>
          <label className="text-xs">
            {t('inputType')}
            <select
              className="input"
              value={d.type}
              onChange={(ev) =>
                onChange(
                  inputs.map((x, j) =>
                    j !== i
                      ? x
                      : ev.target.value === 'choice'
                        ? { name: x.name, label: x.label, required: x.required, type: 'choice', choices: [] }
                        : { name: x.name, label: x.label, required: x.required, type: 'text' },
                  ),
                )
              }
            >
              <option value="text">{t('typeText')}</option>
              <option value="choice">{t('typeChoice')}</option>
            </select>
          </label>
          {d.type === 'choice' ? (
            <label className="text-xs">
              {t('inputChoices')}
              <input
                className="input"
                defaultValue={d.choices.join(', ')}
                onChange={(ev) =>
                  update(i, {
                    choices: ev.target.value
                      .split(',')
                      .map((c) => c.trim())
                      .filter(Boolean),
                  })
                }
              />
            </label>
          ) : (
            <label className="text-xs">
              {t('inputPattern')}
              <input
                className="input font-mono"
                value={d.pattern ?? ''}
                onChange={(ev) => update(i, { pattern: ev.target.value })}
              />
            </label>
          )}
          <div className="flex items-end gap-3">
            <label className="flex items-center gap-1 pb-2 text-xs">
              <input
                type="checkbox"
                checked={d.required}
                onChange={(ev) => update(i, { required: ev.target.checked })}
              />
              {t('inputRequired')}
            </label>
            <button
              type="button"
              className="btn-secondary mb-0.5"
              aria-label={t('removeInput', { name: d.name || String(i + 1) })}
              onClick={() => onChange(inputs.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </div>
        </div>
      ))}
      <button
        type="button"
        className="btn-secondary"
        onClick={() => onChange([...inputs, { name: '', label: '', type: 'text', required: true }])}
      >
        {t('addInput')}
      </button>
    </fieldset>
  );
}
