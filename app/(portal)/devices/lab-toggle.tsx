'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { setLabDeviceUpAction } from './actions';

/**
 * Admin switch on a lab device: take it down or bring it back (to see status and alerts live). The
 * switch's own state shows at once; the row's status dot follows the probe's `device_status` pushes.
 */
export function LabToggle({ name, up }: { name: string; up: boolean }) {
  const t = useTranslations('devices');
  const [isUp, setIsUp] = useState(up);
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="ml-2 inline-flex items-center gap-1">
      <button
        type="button"
        className="rounded border border-slate-300 px-2 py-1 text-xs font-normal whitespace-nowrap text-slate-700 hover:bg-slate-100 disabled:opacity-50 sm:px-1.5 sm:py-0.5 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800"
        disabled={pending}
        aria-label={t(isUp ? 'lab.takeDownName' : 'lab.bringUpName', { name })}
        onClick={() =>
          start(async () => {
            const r = await setLabDeviceUpAction(name, !isUp);
            if (r.error) setError(r.error);
            else setIsUp(!isUp);
          })
        }
      >
        {t(isUp ? 'lab.takeDown' : 'lab.bringUp')}
      </button>
      {/* at once: the probe needs a few intervals before the status dot follows */}
      {!isUp && (
        <span
          className="rounded bg-red-100 px-1.5 py-0.5 text-xs font-normal whitespace-nowrap text-red-700 dark:bg-red-900/50 dark:text-red-200"
          data-lab-state="down"
        >
          {t('lab.takenDown')}
        </span>
      )}
      {error && <span className="text-xs font-normal text-red-700 dark:text-red-300">{error}</span>}
    </span>
  );
}
