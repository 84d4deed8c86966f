import type { Metadata } from 'next';
import Link from 'next/link';
import { NoAccess } from '@/app/_components/no-access';
import { Time } from '@/app/_components/time';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { plural } from '@/lib/format/plural';
import { CreateUserForm, UserRowControls } from './user-forms';
import { getRuntime } from '@/lib/server/registry';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const me = await requireUser();
  if (!can(me.role, 'users:manage')) return <NoAccess what="manage users" />;
  const users = await getRuntime().db.user.findMany({
    orderBy: { username: 'asc' },
    select: {
      id: true,
      username: true,
      displayName: true,
      role: true,
      disabled: true,
      lastLoginAt: true,
      _count: { select: { grants: true, groupGrants: true } },
      teams: { orderBy: { team: { name: 'asc' } }, select: { team: { select: { id: true, name: true } } } },
    },
  });
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
      <CreateUserForm />
      <div className="card overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="user-table">
          <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
            <tr>
              <th className="px-4 py-2">User</th>
              <th className="px-4 py-2">Last sign-in</th>
              <th className="px-4 py-2">Teams</th>
              <th className="px-4 py-2">Grants</th>
              <th className="px-4 py-2 text-right">Manage</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((u) => (
              <tr
                key={u.id}
                data-user={u.username}
                className={u.disabled ? 'bg-slate-50 text-slate-400' : ''}
              >
                <td className="px-4 py-2">
                  <div className="font-medium">{u.username}</div>
                  <div className="text-xs text-slate-500">
                    {u.displayName}{' '}
                    {u.disabled && <span className="font-semibold text-red-600">disabled</span>}
                  </div>
                </td>
                <td className="px-4 py-2 text-xs">
                  {u.lastLoginAt ? <Time iso={u.lastLoginAt} /> : 'never'}
                </td>
                <td className="px-4 py-2 text-xs" data-testid="user-teams">
                  {u.teams.length === 0 ? (
                    <span className="text-slate-400">none</span>
                  ) : (
                    u.teams.map(({ team }, i) => (
                      <span key={team.id}>
                        {i > 0 && ', '}
                        <Link href={`/admin/teams/${team.id}`} className="text-sky-700 hover:underline">
                          {team.name}
                        </Link>
                      </span>
                    ))
                  )}
                </td>
                <td className="px-4 py-2">
                  {u.role === 'admin' ? (
                    <span className="text-slate-500">all devices</span>
                  ) : (
                    <Link href={`/admin/users/${u.id}`} className="text-sky-700 hover:underline">
                      {plural(u._count.grants, 'device')}
                      {u._count.groupGrants > 0 && `, ${plural(u._count.groupGrants, 'group')}`} granted
                    </Link>
                  )}
                </td>
                <td className="px-4 py-2">
                  <UserRowControls
                    userId={u.id}
                    username={u.username}
                    role={u.role}
                    disabled={u.disabled}
                    self={u.id === me.id}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
