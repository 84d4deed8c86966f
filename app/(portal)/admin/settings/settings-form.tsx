'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { CheckboxField, LabelledInput } from '@/app/_components/form-fields';
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
      <LabelledInput
        id="retention-days"
        messageId="retention"
        label={t('retention')}
        error={e.retentionDays}
        help={t('retentionHelp', { hours: limits.purgeHours, min: limits.min, max: limits.max })}
        name="retentionDays"
        type="number"
        inputMode="numeric"
        min={limits.min}
        max={limits.max}
        step={1}
        required
        className="input w-40"
        defaultValue={state.values?.retentionDays ?? String(current.retentionDays)}
      />
      <CheckboxField
        id="keep-raw"
        name="keepRawOutput"
        label={t('keepRaw')}
        help={t('keepRawHelp', { mark })}
        defaultChecked={state.values?.keepRawOutput ?? current.keepRawOutput}
        warning={t('keepRawWarning')}
        tone="danger"
        warningTestId="keep-raw-warning"
        error={e.keepRawOutput}
      />
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
