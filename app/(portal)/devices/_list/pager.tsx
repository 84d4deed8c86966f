'use client';

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
  const router = useRouter();
  const [pending, start] = useTransition();
  const last = lastPage(total, query.pageSize);
  const link = (page: number, label: string, rel: 'prev' | 'next', disabled: boolean) =>
    disabled ? (
      <span className="btn-secondary pointer-events-none opacity-40" aria-disabled="true">
        {label}
      </span>
    ) : (
      <Link href={deviceListHref({ ...query, page })} className="btn-secondary" rel={rel} scroll={false}>
        {label}
      </Link>
    );
  return (
    <nav
      aria-label="Pages"
      aria-busy={pending}
      className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600"
    >
      <div className="flex flex-wrap items-center gap-2">
        {link(1, '« First', 'prev', query.page <= 1)}
        {link(query.page - 1, '‹ Previous', 'prev', query.page <= 1)}
        <span data-testid="page-of">
          Page {query.page} of {last}
        </span>
        {link(query.page + 1, 'Next ›', 'next', query.page >= last)}
        {link(last, 'Last »', 'next', query.page >= last)}
      </div>
      <label className="flex items-center gap-2 font-normal">
        Rows per page
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
              {n}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
