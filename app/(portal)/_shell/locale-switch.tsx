'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { LOCALE_NAMES, LOCALES } from '@/lib/i18n/config';
import { setPreferenceAction } from '../account/preference-actions';

/** The header's language switch: saved for the user, the page re-renders in the new language. */
export function LocaleSwitch({ saved }: { saved: string }) {
  const t = useTranslations('common.prefs');
  const locale = useLocale();
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <select
      aria-label={t('language')}
      data-testid="locale-switch"
      className="rounded-md border border-slate-600 bg-slate-800 px-1.5 py-1 text-xs text-slate-200"
      value={saved || ''}
      disabled={pending}
      onChange={(e) => {
        const next = e.target.value;
        start(async () => {
          await setPreferenceAction({ locale: next });
          router.refresh();
        });
      }}
    >
      <option value="">
        {t('languageAuto')} ({LOCALE_NAMES[locale]})
      </option>
      {LOCALES.map((l) => (
        <option key={l} value={l}>
          {LOCALE_NAMES[l]}
        </option>
      ))}
    </select>
  );
}
