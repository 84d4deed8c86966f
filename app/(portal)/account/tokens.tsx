'use client';

import { useActionState, useState, useTransition } from 'react';
import { Time } from '@/app/_components/time';
import type { TokenView } from '@/lib/auth/tokens';
import { createTokenAction, revokeTokenAction, type CreateTokenState } from './token-actions';

const EXPIRIES = [
  ['7d', '7 days'],
  ['30d', '30 days'],
  ['90d', '90 days'],
  ['365d', '1 year'],
  ['never', 'Never'],
] as const;

function when(iso: string | null, none: string) {
  return iso ? <Time iso={iso} /> : none;
}

export function CreateTokenForm() {
  const [state, action, pending] = useActionState<CreateTokenState, FormData>(createTokenAction, {});
  const [copied, setCopied] = useState(false);
  const e = state.errors ?? {};
  return (
    <div className="space-y-3">
      <form
        action={action}
        aria-label="Create token"
        className="grid gap-3 sm:grid-cols-[1fr_8rem_8rem_auto]"
      >
        <label>
          Name
          <input
            name="name"
            className="input"
            placeholder="e.g. ansible-ci"
            maxLength={64}
            aria-invalid={Boolean(e.name)}
            required
          />
          {e.name && <p className="field-error">{e.name}</p>}
        </label>
        <label>
          Scope
          <select name="scope" className="input" defaultValue="read">
            <option value="read">read</option>
            <option value="write">write</option>
          </select>
          {e.scope && <p className="field-error">{e.scope}</p>}
        </label>
        <label>
          Expires
          <select name="expires" className="input" defaultValue="90d">
            {EXPIRIES.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
          {e.expires && <p className="field-error">{e.expires}</p>}
        </label>
        <div className="flex items-end">
          <button type="submit" className="btn-primary w-full sm:w-auto" disabled={pending}>
            {pending ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </form>
      {e.form && (
        <p role="alert" className="field-error">
          {e.form}
        </p>
      )}
      {state.created && (
        <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm">
          <p className="font-medium text-emerald-900">
            Token “{state.created.name}” created. Copy it now: it is shown only once.
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code
              data-testid="new-token"
              className="min-w-0 flex-1 rounded border border-emerald-200 bg-white px-2 py-1 font-mono text-xs break-all"
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
              {copied ? 'Copied' : 'Copy'}
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
  if (tokens.length === 0) return <p className="text-sm text-slate-500">No tokens yet.</p>;
  return (
    <div className="space-y-2">
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="token-table">
          <thead className="text-left text-xs text-slate-500 uppercase">
            <tr>
              <th className="py-2 pr-3">Name</th>
              {showOwner && <th className="py-2 pr-3">Owner</th>}
              <th className="hidden py-2 pr-3 sm:table-cell">Token</th>
              <th className="py-2 pr-3">Scope</th>
              <th className="hidden py-2 pr-3 sm:table-cell">Created</th>
              <th className="hidden py-2 pr-3 sm:table-cell">Last used</th>
              <th className="py-2 pr-3">Expires</th>
              <th className="py-2" />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tokens.map((t) => (
              <tr key={t.id} data-token={t.name} className={t.revokedAt ? 'text-slate-400' : ''}>
                <td className="py-2 pr-3 font-medium">{t.name}</td>
                {showOwner && <td className="py-2 pr-3">{t.username}</td>}
                <td className="hidden py-2 pr-3 font-mono text-xs sm:table-cell">{t.prefix}…</td>
                <td className="py-2 pr-3">{t.scope}</td>
                <td className="hidden py-2 pr-3 whitespace-nowrap sm:table-cell">{when(t.createdAt, '')}</td>
                <td className="hidden py-2 pr-3 whitespace-nowrap sm:table-cell">
                  {when(t.lastUsedAt, 'never')}
                </td>
                <td className="py-2 pr-3 whitespace-nowrap">{when(t.expiresAt, 'never')}</td>
                <td className="py-2 text-right">
                  {t.revokedAt ? (
                    <span className="text-xs">revoked</span>
                  ) : (
                    <button
                      type="button"
                      className="btn-secondary"
                      disabled={pending}
                      onClick={() =>
                        start(async () => {
                          const r = await revokeTokenAction(t.id);
                          setError(r.error ?? null);
                        })
                      }
                    >
                      Revoke
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
