import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { listTasks } from '@/lib/tasks/service';
import { TasksList } from '../tasks-list';
import { getRuntime } from '@/lib/server/registry';

export async function generateMetadata() {
  const t = await getTranslations('tasks');
  return { title: t('title') };
}

export default async function TasksPage() {
  const user = await requireUser();
  const t = await getTranslations('tasks.list');
  const tasks = await listTasks(user, getRuntime());
  const canRun = can(user.role, 'tasks:run');
  // admins see every user's tasks, so their list names each task's owner
  const owners =
    user.role === 'admin'
      ? Object.fromEntries(
          (await getRuntime().db.user.findMany({ select: { id: true, username: true } })).map((u) => [
            u.id,
            u.username,
          ]),
        )
      : undefined;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">{t('heading')}</h1>
        {canRun && (
          <Link href="/tasks/new" className="btn-primary">
            {t('newTask')}
          </Link>
        )}
      </div>
      <TasksList initial={tasks} owners={owners} canRun={canRun} />
    </div>
  );
}
