import 'server-only';
import { z } from 'zod';
import type { PrismaClient } from '../db/client';
import { LOCALES, TERMINAL_FONT_SIZE, TERMINAL_THEMES, THEMES } from '../i18n/config';
import type { CurrentUser, UserPrefs } from './session';

/** What a user may change about how the portal looks to them; every field optional (a partial update). */
export const preferencesSchema = z
  .object({
    /** "" = follow the browser's language */
    locale: z.enum(['', ...LOCALES]),
    theme: z.enum(THEMES),
    terminalTheme: z.enum(TERMINAL_THEMES),
    terminalFontSize: z.coerce.number().int().min(TERMINAL_FONT_SIZE.min).max(TERMINAL_FONT_SIZE.max),
  })
  .partial()
  .strict();

export type PreferencesInput = z.infer<typeof preferencesSchema>;
export type PreferencesField = keyof PreferencesInput | 'form';
export type SavePreferencesResult =
  { ok: true; prefs: UserPrefs } | { ok: false; errors: Partial<Record<PreferencesField, string>> };

/** Save the signed-in user's own display preferences (nobody else's: there is no user id to pass). */
export async function savePreferences(
  user: CurrentUser,
  input: unknown,
  deps: { db: PrismaClient },
): Promise<SavePreferencesResult> {
  const parsed = preferencesSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Partial<Record<PreferencesField, string>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      const key: PreferencesField =
        typeof field === 'string' && field in preferencesSchema.shape ? (field as PreferencesField) : 'form';
      errors[key] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const row = await deps.db.user.update({
    where: { id: user.id },
    data: parsed.data,
    select: { locale: true, theme: true, terminalTheme: true, terminalFontSize: true },
  });
  return { ok: true, prefs: row };
}
