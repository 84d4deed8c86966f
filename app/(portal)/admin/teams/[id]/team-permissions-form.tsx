'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { TEAM_PERMISSIONS, type TeamPermission } from '@/lib/auth/session-permissions';
import { setTeamPermissionsAction, type TeamState } from '../actions';

/** What the team gives its members beyond device access, ticked and saved as one set. */
export function TeamPermissionsForm({ teamId, initial }: { teamId: string; initial: TeamPermission[] }) {
  const t = useTranslations('admin.team.permissions');
  const router = useRouter();
  const [on, setOn] = useState(() => new Set<TeamPermission>(initial));
  const [dirty, setDirty] = useState(false);
  const [state, setState] = useState<TeamState>({});
  const [pending, start] = useTransition();
  const toggle = (p: TeamPermission, checked: boolean) => {
    setOn((s) => {
      const n = new Set(s);
      if (checked) n.add(p);
      else n.delete(p);
      return n;
    });
    setDirty(true);
    setState({});
  };
  const save = () =>
    start(async () => {
      const r = await setTeamPermissionsAction(teamId, [...on]);
      setState(r);
      if (r.ok) {
        setDirty(false);
        router.refresh();
      }
    });
  return (
    <section className="card space-y-3 p-4" aria-labelledby="team-permissions" data-testid="team-permissions">
      <div>
        <h2 id="team-permissions" className="text-lg font-semibold">
          {t('heading')}
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-300">{t('intro')}</p>
      </div>
      <ul className="space-y-2">
        {TEAM_PERMISSIONS.map((p) => (
          <li key={p}>
            <label className="flex items-start gap-2 text-sm font-medium">
              <input
                type="checkbox"
                className="mt-0.5 shrink-0"
                checked={on.has(p)}
                onChange={(e) => toggle(p, e.target.checked)}
                aria-describedby={`team-permission-${p}-help`}
              />
              <span>
                {t(p)}
                <span
                  id={`team-permission-${p}-help`}
                  className="block text-xs font-normal text-slate-600 dark:text-slate-400"
                >
                  {t(`${p}Help`)}
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className="btn-primary" disabled={pending || !dirty} onClick={save}>
          {pending ? t('saving') : t('save')}
        </button>
        {dirty && !pending && (
          <span className="text-sm text-amber-700 dark:text-amber-400">{t('unsaved')}</span>
        )}
        {state.ok && (
          <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            {state.ok}
          </span>
        )}
        {state.error && <span className="field-error">{state.error}</span>}
      </div>
    </section>
  );
}
