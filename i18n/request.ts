import { getRequestConfig } from 'next-intl/server';
import { cookies, headers } from 'next/headers';
import { getCurrentPrefs } from '@/lib/auth/session';
import { LOCALE_COOKIE, resolveLocale } from '@/lib/i18n/config';
import { FORMATS } from '@/lib/i18n/formats';
import { MESSAGES } from '@/messages';

// next-intl without locale routing: the URL never carries the language. A signed-in user's saved
// choice wins, then the switch's cookie, then the browser's Accept-Language.
export default getRequestConfig(async () => {
  const [prefs, jar, head] = await Promise.all([getCurrentPrefs().catch(() => null), cookies(), headers()]);
  const locale = resolveLocale({
    saved: prefs?.locale,
    cookie: jar.get(LOCALE_COOKIE)?.value,
    acceptLanguage: head.get('accept-language'),
  });
  return {
    locale,
    messages: MESSAGES[locale],
    formats: FORMATS,
    // The browser shows times in its own zone (app/_components/time.tsx); the server formats in UTC.
    timeZone: 'UTC',
  };
});
