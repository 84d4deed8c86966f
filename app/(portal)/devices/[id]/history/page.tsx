import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { Time } from '@/app/_components/time';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { getDeviceHistory, HISTORY_VIEW_MAX_CHARS } from '@/lib/devices/history-page';
import { getRuntime } from '@/lib/server/registry';
import { DeviceTabs } from '../device-tabs';
import { DiffView } from './diff-view';
import { RunBackupButton } from './run-backup';
import { TemplatePicker } from './template-picker';
import { downloadHref, historyHref, type HistoryParams } from './urls';
import { ChangeBadge, VersionList } from './version-list';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('history');
  return { title: t('title') };
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const link = 'text-sky-700 hover:underline dark:text-sky-400';

/** The query's ids and page; `null` when one is there but malformed (a 404, as for an unknown one). */
function readQuery(sp: Record<string, string | string[] | undefined>): HistoryParams | null {
  const out: HistoryParams = {};
  for (const k of ['template', 'from', 'to', 'view'] as const) {
    const v = sp[k];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !ID.test(v)) return null;
    out[k] = v;
  }
  if (sp.page !== undefined) {
    if (typeof sp.page !== 'string' || !/^\d{1,6}$/.test(sp.page)) return null;
    out.page = Number(sp.page);
  }
  // a comparison names both versions
  if ((out.from === undefined) !== (out.to === undefined)) return null;
  return out;
}

export default async function DeviceHistoryPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const { id } = await params;
  const q = readQuery(await searchParams);
  if (!q || !ID.test(id)) notFound();
  const runtime = getRuntime();
  const h = await getDeviceHistory(user, id, q, runtime);
  if (!h) notFound();
  const [t, tc, td] = await Promise.all([
    getTranslations('history'),
    getTranslations('common'),
    getTranslations('device'),
  ]);
  const { device, template } = h;
  const isBackup = template !== null && template.id === h.backupTemplateId;
  const canRun =
    h.level === 'operate' && can(user.role, 'tasks:run') && h.backupTemplateId !== null && isBackup;
  // the list's place, kept by every link out of it
  const base = { template: q.template, page: h.page > 1 ? h.page : undefined };
  const closeHref = historyHref(device.id, base);

  return (
    <div className="min-w-0 space-y-4" data-device-history={device.name}>
      <header className="min-w-0">
        <p className="text-sm">
          <Link href="/devices" className={link}>
            {tc('nav.devices')}
          </Link>
        </p>
        <h1 className="text-2xl font-semibold tracking-tight break-all">{device.name}</h1>
      </header>

      <DeviceTabs deviceId={device.id} current="history" />

      {h.compare && (
        <DiffView from={h.compare.from} to={h.compare.to} diff={h.compare.diff} closeHref={closeHref} />
      )}

      {h.view && (
        <section
          className="card min-w-0 space-y-3 p-4"
          aria-labelledby="history-view-heading"
          data-testid="history-view"
        >
          <div className="flex flex-wrap items-start justify-between gap-2">
            <div className="min-w-0 space-y-1">
              <h2 id="history-view-heading" className="text-sm font-semibold">
                {t.rich('view.heading', {
                  time: () => <Time iso={h.view!.version.createdAt} className="font-mono" />,
                })}
              </h2>
              <ChangeBadge v={h.view.version} />
            </div>
            <div className="flex flex-wrap gap-2">
              <a
                href={downloadHref(device.id, h.view.version.id)}
                className="btn-secondary min-h-11"
                download
              >
                {t('list.download')}
              </a>
              <Link href={closeHref} className="btn-secondary min-h-11" scroll={false}>
                {t('view.close')}
              </Link>
            </div>
          </div>
          {h.view.truncated && (
            <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200">
              {t('view.truncated', {
                size: t('size.kib', { value: HISTORY_VIEW_MAX_CHARS / 1024 }),
              })}
            </p>
          )}
          <pre
            className="max-h-[70vh] overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs leading-5 text-slate-800 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-200"
            role="region"
            aria-label={t('view.text')}
            tabIndex={0}
            data-testid="version-text"
          >
            {h.view.text}
          </pre>
        </section>
      )}

      <section className="card min-w-0 space-y-4 p-4" aria-labelledby="history-heading">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0 space-y-1">
            <h2 id="history-heading" className="text-lg font-semibold">
              {t('heading')}
            </h2>
            <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-400">{t('intro')}</p>
          </div>
          {canRun && h.total > 0 && <RunBackupButton deviceId={device.id} label="backUpNow" />}
        </div>
        {h.templates.length > 1 && template && (
          <TemplatePicker deviceId={device.id} current={template.id} templates={h.templates} />
        )}
        {h.versions.length === 0 ? (
          <div className="space-y-3 py-4 text-sm" data-testid="history-empty">
            {isBackup || !template ? (
              <>
                <p className="text-base font-semibold">{t('empty.title')}</p>
                <p className="max-w-2xl text-slate-600 dark:text-slate-400">
                  {h.backupTemplateId ? t('empty.body') : t('empty.noTemplate')}
                </p>
                {canRun ? (
                  <RunBackupButton deviceId={device.id} label="run" />
                ) : (
                  h.backupTemplateId &&
                  h.level !== 'operate' && (
                    <p className="text-slate-600 dark:text-slate-400">{t('empty.viewOnly')}</p>
                  )
                )}
              </>
            ) : (
              <p className="text-slate-600 dark:text-slate-400">{t('empty.other')}</p>
            )}
          </div>
        ) : (
          <>
            <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="history-count">
              {t('versions', { count: h.total })}
            </p>
            <VersionList
              // a new page or template is a new list: the ticks start again
              key={`${template?.id}:${h.page}`}
              deviceId={device.id}
              base={base}
              versions={h.versions}
              selected={h.compare ? [h.compare.from.id, h.compare.to.id] : []}
              viewing={h.view?.version.id ?? null}
            />
            {h.pages > 1 && (
              <nav
                aria-label={tc('pager.label')}
                className="flex flex-wrap items-center gap-2 text-sm text-slate-600 dark:text-slate-400"
              >
                {h.page > 1 ? (
                  <Link
                    href={historyHref(device.id, { ...base, page: h.page - 1 })}
                    className="btn-secondary"
                    rel="prev"
                  >
                    {t('pager.newer')}
                  </Link>
                ) : (
                  <span className="btn-secondary pointer-events-none opacity-50" aria-disabled="true">
                    {t('pager.newer')}
                  </span>
                )}
                <span data-testid="page-of">{tc('pager.page', { page: h.page, pages: h.pages })}</span>
                {h.page < h.pages ? (
                  <Link
                    href={historyHref(device.id, { ...base, page: h.page + 1 })}
                    className="btn-secondary"
                    rel="next"
                  >
                    {t('pager.older')}
                  </Link>
                ) : (
                  <span className="btn-secondary pointer-events-none opacity-50" aria-disabled="true">
                    {t('pager.older')}
                  </span>
                )}
              </nav>
            )}
          </>
        )}
      </section>
      {h.level === 'view' && <p className="text-xs text-slate-600 dark:text-slate-400">{td('viewOnly')}</p>}
    </div>
  );
}
