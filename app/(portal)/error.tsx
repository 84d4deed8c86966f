'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useEffect } from 'react';

/**
 * A page of the portal failed to render: the header and navigation stay (this boundary sits inside
 * the portal layout), the reader gets the reason in plain words, a way to try again and the digest
 * that matches the server's log line.
 */
export default function PortalError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const t = useTranslations('common');
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="card mx-auto mt-8 max-w-xl space-y-3 p-6" data-testid="page-error">
      <h1 className="text-xl font-semibold">{t('errors.title')}</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">{t('errors.body')}</p>
      {error.digest && (
        <p className="font-mono text-xs text-slate-500 dark:text-slate-400">
          {t('errors.reference', { digest: error.digest })}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn-primary" onClick={() => reset()}>
          {t('actions.tryAgain')}
        </button>
        <Link href="/" className="btn-secondary">
          {t('actions.goHome')}
        </Link>
      </div>
    </div>
  );
}
