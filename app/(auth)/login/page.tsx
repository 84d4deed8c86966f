import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { sameOriginPath } from '@/lib/auth/redirect';
import { getCurrentUser } from '@/lib/auth/session';
import { LocaleSwitch } from './locale-switch';
import { LoginForm } from './login-form';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('auth');
  return { title: t('title') };
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; passwordChanged?: string }>;
}) {
  if (await getCurrentUser()) redirect('/');
  const { callbackUrl, passwordChanged } = await searchParams;
  const t = await getTranslations('auth');
  // Only a path on this origin, as the browser will resolve it ("/\\host" and "/<tab>/host" are
  // other hosts): never redirect to another origin after sign-in.
  const target = sameOriginPath(callbackUrl);
  return (
    <div className="w-full max-w-sm space-y-4">
      <div className="card p-8">
        <p className="text-sm font-semibold tracking-wide text-sky-700 dark:text-sky-400">Switchboard</p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">{t('title')}</h1>
        <p className="mt-1 mb-6 text-sm text-slate-600 dark:text-slate-400">{t('tagline')}</p>
        {passwordChanged && (
          <p
            role="status"
            className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-300"
          >
            {t('passwordChanged')}
          </p>
        )}
        <LoginForm callbackUrl={target} />
      </div>
      <LocaleSwitch />
    </div>
  );
}
