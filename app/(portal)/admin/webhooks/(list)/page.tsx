import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { NoAccess } from '@/app/_components/no-access';
import { Time } from '@/app/_components/time';
import { requireUser } from '@/lib/auth/session';
import { WEBHOOK_EVENTS } from '@/lib/automation/webhooks';
import { getRuntime } from '@/lib/server/registry';
import { FocusButton } from '../../_components/focus-button';
import { eventKey } from '../_lib/events';
import { DeliveryBadge, EnabledBadge } from '../delivery-badge';
import { CreateWebhookForm } from '../webhook-forms';
import { PHONE_LABEL, WebhookTable } from '../webhook-table';

/** Webhooks listed at most (an admin list, not a paged one: a portal has a handful). */
const WEBHOOKS_SHOWN = 500;

export async function generateMetadata() {
  const t = await getTranslations('webhooks');
  return { title: t('title') };
}

export default async function WebhooksPage() {
  const me = await requireUser();
  const t = await getTranslations('webhooks');
  if (me.role !== 'admin') return <NoAccess what="manage webhooks" />;
  const { db } = getRuntime();
  const hooks = await db.webhook.findMany({ orderBy: { createdAt: 'asc' }, take: WEBHOOKS_SHOWN });
  // each webhook's latest delivery (one indexed look-up each: webhookId, createdAt)
  const last = new Map(
    await Promise.all(
      hooks.map(
        async (h) =>
          [
            h.id,
            await db.webhookDelivery.findFirst({
              where: { webhookId: h.id },
              orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
              select: {
                status: true,
                attempts: true,
                responseCode: true,
                createdAt: true,
                deliveredAt: true,
              },
            }),
          ] as const,
      ),
    ),
  );
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">{t('heading')}</h1>
      <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-300">{t('intro')}</p>
      <CreateWebhookForm events={WEBHOOK_EVENTS} />
      {hooks.length === 0 ? (
        <div className="card space-y-3 p-6 text-center" data-testid="webhooks-empty">
          <p className="text-sm text-slate-600 dark:text-slate-300">{t('list.empty')}</p>
          <FocusButton target="new-webhook-url">{t('list.emptyAction')}</FocusButton>
        </div>
      ) : (
        <WebhookTable
          label={t('list.tableLabel')}
          testId="webhook-table"
          columns={[
            { label: t('list.url') },
            { label: t('list.events') },
            { label: t('list.state') },
            { label: t('list.lastDelivery') },
          ]}
        >
          {hooks.map((h) => {
            const d = last.get(h.id);
            return (
              <tr
                key={h.id}
                data-webhook={h.id}
                className="grid grid-cols-1 gap-y-2 px-4 py-3 md:table-row md:p-0"
              >
                <td className="block min-w-0 md:table-cell md:max-w-md md:px-4 md:py-2">
                  <Link
                    href={`/admin/webhooks/${h.id}`}
                    className="inline-block font-mono text-sm break-all text-sky-700 hover:underline dark:text-sky-400"
                  >
                    {h.url}
                  </Link>
                  {h.description && (
                    <p className="text-xs break-words text-slate-600 dark:text-slate-400">{h.description}</p>
                  )}
                </td>
                <td
                  className={`block text-xs md:table-cell md:px-4 md:py-2 ${PHONE_LABEL}`}
                  data-label={t('list.events')}
                >
                  {h.events
                    .split(',')
                    .filter(Boolean)
                    .map((ev) => {
                      const key = eventKey(ev);
                      return (
                        <span key={ev} className="block whitespace-nowrap">
                          {key ? t(`events.${key}`) : ev}
                        </span>
                      );
                    })}
                </td>
                <td
                  className={`block md:table-cell md:px-4 md:py-2 ${PHONE_LABEL}`}
                  data-label={t('list.state')}
                >
                  <EnabledBadge enabled={h.enabled} />
                  {h.allowLocal && (
                    <span className="block text-xs text-amber-800 dark:text-amber-300">
                      {t('list.localAllowed')}
                    </span>
                  )}
                </td>
                <td
                  className={`block text-xs md:table-cell md:px-4 md:py-2 ${PHONE_LABEL}`}
                  data-label={t('list.lastDelivery')}
                  data-testid="last-delivery"
                >
                  {d ? (
                    <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                      <DeliveryBadge status={d.status} />
                      {(d.responseCode !== null || d.attempts > 0) && (
                        <span className="whitespace-nowrap">
                          {d.responseCode !== null
                            ? t('list.code', { code: d.responseCode })
                            : t('list.noAnswer')}
                        </span>
                      )}
                      <Time
                        iso={d.deliveredAt ?? d.createdAt}
                        className="font-mono whitespace-nowrap text-slate-600 dark:text-slate-400"
                      />
                    </span>
                  ) : (
                    <span className="text-slate-600 dark:text-slate-400">{t('list.noDeliveries')}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </WebhookTable>
      )}
    </div>
  );
}
