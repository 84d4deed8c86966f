'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { LOCALE_COOKIE, LOCALE_NAMES, LOCALES, type AppLocale } from '@/lib/i18n/config';
import { rememberLocale } from './locale-cookie';

/**
 * The sign-in page's language switch: nobody is signed in to save a choice for, so it is a cookie
 * (which then also holds for a user who never chose a language), and the page re-renders from the server.
 */
export function LocaleSwitch() {
  const current = useLocale();
  const t = useTranslations('auth.language');
  const router = useRouter();
  const [pending, start] = useTransition();
  function choose(locale: AppLocale) {
    if (locale === current) return;
    rememberLocale(LOCALE_COOKIE, locale);
    start(() => router.refresh());
  }
  return (
    <div
      role="group"
      aria-label={t('label')}
      aria-busy={pending}
      className="flex justify-center gap-1 text-sm"
      data-testid="locale-switch"
    >
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={l === current}
          onClick={() => choose(l)}
          className={`rounded-md px-2.5 py-1 ${
            l === current
              ? 'bg-white/15 font-medium text-white'
              : 'text-slate-200 hover:bg-white/10 hover:text-white'
          }`}
        >
          {LOCALE_NAMES[l]}
        </button>
      ))}
    </div>
  );
}
