import { getTranslations } from 'next-intl/server';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { getRuntime } from '@/lib/server/registry';
import { EMPTY_TEMPLATE, teamsFor } from '../_data';
import { createTemplateAction } from '../actions';
import { TemplateForm } from '../template-form';

export async function generateMetadata() {
  const t = await getTranslations('automation');
  return { title: t('new') };
}

export default async function NewTemplatePage() {
  const user = await requireUser();
  const t = await getTranslations('automation');
  if (!can(user.role, 'tasks:run')) return <NoAccess what="run tasks" />;
  const teams = await teamsFor(getRuntime().db, user);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">{t('new')}</h1>
      <TemplateForm action={createTemplateAction} initial={EMPTY_TEMPLATE} teams={teams} mode="create" />
    </div>
  );
}
