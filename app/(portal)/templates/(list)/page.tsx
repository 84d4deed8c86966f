import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { Time } from '@/app/_components/time';
import { listTemplates } from '@/lib/automation/templates';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { getRuntime } from '@/lib/server/registry';

export async function generateMetadata() {
  const t = await getTranslations('automation');
  return { title: t('title') };
}

export default async function TemplatesPage() {
  const user = await requireUser();
  const [t, templates] = await Promise.all([
    getTranslations('automation'),
    listTemplates(user, getRuntime()),
  ]);
  const mayCreate = can(user.role, 'tasks:run');
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
        {mayCreate && (
          <Link href="/templates/new" className="btn-primary">
            {t('new')}
          </Link>
        )}
      </div>
      <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-400">{t('intro')}</p>
      {templates.length === 0 ? (
        <div className="card p-6 text-sm text-slate-600 dark:text-slate-300" data-testid="templates-empty">
          <p>{t('empty')}</p>
          {mayCreate && (
            <Link href="/templates/new" className="btn-primary mt-3">
              {t('new')}
            </Link>
          )}
        </div>
      ) : (
        <ul className="grid gap-3 md:grid-cols-2" data-testid="template-list">
          {templates.map((tp) => (
            <li key={tp.id} className="card p-4" data-template={tp.name}>
              <div className="flex flex-wrap items-baseline gap-2">
                <Link
                  href={`/templates/${tp.id}`}
                  className="font-medium text-sky-700 hover:underline dark:text-sky-400"
                >
                  {tp.name}
                </Link>
                <span className="text-xs text-slate-500 dark:text-slate-400">
                  {t('versionN', { version: tp.version })}
                </span>
                {tp.builtIn && (
                  <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                    {t('builtIn')}
                  </span>
                )}
              </div>
              {tp.description && (
                <p className="mt-1 line-clamp-2 text-sm text-slate-600 dark:text-slate-400">
                  {tp.description}
                </p>
              )}
              <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 text-xs text-slate-500 dark:text-slate-400">
                <dt>{t('columns.owner')}</dt>
                <dd>{tp.owner}</dd>
                <dt>{t('columns.sharing')}</dt>
                <dd>{tp.team ?? t('private')}</dd>
                <dt>{t('columns.updated')}</dt>
                <dd>
                  <Time iso={tp.updatedAt} />
                </dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
