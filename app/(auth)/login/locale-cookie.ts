/** A year, in seconds: the language switch's choice outlives the session. */
export const LOCALE_COOKIE_MAX_AGE_S = 365 * 24 * 3600;

/** Pure: the `document.cookie` assignment for the language switch. */
export function localeCookie(name: string, locale: string, secure: boolean): string {
  return `${name}=${encodeURIComponent(locale)}; path=/; max-age=${LOCALE_COOKIE_MAX_AGE_S}; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** Remembers the language chosen on the sign-in page, for this browser (the browser side only). */
export function rememberLocale(name: string, locale: string): void {
  document.cookie = localeCookie(name, locale, location.protocol === 'https:');
}
