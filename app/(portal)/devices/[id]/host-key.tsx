'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState, useTransition, type ReactNode } from 'react';
import { acceptHostKeyAction, checkHostKeyAction, forgetHostKeyAction } from '../actions';
import { hostKeyNotice, utcMoment } from './panel-text';

type Result = { error?: string; ok?: string };

const ALERT =
  'rounded-md border border-amber-300 bg-amber-50 p-3 text-sm break-words text-amber-900 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-200';

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
  const t = useTranslations('device.hostKey');
  const [pending, start] = useTransition();
  const [result, setResult] = useState<Result>({});
  const [confirmForget, setConfirmForget] = useState(false);
  const run = (action: () => Promise<Result>) => start(async () => setResult(await action()));
  const when = offeredAt ? { hasTime: 'yes', time: utcMoment(offeredAt) } : { hasTime: 'no', time: '' };
  const headingId = useId();
  const strong = (c: ReactNode) => <strong>{c}</strong>;
  const fp = () => (
    <code className="font-mono text-xs break-all" data-testid="trusted-fingerprint">
      {trusted}
    </code>
  );
  const muted = (c: ReactNode) => <span className="text-slate-500 dark:text-slate-400">{c}</span>;
  const notice = result.ok ? hostKeyNotice(result.ok) : null;
  return (
    <section className={`card min-w-0 space-y-3 p-4 ${className}`} aria-labelledby={headingId}>
      <h2 id={headingId} className="text-sm font-semibold">
        {t('heading')}
      </h2>
      <p className="text-sm break-words">
        {trusted
          ? t.rich(approvalRequired ? 'trustedPrevious' : 'trusted', { fp })
          : t.rich(approvalRequired ? 'none' : 'noneYet', { muted })}
      </p>
      {trusted && trustedNote && (
        <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="trusted-note">
          {trustedNote}
        </p>
      )}
      {!trusted && !offered && !approvalRequired && !readOnly && (
        <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="host-key-empty">
          {t('noneYetHint')}
        </p>
      )}
      {approvalRequired && !offered && (
        <div role="alert" className={ALERT}>
          {t.rich('moved', { strong, address })}
          {!readOnly && <> {t.rich('movedCheck', { strong })}</>}
        </div>
      )}
      {offered && (
        <div role="alert" className={ALERT}>
          {approvalRequired
            ? t.rich('offeredMoved', { strong, address, ...when })
            : trusted
              ? t.rich('offeredDifferent', { strong, ...when })
              : t.rich('offeredNew', when)}
          <code className="mt-1 block font-mono text-xs break-all" data-testid="offered-fingerprint">
            {offered}
          </code>
          {readOnly ? t('readOnlyHint') : t('acceptHint')}
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
            {offered ? t('checkAgain') : t('check')}
          </button>
        )}
        {offered && (
          <button
            type="button"
            className="btn-primary"
            disabled={pending}
            onClick={() => run(() => acceptHostKeyAction(deviceId, offered))}
          >
            {t('accept')}
          </button>
        )}
        {canForget && trusted && !approvalRequired && (
          <button
            type="button"
            className="btn-secondary"
            disabled={pending}
            aria-haspopup="dialog"
            onClick={() => setConfirmForget(true)}
          >
            {t('forget')}
          </button>
        )}
      </div>
      {confirmForget && (
        <ConfirmForget
          address={address}
          pending={pending}
          onCancel={() => setConfirmForget(false)}
          onConfirm={() =>
            start(async () => {
              setResult(await forgetHostKeyAction(deviceId));
              setConfirmForget(false);
            })
          }
        />
      )}
      {result.ok && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
          {notice ? t(`result.${notice}`) : result.ok}
        </p>
      )}
      {result.error && <p className="field-error">{result.error}</p>}
    </section>
  );
}

/**
 * Forgetting the trusted key makes the next connection trust whatever it is offered: a modal asks
 * first (the browser's <dialog>: Esc cancels, focus returns to the button).
 */
function ConfirmForget({
  address,
  pending,
  onConfirm,
  onCancel,
}: {
  address: string;
  pending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = useTranslations('device.hostKey');
  const tc = useTranslations('common.actions');
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="card m-auto w-[30rem] max-w-[calc(100vw-2rem)] p-4 text-slate-900 backdrop:bg-slate-900/50 dark:text-slate-100"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onClose={onCancel}
    >
      <h3 id={titleId} className="text-base font-semibold">
        {t('forgetDialog.title')}
      </h3>
      <p id={bodyId} className="mt-2 text-sm break-words text-slate-700 dark:text-slate-300">
        {t('forgetDialog.body', { address })}
      </p>
      <div className="mt-4 flex flex-wrap justify-end gap-2">
        <button type="button" className="btn-secondary" onClick={() => ref.current?.close()}>
          {tc('cancel')}
        </button>
        <button type="button" className="btn-danger" disabled={pending} onClick={onConfirm}>
          {pending ? t('working') : t('forgetDialog.confirm')}
        </button>
      </div>
    </dialog>
  );
}
