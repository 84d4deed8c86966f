'use server';

import { revalidatePath } from 'next/cache';
import { cookies } from 'next/headers';
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { formDataArg, INVALID_REQUEST, parseArgs, prevStateArg } from '@/lib/actions/args';
import { savePreferences, type PreferencesField, type PreferencesInput } from '@/lib/auth/preferences';
import { authorise, type UserPrefs } from '@/lib/auth/session';
import { LOCALE_COOKIE, THEME_COOKIE } from '@/lib/i18n/config';
import { getRuntime } from '@/lib/server/registry';

export type PreferencesState = { errors?: Partial<Record<PreferencesField, string>>; saved?: boolean };

const YEAR = 365 * 24 * 3600;

/**
 * The saved choice also goes into cookies, so the sign-in page after "Sign out" keeps the language
 * and theme this browser's user chose.
 */
async function remember(prefs: UserPrefs) {
  const jar = await cookies();
  const opts = { path: '/', maxAge: YEAR, sameSite: 'lax' as const, httpOnly: false };
  if (prefs.locale) jar.set(LOCALE_COOKIE, prefs.locale, opts);
  else jar.delete(LOCALE_COOKIE);
  jar.set(THEME_COOKIE, prefs.theme, opts);
}

async function save(input: PreferencesInput | Record<string, unknown>): Promise<PreferencesState> {
  const t = await getTranslations('account');
  const auth = await authorise('devices:view');
  if (!auth.ok) return { errors: { form: auth.error } };
  const r = await savePreferences(auth.user, input, getRuntime());
  if (!r.ok) {
    const errors: PreferencesState['errors'] = {};
    for (const field of Object.keys(r.errors) as PreferencesField[]) errors[field] = t('prefs.invalid');
    return { errors };
  }
  await remember(r.prefs);
  // Every page's language and theme come from the root layout: re-render all of it.
  revalidatePath('/', 'layout');
  return { saved: true };
}

/** The Account page's Preferences form. */
export async function savePreferencesAction(
  _prev: PreferencesState,
  fd: FormData,
): Promise<PreferencesState> {
  if (!parseArgs([_prev, fd], prevStateArg, formDataArg)) return { errors: { form: INVALID_REQUEST } };
  const input: Record<string, unknown> = {};
  for (const key of ['locale', 'theme', 'terminalTheme', 'terminalFontSize']) {
    const v = fd.get(key);
    if (typeof v === 'string') input[key] = v;
  }
  return save(input);
}

const quickArg = z
  .object({ locale: z.string().max(16), theme: z.string().max(16) })
  .partial()
  .strict();

/** The header's quick switches (theme, language): one field at a time. */
export async function setPreferenceAction(change: {
  locale?: string;
  theme?: string;
}): Promise<PreferencesState> {
  const args = parseArgs([change], quickArg);
  if (!args) return { errors: { form: INVALID_REQUEST } };
  return save(args[0]);
}
