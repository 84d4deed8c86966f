'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useSyncExternalStore, useTransition } from 'react';
import { StatusBadge } from '@/app/_components/status-badge';
import { probeDeviceAction, type ProbeNowResult } from './actions';

const noop = () => () => {};

/** Probe now: one probe through the status monitor; says what it saw and what the status is now. */
export function ProbeButton({ deviceId }: { deviceId: string }) {
  const router = useRouter();
  const t = useTranslations('device.probe');
  const [pending, start] = useTransition();
  const [result, setResult] = useState<ProbeNowResult | null>(null);
  // Until hydrated, a click would do nothing: the button stays disabled instead.
  const hydrated = useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
  const probe = () =>
    start(async () => {
      const r = await probeDeviceAction(deviceId);
      setResult(r);
      if (r.ok && r.status !== r.previous) router.refresh();
    });
  return (
    <div className="flex min-w-0 flex-wrap items-center gap-2">
      <button type="button" className="btn-secondary" disabled={!hydrated || pending} onClick={probe}>
        {pending ? t('probing') : t('button')}
      </button>
      <span role="status" className="min-w-0 text-sm break-words" data-testid="probe-result">
        {result && !result.ok && <span className="text-red-700 dark:text-red-300">{result.message}</span>}
        {result?.ok && (
          <span
            className="inline-flex min-w-0 flex-wrap items-center gap-x-1.5"
            data-probe-status={result.status}
          >
            <span
              className={`min-w-0 break-words ${
                result.reachable ? 'text-emerald-700 dark:text-emerald-300' : 'text-red-700 dark:text-red-300'
              }`}
            >
              {t(result.reachable ? 'reachable' : 'unreachable', {
                reason: result.reason,
                ms: result.tookMs,
              })}
            </span>
            <span className="inline-flex items-center gap-1">
              {t.rich('now', { badge: () => <StatusBadge status={result.status} /> })}
            </span>
            {!result.reachable && result.status !== 'offline' && (
              <span className="text-slate-500 dark:text-slate-400">
                {t('failedProbes', { fails: result.fails, offlineAfter: result.offlineAfter })}
              </span>
            )}
          </span>
        )}
      </span>
    </div>
  );
}
