'use client';

import { useTranslations } from 'next-intl';
import { useSyncExternalStore } from 'react';

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-03 14:05:09" in the browser's time zone: sortable, and as wide in every row. */
export function formatLocal(d: Date): string {
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** "2026-11-03 14:05:09 UTC": what the server can say before it knows the browser's zone. */
export function formatUtc(d: Date): string {
  return `${d.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

/** "2026-11-03T14:05:09Z": the UTC time to compare with device logs, on hover. */
export function isoUtc(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

const noop = () => () => {};

/**
 * False while the server renders and the page hydrates, true after: the server does not know the
 * browser's time zone, so the first render prints UTC and hydration never disagrees with it.
 */
export function useInBrowser(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}

/** A moment in the reader's own time zone, with the UTC time on hover (and for screen readers' dateTime). */
export function Time({ iso, className }: { iso: string | Date; className?: string }) {
  const inBrowser = useInBrowser();
  const t = useTranslations('common.time');
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return null;
  return (
    <time dateTime={d.toISOString()} title={t('utcHint', { time: isoUtc(d) })} className={className}>
      {inBrowser ? formatLocal(d) : formatUtc(d)}
    </time>
  );
}
