import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { NoAccess } from '@/app/_components/no-access';
import { getTemplate } from '@/lib/automation/templates';
import { requireUser } from '@/lib/auth/session';
import { getRuntime } from '@/lib/server/registry';
import { formValuesOf, teamsFor } from '../../_data';
import { updateTemplateAction } from '../../actions';
import { TemplateForm } from '../../template-form';

export async function generateMetadata() {
  const t = await getTranslations('automation.page');
  return { title: t('edit') };
}

export default async function EditTemplatePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser();
  const rt = getRuntime();
  const template = await getTemplate(user, id, rt);
  if (!template) notFound();
  if (!template.editable) return <NoAccess what="change this template" />;
  const [t, teams] = await Promise.all([getTranslations('automation'), teamsFor(rt.db, user)]);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">
        {template.name}{' '}
        <span className="text-base font-normal text-slate-600 dark:text-slate-400">
          {t('versionN', { version: template.version })}
        </span>
      </h1>
      <TemplateForm
        action={updateTemplateAction.bind(null, id)}
        initial={formValuesOf(template)}
        teams={teams}
        mode="edit"
      />
    </div>
  );
}
