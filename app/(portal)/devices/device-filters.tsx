'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { VENDOR_LABELS, VENDORS } from '@/lib/devices/schema';
import { DEVICE_STATUSES } from '@/lib/devices/status';
import {
  DEFAULT_DEVICE_LIST_QUERY as DEFAULTS,
  deviceListHref,
  type DeviceListQuery,
} from '@/lib/devices/device-list-params';

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
      className="card flex flex-wrap items-end gap-3 p-3"
      role="search"
      aria-busy={pending}
      onSubmit={(e) => {
        e.preventDefault();
        apply('replace');
      }}
    >
      <div className="min-w-48 flex-1">
        <label htmlFor="q">
          Search
          {pending && <span className="ml-2 font-normal text-slate-400">searching…</span>}
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
          placeholder="Name, host, notes or group"
          className="input"
          autoComplete="off"
        />
      </div>
      {/* each select is keyed by the URL's value: Clear or Back puts it back to what the page shows */}
      <div>
        <label htmlFor="vendor">Vendor</label>
        <select
          key={query.vendor ?? ''}
          id="vendor"
          name="vendor"
          defaultValue={query.vendor ?? ''}
          className="input"
          onChange={() => apply('push')}
        >
          <option value="">All vendors</option>
          {VENDORS.map((v) => (
            <option key={v} value={v}>
              {VENDOR_LABELS[v]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="status">Status</label>
        <select
          key={query.status ?? ''}
          id="status"
          name="status"
          defaultValue={query.status ?? ''}
          className="input"
          onChange={() => apply('push')}
        >
          <option value="">Any status</option>
          {DEVICE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div className="max-w-full">
        <label htmlFor="group">Group</label>
        <select
          key={query.group ?? ''}
          id="group"
          name="group"
          defaultValue={query.group ?? ''}
          className="input max-w-56"
          onChange={() => apply('push')}
        >
          <option value="">Any group</option>
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
        Filter
      </button>
    </form>
  );
}
