import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { parseTeamPermissions } from '@/lib/auth/session-permissions';
import { listGroups } from '@/lib/devices/groups';
import { isGrantLevel, type GrantLevel } from '@/lib/devices/visibility';
import { getRuntime } from '@/lib/server/registry';
import { TeamGrantsForm } from './team-grants-form';
import { TeamMembers } from './team-members';
import { TeamPermissionsForm } from './team-permissions-form';

export async function generateMetadata() {
  const t = await getTranslations('admin');
  return { title: t('team.title') };
}

const level = (l: string): GrantLevel => (isGrantLevel(l) ? l : 'view');

export default async function TeamPage({ params }: { params: Promise<{ id: string }> }) {
  const me = await requireUser();
  const t = await getTranslations('admin');
  if (!can(me.role, 'grants:manage')) return <NoAccess what={t('noAccess.teams')} />;
  const { id } = await params;
  const { db } = getRuntime();
  const team = await db.team.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      description: true,
      permissions: true,
      members: { select: { userId: true } },
      groupGrants: { select: { groupId: true, level: true, observe: true } },
      deviceGrants: {
        select: { level: true, device: { select: { id: true, name: true, host: true, vendor: true } } },
      },
    },
  });
  if (!team) notFound();
  const [users, groups] = await Promise.all([
    db.user.findMany({
      orderBy: { username: 'asc' },
      select: { id: true, username: true, displayName: true, role: true, disabled: true },
    }),
    listGroups(db),
  ]);
  const viewers = users.filter(
    (u) => u.role === 'viewer' && team.members.some((m) => m.userId === u.id),
  ).length;
  return (
    <div className="space-y-4">
      <Link href="/admin/teams" className="text-sm text-sky-700 hover:underline dark:text-sky-400">
        {t('team.back')}
      </Link>
      <div>
        <h1 className="text-2xl font-semibold tracking-tight break-all">
          {t('team.heading', { name: team.name })}
        </h1>
        {team.description && (
          <p className="text-sm break-words text-slate-600 dark:text-slate-300">{team.description}</p>
        )}
      </div>
      <TeamMembers teamId={team.id} users={users} members={team.members.map((m) => m.userId)} />
      <TeamPermissionsForm teamId={team.id} initial={parseTeamPermissions(team.permissions)} />
      <div>
        <h2 className="text-lg font-semibold">{t('team.grantsHeading')}</h2>
        <p className="text-sm text-slate-600 dark:text-slate-300">{t('team.grantsHelp', { viewers })}</p>
        <p className="text-sm text-slate-600 dark:text-slate-300">{t('team.observeHelp')}</p>
      </div>
      <TeamGrantsForm
        teamId={team.id}
        groups={groups.map((g) => ({ id: g.id, name: g.name, devices: g.devices }))}
        initial={{
          groups: team.groupGrants.map((g) => ({ id: g.groupId, level: level(g.level), observe: g.observe })),
          devices: team.deviceGrants.map((g) => ({ ...g.device, level: level(g.level) })),
        }}
      />
    </div>
  );
}
