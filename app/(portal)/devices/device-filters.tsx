'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { VENDORS } from '@/lib/devices/schema';
import { DEVICE_STATUSES } from '@/lib/devices/status';
import {
  DEFAULT_DEVICE_LIST_QUERY as DEFAULTS,
  deviceListHref,
  type DeviceListQuery,
} from '@/lib/devices/device-list-params';
import { useVendorLabel } from './_list/vendor-label';

/** Typing pauses this long before the list is asked for: one request per word, not per key. */
export const SEARCH_DEBOUNCE_MS = 250;

/**
 * The Devices page's search and filters, kept in the URL (`/devices?q=…&group=…`) so a reload, Back
 * or a shared link shows the same list. The list follows as you type (debounced; the URL is
 * replaced, so Back leaves the page instead of replaying keystrokes) and as you pick a vendor, status
 * or group (pushed: Back undoes the filter). Any change starts again at page 1; the sort and page
 * size stay. Without JavaScript it is still a plain GET form with a Filter button.
 */
export function DeviceFilters({
  query,
  groups,
}: {
  query: DeviceListQuery;
  groups: { id: string; name: string }[];
}) {
  const t = useTranslations('devices');
  const tc = useTranslations('common');
  const vendorLabel = useVendorLabel();
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const [text, setText] = useState(query.q);
  const [pending, start] = useTransition();
  // the q this box last sent: a page answering an older q must not overwrite what is being typed,
  // while Clear, Back or a link to ?q=… (a q it did not send) must show up in the box
  const sent = useRef(query.q);
  useEffect(() => {
    if (query.q === sent.current) return;
    sent.current = query.q;
    setText(query.q);
  }, [query.q]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const apply = (how: 'replace' | 'push') => {
    clearTimeout(timer.current);
    if (!form.current) return;
    const data = new FormData(form.current);
    const field = (k: string) => String(data.get(k) ?? '').trim() || null;
    const q = field('q') ?? '';
    sent.current = q;
    const url = deviceListHref({
      sort: query.sort,
      dir: query.dir,
      pageSize: query.pageSize,
      q,
      vendor: field('vendor'),
      status: field('status'),
      group: field('group'),
    });
    start(() => router[how](url, { scroll: false }));
  };

  return (
    <form
      ref={form}
      action="/devices"
      className="card grid grid-cols-2 items-end gap-3 p-3 sm:flex sm:flex-wrap"
      role="search"
      aria-label={t('filters.label')}
      aria-busy={pending}
      onSubmit={(e) => {
        e.preventDefault();
        apply('replace');
      }}
    >
      <div className="col-span-2 min-w-48 flex-1">
        <label htmlFor="q">
          {t('filters.search')}
          {pending && (
            <span className="ml-2 font-normal text-slate-500 dark:text-slate-400" aria-hidden>
              {t('filters.searching')}
            </span>
          )}
        </label>
        <input
          id="q"
          name="q"
          type="search"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            clearTimeout(timer.current);
            timer.current = setTimeout(() => apply('replace'), SEARCH_DEBOUNCE_MS);
          }}
          placeholder={t('filters.searchPlaceholder')}
          className="input"
          autoComplete="off"
        />
      </div>
      {/* each select is keyed by the URL's value: Clear or Back puts it back to what the page shows */}
      <div className="min-w-0">
        <label htmlFor="vendor">{t('filters.vendor')}</label>
        <select
          key={query.vendor ?? ''}
          id="vendor"
          name="vendor"
          defaultValue={query.vendor ?? ''}
          className="input"
          onChange={() => apply('push')}
        >
          <option value="">{t('filters.allVendors')}</option>
          {VENDORS.map((v) => (
            <option key={v} value={v}>
              {vendorLabel(v)}
            </option>
          ))}
        </select>
      </div>
      <div className="min-w-0">
        <label htmlFor="status">{t('filters.status')}</label>
        <select
          key={query.status ?? ''}
          id="status"
          name="status"
          defaultValue={query.status ?? ''}
          className="input"
          onChange={() => apply('push')}
        >
          <option value="">{t('filters.anyStatus')}</option>
          {DEVICE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {tc(`status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="min-w-0">
        <label htmlFor="group">{t('filters.group')}</label>
        <select
          key={query.group ?? ''}
          id="group"
          name="group"
          defaultValue={query.group ?? ''}
          className="input sm:max-w-56"
          onChange={() => apply('push')}
        >
          <option value="">{t('filters.anyGroup')}</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
      </div>
      {/* the sort and page size travel with a no-JavaScript submit too */}
      {query.sort !== DEFAULTS.sort && <input type="hidden" name="sort" value={query.sort} />}
      {query.dir !== DEFAULTS.dir && <input type="hidden" name="dir" value={query.dir} />}
      {query.pageSize !== DEFAULTS.pageSize && <input type="hidden" name="size" value={query.pageSize} />}
      <button type="submit" className="btn-secondary">
        {t('filters.submit')}
      </button>
    </form>
  );
}
