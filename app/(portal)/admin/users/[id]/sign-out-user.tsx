'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { signOutUserEverywhereAction, type SimpleState } from '../actions';

/** An admin ends every session of a user (their open terminals and live connections close at once). */
export function SignOutUserEverywhere({ userId, username }: { userId: string; username: string }) {
  const t = useTranslations('admin.userGrants');
  const [pending, start] = useTransition();
  const [state, setState] = useState<SimpleState>({});
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        className="btn-secondary"
        disabled={pending}
        onClick={() => start(async () => setState(await signOutUserEverywhereAction(userId)))}
      >
        {pending ? t('signingOut') : t('signOutEverywhere')}
      </button>
      {state.ok && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {t('signedOut', { username })}
        </p>
      )}
      {state.error && <p className="field-error">{state.error}</p>}
    </div>
  );
}
