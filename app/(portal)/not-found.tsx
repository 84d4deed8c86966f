import { getTranslations } from 'next-intl/server';
import Link from 'next/link';

/**
 * Not found inside the portal (an unknown address, a task or user that does not exist): rendered in
 * the portal layout, so the header and its navigation stay and the way on is one click.
 */
export default async function PortalNotFound() {
  const [t, nav] = await Promise.all([getTranslations('shell.notFound'), getTranslations('common.nav')]);
  return (
    <div className="card mx-auto mt-8 max-w-lg space-y-3 p-6 text-center" data-testid="not-found">
      <p className="text-sm font-semibold text-slate-500 dark:text-slate-400">{t('code')}</p>
      <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
      <p className="text-sm text-slate-600 dark:text-slate-300">{t('body')}</p>
      <div className="flex flex-wrap justify-center gap-3 text-sm">
        <Link href="/" className="btn-primary">
          {nav('dashboard')}
        </Link>
        <Link href="/devices" className="btn-secondary">
          {nav('devices')}
        </Link>
        <Link href="/tasks" className="btn-secondary">
          {nav('tasks')}
        </Link>
      </div>
    </div>
  );
}
