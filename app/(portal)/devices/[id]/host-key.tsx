'use client';

import { useState, useTransition } from 'react';
import { acceptHostKeyAction, checkHostKeyAction, forgetHostKeyAction } from '../actions';

type Result = { error?: string; ok?: string };

export function HostKeyPanel({
  deviceId,
  trusted,
  offered,
  offeredAt,
  approvalRequired,
  address,
  canForget,
  readOnly = false,
  trustedNote,
  className = 'max-w-3xl',
}: {
  deviceId: string;
  trusted: string | null;
  offered: string | null;
  offeredAt: string | null;
  /** The device moved: no key is trusted at its new address until someone accepts one. */
  approvalRequired: boolean;
  address: string;
  canForget: boolean;
  /** Someone with only a `view` grant: the keys are shown, nothing can be decided. */
  readOnly?: boolean;
  /** When the trusted key was accepted, if that is known (shown under the fingerprint). */
  trustedNote?: string;
  /** Width: the edit page's column (default) or, on the device page, the full width. */
  className?: string;
}) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<Result>({});
  const run = (action: () => Promise<Result>) => start(async () => setResult(await action()));
  const when = offeredAt ? ` on ${offeredAt.replace('T', ' ').slice(0, 19)} UTC` : '';
  return (
    <section className={`card space-y-3 p-4 ${className}`} aria-label="SSH host key">
      <h2 className="text-sm font-semibold">SSH host key</h2>
      <p className="text-sm break-words">
        {approvalRequired && trusted ? 'Trusted at the previous address: ' : 'Trusted: '}
        {trusted ? (
          <code className="font-mono text-xs break-all" data-testid="trusted-fingerprint">
            {trusted}
          </code>
        ) : (
          <span className="text-slate-500">
            {approvalRequired ? 'none' : 'none yet (trusted on first connection)'}
          </span>
        )}
      </p>
      {trusted && trustedNote && (
        <p className="text-xs text-slate-500" data-testid="trusted-note">
          {trustedNote}
        </p>
      )}
      {approvalRequired && !offered && (
        <div
          role="alert"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
        >
          This device moved to <strong>{address}</strong>. The portal does not log in there (and sends no
          password) until someone who operates the device accepts the key it offers.
          {!readOnly && (
            <>
              {' '}
              <strong>Check the key</strong> connects without logging in and shows it.
            </>
          )}
        </div>
      )}
      {offered && (
        <div
          role="alert"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
        >
          {approvalRequired ? (
            <>
              At its new address <strong>{address}</strong> the device offered this key{when}:
            </>
          ) : trusted ? (
            <>
              The device presented a <strong>different key</strong>
              {when} and was refused:
            </>
          ) : (
            <>
              A connection test{when} saw this key (not trusted yet; the first login trusts it, or accept it
              now):
            </>
          )}
          <code className="mt-1 block font-mono text-xs break-all" data-testid="offered-fingerprint">
            {offered}
          </code>
          {readOnly
            ? 'Someone who operates this device can accept it.'
            : "Accept it only if it is the key of this device (compare it on the device's console)."}
        </div>
      )}
      <div className={readOnly ? 'hidden' : 'flex flex-wrap gap-2'}>
        {approvalRequired && (
          <button
            type="button"
            className={offered ? 'btn-secondary' : 'btn-primary'}
            disabled={pending}
            onClick={() => run(() => checkHostKeyAction(deviceId))}
          >
            {offered ? 'Check the key again' : 'Check the key'}
          </button>
        )}
        {offered && (
          <button
            type="button"
            className="btn-primary"
            disabled={pending}
            onClick={() => run(() => acceptHostKeyAction(deviceId, offered))}
          >
            Accept this key
          </button>
        )}
        {canForget && trusted && !approvalRequired && (
          <button
            type="button"
            className="btn-secondary"
            disabled={pending}
            onClick={() => run(() => forgetHostKeyAction(deviceId))}
          >
            Forget trusted key
          </button>
        )}
      </div>
      {result.ok && (
        <p role="status" className="text-sm text-emerald-700">
          {result.ok}
        </p>
      )}
      {result.error && <p className="field-error">{result.error}</p>}
    </section>
  );
}
