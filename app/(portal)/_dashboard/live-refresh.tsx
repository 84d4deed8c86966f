'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { useLive } from '@/app/_components/live-provider';

/** At most one refresh this often, however many devices change at once (a site going dark). */
const REFRESH_MIN_INTERVAL_MS = 2000;

/**
 * Keeps a server-rendered summary live: a `device_status` push refreshes the page from the server
 * (counts, outages, the chart), coalesced to one refresh per REFRESH_MIN_INTERVAL_MS.
 */
export function LiveRefresh() {
  const live = useLive();
  const t = useTranslations('dashboard.live');
  const router = useRouter();
  const statuses = live?.statuses;
  const first = useRef(true);
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (timer.current) return; // one is already scheduled
    const wait = Math.max(0, last.current + REFRESH_MIN_INTERVAL_MS - Date.now());
    timer.current = setTimeout(() => {
      timer.current = null;
      last.current = Date.now();
      router.refresh();
    }, wait);
  }, [statuses, router]);
  // a change between the render and the socket's (re)connection is pushed to nobody: refresh then
  const connected = live?.connected ?? false;
  const wasConnected = useRef(false);
  useEffect(() => {
    if (connected && !wasConnected.current) router.refresh();
    wasConnected.current = connected;
  }, [connected, router]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return (
    <span className="text-xs text-slate-600 dark:text-slate-400" data-testid="dashboard-live">
      {live?.connected ? t('on') : t('connecting')}
    </span>
  );
}
