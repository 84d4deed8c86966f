import type { Metadata } from 'next';
import Link from 'next/link';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { COLUMN_DOCS, IMPORT_MAX_ROWS } from '@/lib/devices/import/columns';
import { EXPORT_URL, TEMPLATE_URL } from './urls';
import { ImportForm } from './import-form';

export const metadata: Metadata = { title: 'Import devices' };

export default async function ImportDevicesPage() {
  const user = await requireUser();
  if (!can(user.role, 'devices:edit')) return <NoAccess what="import devices" />;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">Import devices</h1>
        <div className="flex flex-wrap gap-2">
          <a href={TEMPLATE_URL} className="btn-secondary" download>
            Download template
          </a>
          <a href={EXPORT_URL} className="btn-secondary" download>
            Export current inventory
          </a>
        </div>
      </div>
      <p className="max-w-3xl text-sm text-slate-600">
        A CSV file (UTF-8, <code>,</code> or <code>;</code> separated, header line first) adds devices and
        updates the ones with the same name. <strong>Preview</strong> shows what every row would do; nothing
        changes until you <strong>Apply</strong>, and Apply writes all rows or none. At most{' '}
        {IMPORT_MAX_ROWS.toLocaleString('en-US')} rows per file.{' '}
        {user.role !== 'admin' &&
          'You can change only devices you operate; devices you add are granted to you. Only an admin can create groups.'}
      </p>
      <ImportForm />
      <details className="card p-4" open>
        <summary className="cursor-pointer text-sm font-semibold">Columns</summary>
        <p className="mt-2 text-sm text-slate-600">
          Only <code>name</code> and <code>host</code> are required; a column the file leaves out keeps what
          is stored. Secrets are never shown or exported: an empty secret keeps the stored one.
        </p>
        <div className="mt-3 overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="column-docs">
            <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
              <tr>
                <th className="px-3 py-2">Column</th>
                <th className="px-3 py-2">Meaning</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {COLUMN_DOCS.map((c) => (
                <tr key={c.column}>
                  <td className="px-3 py-1.5 align-top font-mono text-xs whitespace-nowrap">{c.column}</td>
                  <td className="px-3 py-1.5 text-slate-700">{c.meaning}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      <p className="text-sm">
        <Link href="/devices" className="text-sky-700 hover:underline">
          ← Back to devices
        </Link>
      </p>
    </div>
  );
}
