'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useSyncExternalStore } from 'react';
import { PASSWORD_MIN_LENGTH } from '@/lib/auth/password-policy';
import { changePasswordAction, type ChangePasswordState } from './actions';

const noop = () => () => {};

export function ChangePasswordForm() {
  const [state, action, pending] = useActionState<ChangePasswordState, FormData>(changePasswordAction, {});
  const hydrated = useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
  const e = state.errors;
  const t = useTranslations('account.password');
  return (
    <form
      action={action}
      aria-label={t('formLabel')}
      className="grid max-w-md gap-3"
      noValidate
      data-hydrated={hydrated}
    >
      {e?.form && (
        <p role="alert" className="field-error">
          {e.form}
        </p>
      )}
      <div>
        <label htmlFor="currentPassword">{t('current')}</label>
        <input
          id="currentPassword"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          className="input"
          aria-invalid={!!e?.currentPassword}
          aria-describedby={e?.currentPassword ? 'currentPassword-error' : undefined}
        />
        {e?.currentPassword && (
          <p id="currentPassword-error" className="field-error">
            {e.currentPassword}
          </p>
        )}
      </div>
      <div>
        <label htmlFor="newPassword">{t('new')}</label>
        <input
          id="newPassword"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          minLength={PASSWORD_MIN_LENGTH}
          className="input"
          aria-invalid={!!e?.newPassword}
          aria-describedby="newPassword-hint"
        />
        <p
          id="newPassword-hint"
          className={e?.newPassword ? 'field-error' : 'mt-1 text-xs text-slate-500 dark:text-slate-400'}
        >
          {e?.newPassword ?? t('minLength', { min: PASSWORD_MIN_LENGTH })}
        </p>
      </div>
      <div>
        <label htmlFor="confirmPassword">{t('again')}</label>
        <input
          id="confirmPassword"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          className="input"
          aria-invalid={!!e?.confirmPassword}
        />
        {e?.confirmPassword && <p className="field-error">{e.confirmPassword}</p>}
      </div>
      <div>
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? t('submitting') : t('submit')}
        </button>
      </div>
    </form>
  );
}
