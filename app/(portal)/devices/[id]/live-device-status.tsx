'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { useLive } from '@/app/_components/live-provider';
import { StatusBadge } from '@/app/_components/status-badge';
import { Time, useInBrowser } from '@/app/_components/time';
import { formatDuration } from '@/lib/format/duration';

/**
 * The device's status, why and since when. A `device_status` push shows at once; the page is then
 * refreshed from the server, so the reason, "since", last seen and the timeline follow it.
 */
export function LiveDeviceStatus({
  deviceId,
  status,
  since,
  reason,
  lastSeen,
}: {
  deviceId: string;
  status: string;
  since: string | null;
  reason: string | null;
  lastSeen: 'now' | string | null;
}) {
  const live = useLive();
  const router = useRouter();
  const pushed = live?.statuses[deviceId];
  const shown = pushed ?? status;
  const refreshedFor = useRef<string | null>(null);
  // a change between this page's render and its socket's (re)connection is pushed to nobody: read
  // the status again each time the socket connects
  const connected = live?.connected ?? false;
  const wasConnected = useRef(false);
  useEffect(() => {
    if (connected && !wasConnected.current) router.refresh();
    wasConnected.current = connected;
  }, [connected, router]);
  useEffect(() => {
    if (pushed && pushed !== status && refreshedFor.current !== pushed) {
      refreshedFor.current = pushed;
      router.refresh();
    }
    if (pushed === status) refreshedFor.current = null;
  }, [pushed, status, router]);
  const inBrowser = useInBrowser();
  const t = useTranslations('device.status');
  const locale = useLocale();
  const fresh = shown === status; // the server's reason and time belong to this status
  const sinceTime = () => <Time iso={since ?? ''} />;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="device-status">
      <dt className="text-slate-500 dark:text-slate-400">{t('label')}</dt>
      <dd
        className="flex min-w-0 flex-wrap items-center gap-x-2"
        data-testid="device-status-value"
        data-status={shown}
      >
        <StatusBadge status={shown} />
        {fresh && since && (
          <span className="text-slate-600 dark:text-slate-400">
            {inBrowser
              ? t.rich('sinceFor', {
                  time: sinceTime,
                  // eslint-disable-next-line react-hooks/purity -- a label that ages, rendered in the browser only
                  duration: formatDuration(Date.now() - Date.parse(since), locale),
                })
              : t.rich('since', { time: sinceTime })}
          </span>
        )}
        {!fresh && <span className="text-slate-500 dark:text-slate-400">{t('justNow')}</span>}
      </dd>
      {fresh && reason && (
        <>
          <dt className="text-slate-500 dark:text-slate-400">{t('reason')}</dt>
          <dd className="min-w-0 break-words" data-testid="device-status-reason">
            {reason}
          </dd>
        </>
      )}
      <dt className="text-slate-500 dark:text-slate-400">{t('lastSeen')}</dt>
      <dd data-testid="device-last-seen">
        {shown === 'online' ? (
          t('now')
        ) : lastSeen && lastSeen !== 'now' ? (
          <Time iso={lastSeen} />
        ) : fresh ? (
          t('never')
        ) : (
          '—'
        )}
      </dd>
    </dl>
  );
}
