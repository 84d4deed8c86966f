'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { VENDOR_LABELS, VENDORS } from '@/lib/devices/schema';
import { DEVICE_STATUSES } from '@/lib/devices/status';

/** Typing pauses this long before the list is asked for: one request per word, not per key. */
export const SEARCH_DEBOUNCE_MS = 250;

const FILTER_FIELDS = ['q', 'vendor', 'status'] as const;

/** `/devices?q=…&vendor=…` with only the filters that are set, so a reload or a shared link keeps them. */
function filtersUrl(form: HTMLFormElement): string {
  const data = new FormData(form);
  const params = new URLSearchParams();
  for (const f of FILTER_FIELDS) {
    const v = String(data.get(f) ?? '').trim();
    if (v) params.set(f, v);
  }
  const qs = params.toString();
  return qs ? `/devices?${qs}` : '/devices';
}

/**
 * The Devices page filters. The list follows as you type (debounced) and as you pick a vendor or
 * status; the URL is replaced, not pushed, so Back leaves the page instead of replaying keystrokes.
 * Without JavaScript it is still a plain GET form with a Filter button.
 */
export function DeviceFilters({ q, vendor, status }: { q?: string; vendor?: string; status?: string }) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const [text, setText] = useState(q ?? '');
  const [pending, start] = useTransition();
  // the q this box last sent: a page answering an older q must not overwrite what is being typed,
  // while Clear, Back or a link to ?q=… (a q it did not send) must show up in the box
  const sent = useRef(q ?? '');
  useEffect(() => {
    if ((q ?? '') === sent.current) return;
    sent.current = q ?? '';
    setText(q ?? '');
  }, [q]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const apply = () => {
    clearTimeout(timer.current);
    if (!form.current) return;
    sent.current = String(new FormData(form.current).get('q') ?? '').trim();
    const url = filtersUrl(form.current);
    start(() => router.replace(url, { scroll: false }));
  };

  return (
    <form
      ref={form}
      className="card flex flex-wrap items-end gap-3 p-3"
      role="search"
      aria-busy={pending}
      onSubmit={(e) => {
        e.preventDefault();
        apply();
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
            timer.current = setTimeout(apply, SEARCH_DEBOUNCE_MS);
          }}
          placeholder="Name, host or notes"
          className="input"
          autoComplete="off"
        />
      </div>
      <div>
        <label htmlFor="vendor">Vendor</label>
        {/* keyed by the URL's value: Clear or Back puts the list back to what the page shows */}
        <select
          key={vendor ?? ''}
          id="vendor"
          name="vendor"
          defaultValue={vendor ?? ''}
          className="input"
          onChange={apply}
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
          key={status ?? ''}
          id="status"
          name="status"
          defaultValue={status ?? ''}
          className="input"
          onChange={apply}
        >
          <option value="">Any status</option>
          {DEVICE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="btn-secondary">
        Filter
      </button>
      {(q || vendor || status) && (
        <Link href="/devices" className="text-sm text-sky-700 hover:underline">
          Clear
        </Link>
      )}
    </form>
  );
}
