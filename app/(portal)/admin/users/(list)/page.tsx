import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { NoAccess } from '@/app/_components/no-access';
import { Time } from '@/app/_components/time';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { getRuntime } from '@/lib/server/registry';
import { CreateUserForm, UserRowControls } from '../user-forms';

/** Where a row is a card (a phone), each cell shows its column's name above the value. */
const PHONE_LABEL =
  'max-md:before:mb-0.5 max-md:before:block max-md:before:text-xs max-md:before:font-semibold max-md:before:tracking-wide max-md:before:text-slate-600 max-md:before:uppercase max-md:before:content-[attr(data-label)] dark:max-md:before:text-slate-300';

export async function generateMetadata() {
  const t = await getTranslations('admin');
  return { title: t('users.title') };
}

export default async function UsersPage() {
  const me = await requireUser();
  const t = await getTranslations('admin');
  if (!can(me.role, 'users:manage')) return <NoAccess what={t('noAccess.users')} />;
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
      <h1 className="text-2xl font-semibold tracking-tight">{t('users.heading')}</h1>
      <CreateUserForm />
      {/* on a phone each user is a card (the header row stays for screen readers); the page never
          scrolls sideways */}
      <div className="card overflow-x-auto" role="region" aria-label={t('users.tableLabel')}>
        <table
          className="block min-w-full divide-y divide-slate-200 text-sm md:table dark:divide-slate-800"
          data-testid="user-table"
        >
          <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase max-md:sr-only dark:bg-slate-800/60 dark:text-slate-300">
            <tr>
              <th scope="col" className="px-4 py-2">
                {t('users.table.user')}
              </th>
              <th scope="col" className="px-4 py-2 whitespace-nowrap">
                {t('users.table.lastSignIn')}
              </th>
              <th scope="col" className="px-4 py-2">
                {t('users.table.teams')}
              </th>
              <th scope="col" className="px-4 py-2">
                {t('users.table.grants')}
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                {t('users.table.manage')}
              </th>
            </tr>
          </thead>
          <tbody className="block divide-y divide-slate-100 md:table-row-group dark:divide-slate-800">
            {users.map((u) => (
              <tr
                key={u.id}
                data-user={u.username}
                className={`grid grid-cols-2 gap-x-4 gap-y-2 px-4 py-3 md:table-row md:p-0 ${u.disabled ? 'bg-slate-50 text-slate-500 dark:bg-slate-950/40 dark:text-slate-400' : ''}`}
              >
                <td className="col-span-2 block md:table-cell md:px-4 md:py-2">
                  <div className="font-medium break-all">{u.username}</div>
                  <div className="text-xs text-slate-500 dark:text-slate-400">
                    {u.displayName}{' '}
                    {u.disabled && (
                      <span className="font-semibold text-red-700 dark:text-red-400">
                        {t('users.disabled')}
                      </span>
                    )}
                  </div>
                </td>
                <td
                  className={`block text-xs md:table-cell md:px-4 md:py-2 md:whitespace-nowrap ${PHONE_LABEL}`}
                  data-label={t('users.table.lastSignIn')}
                >
                  {u.lastLoginAt ? <Time iso={u.lastLoginAt} /> : t('users.never')}
                </td>
                <td
                  className={`block text-xs break-words md:table-cell md:px-4 md:py-2 ${PHONE_LABEL}`}
                  data-label={t('users.table.teams')}
                  data-testid="user-teams"
                >
                  {u.teams.length === 0 ? (
                    <span className="text-slate-500 dark:text-slate-400">{t('users.noTeams')}</span>
                  ) : (
                    u.teams.map(({ team }, i) => (
                      <span key={team.id}>
                        {i > 0 && ', '}
                        <Link
                          href={`/admin/teams/${team.id}`}
                          className="text-sky-700 hover:underline dark:text-sky-400"
                        >
                          {team.name}
                        </Link>
                      </span>
                    ))
                  )}
                </td>
                <td
                  className={`col-span-2 block md:table-cell md:px-4 md:py-2 ${PHONE_LABEL}`}
                  data-label={t('users.table.grants')}
                >
                  {u.role === 'admin' ? (
                    <span className="text-slate-500 dark:text-slate-400">{t('users.allDevices')}</span>
                  ) : (
                    <Link
                      href={`/admin/users/${u.id}`}
                      className="whitespace-nowrap text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {t('users.granted', { devices: u._count.grants, groups: u._count.groupGrants })}
                    </Link>
                  )}
                </td>
                <td className="col-span-2 block md:table-cell md:px-4 md:py-2">
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
