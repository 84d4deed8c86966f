'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState, useTransition } from 'react';
import { Time } from '@/app/_components/time';
import type { TokenView } from '@/lib/auth/tokens';
import { createTokenAction, revokeTokenAction, type CreateTokenState } from './token-actions';

const EXPIRIES = ['7d', '30d', '90d', '365d', 'never'] as const;

function when(iso: string | null, none: string) {
  return iso ? <Time iso={iso} /> : none;
}

export function CreateTokenForm() {
  const [state, action, pending] = useActionState<CreateTokenState, FormData>(createTokenAction, {});
  const [copied, setCopied] = useState(false);
  const common = useTranslations('common.actions');
  const e = state.errors ?? {};
  const t = useTranslations('account.tokens');
  return (
    <div className="space-y-3">
      <form
        action={action}
        aria-label={t('formLabel')}
        className="grid gap-3 sm:grid-cols-[1fr_8rem_8rem_auto]"
      >
        <label>
          {t('name')}
          <input
            name="name"
            className="input"
            placeholder={t('namePlaceholder')}
            maxLength={64}
            aria-invalid={Boolean(e.name)}
            required
          />
          {e.name && <p className="field-error">{e.name}</p>}
        </label>
        <label>
          {t('scope')}
          <select name="scope" className="input" defaultValue="read">
            <option value="read">read</option>
            <option value="write">write</option>
          </select>
          {e.scope && <p className="field-error">{e.scope}</p>}
        </label>
        <label>
          {t('expires')}
          <select name="expires" className="input" defaultValue="90d">
            {EXPIRIES.map((v) => (
              <option key={v} value={v}>
                {t(`expiry.${v}`)}
              </option>
            ))}
          </select>
          {e.expires && <p className="field-error">{e.expires}</p>}
        </label>
        <div className="flex items-end">
          <button type="submit" className="btn-primary w-full sm:w-auto" disabled={pending}>
            {pending ? t('creating') : t('create')}
          </button>
        </div>
      </form>
      {e.form && (
        <p role="alert" className="field-error">
          {e.form}
        </p>
      )}
      {state.created && (
        <div
          role="status"
          className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950/40"
        >
          <p className="font-medium text-emerald-900 dark:text-emerald-200">
            {t('created', { name: state.created.name })}
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code
              data-testid="new-token"
              className="min-w-0 flex-1 rounded border border-emerald-200 bg-white px-2 py-1 font-mono text-xs break-all dark:border-emerald-800 dark:bg-slate-900"
            >
              {state.created.token}
            </code>
            <button
              type="button"
              className="btn-secondary"
              onClick={() => {
                void navigator.clipboard?.writeText(state.created!.token).then(() => setCopied(true));
              }}
            >
              {copied ? common('copied') : common('copy')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

export function TokenList({ tokens, showOwner }: { tokens: TokenView[]; showOwner: boolean }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const t = useTranslations('account.tokens');
  if (tokens.length === 0)
    return (
      <p className="text-sm text-slate-500 dark:text-slate-400" data-testid="no-tokens">
        {t('none')}
      </p>
    );
  return (
    <div className="space-y-2">
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <div className="relative max-w-full overflow-x-auto">
        <table
          className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-700"
          data-testid="token-table"
        >
          <thead className="text-left text-xs text-slate-500 uppercase dark:text-slate-400">
            <tr>
              <th className="py-2 pr-3">{t('columns.name')}</th>
              {showOwner && <th className="py-2 pr-3">{t('columns.owner')}</th>}
              <th className="hidden py-2 pr-3 sm:table-cell">{t('columns.token')}</th>
              <th className="py-2 pr-3">{t('columns.scope')}</th>
              <th className="hidden py-2 pr-3 sm:table-cell">{t('columns.created')}</th>
              <th className="hidden py-2 pr-3 sm:table-cell">{t('columns.lastUsed')}</th>
              <th className="py-2 pr-3">{t('columns.expires')}</th>
              <th className="py-2">
                <span className="sr-only">{t('columns.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {tokens.map((tok) => (
              <tr
                key={tok.id}
                data-token={tok.name}
                className={tok.revokedAt ? 'text-slate-500 line-through dark:text-slate-400' : ''}
              >
                <td className="py-2 pr-3 font-medium">{tok.name}</td>
                {showOwner && <td className="py-2 pr-3">{tok.username}</td>}
                <td className="hidden py-2 pr-3 font-mono text-xs sm:table-cell">{tok.prefix}…</td>
                <td className="py-2 pr-3">{tok.scope}</td>
                <td className="hidden py-2 pr-3 whitespace-nowrap sm:table-cell">
                  {when(tok.createdAt, '')}
                </td>
                <td className="hidden py-2 pr-3 whitespace-nowrap sm:table-cell">
                  {when(tok.lastUsedAt, t('never'))}
                </td>
                <td className="py-2 pr-3 whitespace-nowrap">{when(tok.expiresAt, t('never'))}</td>
                <td className="py-2 text-right">
                  {tok.revokedAt ? (
                    <span className="text-xs">{t('revoked')}</span>
                  ) : (
                    <button
                      type="button"
                      className="btn-secondary"
                      aria-label={t('revokeNamed', { name: tok.name })}
                      disabled={pending}
                      onClick={() =>
                        start(async () => {
                          const r = await revokeTokenAction(tok.id);
                          setError(r.error ?? null);
                        })
                      }
                    >
                      {t('revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
