/**
 * Languages and themes the portal speaks, and how one is chosen for a request: the signed-in user's
 * saved choice, else the cookie the language switch sets (the sign-in page has no user), else the
 * browser's Accept-Language. Device output is never translated.
 */
export const LOCALES = ['en', 'zh-CN'] as const;
export type AppLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = 'en';
export const LOCALE_NAMES: Record<AppLocale, string> = { en: 'English', 'zh-CN': '简体中文' };
export const LOCALE_COOKIE = 'sb-locale';

export const THEMES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEMES)[number];
export const THEME_COOKIE = 'sb-theme';

export const TERMINAL_THEMES = ['dark', 'light', 'solarized-dark'] as const;
export type TerminalThemeName = (typeof TERMINAL_THEMES)[number];
export const TERMINAL_FONT_SIZE = { min: 11, max: 24, default: 14 } as const;

export function isLocale(v: unknown): v is AppLocale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

export function isTheme(v: unknown): v is ThemePreference {
  return typeof v === 'string' && (THEMES as readonly string[]).includes(v);
}

export function isTerminalTheme(v: unknown): v is TerminalThemeName {
  return typeof v === 'string' && (TERMINAL_THEMES as readonly string[]).includes(v);
}

/**
 * The best of our locales for an Accept-Language header ("zh-TW,zh;q=0.9,en;q=0.8"): every Chinese
 * tag maps to zh-CN (the only Chinese we have), English to en; quality values decide, ties keep order.
 */
export function negotiateLocale(header: string | null | undefined): AppLocale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(',')
    .slice(0, 32)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((r) => r.tag && r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return DEFAULT_LOCALE;
}

/** The locale for a request: saved per user, else the switch's cookie, else the browser's language. */
export function resolveLocale(input: {
  saved?: string | null;
  cookie?: string | null;
  acceptLanguage?: string | null;
}): AppLocale {
  if (isLocale(input.saved)) return input.saved;
  if (isLocale(input.cookie)) return input.cookie;
  return negotiateLocale(input.acceptLanguage);
}

export function resolveTheme(input: { saved?: string | null; cookie?: string | null }): ThemePreference {
  if (isTheme(input.saved) && input.saved !== 'system') return input.saved;
  if (input.saved === 'system') return 'system';
  return isTheme(input.cookie) ? input.cookie : 'system';
}
