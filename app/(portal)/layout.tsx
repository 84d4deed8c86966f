import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Bell } from '@/app/_components/bell';
import { CommandPalette } from '@/app/_components/command-palette';
import { LiveProvider } from '@/app/_components/live-provider';
import { NavLink } from '@/app/_components/nav-link';
import { SignOutButton } from '@/app/_components/sign-out-button';
import { getCurrentPrefs, requireUser } from '@/lib/auth/session';
import { isTheme } from '@/lib/i18n/config';
import { notificationFrameOf } from '@/lib/realtime/handlers/notifications';
import { getRuntime } from '@/lib/server/registry';
import { HeaderNav } from './_shell/header-nav';
import { LocaleSwitch } from './_shell/locale-switch';
import { ThemeSwitch } from './_shell/theme-switch';

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const { feed } = getRuntime();
  const [unread, lastSeq, recent, prefs, t, ts] = await Promise.all([
    feed.unreadCount(user.id),
    feed.latestSeq(user.id),
    feed.list(user.id, { limit: 10 }),
    getCurrentPrefs(),
    getTranslations('common'),
    getTranslations('shell.adminNav'),
  ]);
  const theme = isTheme(prefs?.theme) ? prefs.theme : 'system';
  return (
    <LiveProvider initial={{ unread, lastSeq, recent: recent.map(notificationFrameOf) }}>
      <div className="min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-1.5 focus:text-slate-900"
        >
          {t('nav.skipToContent')}
        </a>
        <header className="border-b border-transparent bg-slate-900 dark:border-slate-800">
          {/* phone width: logo, search, bell and account share one row; the navigation folds behind the
              Menu button and opens as its own row below */}
          <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-3 gap-y-2 px-3 py-2.5 sm:px-4 md:gap-x-6">
            <Link href="/" className="text-lg font-semibold tracking-tight text-white">
              {t('appName')}
            </Link>
            <HeaderNav
              extra={
                <>
                  <LocaleSwitch saved={prefs?.locale ?? ''} />
                  <SignOutButton />
                </>
              }
            >
              <NavLink href="/">{t('nav.dashboard')}</NavLink>
              <NavLink href="/devices">{t('nav.devices')}</NavLink>
              {/* viewers too: their terminal is read-only (lib/policy's read-only rules) */}
              <NavLink href="/terminal">{t('nav.terminal')}</NavLink>
              {/* open sessions: your own, and (admins, teams with observe) those you may watch */}
              {user.role !== 'viewer' && <NavLink href="/sessions">{t('nav.sessions')}</NavLink>}
              <NavLink href="/tasks">{t('nav.tasks')}</NavLink>
              <NavLink href="/templates">{t('nav.templates')}</NavLink>
              {/* everyone: users see their own sessions' recordings, admins everyone's */}
              <NavLink href="/recordings">{t('nav.recordings')}</NavLink>
              {user.role === 'admin' && (
                <>
                  <NavLink href="/admin/users">{t('nav.users')}</NavLink>
                  <NavLink href="/admin/groups">{t('nav.groups')}</NavLink>
                  <NavLink href="/admin/teams">{t('nav.teams')}</NavLink>
                  <NavLink href="/admin/audit">{t('nav.audit')}</NavLink>
                  <NavLink href="/admin/webhooks">{ts('webhooks')}</NavLink>
                  <NavLink href="/admin/policies">{ts('policies')}</NavLink>
                  <NavLink href="/admin/settings">{ts('settings')}</NavLink>
                </>
              )}
            </HeaderNav>
            <div className="ml-auto flex items-center gap-2 sm:gap-3 md:gap-4">
              <CommandPalette />
              <Bell />
              <ThemeSwitch initial={theme} />
              <div className="hidden md:block">
                <LocaleSwitch saved={prefs?.locale ?? ''} />
              </div>
              <Link
                href="/account"
                aria-label={t('nav.account')}
                title={t('nav.accountTitle')}
                className="flex items-center gap-1 text-sm text-slate-300 hover:text-white"
                data-testid="current-user"
              >
                {/* a phone's header has room for an icon, not a name */}
                <svg
                  viewBox="0 0 20 20"
                  className="h-5 w-5 sm:hidden"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.6"
                  aria-hidden
                >
                  <circle cx="10" cy="7" r="3.5" />
                  <path d="M3.5 17c1-3.5 3.6-5 6.5-5s5.5 1.5 6.5 5" />
                </svg>
                <span className="hidden max-w-[9rem] truncate sm:inline">
                  {user.displayName || user.username}
                </span>
                <span className="hidden rounded bg-slate-700 px-1.5 py-0.5 text-xs sm:inline">
                  {t(`roles.${user.role}`)}
                </span>
              </Link>
              {/* on a phone, Sign out is in the menu */}
              <div className="hidden md:block">
                <SignOutButton />
              </div>
            </div>
          </div>
        </header>
        <main id="main" className="mx-auto max-w-7xl px-4 py-6">
          {children}
        </main>
      </div>
    </LiveProvider>
  );
}
