import type { Metadata } from 'next';
import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { NOTIFICATION_KIND_LABELS, NOTIFICATION_KINDS, parseKinds } from '@/lib/notifications/feed';
import { NotificationList } from './notification-list';
import { Preferences } from './preferences';
import { getRuntime } from '@/lib/server/registry';

export const metadata: Metadata = { title: 'Notifications' };

export default async function NotificationsPage({
  searchParams,
}: {
  searchParams: Promise<{ kind?: string; unread?: string }>;
}) {
  const user = await requireUser();
  const { kind, unread } = await searchParams;
  const validKind = kind && (NOTIFICATION_KINDS as readonly string[]).includes(kind) ? kind : undefined;
  const items = await getRuntime().feed.list(user.id, {
    kind: validKind,
    unreadOnly: unread === '1',
    limit: 200,
  });
  const me = await getRuntime().db.user.findUniqueOrThrow({
    where: { id: user.id },
    select: { notifyKinds: true },
  });
  const link = (k?: string, u?: boolean) =>
    `/notifications?${new URLSearchParams({ ...(k ? { kind: k } : {}), ...(u ? { unread: '1' } : {}) })}`;
  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_20rem]">
      <div className="space-y-3">
        <h1 className="text-2xl font-semibold tracking-tight">Notifications</h1>
        <nav className="flex flex-wrap gap-1 text-sm" aria-label="Filter notifications">
          <Link
            href={link(undefined, unread === '1')}
            className={`rounded px-2 py-1 ${!validKind ? 'bg-slate-800 text-white' : 'bg-white'}`}
          >
            All kinds
          </Link>
          {NOTIFICATION_KINDS.map((k) => (
            <Link
              key={k}
              href={link(k, unread === '1')}
              className={`rounded px-2 py-1 ${validKind === k ? 'bg-slate-800 text-white' : 'bg-white'}`}
            >
              {k.replace('_', ' ')}
            </Link>
          ))}
          <Link
            href={link(validKind, unread !== '1')}
            className={`ml-2 rounded px-2 py-1 ${unread === '1' ? 'bg-sky-700 text-white' : 'bg-white'}`}
          >
            Unread only
          </Link>
        </nav>
        <NotificationList items={items} />
      </div>
      <div className="space-y-2 lg:pt-12">
        <Preferences enabled={[...parseKinds(me.notifyKinds)]} />
        <p className="text-xs text-slate-500">
          {Object.values(NOTIFICATION_KIND_LABELS).length} kinds; device alerts cover the devices you can see.
        </p>
      </div>
    </div>
  );
}
