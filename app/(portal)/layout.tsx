import Link from 'next/link';
import type { ReactNode } from 'react';
import { Bell } from '@/app/_components/bell';
import { CommandPalette } from '@/app/_components/command-palette';
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
          {/* phone width: the name, bell and sign-out share the first row with the logo; the nav wraps
              to its own row and scrolls sideways */}
          <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2.5">
            <Link href="/" className="text-lg font-semibold tracking-tight text-white">
              Switchboard
            </Link>
            <nav className="order-last -mx-1 flex w-full items-center gap-1 overflow-x-auto md:order-none md:mx-0 md:w-auto md:flex-1">
              <NavLink href="/">Dashboard</NavLink>
              <NavLink href="/devices">Devices</NavLink>
              {user.role !== 'viewer' && <NavLink href="/terminal">Terminal</NavLink>}
              <NavLink href="/tasks">Tasks</NavLink>
              {user.role === 'admin' && (
                <>
                  <NavLink href="/admin/users">Users</NavLink>
                  <NavLink href="/admin/groups">Groups</NavLink>
                  <NavLink href="/admin/teams">Teams</NavLink>
                  <NavLink href="/admin/audit">Audit</NavLink>
                </>
              )}
            </nav>
            <div className="ml-auto flex items-center gap-4">
              <CommandPalette />
              <Bell />
              <Link
                href="/account"
                aria-label="Your account"
                title="Your account: sign out everywhere"
                className="flex items-center gap-1 text-sm text-slate-300 hover:text-white"
                data-testid="current-user"
              >
                <span className="max-w-[9rem] truncate">{user.displayName || user.username}</span>
                <span className="rounded bg-slate-700 px-1.5 py-0.5 text-xs">{user.role}</span>
              </Link>
              <SignOutButton />
            </div>
          </div>
        </header>
        <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
      </div>
    </LiveProvider>
  );
}
