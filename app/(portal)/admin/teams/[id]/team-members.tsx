'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState, useTransition } from 'react';
import { isRole } from '@/lib/auth/roles';
import { FocusButton } from '../../_components/focus-button';
import { setTeamMembersAction, type TeamState } from '../actions';

/** Users offered at once when searching to add; type more to narrow. */
const MATCHES_SHOWN = 10;

interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: string;
  disabled: boolean;
}

/** The team's members: remove one, or search users and add one; each change is saved at once. */
export function TeamMembers({
  teamId,
  users,
  members,
}: {
  teamId: string;
  users: UserRow[];
  members: string[];
}) {
  const t = useTranslations('admin.team.members');
  const tc = useTranslations('common');
  const role = (r: string) => (isRole(r) ? tc(`roles.${r}`) : r);
  const router = useRouter();
  const [current, setCurrent] = useState(() => new Set(members));
  const [q, setQ] = useState('');
  const [state, setState] = useState<TeamState>({});
  const [pending, start] = useTransition();
  const memberRows = users.filter((u) => current.has(u.id));
  const matches = useMemo(() => {
    const f = q.trim().toLowerCase();
    if (!f) return [];
    return users
      .filter((u) => !current.has(u.id) && `${u.username} ${u.displayName}`.toLowerCase().includes(f))
      .slice(0, MATCHES_SHOWN);
  }, [users, current, q]);
  const save = (next: Set<string>) =>
    start(async () => {
      const r = await setTeamMembersAction(teamId, [...next]);
      setState(r);
      if (r.ok) {
        setCurrent(next);
        setQ('');
        router.refresh();
      }
    });
  const without = (id: string) => new Set([...current].filter((x) => x !== id));
  return (
    <section className="card space-y-3 p-4" aria-labelledby="team-members">
      <h2 id="team-members" className="text-lg font-semibold">
        {t('heading')}{' '}
        <span className="text-sm font-normal text-slate-500 dark:text-slate-400">
          {t('count', { count: current.size })}
        </span>
      </h2>
      {memberRows.length === 0 ? (
        <div className="flex flex-wrap items-center gap-3" data-testid="team-empty">
          <p className="min-w-0 flex-1 basis-56 text-sm text-slate-500 dark:text-slate-400">{t('empty')}</p>
          <FocusButton target="find-user" className="btn-secondary">
            {t('emptyAction')}
          </FocusButton>
        </div>
      ) : (
        <ul
          className="divide-y divide-slate-100 rounded border border-slate-200 dark:divide-slate-800 dark:border-slate-700"
          data-testid="team-member-list"
        >
          {memberRows.map((u) => (
            <li
              key={u.id}
              className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-1.5 text-sm"
              data-user={u.username}
            >
              <Link
                href={`/admin/users/${u.id}`}
                className="min-w-0 truncate font-medium text-sky-700 hover:underline dark:text-sky-400"
              >
                {u.username}
              </Link>
              <span className="text-xs text-slate-500 dark:text-slate-400">{role(u.role)}</span>
              {u.disabled && (
                <span className="text-xs font-semibold text-red-700 dark:text-red-400">{t('disabled')}</span>
              )}
              <button
                type="button"
                className="btn-secondary ml-auto px-2"
                aria-label={t('remove', { username: u.username })}
                disabled={pending}
                onClick={() => save(without(u.id))}
              >
                {t('removeButton')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div>
        <label htmlFor="find-user">{t('find')}</label>
        <input
          id="find-user"
          type="search"
          className="input"
          placeholder={t('placeholder')}
          autoComplete="off"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      {q.trim() && (
        <ul
          className="divide-y divide-slate-100 rounded border border-slate-200 dark:divide-slate-800 dark:border-slate-700"
          data-testid="user-matches"
        >
          {matches.map((u) => (
            <li key={u.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-1.5 text-sm">
              <span className="min-w-0 truncate font-medium">{u.username}</span>
              {u.displayName && (
                <span className="min-w-0 truncate text-xs text-slate-500 dark:text-slate-400">
                  {u.displayName}
                </span>
              )}
              <span className="text-xs text-slate-500 dark:text-slate-400">{role(u.role)}</span>
              <button
                type="button"
                className="btn-primary ml-auto px-2"
                aria-label={t('add', { username: u.username })}
                disabled={pending}
                onClick={() => save(new Set([...current, u.id]))}
              >
                {t('addButton')}
              </button>
            </li>
          ))}
          {matches.length === 0 && (
            <li className="px-3 py-2 text-sm text-slate-500 dark:text-slate-400">{t('noMatch')}</li>
          )}
        </ul>
      )}
      {state.ok && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {state.ok}
        </p>
      )}
      {state.error && <p className="field-error">{state.error}</p>}
    </section>
  );
}
