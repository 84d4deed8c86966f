'use client';

import { useFormatter, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import {
  DEVICE_PAGE_SIZES,
  deviceListHref,
  lastPage,
  type DeviceListQuery,
} from '@/lib/devices/device-list-params';

/** Previous / next, where we are, and the page size (a new size starts at page 1). */
export function Pager({ query, total }: { query: DeviceListQuery; total: number }) {
  const t = useTranslations('devices');
  const tc = useTranslations('common');
  const format = useFormatter();
  const router = useRouter();
  const [pending, start] = useTransition();
  const last = lastPage(total, query.pageSize);
  const link = (page: number, label: string, rel: 'prev' | 'next', disabled: boolean) =>
    disabled ? (
      <span className="btn-secondary pointer-events-none opacity-50" aria-disabled="true">
        {label}
      </span>
    ) : (
      <Link href={deviceListHref({ ...query, page })} className="btn-secondary" rel={rel} scroll={false}>
        {label}
      </Link>
    );
  return (
    <nav
      aria-label={tc('pager.label')}
      aria-busy={pending}
      className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600 dark:text-slate-400"
    >
      <div className="flex flex-wrap items-center gap-2">
        {link(1, t('pager.first'), 'prev', query.page <= 1)}
        {link(query.page - 1, t('pager.previous'), 'prev', query.page <= 1)}
        <span data-testid="page-of">{tc('pager.page', { page: query.page, pages: last })}</span>
        {link(query.page + 1, t('pager.next'), 'next', query.page >= last)}
        {link(last, t('pager.last'), 'next', query.page >= last)}
      </div>
      <label className="flex items-center gap-2 font-normal">
        {t('pager.rowsPerPage')}
        <select
          className="input mt-0 w-auto"
          value={query.pageSize}
          onChange={(e) =>
            start(() =>
              router.push(
                deviceListHref({
                  ...query,
                  page: 1,
                  pageSize: Number(e.target.value) as DeviceListQuery['pageSize'],
                }),
                {
                  scroll: false,
                },
              ),
            )
          }
        >
          {DEVICE_PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {format.number(n)}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
