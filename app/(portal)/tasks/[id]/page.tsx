import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
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
  const first = await getTaskPage(user, (await params).id, { page: 1, status: 'all' }, getRuntime());
  if (!first) notFound();
  return (
    <div className="space-y-3">
      <Link href="/tasks" className="text-sm text-sky-700 hover:underline dark:text-sky-400">
        {t('back')}
      </Link>
      <TaskDetail initial={first} canRun={can(user.role, 'tasks:run')} />
    </div>
  );
}
