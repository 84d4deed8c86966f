'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState, useTransition } from 'react';
import { PASSWORD_MIN_LENGTH } from '@/lib/auth/password-policy';
import { isRole, ROLES } from '@/lib/auth/roles';
import {
  createUserAction,
  resetPasswordAction,
  setDisabledAction,
  setRoleAction,
  type CreateUserState,
  type SimpleState,
} from './actions';

export function CreateUserForm() {
  const t = useTranslations('admin.users.create');
  const tc = useTranslations('common');
  const [state, action, pending] = useActionState<CreateUserState, FormData>(createUserAction, {});
  const e = state.errors;
  return (
    <form
      action={action}
      className="card grid gap-3 p-4 sm:grid-cols-5 sm:items-start"
      noValidate
      aria-label={t('form')}
    >
      <div>
        <label htmlFor="new-username">{t('username')}</label>
        <input
          id="new-username"
          name="username"
          defaultValue={state.values?.username}
          className="input"
          aria-invalid={!!e?.username}
        />
        {e?.username && <p className="field-error">{e.username}</p>}
      </div>
      <div>
        <label htmlFor="new-displayName">{t('displayName')}</label>
        <input
          id="new-displayName"
          name="displayName"
          defaultValue={state.values?.displayName}
          className="input"
        />
        {e?.displayName && <p className="field-error">{e.displayName}</p>}
      </div>
      <div>
        <label htmlFor="new-role">{t('role')}</label>
        <select id="new-role" name="role" defaultValue={state.values?.role ?? 'viewer'} className="input">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {tc(`roles.${r}`)}
            </option>
          ))}
        </select>
        {e?.role && <p className="field-error">{e.role}</p>}
      </div>
      <div>
        <label htmlFor="new-password">{t('password')}</label>
        <input
          id="new-password"
          name="password"
          type="password"
          autoComplete="new-password"
          className="input"
          aria-invalid={!!e?.password}
          placeholder={t('passwordPlaceholder', { min: PASSWORD_MIN_LENGTH })}
        />
        {e?.password && <p className="field-error">{e.password}</p>}
      </div>
      <div className="sm:pt-6">
        <button type="submit" className="btn-primary w-full" disabled={pending}>
          {pending ? t('creating') : t('submit')}
        </button>
      </div>
      {e?.form && <p className="field-error sm:col-span-5">{e.form}</p>}
      {state.created && (
        <p role="status" className="text-sm text-emerald-700 sm:col-span-5 dark:text-emerald-400">
          {t('created', { username: state.created })}
        </p>
      )}
    </form>
  );
}

export function UserRowControls({
  userId,
  username,
  role,
  disabled,
  self,
}: {
  userId: string;
  username: string;
  role: string;
  disabled: boolean;
  self: boolean;
}) {
  const t = useTranslations('admin.users.row');
  const tc = useTranslations('common');
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<SimpleState>({});
  const [showReset, setShowReset] = useState(false);
  const [resetState, resetAction, resetting] = useActionState<SimpleState, FormData>(
    resetPasswordAction.bind(null, userId),
    {},
  );
  const run = (fn: () => Promise<SimpleState>) => start(async () => setMessage(await fn()));
  // the saved role, and a role chosen in the list but not yet confirmed
  const [saved, setSaved] = useState(role);
  const [chosen, setChosen] = useState<string | null>(null);
  const confirmRole = (next: string) => {
    setChosen(null);
    start(async () => {
      const r = await setRoleAction(userId, next);
      if (!r.error) setSaved(next);
      setMessage(r);
    });
  };
  return (
    <div className="flex flex-wrap items-center gap-2 md:justify-end">
      <select
        aria-label={t('roleOf', { username })}
        className="input mt-0 w-32"
        value={chosen ?? saved}
        disabled={pending || self}
        onChange={(ev) => setChosen(ev.target.value === saved ? null : ev.target.value)}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {tc(`roles.${r}`)}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn-secondary"
        disabled={pending || self}
        onClick={() => run(() => setDisabledAction(userId, !disabled))}
      >
        {disabled ? t('enable') : t('disable')}
      </button>
      <button
        type="button"
        className="btn-secondary"
        aria-expanded={showReset}
        onClick={() => setShowReset((x) => !x)}
      >
        {t('resetPassword')}
      </button>
      {showReset && (
        <form action={resetAction} className="flex max-w-full items-center gap-2">
          <input
            name="password"
            type="password"
            aria-label={t('newPasswordFor', { username })}
            autoComplete="new-password"
            placeholder={t('newPassword')}
            className="input mt-0 w-44 min-w-0"
          />
          <button type="submit" className="btn-primary" disabled={resetting}>
            {t('set')}
          </button>
        </form>
      )}
      {/* below the row's buttons, so they do not jump while it is open */}
      {chosen && (
        <RoleConfirm
          username={username}
          from={saved}
          to={chosen}
          onConfirm={() => confirmRole(chosen)}
          onCancel={() => setChosen(null)}
        />
      )}
      {(message.error || resetState.error) && (
        <span className="field-error w-full md:text-right">{message.error ?? resetState.error}</span>
      )}
      {(message.ok || resetState.ok) && !message.error && !resetState.error && (
        <span role="status" className="w-full text-xs text-emerald-700 md:text-right dark:text-emerald-400">
          {resetState.ok ?? message.ok}
        </span>
      )}
    </div>
  );
}

/**
 * A role change asks first: one slip in the list would make a viewer an admin (or lock an admin out
 * of user management) the moment the option is picked. Cancel puts the old role back in the list.
 */
function RoleConfirm({
  username,
  from,
  to,
  onConfirm,
  onCancel,
}: {
  username: string;
  from: string;
  to: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = useTranslations('admin.users.row');
  const tc = useTranslations('common');
  const role = (r: string) => (isRole(r) ? tc(`roles.${r}`) : r);
  return (
    <div
      role="group"
      aria-label={t('confirmLabel', { username })}
      className="flex w-full min-w-64 flex-wrap items-center gap-2 rounded-md md:justify-end bg-amber-50 p-2 text-sm ring-1 ring-amber-200 dark:bg-amber-950/40 dark:ring-amber-800"
    >
      <span className="text-amber-900 dark:text-amber-200">
        {t.rich('confirmQuestion', {
          username,
          from: role(from),
          to: role(to),
          strong: (c) => <strong>{c}</strong>,
        })}
      </span>
      <button type="button" className="btn-primary" onClick={onConfirm}>
        {t('changeRole')}
      </button>
      <button type="button" className="btn-secondary" onClick={onCancel}>
        {tc('actions.cancel')}
      </button>
    </div>
  );
}
