'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { runBackupAction, type RunBackupState } from './actions';

/** Runs the Configuration backup on this device (and opens its task). */
export function RunBackupButton({ deviceId, label }: { deviceId: string; label: 'backUpNow' | 'run' }) {
  const t = useTranslations('history');
  const [state, action, pending] = useActionState<RunBackupState, FormData>(
    runBackupAction.bind(null, deviceId),
    {},
  );
  return (
    <form action={action} className="space-y-1">
      <button type="submit" className="btn-primary min-h-11" disabled={pending}>
        {pending ? t('backingUp') : label === 'run' ? t('empty.run') : t('backUpNow')}
      </button>
      {state.error && (
        <p className="field-error max-w-sm" role="alert">
          {state.error}
        </p>
      )}
    </form>
  );
}
