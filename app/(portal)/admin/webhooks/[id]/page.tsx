import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NoAccess } from '@/app/_components/no-access';
import { Time } from '@/app/_components/time';
import { requireUser } from '@/lib/auth/session';
import { WEBHOOK_EVENTS } from '@/lib/automation/webhooks';
import { getRuntime } from '@/lib/server/registry';
import { eventKey } from '../_lib/events';
import { DeliveryBadge, EnabledBadge } from '../delivery-badge';
import { PHONE_LABEL, WebhookTable } from '../webhook-table';
import { WebhookControls } from './webhook-controls';

/** Deliveries per page of the log, newest first. */
const DELIVERIES_PER_PAGE = 25;

export async function generateMetadata() {
  const t = await getTranslations('webhooks');
  return { title: t('detail.title') };
}

export default async function WebhookPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ page?: string }>;
}) {
  const me = await requireUser();
  const t = await getTranslations('webhooks');
  const tc = await getTranslations('common');
  if (me.role !== 'admin') return <NoAccess what="manage webhooks" />;
  const { id } = await params;
  const { db } = getRuntime();
  const hook = await db.webhook.findUnique({ where: { id } });
  if (!hook) notFound();
  const total = await db.webhookDelivery.count({ where: { webhookId: id } });
  const pages = Math.max(1, Math.ceil(total / DELIVERIES_PER_PAGE));
  const asked = Number.parseInt((await searchParams).page ?? '1', 10);
  const page = Number.isFinite(asked) ? Math.min(Math.max(1, asked), pages) : 1;
  const deliveries = await db.webhookDelivery.findMany({
    where: { webhookId: id },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    skip: (page - 1) * DELIVERIES_PER_PAGE,
    take: DELIVERIES_PER_PAGE,
    select: {
      id: true,
      event: true,
      status: true,
      attempts: true,
      responseCode: true,
      error: true,
      durationMs: true,
      createdAt: true,
      deliveredAt: true,
    },
  });
  const events = hook.events.split(',').filter(Boolean);
  const eventLabel = (ev: string) => {
    const key = eventKey(ev);
    return key ? t(`events.${key}`) : ev;
  };
  const td = 'block md:table-cell md:px-4 md:py-2';
  const pageLink = (p: number, label: string, rel: 'prev' | 'next', disabled: boolean) =>
    disabled ? (
      <span className="btn-secondary pointer-events-none opacity-50" aria-disabled="true">
        {label}
      </span>
    ) : (
      <Link
        href={p === 1 ? `/admin/webhooks/${id}` : `/admin/webhooks/${id}?page=${p}`}
        className="btn-secondary"
        rel={rel}
        scroll={false}
      >
        {label}
      </Link>
    );
  return (
    <div className="space-y-4">
      <Link href="/admin/webhooks" className="text-sm text-sky-700 hover:underline dark:text-sky-400">
        {t('detail.back')}
      </Link>
      <div className="space-y-1">
        <h1 className="font-mono text-xl font-semibold tracking-tight break-all sm:text-2xl">{hook.url}</h1>
        {hook.description && (
          <p className="text-sm break-words text-slate-600 dark:text-slate-300">{hook.description}</p>
        )}
      </div>
      <dl className="card grid gap-x-6 gap-y-3 p-4 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-300">
            {t('detail.state')}
          </dt>
          <dd className="mt-1 space-y-1" data-testid="webhook-state">
            <EnabledBadge enabled={hook.enabled} />
            <span
              className={`block text-xs ${hook.allowLocal ? 'text-amber-800 dark:text-amber-300' : 'text-slate-600 dark:text-slate-400'}`}
            >
              {hook.allowLocal ? t('detail.localAllowed') : t('detail.localRefused')}
            </span>
          </dd>
        </div>
        <div>
          <dt className="text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-300">
            {t('detail.events')}
          </dt>
          <dd className="mt-1">
            {events.map((ev) => (
              <span key={ev} className="block">
                {eventLabel(ev)} <code className="text-xs text-slate-600 dark:text-slate-400">{ev}</code>
              </span>
            ))}
          </dd>
        </div>
        <div>
          <dt className="text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-300">
            {t('detail.createdAt')}
          </dt>
          <dd className="mt-1 font-mono text-xs">
            <Time iso={hook.createdAt} />
          </dd>
        </div>
      </dl>
      <WebhookControls
        webhook={{
          id: hook.id,
          url: hook.url,
          description: hook.description,
          events,
          enabled: hook.enabled,
          allowLocal: hook.allowLocal,
        }}
        allEvents={WEBHOOK_EVENTS}
        deliveries={total}
      />
      <section className="space-y-2" aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading" className="text-lg font-semibold">
          {t('log.heading')}
        </h2>
        {deliveries.length === 0 ? (
          <div
            className="card p-6 text-center text-sm text-slate-600 dark:text-slate-300"
            data-testid="deliveries-empty"
          >
            {t('log.empty')}
          </div>
        ) : (
          <WebhookTable
            label={t('log.tableLabel')}
            testId="delivery-log"
            columns={[
              { label: t('log.time') },
              { label: t('log.event') },
              { label: t('log.status') },
              { label: t('log.attempts'), className: 'md:text-right' },
              { label: t('log.code') },
              { label: t('log.duration'), className: 'md:text-right' },
              { label: t('log.error') },
            ]}
          >
            {deliveries.map((d) => (
              <tr
                key={d.id}
                data-delivery={d.id}
                data-event={d.event}
                className="grid grid-cols-2 gap-x-4 gap-y-2 px-4 py-3 md:table-row md:p-0"
              >
                <td
                  className={`${td} col-span-2 font-mono text-xs md:whitespace-nowrap ${PHONE_LABEL}`}
                  data-label={t('log.time')}
                >
                  <Time iso={d.createdAt} />
                </td>
                <td className={`${td} ${PHONE_LABEL}`} data-label={t('log.event')}>
                  <span className="whitespace-nowrap">{eventLabel(d.event)}</span>
                </td>
                <td
                  className={`${td} ${PHONE_LABEL}`}
                  data-label={t('log.status')}
                  data-testid="delivery-status"
                >
                  <DeliveryBadge status={d.status} />
                </td>
                <td
                  className={`${td} tabular-nums md:text-right ${PHONE_LABEL}`}
                  data-label={t('log.attempts')}
                >
                  {d.attempts}
                </td>
                <td
                  className={`${td} font-mono text-xs ${PHONE_LABEL}`}
                  data-label={t('log.code')}
                  data-testid="delivery-code"
                >
                  {d.responseCode ?? t('log.none')}
                </td>
                <td
                  className={`${td} tabular-nums md:text-right md:whitespace-nowrap ${PHONE_LABEL}`}
                  data-label={t('log.duration')}
                >
                  {d.durationMs !== null ? t('log.durationMs', { ms: d.durationMs }) : t('log.none')}
                </td>
                <td
                  className={`${td} col-span-2 text-xs break-words text-slate-700 md:max-w-sm dark:text-slate-300 ${PHONE_LABEL}`}
                  data-label={t('log.error')}
                >
                  {d.error ?? t('log.none')}
                </td>
              </tr>
            ))}
          </WebhookTable>
        )}
        {total > 0 && (
          <nav
            aria-label={tc('pager.label')}
            className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600 dark:text-slate-400"
          >
            <span data-testid="deliveries-summary">
              {t('log.summary', {
                from: (page - 1) * DELIVERIES_PER_PAGE + 1,
                to: (page - 1) * DELIVERIES_PER_PAGE + deliveries.length,
                total,
              })}
            </span>
            {pages > 1 && (
              <div className="flex flex-wrap items-center gap-2">
                {pageLink(1, t('log.first'), 'prev', page <= 1)}
                {pageLink(page - 1, t('log.previous'), 'prev', page <= 1)}
                <span data-testid="page-of">{tc('pager.page', { page, pages })}</span>
                {pageLink(page + 1, t('log.next'), 'next', page >= pages)}
                {pageLink(pages, t('log.last'), 'next', page >= pages)}
              </div>
            )}
          </nav>
        )}
      </section>
    </div>
  );
}
