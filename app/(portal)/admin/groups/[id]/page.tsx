import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NoAccess } from '@/app/_components/no-access';
import { can, isRole } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { effectiveLevel, isGrantLevel } from '@/lib/devices/visibility';
import { plural } from '@/lib/format/plural';
import { getRuntime } from '@/lib/server/registry';
import { GroupDevices } from './group-devices';
import { JumpHostForm } from './jump-host-form';

export const metadata: Metadata = { title: 'Group' };

export default async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  const me = await requireUser();
  if (!can(me.role, 'grants:manage')) return <NoAccess what="manage device groups" />;
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
  return (
    <div className="space-y-4">
      <Link href="/admin/groups" className="text-sm text-sky-700 hover:underline">
        ← Groups
      </Link>
      <div>
        <h1 className="text-2xl font-semibold tracking-tight break-all">{group.name}</h1>
        {group.description && <p className="text-sm text-slate-600">{group.description}</p>}
        <p className="text-sm text-slate-500" data-testid="group-device-count">
          {plural(group._count.members, 'device')}
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
          Who has access through this group
        </h2>
        {noGrants ? (
          <p className="text-sm text-slate-500">
            Nobody yet. Grant the group on a team&apos;s page or a user&apos;s page.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="group-access-list">
            {group.userGrants.map((g) => {
              const role = isRole(g.user.role) ? g.user.role : 'viewer';
              const level = isGrantLevel(g.level) ? g.level : 'view';
              const acts = effectiveLevel(role, [level]);
              return (
                <li key={g.user.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5">
                  <Link
                    href={`/admin/users/${g.user.id}`}
                    className="font-medium text-sky-700 hover:underline"
                  >
                    {g.user.username}
                  </Link>
                  <span className="text-xs text-slate-500">user · {role}</span>
                  {g.user.disabled && <span className="text-xs font-semibold text-red-600">disabled</span>}
                  <LevelBadge level={level} />
                  {acts !== level && (
                    <span className="text-xs text-slate-500">
                      acts as {acts} ({role})
                    </span>
                  )}
                </li>
              );
            })}
            {group.teamGrants.map((g) => (
              <li key={g.team.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5">
                <Link href={`/admin/teams/${g.team.id}`} className="font-medium text-sky-700 hover:underline">
                  {g.team.name}
                </Link>
                <span className="text-xs text-slate-500">
                  team · {plural(g.team.members.length, 'member')}
                </span>
                <LevelBadge level={isGrantLevel(g.level) ? g.level : 'view'} />
                {g.team.members.length > 0 && (
                  <span className="min-w-0 basis-full truncate text-xs text-slate-500 sm:basis-auto">
                    {g.team.members
                      .slice(0, 8)
                      .map((m) => m.user.username)
                      .join(', ')}
                    {g.team.members.length > 8 ? ` and ${g.team.members.length - 8} more` : ''}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card space-y-2 p-4" aria-labelledby="group-devices">
        <h2 id="group-devices" className="text-lg font-semibold">
          Devices
        </h2>
        <GroupDevices groupId={group.id} hasMembers={group._count.members > 0} />
      </section>
    </div>
  );
}

function LevelBadge({ level }: { level: string }) {
  return (
    <span
      className={`rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${level === 'operate' ? 'bg-emerald-50 text-emerald-800 ring-emerald-200' : 'bg-slate-50 text-slate-700 ring-slate-200'}`}
      data-level={level}
    >
      {level}
    </span>
  );
}
