'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import type { OutputSettings } from '@/lib/automation/settings';
import { saveOutputSettingsAction, type OutputSettingsFormState } from './actions';

/** Retention in days and "store output without hiding secrets" (with its warning while ticked). */
export function OutputSettingsForm({
  current,
  limits,
  mark,
}: {
  current: OutputSettings;
  limits: { min: number; max: number; purgeHours: number };
  /** What a hidden secret reads as in stored output. */
  mark: string;
}) {
  const t = useTranslations('webhooks.settings');
  const [state, action, pending] = useActionState<OutputSettingsFormState, FormData>(
    saveOutputSettingsAction,
    {},
  );
  const [raw, setRaw] = useState(state.values?.keepRawOutput ?? current.keepRawOutput);
  const e = state.errors ?? {};
  return (
    <form
      action={action}
      className="card max-w-3xl space-y-4 p-4"
      noValidate
      aria-labelledby="output-settings-title"
    >
      <h2 id="output-settings-title" className="text-lg font-semibold">
        {t('sectionTitle')}
      </h2>
      <div>
        <label htmlFor="retention-days">{t('retention')}</label>
        <input
          id="retention-days"
          name="retentionDays"
          type="number"
          inputMode="numeric"
          min={limits.min}
          max={limits.max}
          step={1}
          required
          className="input w-40"
          defaultValue={state.values?.retentionDays ?? String(current.retentionDays)}
          aria-invalid={!!e.retentionDays}
          aria-describedby={`retention-help${e.retentionDays ? ' retention-error' : ''}`}
        />
        {e.retentionDays && (
          <p id="retention-error" className="field-error">
            {e.retentionDays}
          </p>
        )}
        <p id="retention-help" className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {t('retentionHelp', { hours: limits.purgeHours, min: limits.min, max: limits.max })}
        </p>
      </div>
      <div>
        <label className="flex items-start gap-2 font-normal">
          <input
            type="checkbox"
            name="keepRawOutput"
            checked={raw}
            onChange={(ev) => setRaw(ev.target.checked)}
            className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300 dark:border-slate-600"
            aria-describedby="keep-raw-help"
          />
          <span>
            <span className="font-medium">{t('keepRaw')}</span>
            <span id="keep-raw-help" className="block text-xs text-slate-600 dark:text-slate-400">
              {t('keepRawHelp', { mark })}
            </span>
          </span>
        </label>
        {raw && (
          <p
            role="alert"
            className="mt-2 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-200"
            data-testid="keep-raw-warning"
          >
            {t('keepRawWarning')}
          </p>
        )}
        {e.keepRawOutput && <p className="field-error">{e.keepRawOutput}</p>}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? t('saving') : t('save')}
        </button>
        {state.ok && !pending && (
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            {state.ok}
          </p>
        )}
      </div>
      {e.form && (
        <p className="field-error" role="alert">
          {e.form}
        </p>
      )}
    </form>
  );
}
