import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { NOTIFICATION_KINDS, parseKinds } from '@/lib/notifications/feed';
import { getRuntime } from '@/lib/server/registry';
import { NotificationList } from './notification-list';
import { Preferences } from './preferences';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('notifications');
  return { title: t('title') };
}

const PILL = 'rounded px-2 py-1';
const PILL_ON = 'bg-slate-800 text-white dark:bg-slate-100 dark:text-slate-900';
const PILL_OFF =
  'border border-slate-200 bg-white text-slate-800 hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800';

export default async function NotificationsPage({
  searchParams,
}: {
  searchParams: Promise<{ kind?: string; unread?: string }>;
}) {
  const user = await requireUser();
  const t = await getTranslations('notifications');
  const { kind, unread } = await searchParams;
  const validKind =
    kind && (NOTIFICATION_KINDS as readonly string[]).includes(kind)
      ? (kind as (typeof NOTIFICATION_KINDS)[number])
      : undefined;
  const unreadOnly = unread === '1';
  const items = await getRuntime().feed.list(user.id, {
    kind: validKind,
    unreadOnly,
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
      <div className="min-w-0 space-y-3">
        <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
        <nav className="flex flex-wrap gap-1 text-sm" aria-label={t('filter.label')}>
          <Link
            href={link(undefined, unreadOnly)}
            aria-current={!validKind ? 'true' : undefined}
            className={`${PILL} ${!validKind ? PILL_ON : PILL_OFF}`}
          >
            {t('filter.allKinds')}
          </Link>
          {NOTIFICATION_KINDS.map((k) => (
            <Link
              key={k}
              href={link(k, unreadOnly)}
              aria-current={validKind === k ? 'true' : undefined}
              className={`${PILL} ${validKind === k ? PILL_ON : PILL_OFF}`}
            >
              {t(`kinds.${k}`)}
            </Link>
          ))}
          <Link
            href={link(validKind, !unreadOnly)}
            aria-current={unreadOnly ? 'true' : undefined}
            className={`${PILL} sm:ml-2 ${unreadOnly ? 'bg-sky-700 text-white' : PILL_OFF}`}
          >
            {t('filter.unreadOnly')}
          </Link>
        </nav>
        <NotificationList items={items} filtered={validKind !== undefined || unreadOnly} />
      </div>
      <div className="space-y-2 lg:pt-12">
        <Preferences enabled={[...parseKinds(me.notifyKinds)]} />
        <p className="text-xs text-slate-600 dark:text-slate-400">
          {t('prefs.note', { count: NOTIFICATION_KINDS.length })}
        </p>
      </div>
    </div>
  );
}
