'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { signOutEverywhereAction, type SignOutEverywhereState } from './actions';

export function SignOutEverywhereForm() {
  const [state, action, pending] = useActionState<SignOutEverywhereState, FormData>(
    signOutEverywhereAction,
    {},
  );
  const t = useTranslations('account.everywhere');
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <button type="submit" className="btn-primary" disabled={pending}>
        {pending ? t('submitting') : t('submit')}
      </button>
      {state.error && (
        <p role="alert" className="field-error">
          {state.error}
        </p>
      )}
    </form>
  );
}
