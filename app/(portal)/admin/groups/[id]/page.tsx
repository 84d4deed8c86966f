import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NoAccess } from '@/app/_components/no-access';
import { can, isRole } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { effectiveLevel, isGrantLevel, type GrantLevel } from '@/lib/devices/visibility';
import { getRuntime } from '@/lib/server/registry';
import { GroupDevices } from './group-devices';
import { JumpHostForm } from './jump-host-form';

export async function generateMetadata() {
  const t = await getTranslations('admin');
  return { title: t('group.title') };
}

/** Member names shown beside a team before "and N more". */
const TEAM_MEMBERS_SHOWN = 8;

export default async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  const me = await requireUser();
  const [t, tc] = await Promise.all([getTranslations('admin'), getTranslations('common')]);
  if (!can(me.role, 'grants:manage')) return <NoAccess what={t('noAccess.groups')} />;
  const { id } = await params;
  const { db } = getRuntime();
  const group = await db.deviceGroup.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      description: true,
      jumpHost: { select: { name: true } },
      _count: { select: { members: true } },
      userGrants: {
        orderBy: { user: { username: 'asc' } },
        select: { level: true, user: { select: { id: true, username: true, role: true, disabled: true } } },
      },
      teamGrants: {
        orderBy: { team: { name: 'asc' } },
        select: {
          level: true,
          observe: true,
          team: {
            select: {
              id: true,
              name: true,
              members: {
                orderBy: { user: { username: 'asc' } },
                select: { user: { select: { username: true } } },
              },
            },
          },
        },
      },
    },
  });
  if (!group) notFound();
  const noGrants = group.userGrants.length === 0 && group.teamGrants.length === 0;
  const sshDevices = await db.device.findMany({
    where: { transport: 'ssh' },
    select: { name: true },
    orderBy: { name: 'asc' },
    take: 500,
  });
  const link = 'font-medium text-sky-700 hover:underline dark:text-sky-400';
  const muted = 'text-xs text-slate-500 dark:text-slate-400';
  return (
    <div className="space-y-4">
      <Link href="/admin/groups" className="text-sm text-sky-700 hover:underline dark:text-sky-400">
        {t('group.back')}
      </Link>
      <div>
        <h1 className="text-2xl font-semibold tracking-tight break-all">{group.name}</h1>
        {group.description && (
          <p className="text-sm break-words text-slate-600 dark:text-slate-300">{group.description}</p>
        )}
        <p className="text-sm text-slate-500 dark:text-slate-400" data-testid="group-device-count">
          {t('group.deviceCount', { count: group._count.members })}
        </p>
      </div>

      <section className="card p-4">
        <JumpHostForm
          groupId={group.id}
          current={group.jumpHost?.name ?? null}
          suggestions={sshDevices.map((d) => d.name)}
        />
      </section>

      <section className="card space-y-2 p-4" aria-labelledby="group-access">
        <h2 id="group-access" className="text-lg font-semibold">
          {t('group.access.heading')}
        </h2>
        {noGrants ? (
          <p className="text-sm text-slate-500 dark:text-slate-400">
            {t.rich('group.access.nobody', {
              teams: (c) => (
                <Link href="/admin/teams" className="text-sky-700 underline dark:text-sky-400">
                  {c}
                </Link>
              ),
              users: (c) => (
                <Link href="/admin/users" className="text-sky-700 underline dark:text-sky-400">
                  {c}
                </Link>
              ),
            })}
          </p>
        ) : (
          <ul
            className="divide-y divide-slate-100 text-sm dark:divide-slate-800"
            data-testid="group-access-list"
          >
            {group.userGrants.map((g) => {
              const role = isRole(g.user.role) ? g.user.role : 'viewer';
              const level = isGrantLevel(g.level) ? g.level : 'view';
              const acts = effectiveLevel(role, [level]);
              return (
                <li key={g.user.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5">
                  <Link href={`/admin/users/${g.user.id}`} className={`${link} break-all`}>
                    {g.user.username}
                  </Link>
                  <span className={muted}>{t('group.access.user', { role: tc(`roles.${role}`) })}</span>
                  {g.user.disabled && (
                    <span className="text-xs font-semibold text-red-700 dark:text-red-400">
                      {t('group.access.disabled')}
                    </span>
                  )}
                  <LevelBadge level={level} label={t(`levels.${level}`)} />
                  {acts && acts !== level && (
                    <span className={muted}>
                      {t('group.access.actsAs', { level: t(`levels.${acts}`), role: tc(`roles.${role}`) })}
                    </span>
                  )}
                </li>
              );
            })}
            {group.teamGrants.map((g) => {
              const level = isGrantLevel(g.level) ? g.level : 'view';
              const names = g.team.members
                .slice(0, TEAM_MEMBERS_SHOWN)
                .map((m) => m.user.username)
                .join(', ');
              const more = g.team.members.length - TEAM_MEMBERS_SHOWN;
              return (
                <li key={g.team.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5">
                  <Link href={`/admin/teams/${g.team.id}`} className={`${link} break-all`}>
                    {g.team.name}
                  </Link>
                  <span className={muted}>{t('group.access.team', { count: g.team.members.length })}</span>
                  <LevelBadge level={level} label={t(`levels.${level}`)} />
                  {g.observe && (
                    <span className="rounded bg-violet-100 px-1.5 text-xs leading-5 font-medium text-violet-800 dark:bg-violet-900/60 dark:text-violet-200">
                      {t('group.access.observes')}
                    </span>
                  )}
                  {g.team.members.length > 0 && (
                    <span className={`min-w-0 basis-full truncate sm:basis-auto ${muted}`}>
                      {more > 0 ? t('group.access.andMore', { names, count: more }) : names}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section className="card space-y-2 p-4" aria-labelledby="group-devices">
        <h2 id="group-devices" className="text-lg font-semibold">
          {t('group.devices.heading')}
        </h2>
        <GroupDevices groupId={group.id} hasMembers={group._count.members > 0} />
      </section>
    </div>
  );
}

function LevelBadge({ level, label }: { level: GrantLevel; label: string }) {
  return (
    <span
      className={`rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${level === 'operate' ? 'bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-900/50 dark:text-emerald-200 dark:ring-emerald-800' : 'bg-slate-50 text-slate-700 ring-slate-200 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-700'}`}
      data-level={level}
    >
      {label}
    </span>
  );
}
