import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { getTaskPage } from '@/lib/tasks/service';
import { TaskDetail } from './task-detail';
import { getRuntime } from '@/lib/server/registry';

export const metadata: Metadata = { title: 'Task' };

export default async function TaskPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const first = await getTaskPage(user, (await params).id, { page: 1, status: 'all' }, getRuntime());
  if (!first) notFound();
  return (
    <div className="space-y-3">
      <Link href="/tasks" className="text-sm text-sky-700 hover:underline">
        ← Tasks
      </Link>
      <TaskDetail initial={first} canRun={can(user.role, 'tasks:run')} />
    </div>
  );
}
