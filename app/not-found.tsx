import { getTranslations } from 'next-intl/server';
import Link from 'next/link';

export default async function NotFound() {
  const t = await getTranslations('shell.notFound');
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 p-4 text-center">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <p className="text-sm text-slate-600 dark:text-slate-300">{t('rootBody')}</p>
      <Link href="/" className="text-sky-700 hover:underline dark:text-sky-400">
        {t('back')}
      </Link>
    </main>
  );
}
