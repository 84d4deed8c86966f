import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { taskChanges } from '@/lib/automation/task-results';
import { getTaskPage } from '@/lib/tasks/service';
import { TaskDetail } from './task-detail';
import { getRuntime } from '@/lib/server/registry';

export async function generateMetadata() {
  const t = await getTranslations('tasks.detail');
  return { title: t('title') };
}

export default async function TaskPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const t = await getTranslations('tasks.detail');
  const rt = getRuntime();
  const first = await getTaskPage(user, (await params).id, { page: 1, status: 'all' }, rt);
  if (!first) notFound();
  // the first page's changes against the previous run, so they render with the page
  const changes = await taskChanges(
    rt.db,
    user,
    first.task.id,
    first.devices.map((d) => d.id),
  );
  if (!changes) notFound();
  return (
    <div className="space-y-3">
      <Link href="/tasks" className="text-sm text-sky-700 hover:underline dark:text-sky-400">
        {t('back')}
      </Link>
      <TaskDetail initial={first} initialChanges={changes} canRun={can(user.role, 'tasks:run')} />
    </div>
  );
}
