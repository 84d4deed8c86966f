'use client';

import { signIn } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { classifyLoginError, type LoginError } from './login-error';

const noop = () => () => {};

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const t = useTranslations('auth');
  // the refusal, kept as a value: switching the language re-words an error already shown
  const [error, setError] = useState<LoginError | null>(null);
  const [pending, setPending] = useState(false);
  // Until hydrated, the button stays disabled so an early click cannot submit natively (as GET).
  const hydrated = useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    const res = await signIn('credentials', {
      username: String(fd.get('username') ?? ''),
      password: String(fd.get('password') ?? ''),
      redirect: false,
    });
    setPending(false);
    if (!res || res.error) {
      setError(classifyLoginError(res?.error));
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  function errorText(e: LoginError): string {
    switch (e.code) {
      case 'invalid':
        return t('errors.invalid');
      case 'disabled':
        return t('errors.disabled');
      case 'throttled':
        return e.unit === 'second'
          ? t('errors.throttledSeconds', { count: e.count })
          : t('errors.throttledMinutes', { count: e.count });
      case 'other':
        return e.text;
    }
  }

  return (
    <form onSubmit={onSubmit} method="post" className="space-y-4" data-hydrated={hydrated}>
      <div>
        <label htmlFor="username">{t('username')}</label>
        <input id="username" name="username" autoComplete="username" required className="input" autoFocus />
      </div>
      <div>
        <label htmlFor="password">{t('password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="input"
        />
      </div>
      {error && (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/40 dark:text-red-300"
        >
          {errorText(error)}
        </p>
      )}
      <button type="submit" className="btn-primary w-full" disabled={pending || !hydrated}>
        {pending ? t('signingIn') : t('signIn')}
      </button>
    </form>
  );
}
