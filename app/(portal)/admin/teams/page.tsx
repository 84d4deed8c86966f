import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { listTeams } from '@/lib/auth/teams';
import { getRuntime } from '@/lib/server/registry';
import { CreateTeamForm, TeamRow } from './team-forms';

export const metadata: Metadata = { title: 'Teams' };

export default async function TeamsPage() {
  const me = await requireUser();
  if (!can(me.role, 'grants:manage')) return <NoAccess what="manage teams" />;
  const teams = await listTeams(getRuntime().db);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Teams</h1>
      <p className="text-sm text-slate-600">
        Groups of users. A team&apos;s grants reach every member; each member&apos;s role still caps the level
        (a viewer never operates).
      </p>
      <CreateTeamForm />
      {teams.length === 0 ? (
        <p className="card p-6 text-center text-sm text-slate-500">No teams yet.</p>
      ) : (
        <ul className="card divide-y divide-slate-100" data-testid="team-list">
          {teams.map((t) => (
            <TeamRow key={t.id} team={t} />
          ))}
        </ul>
      )}
    </div>
  );
}
