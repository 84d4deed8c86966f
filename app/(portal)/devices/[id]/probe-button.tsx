'use client';

import { useRouter } from 'next/navigation';
import { useState, useSyncExternalStore, useTransition } from 'react';
import { StatusBadge } from '@/app/_components/status-badge';
import { probeDeviceAction, type ProbeNowResult } from './actions';

const noop = () => () => {};

/** Probe now: one probe through the status monitor; says what it saw and what the status is now. */
export function ProbeButton({ deviceId }: { deviceId: string }) {
  const router = useRouter();
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
        {pending ? 'Probing…' : 'Probe now'}
      </button>
      <span role="status" className="min-w-0 text-sm break-words" data-testid="probe-result">
        {result && !result.ok && <span className="text-red-700">{result.message}</span>}
        {result?.ok && (
          <span className="inline-flex flex-wrap items-center gap-x-1.5" data-probe-status={result.status}>
            <span className={result.reachable ? 'text-emerald-700' : 'text-red-700'}>
              {result.reachable ? 'Reachable' : 'Unreachable'}: {result.reason} ({result.tookMs} ms).
            </span>
            <span className="inline-flex items-center gap-1">
              Now <StatusBadge status={result.status} />
            </span>
            {!result.reachable && result.status !== 'offline' && (
              <span className="text-slate-500">
                ({result.fails} of {result.offlineAfter} failed probes before it counts as offline)
              </span>
            )}
          </span>
        )}
      </span>
    </div>
  );
}
