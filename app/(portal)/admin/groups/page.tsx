import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { listGroups } from '@/lib/devices/groups';
import { getRuntime } from '@/lib/server/registry';
import { CreateGroupForm, GroupRow } from './group-forms';

export const metadata: Metadata = { title: 'Groups' };

export default async function GroupsPage() {
  const me = await requireUser();
  if (!can(me.role, 'grants:manage')) return <NoAccess what="manage device groups" />;
  const groups = await listGroups(getRuntime().db);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Groups</h1>
      <p className="text-sm text-slate-600">
        Named sets of devices (a device may be in several). Grant a group to users or teams with{' '}
        <strong>view</strong> or <strong>operate</strong>; they reach every device in it, now and later.
      </p>
      <CreateGroupForm />
      {groups.length === 0 ? (
        <p className="card p-6 text-center text-sm text-slate-500">No groups yet.</p>
      ) : (
        <ul className="card divide-y divide-slate-100" data-testid="group-list">
          {groups.map((g) => (
            <GroupRow key={g.id} group={g} />
          ))}
        </ul>
      )}
    </div>
  );
}
