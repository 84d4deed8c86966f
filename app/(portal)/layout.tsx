import Link from 'next/link';
import type { ReactNode } from 'react';
import { Bell } from '@/app/_components/bell';
import { LiveProvider } from '@/app/_components/live-provider';
import { NavLink } from '@/app/_components/nav-link';
import { SignOutButton } from '@/app/_components/sign-out-button';
import { requireUser } from '@/lib/auth/session';
import { notificationFrameOf } from '@/lib/realtime/handlers/notifications';
import { getRuntime } from '@/lib/server/registry';

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const { feed } = getRuntime();
  const [unread, lastSeq, recent] = await Promise.all([
    feed.unreadCount(user.id),
    feed.latestSeq(user.id),
    feed.list(user.id, { limit: 10 }),
  ]);
  return (
    <LiveProvider initial={{ unread, lastSeq, recent: recent.map(notificationFrameOf) }}>
      <div className="min-h-screen">
        <header className="bg-slate-900">
          <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-2.5">
            <Link href="/" className="text-lg font-semibold tracking-tight text-white">
              Switchboard
            </Link>
            <nav className="flex flex-1 items-center gap-1">
              <NavLink href="/">Dashboard</NavLink>
              <NavLink href="/devices">Devices</NavLink>
              {user.role !== 'viewer' && <NavLink href="/terminal">Terminal</NavLink>}
              <NavLink href="/tasks">Tasks</NavLink>
              {user.role === 'admin' && (
                <>
                  <NavLink href="/admin/users">Users</NavLink>
                  <NavLink href="/admin/audit">Audit</NavLink>
                </>
              )}
            </nav>
            <div className="flex items-center gap-4">
              <Bell />
              <span className="text-sm text-slate-300" data-testid="current-user">
                {user.displayName || user.username}{' '}
                <span className="rounded bg-slate-700 px-1.5 py-0.5 text-xs">{user.role}</span>
              </span>
              <SignOutButton />
            </div>
          </div>
        </header>
        <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
      </div>
    </LiveProvider>
  );
}
