'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { INVALID_REQUEST } from '@/lib/actions/args';
import { NOTIFICATION_KINDS } from '@/lib/notifications/feed';
import { savePreferencesAction } from './actions';

export function Preferences({ enabled }: { enabled: string[] }) {
  const t = useTranslations('notifications');
  const [state, action, pending] = useActionState(savePreferencesAction, {});
  return (
    <form action={action} className="card space-y-2 p-4" aria-label={t('prefs.form')}>
      <h2 className="text-sm font-semibold">{t('prefs.heading')}</h2>
      {NOTIFICATION_KINDS.map((k) => (
        <label key={k} className="flex items-center gap-2 font-normal">
          <input type="checkbox" name="kind" value={k} defaultChecked={enabled.includes(k)} />
          {t(`prefs.kinds.${k}`)}
        </label>
      ))}
      <button type="submit" className="btn-primary" disabled={pending}>
        {t('prefs.save')}
      </button>
      {state.ok && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
          {state.ok}
        </p>
      )}
      {state.error && (
        <p className="field-error" role="alert">
          {state.error === INVALID_REQUEST ? t('errors.invalid') : state.error}
        </p>
      )}
    </form>
  );
}
