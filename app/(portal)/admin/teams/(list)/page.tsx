import { getTranslations } from 'next-intl/server';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { listTeams } from '@/lib/auth/teams';
import { getRuntime } from '@/lib/server/registry';
import { FocusButton } from '../../_components/focus-button';
import { CreateTeamForm, TeamRow } from '../team-forms';

export async function generateMetadata() {
  const t = await getTranslations('admin');
  return { title: t('teams.title') };
}

export default async function TeamsPage() {
  const me = await requireUser();
  const t = await getTranslations('admin');
  if (!can(me.role, 'grants:manage')) return <NoAccess what={t('noAccess.teams')} />;
  const teams = await listTeams(getRuntime().db);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">{t('teams.heading')}</h1>
      <p className="text-sm text-slate-600 dark:text-slate-300">{t('teams.intro')}</p>
      <CreateTeamForm />
      {teams.length === 0 ? (
        <div className="card space-y-3 p-6 text-center" data-testid="teams-empty">
          <p className="text-sm text-slate-600 dark:text-slate-300">{t('teams.empty')}</p>
          <FocusButton target="new-team-name">{t('teams.emptyAction')}</FocusButton>
        </div>
      ) : (
        <ul className="card divide-y divide-slate-100 dark:divide-slate-800" data-testid="team-list">
          {teams.map((team) => (
            <TeamRow key={team.id} team={team} />
          ))}
        </ul>
      )}
    </div>
  );
}
