'use client';

import { useState, useTransition } from 'react';
import { acceptHostKeyAction, forgetHostKeyAction } from '../actions';

export function HostKeyPanel({
  deviceId,
  trusted,
  offered,
  offeredAt,
  canManage,
}: {
  deviceId: string;
  trusted: string | null;
  offered: string | null;
  offeredAt: string | null;
  canManage: boolean;
}) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<{ error?: string; ok?: string }>({});
  return (
    <section className="card max-w-3xl space-y-2 p-4" aria-label="SSH host key">
      <h2 className="text-sm font-semibold">SSH host key</h2>
      <p className="text-sm">
        Trusted:{' '}
        {trusted ? (
          <code className="font-mono text-xs" data-testid="trusted-fingerprint">
            {trusted}
          </code>
        ) : (
          <span className="text-slate-500">none yet (trusted on first connection)</span>
        )}
      </p>
      {offered && (
        <div
          role="alert"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
        >
          The device presented a <strong>different key</strong>{' '}
          {offeredAt ? `on ${offeredAt.replace('T', ' ').slice(0, 19)} UTC` : ''} and was refused:
          <code className="mt-1 block font-mono text-xs">{offered}</code>
          Accept it only if you know the device was replaced or re-keyed.
        </div>
      )}
      {canManage && (
        <div className="flex gap-2">
          {offered && (
            <button
              type="button"
              className="btn-primary"
              disabled={pending}
              onClick={() => start(async () => setResult(await acceptHostKeyAction(deviceId, offered)))}
            >
              Accept the new key
            </button>
          )}
          {trusted && (
            <button
              type="button"
              className="btn-secondary"
              disabled={pending}
              onClick={() => start(async () => setResult(await forgetHostKeyAction(deviceId)))}
            >
              Forget trusted key
            </button>
          )}
        </div>
      )}
      {result.ok && (
        <p role="status" className="text-sm text-emerald-700">
          {result.ok}
        </p>
      )}
      {result.error && <p className="field-error">{result.error}</p>}
    </section>
  );
}
