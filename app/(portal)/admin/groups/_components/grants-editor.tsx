'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useMemo, useState, useTransition } from 'react';
import { GRANT_LEVELS, type GrantLevel } from '@/lib/devices/visibility';
import { DevicePicker } from './device-picker';

export interface GrantSetInput {
  devices: { id: string; level: GrantLevel }[];
  /** `observe` only for a team's grants (see the editor's `observe` prop). */
  groups: { id: string; level: GrantLevel; observe?: boolean }[];
}

export interface GrantedDevice {
  id: string;
  name: string;
  host: string;
  vendor: string;
  level: GrantLevel;
}

export type SaveState = { ok?: string; error?: string };

/** Granted devices listed at once; the rest are a page away (a user may hold thousands). */
const GRANTED_PAGE_SIZE = 20;
/** More groups than this get a filter box. */
const GROUP_FILTER_FROM = 8;

/**
 * The grants of a user or a team, edited as one set and saved at once: a level (or none) per group,
 * and devices one by one, found with the server-side picker. What is saved replaces the whole set.
 */
export function GrantsEditor({
  groups,
  initial,
  newLevel,
  capNote,
  observe = false,
  save,
}: {
  groups: { id: string; name: string; devices: number }[];
  initial: { groups: { id: string; level: GrantLevel; observe?: boolean }[]; devices: GrantedDevice[] };
  /** The level a newly ticked device gets. */
  newLevel: GrantLevel;
  /** Shown beside an `operate` the subject cannot use (a viewer's). */
  capNote?: string;
  /** A granted group can also include observing others' sessions (a team's grants). */
  observe?: boolean;
  save: (set: GrantSetInput) => Promise<SaveState>;
}) {
  const t = useTranslations('admin.grants');
  const id = useId();
  const router = useRouter();
  const [groupLevels, setGroupLevels] = useState(() => new Map(initial.groups.map((g) => [g.id, g.level])));
  const [observed, setObserved] = useState(
    () => new Set(initial.groups.filter((g) => g.observe).map((g) => g.id)),
  );
  const [devices, setDevices] = useState(() => new Map(initial.devices.map((d) => [d.id, d])));
  const [dirty, setDirty] = useState(false);
  const [state, setState] = useState<SaveState>({});
  const [pending, start] = useTransition();
  const [groupFilter, setGroupFilter] = useState('');
  const [deviceFilter, setDeviceFilter] = useState('');
  const [devicePage, setDevicePage] = useState(0);

  const changed = () => {
    setDirty(true);
    setState({});
  };
  const setGroupLevel = (groupId: string, level: GrantLevel | '') => {
    setGroupLevels((m) => {
      const n = new Map(m);
      if (level) n.set(groupId, level);
      else n.delete(groupId);
      return n;
    });
    // no grant, nothing to observe through it
    if (!level) setGroupObserve(groupId, false);
    changed();
  };
  const setGroupObserve = (groupId: string, on: boolean) => {
    setObserved((s) => {
      const n = new Set(s);
      if (on) n.add(groupId);
      else n.delete(groupId);
      return n;
    });
    changed();
  };
  const putDevice = (d: Omit<GrantedDevice, 'level'> & { level?: GrantLevel }, on: boolean) => {
    setDevices((m) => {
      const n = new Map(m);
      if (on) n.set(d.id, { ...d, level: d.level ?? m.get(d.id)?.level ?? newLevel });
      else n.delete(d.id);
      return n;
    });
    changed();
  };

  const shownGroups = useMemo(() => {
    const f = groupFilter.trim().toLowerCase();
    return f ? groups.filter((g) => g.name.toLowerCase().includes(f)) : groups;
  }, [groups, groupFilter]);
  const granted = useMemo(() => {
    const f = deviceFilter.trim().toLowerCase();
    return [...devices.values()]
      .filter((d) => !f || `${d.name} ${d.host} ${d.vendor}`.toLowerCase().includes(f))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [devices, deviceFilter]);
  const pages = Math.max(1, Math.ceil(granted.length / GRANTED_PAGE_SIZE));
  const page = Math.min(devicePage, pages - 1);
  const grantedShown = granted.slice(page * GRANTED_PAGE_SIZE, (page + 1) * GRANTED_PAGE_SIZE);

  const submit = () =>
    start(async () => {
      const r = await save({
        groups: [...groupLevels].map(([gid, level]) =>
          observe ? { id: gid, level, observe: observed.has(gid) } : { id: gid, level },
        ),
        devices: [...devices.values()].map((d) => ({ id: d.id, level: d.level })),
      });
      setState(r);
      if (r.ok) {
        setDirty(false);
        router.refresh();
      }
    });

  return (
    <div className="space-y-4">
      <section className="card space-y-2 p-4" aria-labelledby={`${id}-groups`}>
        <h2 id={`${id}-groups`} className="text-lg font-semibold">
          {t('groups')}{' '}
          <span className="text-sm font-normal text-slate-500 dark:text-slate-400">
            {t('groupsGranted', { count: groupLevels.size })}
          </span>
        </h2>
        {groups.length === 0 ? (
          <p className="text-sm text-slate-500 dark:text-slate-400">
            {t.rich('noGroups', {
              link: (c) => (
                <Link href="/admin/groups" className="text-sky-700 hover:underline dark:text-sky-400">
                  {c}
                </Link>
              ),
            })}
          </p>
        ) : (
          <>
            {groups.length > GROUP_FILTER_FROM && (
              <input
                type="search"
                className="input"
                aria-label={t('filterGroups')}
                placeholder={t('filterGroups')}
                value={groupFilter}
                onChange={(e) => setGroupFilter(e.target.value)}
              />
            )}
            <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto rounded border border-slate-200 dark:divide-slate-800 dark:border-slate-700">
              {shownGroups.map((g) => {
                const level = groupLevels.get(g.id) ?? '';
                return (
                  <li
                    key={g.id}
                    className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-1.5 text-sm"
                    data-group={g.name}
                  >
                    <span className="min-w-0 basis-full font-medium break-words sm:flex-1 sm:basis-auto">
                      {g.name}
                    </span>
                    <span className="flex-1 text-xs text-slate-500 sm:flex-none dark:text-slate-400">
                      {t('deviceCount', { count: g.devices })}
                    </span>
                    {level === 'operate' && capNote && (
                      <span className="text-xs text-amber-700 dark:text-amber-400">{capNote}</span>
                    )}
                    {observe && level && (
                      <label
                        className="flex shrink-0 items-center gap-1.5 text-xs font-normal"
                        title={t('observeHelp')}
                      >
                        <input
                          type="checkbox"
                          aria-label={t('observeOn', { name: g.name })}
                          checked={observed.has(g.id)}
                          onChange={(e) => setGroupObserve(g.id, e.target.checked)}
                        />
                        {t('observe')}
                      </label>
                    )}
                    <LevelSelect
                      label={t('levelOnGroup', { name: g.name })}
                      value={level}
                      allowNone
                      onChange={(v) => setGroupLevel(g.id, v)}
                    />
                  </li>
                );
              })}
              {shownGroups.length === 0 && (
                <li className="px-3 py-2 text-sm text-slate-500 dark:text-slate-400">{t('noGroupMatch')}</li>
              )}
            </ul>
          </>
        )}
      </section>

      <section className="card space-y-3 p-4" aria-labelledby={`${id}-devices`}>
        <h2 id={`${id}-devices`} className="text-lg font-semibold">
          {t('devices')}{' '}
          <span className="text-sm font-normal text-slate-500 dark:text-slate-400">
            {t('devicesGranted', { count: devices.size })}
          </span>
        </h2>
        {devices.size === 0 && <p className="text-sm text-slate-500 dark:text-slate-400">{t('noDevices')}</p>}
        {devices.size > 0 && (
          <div className="space-y-2">
            {devices.size > GRANTED_PAGE_SIZE && (
              <input
                type="search"
                className="input"
                aria-label={t('filterDevices')}
                placeholder={t('filterDevices')}
                value={deviceFilter}
                onChange={(e) => {
                  setDeviceFilter(e.target.value);
                  setDevicePage(0);
                }}
              />
            )}
            <ul
              className="divide-y divide-slate-100 rounded border border-slate-200 dark:divide-slate-800 dark:border-slate-700"
              data-testid="granted-devices"
            >
              {grantedShown.map((d) => (
                <li
                  key={d.id}
                  className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-1.5 text-sm"
                  data-device={d.name}
                >
                  <span className="min-w-0 flex-1 truncate font-medium">{d.name}</span>
                  <span className="hidden font-mono text-xs text-slate-500 sm:inline dark:text-slate-400">
                    {d.host}
                  </span>
                  {d.level === 'operate' && capNote && (
                    <span className="text-xs text-amber-700 dark:text-amber-400">{capNote}</span>
                  )}
                  <LevelSelect
                    label={t('levelOn', { name: d.name })}
                    value={d.level}
                    onChange={(v) => v && putDevice({ ...d, level: v }, true)}
                  />
                  <button
                    type="button"
                    className="btn-secondary px-2"
                    aria-label={t('removeDevice', { name: d.name })}
                    onClick={() => putDevice(d, false)}
                  >
                    {t('remove')}
                  </button>
                </li>
              ))}
              {grantedShown.length === 0 && (
                <li className="px-3 py-2 text-sm text-slate-500 dark:text-slate-400">{t('noDeviceMatch')}</li>
              )}
            </ul>
            {pages > 1 && (
              <div className="flex items-center justify-end gap-2 text-sm">
                <span className="text-slate-500 dark:text-slate-400">
                  {t('page', { page: page + 1, pages })}
                </span>
                <button
                  type="button"
                  className="btn-secondary"
                  aria-label={t('previousPage')}
                  disabled={page === 0}
                  onClick={() => setDevicePage(page - 1)}
                >
                  ‹
                </button>
                <button
                  type="button"
                  className="btn-secondary"
                  aria-label={t('nextPage')}
                  disabled={page >= pages - 1}
                  onClick={() => setDevicePage(page + 1)}
                >
                  ›
                </button>
              </div>
            )}
          </div>
        )}
        <h3 className="text-sm font-semibold text-slate-700 dark:text-slate-300">{t('addDevices')}</h3>
        <DevicePicker
          control={(d) => (
            <input
              type="checkbox"
              className="shrink-0"
              aria-label={t('grantDevice', { name: d.name })}
              checked={devices.has(d.id)}
              onChange={(e) => putDevice(d, e.target.checked)}
            />
          )}
          toolbar={(rows) => (
            <button
              type="button"
              className="btn-secondary"
              disabled={rows.length === 0}
              onClick={() => rows.forEach((r) => !devices.has(r.id) && putDevice(r, true))}
            >
              {t('grantPage')}
            </button>
          )}
        />
      </section>

      <div className="card flex flex-wrap items-center gap-3 px-4 py-2">
        <button type="button" className="btn-primary" disabled={pending} onClick={submit}>
          {pending ? t('saving') : t('save', { count: groupLevels.size + devices.size })}
        </button>
        {dirty && !pending && (
          <span className="text-sm text-amber-700 dark:text-amber-400">{t('unsaved')}</span>
        )}
        {state.ok && (
          <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            {state.ok}
          </span>
        )}
        {state.error && <span className="field-error">{state.error}</span>}
      </div>
    </div>
  );
}

function LevelSelect({
  label,
  value,
  allowNone,
  onChange,
}: {
  label: string;
  value: GrantLevel | '';
  allowNone?: boolean;
  onChange: (v: GrantLevel | '') => void;
}) {
  const t = useTranslations('admin.levels');
  return (
    <select
      aria-label={label}
      className="input mt-0 w-32 shrink-0"
      value={value}
      onChange={(e) => onChange(e.target.value as GrantLevel | '')}
    >
      {allowNone && <option value="">{t('none')}</option>}
      {GRANT_LEVELS.map((l) => (
        <option key={l} value={l}>
          {t(l)}
        </option>
      ))}
    </select>
  );
}
