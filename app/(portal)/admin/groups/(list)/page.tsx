import { getTranslations } from 'next-intl/server';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { listGroups } from '@/lib/devices/groups';
import { getRuntime } from '@/lib/server/registry';
import { FocusButton } from '../../_components/focus-button';
import { CreateGroupForm, GroupRow } from '../group-forms';

export async function generateMetadata() {
  const t = await getTranslations('admin');
  return { title: t('groups.title') };
}

export default async function GroupsPage() {
  const me = await requireUser();
  const t = await getTranslations('admin');
  if (!can(me.role, 'grants:manage')) return <NoAccess what={t('noAccess.groups')} />;
  const groups = await listGroups(getRuntime().db);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">{t('groups.heading')}</h1>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        {t.rich('groups.intro', { strong: (c) => <strong>{c}</strong> })}
      </p>
      <CreateGroupForm />
      {groups.length === 0 ? (
        <div className="card space-y-3 p-6 text-center" data-testid="groups-empty">
          <p className="text-sm text-slate-600 dark:text-slate-300">{t('groups.empty')}</p>
          {/* the create form's name field: the first step of a group */}
          <FocusButton target="new-group-name">{t('groups.emptyAction')}</FocusButton>
        </div>
      ) : (
        <ul className="card divide-y divide-slate-100 dark:divide-slate-800" data-testid="group-list">
          {groups.map((g) => (
            <GroupRow key={g.id} group={g} />
          ))}
        </ul>
      )}
    </div>
  );
}
