import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { listTasks } from '@/lib/tasks/service';
import { TasksList } from './tasks-list';
import { getRuntime } from '@/lib/server/registry';

export const metadata: Metadata = { title: 'Tasks' };

export default async function TasksPage() {
  const user = await requireUser();
  const tasks = await listTasks(user, getRuntime());
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
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold tracking-tight">Tasks</h1>
        {can(user.role, 'tasks:run') && (
          <Link href="/tasks/new" className="btn-primary">
            New task
          </Link>
        )}
      </div>
      <TasksList initial={tasks} owners={owners} />
    </div>
  );
}
