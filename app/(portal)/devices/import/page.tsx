import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { COLUMN_DOCS, FIELD_COLUMN_DOC, IMPORT_MAX_ROWS } from '@/lib/devices/import/columns';
import { EXPORT_URL, TEMPLATE_URL } from './urls';
import { ImportForm } from './import-form';

export async function generateMetadata() {
  const t = await getTranslations('devices');
  return { title: t('import.title') };
}

const code = (c: React.ReactNode) => <code>{c}</code>;
const strong = (c: React.ReactNode) => <strong>{c}</strong>;

export default async function ImportDevicesPage() {
  const [user, t] = await Promise.all([requireUser(), getTranslations('devices')]);
  if (!can(user.role, 'devices:edit')) return <NoAccess what="import devices" />;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">{t('import.title')}</h1>
        <div className="flex flex-wrap gap-2">
          <a href={TEMPLATE_URL} className="btn-secondary" download>
            {t('import.downloadTemplate')}
          </a>
          <a href={EXPORT_URL} className="btn-secondary" download>
            {t('import.exportInventory')}
          </a>
        </div>
      </div>
      <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-400">
        {t.rich('import.intro', { code, strong, max: IMPORT_MAX_ROWS })}{' '}
        {user.role !== 'admin' && t('import.notAdmin')}
      </p>
      <ImportForm />
      <details className="card p-4" open>
        <summary className="cursor-pointer text-sm font-semibold">{t('import.columns')}</summary>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
          {t.rich('import.columnsIntro', { code })}
        </p>
        <div className="mt-3 overflow-x-auto">
          <table
            className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800"
            data-testid="column-docs"
          >
            <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase dark:bg-slate-800/60 dark:text-slate-300">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t('import.column')}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t('import.meaning')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {COLUMN_DOCS.map((c) => (
                <tr key={c.column}>
                  <td className="px-3 py-1.5 align-top font-mono text-xs whitespace-nowrap">{c.column}</td>
                  <td className="px-3 py-1.5 text-slate-700 dark:text-slate-300">
                    {t(`import.columnDocs.${c.column}`)}
                  </td>
                </tr>
              ))}
              <tr data-column="field">
                <td className="px-3 py-1.5 align-top font-mono text-xs whitespace-nowrap">
                  {FIELD_COLUMN_DOC.column}
                </td>
                <td className="px-3 py-1.5 text-slate-700 dark:text-slate-300">
                  {t('import.fieldColumnDoc', { example: '{{field.site}}' })}
                </td>
              </tr>
            </tbody>
          </table>
        </div>
      </details>
      <p className="text-sm">
        <Link href="/devices" className="text-sky-700 hover:underline dark:text-sky-400">
          {t('import.back')}
        </Link>
      </p>
    </div>
  );
}
