import type { Metadata } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale } from 'next-intl/server';
import localFont from 'next/font/local';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { getCurrentPrefs } from '@/lib/auth/session';
import { resolveTheme, THEME_COOKIE } from '@/lib/i18n/config';
import { themeScript } from '@/lib/i18n/theme-script';
import { ThemeSync } from './_components/theme-sync';
import { Providers } from './providers';
// Chinese text everywhere, not only in the terminal: a machine without CJK fonts would show boxes.
// The font's CSS splits it by unicode range, so English pages fetch none of its files.
import '@fontsource-variable/noto-sans-sc';
import './globals.css';

const inter = localFont({
  src: '../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2',
  variable: '--font-inter',
  display: 'swap',
});

export const metadata: Metadata = {
  title: { default: 'Switchboard', template: '%s · Switchboard' },
  description: 'SSH terminals, batch tasks and live status for network devices.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [locale, prefs, jar] = await Promise.all([getLocale(), getCurrentPrefs(), cookies()]);
  const theme = resolveTheme({ saved: prefs?.theme, cookie: jar.get(THEME_COOKIE)?.value });
  // An explicit theme is rendered on <html>; "system" is decided in the browser before it paints.
  const explicit = theme === 'system' ? undefined : theme;
  return (
    <html
      lang={locale}
      className={`${inter.variable}${explicit === 'dark' ? ' dark' : ''}`}
      style={explicit ? { colorScheme: explicit } : undefined}
      data-theme-pref={theme}
      suppressHydrationWarning
    >
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript(theme) }} />
      </head>
      <body className="min-h-screen font-sans">
        <NextIntlClientProvider>
          <ThemeSync />
          <Providers>{children}</Providers>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
