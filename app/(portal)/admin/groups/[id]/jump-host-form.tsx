'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { setGroupJumpHostAction, type JumpHostState } from '../actions';

/** The group's SSH jump host: its devices without a jump host of their own are reached through it. */
export function JumpHostForm({
  groupId,
  current,
  suggestions,
}: {
  groupId: string;
  current: string | null;
  suggestions: string[];
}) {
  const t = useTranslations('admin.group.jumpHost');
  const [state, action, pending] = useActionState<JumpHostState, FormData>(
    setGroupJumpHostAction.bind(null, groupId),
    {},
  );
  return (
    <form action={action} className="space-y-2" noValidate aria-label={t('form')}>
      <label htmlFor="group-jump-host">{t('label')}</label>
      <div className="flex flex-wrap gap-2">
        <input
          id="group-jump-host"
          name="jumpHost"
          className="input mt-0 max-w-sm min-w-0 flex-1 basis-48"
          list="group-jump-host-names"
          placeholder={t('placeholder')}
          defaultValue={state.value ?? current ?? ''}
          aria-invalid={Boolean(state.error)}
          aria-describedby="group-jump-host-help"
        />
        <datalist id="group-jump-host-names">
          {suggestions.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
        <button type="submit" className="btn-secondary" disabled={pending}>
          {pending ? t('saving') : t('save')}
        </button>
      </div>
      <p id="group-jump-host-help" className="text-xs text-slate-500 dark:text-slate-400">
        {t('help')}
      </p>
      {state.error && (
        <p className="field-error" role="alert">
          {state.error}
        </p>
      )}
      {state.ok && (
        <p className="text-sm break-words text-emerald-700 dark:text-emerald-400" role="status">
          {state.ok}
        </p>
      )}
    </form>
  );
}
