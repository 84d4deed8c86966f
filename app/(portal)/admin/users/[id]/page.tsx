import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NoAccess } from '@/app/_components/no-access';
import { can, isRole, type Role } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { listGroups } from '@/lib/devices/groups';
import { effectiveLevel, isGrantLevel, roleCap, type GrantLevel } from '@/lib/devices/visibility';
import { plural } from '@/lib/format/plural';
import { getRuntime } from '@/lib/server/registry';
import { GrantsForm } from './grants-form';
import { SignOutUserEverywhere } from './sign-out-user';

export const metadata: Metadata = { title: 'Device grants' };

/** Device names shown in a "through team" line before "and N more". */
const TEAM_DEVICE_NAMES_SHOWN = 5;

const level = (l: string): GrantLevel => (isGrantLevel(l) ? l : 'view');

/** How the role bounds what grants give, in one line. */
function roleNote(role: Role): string {
  if (role === 'admin')
    return 'admin: sees and operates every device whatever the grants; the grants below apply if the role changes.';
  if (role === 'viewer')
    return 'viewer: operate grants act as view (a viewer never opens terminals or runs tasks).';
  return 'operator: view and operate apply as granted.';
}

export default async function UserGrantsPage({ params }: { params: Promise<{ id: string }> }) {
  const me = await requireUser();
  if (!can(me.role, 'grants:manage')) return <NoAccess what="manage device grants" />;
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
  const capNote = role === 'viewer' ? 'acts as view (viewer)' : undefined;
  const throughTeams = teams.flatMap(({ team }) => [
    ...team.groupGrants.map((g) => ({
      key: `${team.id}:g:${g.group.name}`,
      team,
      level: level(g.level),
      what: `group ${g.group.name}`,
    })),
    ...(['operate', 'view'] as const).flatMap((lv) => {
      const names = team.deviceGrants.filter((d) => level(d.level) === lv).map((d) => d.device.name);
      if (names.length === 0) return [];
      const shown = names.slice(0, TEAM_DEVICE_NAMES_SHOWN).join(', ');
      const more =
        names.length > TEAM_DEVICE_NAMES_SHOWN ? ` and ${names.length - TEAM_DEVICE_NAMES_SHOWN} more` : '';
      return [
        {
          key: `${team.id}:d:${lv}`,
          team,
          level: lv,
          what: names.length === 1 ? names[0]! : `${plural(names.length, 'device')} (${shown}${more})`,
        },
      ];
    }),
  ]);
  return (
    <div className="space-y-4">
      <Link href="/admin/users" className="text-sm text-sky-700 hover:underline">
        ← Users
      </Link>
      <div>
        <h1 className="text-2xl font-semibold tracking-tight break-all">Devices {user.username} can see</h1>
        <p className="mt-1 text-sm text-slate-600" data-testid="role-cap">
          <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">
            {role}
          </span>{' '}
          {roleNote(role)}
          {role !== 'admin' && <> New grants are {roleCap(role)} unless you choose otherwise.</>}
        </p>
      </div>

      <section className="card space-y-2 p-4" aria-labelledby="through-teams">
        <h2 id="through-teams" className="text-lg font-semibold">
          Through teams
        </h2>
        {teams.length === 0 ? (
          <p className="text-sm text-slate-500">{user.username} is in no team.</p>
        ) : throughTeams.length === 0 ? (
          <p className="text-sm text-slate-500">
            In {teams.map((t) => t.team.name).join(', ')}; {teams.length === 1 ? 'it grants' : 'they grant'}{' '}
            nothing yet.
          </p>
        ) : (
          <ul className="space-y-1 text-sm" data-testid="team-grants">
            {throughTeams.map((t) => {
              const acts = effectiveLevel(role, [t.level]);
              return (
                <li key={t.key} className="break-words">
                  through team{' '}
                  <Link
                    href={`/admin/teams/${t.team.id}`}
                    className="font-medium text-sky-700 hover:underline"
                  >
                    {t.team.name}
                  </Link>
                  : {t.level} on {t.what}
                  {acts !== t.level && (
                    <span className="text-xs text-amber-700">
                      {' '}
                      (acts as {acts}: {role})
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <p className="text-xs text-slate-500">Team grants are changed on the team&apos;s page.</p>
      </section>

      <h2 className="text-lg font-semibold">{user.username}&apos;s own grants</h2>
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
            Sessions
          </h2>
          <p className="text-sm text-slate-600">
            Sign {user.username} out of every browser. Their open terminals and live connections close at
            once; they can sign in again with their password.
          </p>
          <SignOutUserEverywhere userId={user.id} username={user.username} />
        </section>
      )}
    </div>
  );
}
