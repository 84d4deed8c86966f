'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Time } from '@/app/_components/time';
import { decideApprovalAction } from './actions';

export interface ApprovalItem {
  id: string;
  requester: string;
  deviceName: string;
  command: string;
  ruleName: string;
  status: 'pending' | 'approved' | 'rejected' | 'expired' | 'withdrawn';
  decidedBy: string | null;
  reason: string;
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  canDecide: boolean;
}

const BADGE: Record<ApprovalItem['status'], string> = {
  pending: 'bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-100',
  approved: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100',
  rejected: 'bg-red-100 text-red-900 dark:bg-red-900/50 dark:text-red-100',
  expired: 'bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100',
  withdrawn: 'bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100',
};

export function ApprovalList({ items }: { items: ApprovalItem[] }) {
  const t = useTranslations('terminal.approvals');
  if (items.length === 0)
    return (
      <p
        className="card p-6 text-center text-sm text-slate-600 dark:text-slate-300"
        data-testid="approvals-empty"
      >
        {t('empty')}
      </p>
    );
  return (
    <ul className="card divide-y divide-slate-100 dark:divide-slate-800" data-testid="approval-list">
      {items.map((a) => (
        <ApprovalRow key={a.id} item={a} />
      ))}
    </ul>
  );
}

function ApprovalRow({ item: a }: { item: ApprovalItem }) {
  const t = useTranslations('terminal.approvals');
  const router = useRouter();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const decide = (approve: boolean) =>
    start(async () => {
      const r = await decideApprovalAction(a.id, approve, reason);
      if (r.error) setError(r.error);
      else router.refresh();
    });
  return (
    <li id={a.id} className="space-y-2 px-4 py-3" data-approval={a.command}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className={`rounded px-1.5 text-xs leading-5 font-medium ${BADGE[a.status]}`}>
          {t(`status.${a.status}`)}
        </span>
        <code className="font-mono text-sm break-all">{a.command}</code>
      </div>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        {t('who', { requester: a.requester, device: a.deviceName, rule: a.ruleName })}{' '}
        <Time iso={a.createdAt} />
        {a.status === 'pending' && (
          <>
            {' · '}
            {t('expires')} <Time iso={a.expiresAt} />
          </>
        )}
        {a.decidedBy && (
          <>
            {' · '}
            {t('decidedBy', { name: a.decidedBy })}
          </>
        )}
        {a.reason && <> · {a.reason}</>}
      </p>
      {a.canDecide && (
        <div className="flex flex-wrap items-center gap-2">
          <label className="sr-only" htmlFor={`reason-${a.id}`}>
            {t('reason')}
          </label>
          <input
            id={`reason-${a.id}`}
            className="input max-w-xs flex-1"
            placeholder={t('reason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <button type="button" className="btn-primary" disabled={pending} onClick={() => decide(true)}>
            {t('approve')}
          </button>
          <button
            type="button"
            className="btn-secondary text-red-700 dark:text-red-400"
            disabled={pending}
            onClick={() => decide(false)}
          >
            {t('reject')}
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </li>
  );
}
