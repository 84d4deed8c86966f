'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useState, useTransition, type FormEvent } from 'react';
import { useInBrowser } from '@/app/_components/time';
import type { RecordingState } from '@/lib/recordings/recorder';

export interface FilterValues {
  device: string;
  user: string;
  command: string;
  from: string;
  to: string;
  state: RecordingState | '';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO moment as a `datetime-local` value in the browser's zone ("" when it is not one). */
function toLocalInput(iso: string): string {
  if (!iso) return '';
  const d = new Date(/T/.test(iso) && !/(Z|[+-]\d{2}:\d{2})$/.test(iso) ? `${iso}Z` : iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (the browser's zone) as the UTC moment the URL and the API take. */
function fromLocalInput(value: string): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/**
 * The search form of the Recordings page: device, user (admins), a command typed, a time range in
 * the reader's own zone (sent as UTC), and the state. It navigates to the list's URL, so a search
 * can be bookmarked or shared.
 */
export function RecordingFilters({
  values,
  admin,
  states,
  devices,
  users,
}: {
  values: FilterValues;
  admin: boolean;
  states: readonly RecordingState[];
  devices: string[];
  users: string[];
}) {
  const t = useTranslations('terminal.recordings');
  const router = useRouter();
  const inBrowser = useInBrowser();
  const [pending, start] = useTransition();
  const [badRange, setBadRange] = useState(false);
  const id = useId();
  const filtered = Object.values(values).some(Boolean);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const from = fromLocalInput(text('from'));
    const to = fromLocalInput(text('to'));
    if (from && to && Date.parse(to) <= Date.parse(from)) {
      setBadRange(true);
      return;
    }
    setBadRange(false);
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({
      device: text('device'),
      user: admin ? text('user') : '',
      command: text('command'),
      from,
      to,
      state: text('state'),
    }))
      if (v) q.set(k, v);
    const s = q.toString();
    start(() => router.push(s ? `/recordings?${s}` : '/recordings'));
  }

  // before hydration the time fields are empty (the server does not know the reader's zone)
  const zoneKey = inBrowser ? 'browser' : 'server';
  return (
    <form
      className="card flex flex-wrap items-end gap-3 p-3"
      role="search"
      aria-label={t('filters.label')}
      aria-busy={pending}
      onSubmit={submit}
      data-hydrated={inBrowser ? 'true' : undefined}
    >
      <div className="min-w-0 flex-1 basis-36 sm:w-36 sm:flex-none">
        <label htmlFor={`${id}-device`}>{t('filters.device')}</label>
        <input
          id={`${id}-device`}
          name="device"
          defaultValue={values.device}
          placeholder={t('filters.devicePlaceholder')}
          className="input"
          list={`${id}-devices`}
          autoComplete="off"
        />
        <datalist id={`${id}-devices`}>
          {devices.map((d) => (
            <option key={d} value={d} />
          ))}
        </datalist>
      </div>
      {admin && (
        <div className="min-w-0 flex-1 basis-32 sm:w-32 sm:flex-none">
          <label htmlFor={`${id}-user`}>{t('filters.user')}</label>
          <input
            id={`${id}-user`}
            name="user"
            defaultValue={values.user}
            className="input"
            list={`${id}-users`}
            autoComplete="off"
          />
          <datalist id={`${id}-users`}>
            {users.map((u) => (
              <option key={u} value={u} />
            ))}
          </datalist>
        </div>
      )}
      <div className="min-w-0 flex-1 basis-40 sm:w-40 sm:flex-none">
        <label htmlFor={`${id}-command`}>{t('filters.command')}</label>
        <input
          id={`${id}-command`}
          name="command"
          defaultValue={values.command}
          placeholder={t('filters.commandPlaceholder')}
          className="input font-mono"
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <div className="min-w-0 flex-1 basis-44 sm:w-52 sm:flex-none">
        <label htmlFor={`${id}-from`}>{t('filters.from')}</label>
        <input
          key={`from-${zoneKey}`}
          id={`${id}-from`}
          name="from"
          type="datetime-local"
          defaultValue={inBrowser ? toLocalInput(values.from) : ''}
          className="input"
          aria-invalid={badRange || undefined}
        />
      </div>
      <div className="min-w-0 flex-1 basis-44 sm:w-52 sm:flex-none">
        <label htmlFor={`${id}-to`}>{t('filters.to')}</label>
        <input
          key={`to-${zoneKey}`}
          id={`${id}-to`}
          name="to"
          type="datetime-local"
          defaultValue={inBrowser ? toLocalInput(values.to) : ''}
          className="input"
          aria-invalid={badRange || undefined}
          aria-describedby={badRange ? `${id}-range` : undefined}
        />
      </div>
      <div className="min-w-0 flex-1 basis-28 sm:w-36 sm:flex-none">
        <label htmlFor={`${id}-state`}>{t('filters.state')}</label>
        <select id={`${id}-state`} name="state" defaultValue={values.state} className="input">
          <option value="">{t('filters.anyState')}</option>
          {states.map((s) => (
            <option key={s} value={s}>
              {t(`states.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="flex gap-2">
        <button type="submit" className="btn-primary">
          {t('filters.submit')}
        </button>
        {filtered && (
          <Link href="/recordings" className="btn-secondary">
            {t('filters.clear')}
          </Link>
        )}
      </div>
      {badRange && (
        <p id={`${id}-range`} className="field-error w-full" role="alert">
          {t('filters.badRange')}
        </p>
      )}
    </form>
  );
}
