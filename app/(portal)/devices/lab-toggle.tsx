'use client';

import { useState, useTransition } from 'react';
import { setLabDeviceUpAction } from './actions';

/**
 * Admin switch on a lab device: take it down or bring it back (to see status and alerts live). The
 * switch's own state shows at once; the row's status dot follows the probe's `device_status` pushes.
 */
export function LabToggle({ name, up }: { name: string; up: boolean }) {
  const [isUp, setIsUp] = useState(up);
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="ml-2 inline-flex items-center gap-1">
      <button
        type="button"
        className="rounded border border-slate-300 px-1.5 py-0.5 text-xs whitespace-nowrap text-slate-700 hover:bg-slate-100 disabled:opacity-50"
        disabled={pending}
        aria-label={`${isUp ? 'Take down' : 'Bring up'} ${name}`}
        onClick={() =>
          start(async () => {
            const r = await setLabDeviceUpAction(name, !isUp);
            if (r.error) setError(r.error);
            else setIsUp(!isUp);
          })
        }
      >
        {isUp ? 'take down' : 'bring up'}
      </button>
      {/* at once: the probe needs a few intervals before the status dot follows */}
      {!isUp && (
        <span
          className="rounded bg-red-100 px-1.5 py-0.5 text-xs whitespace-nowrap text-red-700"
          data-lab-state="down"
        >
          taken down
        </span>
      )}
      {error && <span className="text-xs text-red-600">{error}</span>}
    </span>
  );
}
