'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import type { ThemePreference } from '@/lib/i18n/config';
import { applyThemePreference } from '@/lib/i18n/theme-script';
import { setPreferenceAction } from '../account/preference-actions';

const NEXT: Record<ThemePreference, ThemePreference> = { system: 'light', light: 'dark', dark: 'system' };

/** One button that steps through System → Light → Dark, saved for the user. */
export function ThemeSwitch({ initial }: { initial: ThemePreference }) {
  const t = useTranslations('common.prefs');
  const [theme, setTheme] = useState(initial);
  // saves go one after another (Next queues Server Actions): busy until the last is stored
  const [saving, start] = useTransition();
  const name = { system: t('themeSystem'), light: t('themeLight'), dark: t('themeDark') }[theme];
  return (
    <button
      type="button"
      className="rounded-md p-1.5 text-slate-300 hover:bg-slate-800 hover:text-white"
      aria-label={t('switchTheme', { theme: name })}
      title={t('switchTheme', { theme: name })}
      data-testid="theme-switch"
      data-theme={theme}
      aria-busy={saving || undefined}
      onClick={() => {
        const next = NEXT[theme];
        setTheme(next);
        // at once; the saved choice reaches the server in the background
        applyThemePreference(next);
        start(async () => {
          await setPreferenceAction({ theme: next });
        });
      }}
    >
      <svg
        viewBox="0 0 20 20"
        className="h-5 w-5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        aria-hidden
      >
        {theme === 'light' && (
          <>
            <circle cx="10" cy="10" r="3.5" />
            <path d="M10 2v2M10 16v2M2 10h2M16 10h2M4.3 4.3l1.4 1.4M14.3 14.3l1.4 1.4M4.3 15.7l1.4-1.4M14.3 5.7l1.4-1.4" />
          </>
        )}
        {theme === 'dark' && <path d="M15.5 12.5A6.5 6.5 0 017.5 4.5a6.5 6.5 0 108 8z" />}
        {theme === 'system' && (
          <>
            <rect x="2.5" y="3.5" width="15" height="10" rx="1.5" />
            <path d="M7 17h6M10 13.5V17" />
          </>
        )}
      </svg>
    </button>
  );
}
