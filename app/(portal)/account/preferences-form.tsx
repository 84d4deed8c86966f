'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useSyncExternalStore } from 'react';
import type { UserPrefs } from '@/lib/auth/session';
import { LOCALE_NAMES, LOCALES, TERMINAL_FONT_SIZE, TERMINAL_THEMES, THEMES } from '@/lib/i18n/config';
import { savePreferencesAction, type PreferencesState } from './preference-actions';

const noop = () => () => {};

export function PreferencesForm({ prefs }: { prefs: UserPrefs }) {
  const t = useTranslations('account.prefs');
  const [state, action, pending] = useActionState<PreferencesState, FormData>(savePreferencesAction, {});
  const hydrated = useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
  const e = state.errors ?? {};
  const themeLabel = { system: t('themeSystem'), light: t('themeLight'), dark: t('themeDark') };
  return (
    <form
      action={action}
      aria-label={t('title')}
      className="grid max-w-2xl gap-3 sm:grid-cols-2"
      data-hydrated={hydrated}
      data-testid="preferences-form"
    >
      {e.form && (
        <p role="alert" className="field-error sm:col-span-2">
          {e.form}
        </p>
      )}
      <div>
        <label htmlFor="pref-locale">{t('language')}</label>
        <select id="pref-locale" name="locale" className="input" defaultValue={prefs.locale}>
          <option value="">{t('languageAuto')}</option>
          {LOCALES.map((l) => (
            <option key={l} value={l}>
              {LOCALE_NAMES[l]}
            </option>
          ))}
        </select>
        {e.locale && <p className="field-error">{e.locale}</p>}
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{t('theme')}</legend>
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
          {THEMES.map((v) => (
            <label key={v} className="flex items-center gap-1.5 font-normal">
              <input type="radio" name="theme" value={v} defaultChecked={prefs.theme === v} />
              {themeLabel[v]}
            </label>
          ))}
        </div>
        {e.theme && <p className="field-error">{e.theme}</p>}
      </fieldset>
      <div>
        <label htmlFor="pref-terminal-theme">{t('terminalTheme')}</label>
        <select
          id="pref-terminal-theme"
          name="terminalTheme"
          className="input"
          defaultValue={prefs.terminalTheme}
        >
          {TERMINAL_THEMES.map((v) => (
            <option key={v} value={v}>
              {t(`terminalThemes.${v}`)}
            </option>
          ))}
        </select>
        {e.terminalTheme && <p className="field-error">{e.terminalTheme}</p>}
      </div>
      <div>
        <label htmlFor="pref-font-size">{t('terminalFontSize')}</label>
        <input
          id="pref-font-size"
          name="terminalFontSize"
          type="number"
          className="input"
          min={TERMINAL_FONT_SIZE.min}
          max={TERMINAL_FONT_SIZE.max}
          step={1}
          defaultValue={prefs.terminalFontSize}
          aria-invalid={Boolean(e.terminalFontSize)}
          aria-describedby="pref-font-size-hint"
        />
        <p
          id="pref-font-size-hint"
          className={e.terminalFontSize ? 'field-error' : 'mt-1 text-xs text-slate-500 dark:text-slate-400'}
        >
          {e.terminalFontSize ??
            t('terminalFontSizeHint', { min: TERMINAL_FONT_SIZE.min, max: TERMINAL_FONT_SIZE.max })}
        </p>
      </div>
      <div className="flex items-center gap-3 sm:col-span-2">
        <button type="submit" className="btn-primary" disabled={pending}>
          {t('save')}
        </button>
        {state.saved && !pending && (
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            {t('saved')}
          </p>
        )}
      </div>
    </form>
  );
}
