import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NoAccess } from '@/app/_components/no-access';
import { can, isRole, type Role } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { listGroups } from '@/lib/devices/groups';
import { effectiveLevel, isGrantLevel, roleCap, type GrantLevel } from '@/lib/devices/visibility';
import { getRuntime } from '@/lib/server/registry';
import { GrantsForm } from './grants-form';
import { SignOutUserEverywhere } from './sign-out-user';

export async function generateMetadata() {
  const t = await getTranslations('admin');
  return { title: t('userGrants.title') };
}

/** Device names shown in a "through team" line before "and N more". */
const TEAM_DEVICE_NAMES_SHOWN = 5;

const level = (l: string): GrantLevel => (isGrantLevel(l) ? l : 'view');

export default async function UserGrantsPage({ params }: { params: Promise<{ id: string }> }) {
  const me = await requireUser();
  const [t, tc] = await Promise.all([getTranslations('admin'), getTranslations('common')]);
  if (!can(me.role, 'grants:manage')) return <NoAccess what={t('noAccess.grants')} />;
  const { id } = await params;
  const { db } = getRuntime();
  const user = await db.user.findUnique({
    where: { id },
    select: { id: true, username: true, displayName: true, role: true, disabled: true },
  });
  if (!user) notFound();
  const role: Role = isRole(user.role) ? user.role : 'viewer';
  const [groups, deviceGrants, groupGrants, teams] = await Promise.all([
    listGroups(db),
    db.deviceGrant.findMany({
      where: { userId: id },
      select: { level: true, device: { select: { id: true, name: true, host: true, vendor: true } } },
    }),
    db.groupGrant.findMany({ where: { userId: id }, select: { groupId: true, level: true } }),
    db.teamMember.findMany({
      where: { userId: id },
      orderBy: { team: { name: 'asc' } },
      select: {
        team: {
          select: {
            id: true,
            name: true,
            groupGrants: {
              orderBy: { group: { name: 'asc' } },
              select: { level: true, group: { select: { name: true } } },
            },
            deviceGrants: {
              orderBy: { device: { name: 'asc' } },
              select: { level: true, device: { select: { name: true } } },
            },
          },
        },
      },
    }),
  ]);
  const capNote = role === 'viewer' ? t('userGrants.capNote') : undefined;
  const throughTeams = teams.flatMap(({ team }) => [
    ...team.groupGrants.map((g) => ({
      key: `${team.id}:g:${g.group.name}`,
      team,
      level: level(g.level),
      what: t('userGrants.onGroup', { name: g.group.name }),
    })),
    ...(['operate', 'view'] as const).flatMap((lv) => {
      const names = team.deviceGrants.filter((d) => level(d.level) === lv).map((d) => d.device.name);
      if (names.length === 0) return [];
      const shown = names.slice(0, TEAM_DEVICE_NAMES_SHOWN).join(', ');
      const listed =
        names.length > TEAM_DEVICE_NAMES_SHOWN
          ? t('userGrants.andMore', { names: shown, count: names.length - TEAM_DEVICE_NAMES_SHOWN })
          : shown;
      return [
        {
          key: `${team.id}:d:${lv}`,
          team,
          level: lv,
          what:
            names.length === 1
              ? names[0]!
              : t('userGrants.deviceList', { count: names.length, names: listed }),
        },
      ];
    }),
  ]);
  const link = 'font-medium text-sky-700 hover:underline dark:text-sky-400';
  return (
    <div className="space-y-4">
      <Link href="/admin/users" className="text-sm text-sky-700 hover:underline dark:text-sky-400">
        {t('userGrants.back')}
      </Link>
      <div>
        <h1 className="text-2xl font-semibold tracking-tight break-all">
          {t('userGrants.heading', { username: user.username })}
        </h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300" data-testid="role-cap">
          <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-200">
            {tc(`roles.${role}`)}
          </span>{' '}
          {t(`userGrants.roleNote.${role}`)}
          {role !== 'admin' && <> {t('userGrants.newGrants', { level: t(`levels.${roleCap(role)}`) })}</>}
        </p>
      </div>

      <section className="card space-y-2 p-4" aria-labelledby="through-teams">
        <h2 id="through-teams" className="text-lg font-semibold">
          {t('userGrants.throughTeams')}
        </h2>
        {teams.length === 0 ? (
          <p className="text-sm text-slate-500 dark:text-slate-400">
            {t('userGrants.noTeam', { username: user.username })}
          </p>
        ) : throughTeams.length === 0 ? (
          <p className="text-sm text-slate-500 dark:text-slate-400">
            {t('userGrants.teamsGrantNothing', {
              teams: teams.map((x) => x.team.name).join(', '),
              count: teams.length,
            })}
          </p>
        ) : (
          <ul className="space-y-1 text-sm" data-testid="team-grants">
            {throughTeams.map((x) => {
              const acts = effectiveLevel(role, [x.level]);
              return (
                <li key={x.key} className="break-words">
                  {t.rich('userGrants.throughTeam', {
                    team: x.team.name,
                    level: t(`levels.${x.level}`),
                    what: x.what,
                    link: (c) => (
                      <Link href={`/admin/teams/${x.team.id}`} className={link}>
                        {c}
                      </Link>
                    ),
                  })}
                  {acts && acts !== x.level && (
                    <span className="text-xs text-amber-700 dark:text-amber-400">
                      {' '}
                      {t('userGrants.actsAs', { level: t(`levels.${acts}`), role: tc(`roles.${role}`) })}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <p className="text-xs text-slate-500 dark:text-slate-400">{t('userGrants.teamGrantsHint')}</p>
      </section>

      <h2 className="text-lg font-semibold break-all">
        {t('userGrants.ownGrants', { username: user.username })}
      </h2>
      <GrantsForm
        userId={user.id}
        groups={groups.map((g) => ({ id: g.id, name: g.name, devices: g.devices }))}
        initial={{
          groups: groupGrants.map((g) => ({ id: g.groupId, level: level(g.level) })),
          devices: deviceGrants.map((g) => ({ ...g.device, level: level(g.level) })),
        }}
        newLevel={roleCap(role)}
        capNote={capNote}
      />
      {can(me.role, 'users:manage') && (
        <section className="card space-y-2 p-4" aria-labelledby="user-sessions">
          <h2 id="user-sessions" className="text-lg font-semibold">
            {t('userGrants.sessions')}
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-300">
            {t('userGrants.sessionsHelp', { username: user.username })}
          </p>
          <SignOutUserEverywhere userId={user.id} username={user.username} />
        </section>
      )}
    </div>
  );
}
