import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { TaskStatusBadge } from '@/app/_components/task-status';
import { Time } from '@/app/_components/time';
import { listSchedules } from '@/lib/automation/scheduler';
import { isSubscribed } from '@/lib/automation/subscriptions';
import { checkSchedule } from '@/lib/automation/schedule';
import { getTemplate, listTemplateVersions } from '@/lib/automation/templates';
import { can } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { VENDOR_LABELS, VENDORS } from '@/lib/devices/schema';
import { listDevices } from '@/lib/devices/inventory';
import { getRuntime } from '@/lib/server/registry';
import { DeleteTemplateButton, DeleteScheduleButton } from './delete-buttons';
import { FollowButton } from './follow-button';
import { HistorySearch } from './history-search';
import { RunPanel } from './run-panel';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser();
  const t = await getTemplate(user, id, getRuntime());
  return { title: t?.name ?? 'Template' };
}

export default async function TemplatePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const sp = await searchParams;
  const user = await requireUser();
  const rt = getRuntime();
  const asked =
    typeof sp.version === 'string' && /^\d{1,6}$/.test(sp.version) ? Number(sp.version) : undefined;
  const [current, t] = await Promise.all([getTemplate(user, id, rt), getTranslations('automation')]);
  if (!current) notFound();
  const template = asked && asked !== current.version ? await getTemplate(user, id, rt, asked) : current;
  if (!template) notFound();
  const mayRun = can(user.role, 'tasks:run');
  const [versions, schedules, devices, runs, following] = await Promise.all([
    listTemplateVersions(user, id, rt),
    listSchedules(user, rt.db),
    mayRun ? listDevices(user, {}, rt, 'operate') : Promise.resolve([]),
    rt.db.task.findMany({
      where: { templateId: id, ...(user.role === 'admin' ? {} : { ownerId: user.id }) },
      orderBy: { createdAt: 'desc' },
      take: 10,
    }),
    isSubscribed(rt.db, user.id, id),
  ]);
  // groups with the devices of them this user may run on (a schedule may keep a group as its target)
  const operable = new Set(devices.map((d) => d.id));
  const groups = mayRun
    ? (
        await rt.db.deviceGroup.findMany({
          where: { members: { some: { deviceId: { in: [...operable] } } } },
          select: { id: true, name: true, members: { select: { deviceId: true } } },
          orderBy: { name: 'asc' },
        })
      ).map((g) => ({
        id: g.id,
        name: g.name,
        deviceIds: g.members.map((m) => m.deviceId).filter((id) => operable.has(id)),
      }))
    : [];
  const changes = await rt.db.outputVersion.groupBy({
    by: ['taskId', 'change'],
    where: { taskId: { in: runs.map((r) => r.id) } },
    _count: true,
  });
  const changeOf = (taskId: string, change: string) =>
    changes.find((c) => c.taskId === taskId && c.change === change)?._count ?? 0;
  const mine = schedules.filter((s) => s.templateId === id);
  const lists = [
    ...VENDORS.filter((v) => template.vendorSteps[v]).map((v) => ({
      key: v,
      label: VENDOR_LABELS[v],
      steps: template.vendorSteps[v]!,
    })),
    ...(template.steps.length > 0
      ? [{ key: 'all', label: t('page.everyVendor'), steps: template.steps }]
      : []),
  ];
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">
            {template.name}{' '}
            <span className="text-base font-normal text-slate-500 dark:text-slate-400">
              {t('versionN', { version: template.version })}
            </span>
          </h1>
          {template.description && (
            <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
              {template.description}
            </p>
          )}
        </div>
        <div className="flex flex-wrap gap-2">
          <FollowButton id={id} following={following} />
          {current.editable && template.version === current.version && (
            <>
              <Link href={`/templates/${id}/edit`} className="btn-secondary">
                {t('page.edit')}
              </Link>
              {!current.builtIn && <DeleteTemplateButton id={id} name={current.name} />}
            </>
          )}
        </div>
      </div>
      {template.version !== current.version && (
        <p
          role="status"
          className="rounded-md bg-amber-50 p-3 text-sm text-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
        >
          {t('page.viewing', { version: template.version, current: current.version })}{' '}
          <Link href={`/templates/${id}`} className="underline">
            {t('page.current')}
          </Link>
        </p>
      )}
      <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
        <section className="card space-y-3 p-4" aria-labelledby="commands-heading">
          <h2 id="commands-heading" className="text-lg font-semibold">
            {t('page.commands')}
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {t('page.settings', {
              concurrency: template.concurrency,
              timeout: Math.round(template.timeoutMs / 1000),
            })}
          </p>
          {lists.map((l) => (
            <div key={l.key} data-list={l.key}>
              <h3 className="text-sm font-medium">{l.label}</h3>
              <pre className="mt-1 overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-950">
                {l.steps.map((s) => s.command).join('\n')}
              </pre>
            </div>
          ))}
          {template.ignorePatterns.length > 0 && (
            <div>
              <h3 className="text-sm font-medium">{t('form.ignore')}</h3>
              <pre className="mt-1 overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-950">
                {template.ignorePatterns.join('\n')}
              </pre>
            </div>
          )}
        </section>
        <section className="card space-y-2 p-4" aria-labelledby="versions-heading">
          <h2 id="versions-heading" className="text-lg font-semibold">
            {t('page.versions')}
          </h2>
          <ol className="space-y-1 text-sm" data-testid="versions">
            {(versions ?? []).map((v) => (
              <li key={v.version} className="flex items-center justify-between gap-2">
                <Link
                  href={
                    v.version === current.version
                      ? `/templates/${id}`
                      : `/templates/${id}?version=${v.version}`
                  }
                  className="text-sky-700 hover:underline dark:text-sky-400"
                  aria-current={v.version === template.version ? 'page' : undefined}
                >
                  {t('versionN', { version: v.version })}
                  {v.version === current.version && ` (${t('page.current')})`}
                </Link>
                <Time iso={v.createdAt} className="text-xs text-slate-500 dark:text-slate-400" />
              </li>
            ))}
          </ol>
        </section>
      </div>
      {mayRun && template.version === current.version && (
        <RunPanel
          templateId={id}
          inputs={template.inputs}
          groups={groups}
          timeZone="UTC"
          devices={devices.map((d) => ({
            id: d.id,
            name: d.name,
            host: d.host,
            vendor: d.vendor,
            status: d.status,
          }))}
        />
      )}
      <section className="card space-y-2 p-4" aria-labelledby="schedules-heading" data-testid="schedules">
        <h2 id="schedules-heading" className="text-lg font-semibold">
          {t('schedules.title')}
        </h2>
        {mine.length === 0 ? (
          <p className="text-sm text-slate-500 dark:text-slate-400">{t('schedules.none')}</p>
        ) : (
          <ul className="space-y-2">
            {mine.map((s) => {
              const next = checkSchedule(s.cron, s.timeZone, new Date());
              return (
                <li
                  key={s.id}
                  className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700"
                  data-schedule={s.cron}
                >
                  <div className="flex flex-wrap items-center gap-2">
                    <code className="font-mono">{s.cron}</code>
                    <span className="text-slate-500 dark:text-slate-400">{s.timeZone}</span>
                    <span className="text-xs">
                      {s.enabled ? t('schedules.enabled') : t('schedules.disabled')}
                    </span>
                    <span className="text-xs text-slate-500 dark:text-slate-400">
                      {t('schedules.devices', { count: s.targets.deviceIds.length })}
                    </span>
                    <DeleteScheduleButton templateId={id} id={s.id} />
                  </div>
                  {next.ok && (
                    <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                      {t('schedules.next')}:{' '}
                      {next.next.map((d, i) => (
                        <span key={d.toISOString()}>
                          {i > 0 && ', '}
                          <Time iso={d} />
                        </span>
                      ))}
                    </p>
                  )}
                  {s.lastError && (
                    <p className="field-error">{t('schedules.lastError', { error: s.lastError })}</p>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <HistorySearch templateId={id} />
      <section className="card space-y-2 p-4" aria-labelledby="runs-heading" data-testid="template-runs">
        <h2 id="runs-heading" className="text-lg font-semibold">
          {t('page.runs')}
        </h2>
        {runs.length === 0 ? (
          <p className="text-sm text-slate-500 dark:text-slate-400">{t('page.noRuns')}</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
            {runs.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-2 py-2" data-run={r.id}>
                <Link href={`/tasks/${r.id}`} className="text-sky-700 hover:underline dark:text-sky-400">
                  {r.name}
                </Link>
                <TaskStatusBadge status={r.status} />
                <span className="text-xs text-slate-500 dark:text-slate-400">
                  {t('versionN', { version: r.templateVersion ?? 0 })}
                </span>
                <span className="text-xs text-slate-600 dark:text-slate-300" data-testid="run-changes">
                  {t('page.changedSummary', {
                    changed: changeOf(r.id, 'changed'),
                    unchanged: changeOf(r.id, 'unchanged'),
                    new: changeOf(r.id, 'new'),
                  })}
                </span>
                <Time iso={r.createdAt} className="ml-auto text-xs text-slate-500 dark:text-slate-400" />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
