'use client';

import { useQuery } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import type { TaskOutputGroups, TaskOutputVariant, VariantDiff } from '@/lib/automation/task-results';
import { DiffView } from './diff-view';
import { fetchJson, resultsKey } from './results-client';

/** Variants listed before "Show all". */
export const GROUPS_SHOWN_VARIANTS = 5;
/** Device names listed per variant before "Show all". */
export const GROUPS_SHOWN_NAMES = 8;

/**
 * "6 devices identical, 2 in 2 variants": the finished task's succeeded devices grouped by what they
 * answered (after the template's ignore patterns), the majority marked, and each other variant
 * diffable against it. Only names and counts come at first; a diff is fetched when opened.
 */
export function OutputGroups({ taskId, stamp }: { taskId: string; stamp: string }) {
  const t = useTranslations('results.groups');
  const [allVariants, setAllVariants] = useState(false);
  const { data, isPending, isError } = useQuery({
    queryKey: [...resultsKey(taskId), 'groups', stamp],
    queryFn: () => fetchJson<TaskOutputGroups>(`/tasks/${taskId}/groups`),
  });
  const headingId = useId();
  const variants = data ? (allVariants ? data.variants : data.variants.slice(0, GROUPS_SHOWN_VARIANTS)) : [];
  const base = data ? (data.variants.find((v) => v.hash === data.majority) ?? data.variants[0]) : undefined;
  let n = 0;
  return (
    <section className="card min-w-0 space-y-3 p-4" aria-labelledby={headingId} data-testid="output-groups">
      <h2 id={headingId} className="text-lg font-semibold">
        {t('title')}
      </h2>
      {isPending && <p className="text-sm text-slate-600 dark:text-slate-400">{t('loading')}</p>}
      {isError && <p className="field-error">{t('error')}</p>}
      {data && (
        <>
          <p className="text-sm font-medium" data-testid="groups-summary">
            {data.variantDevices === 0
              ? t('allIdentical', { count: data.devices })
              : data.majority === null
                ? t('noMajority', { count: data.devices, variants: data.variantCount })
                : t('summary', {
                    identical: data.identical,
                    variantDevices: data.variantDevices,
                    variants: data.variantCount,
                  })}
          </p>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            {data.ignorePatterns ? t('ignored') : t('normalised')}
          </p>
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {variants.map((v) => {
              const majority = v.hash === data.majority;
              const label = majority ? t('majority') : t('variant', { n: ++n });
              return (
                <VariantItem
                  key={v.hash}
                  taskId={taskId}
                  variant={v}
                  label={label}
                  majority={majority}
                  isBase={v === base}
                  againstMajority={data.majority !== null}
                />
              );
            })}
          </ul>
          {!allVariants && data.variants.length > GROUPS_SHOWN_VARIANTS && (
            <button type="button" className="btn-secondary" onClick={() => setAllVariants(true)}>
              {t('moreVariants', { count: data.variants.length })}
            </button>
          )}
          {data.variants.length < data.variantCount + (data.majority ? 1 : 0) && (
            <p className="text-xs text-slate-600 dark:text-slate-400">
              {t('capped', {
                shown: data.variants.length,
                count: data.variantCount + (data.majority ? 1 : 0),
              })}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function VariantItem({
  taskId,
  variant: v,
  label,
  majority,
  isBase,
  againstMajority,
}: {
  taskId: string;
  variant: TaskOutputVariant;
  label: string;
  majority: boolean;
  isBase: boolean;
  againstMajority: boolean;
}) {
  const t = useTranslations('results.groups');
  const [allNames, setAllNames] = useState(false);
  const [open, setOpen] = useState(false);
  const diffId = useId();
  const names = allNames ? v.devices : v.devices.slice(0, GROUPS_SHOWN_NAMES);
  const unlisted = v.count - v.devices.length;
  return (
    <li className="space-y-2 py-3" data-variant={label} data-majority={majority || undefined}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{label}</span>
        <span
          className={`rounded px-2 py-0.5 text-xs font-medium ${
            majority
              ? 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100'
              : 'bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-100'
          }`}
          data-testid="variant-count"
        >
          {t('devices', { count: v.count })}
        </span>
        {!isBase && (
          <button
            type="button"
            className="btn-secondary ml-auto px-2 py-1 text-xs"
            aria-expanded={open}
            aria-controls={diffId}
            onClick={() => setOpen((o) => !o)}
          >
            {open ? t('hideDiff') : againstMajority ? t('diffMajority') : t('diffFirst')}
          </button>
        )}
      </div>
      <p
        className="text-xs [overflow-wrap:anywhere] text-slate-700 dark:text-slate-300"
        data-testid="variant-devices"
      >
        {names.join(', ')}
        {!allNames && v.devices.length > GROUPS_SHOWN_NAMES && (
          <>
            {' '}
            <button
              type="button"
              className="text-sky-700 hover:underline dark:text-sky-400"
              onClick={() => setAllNames(true)}
            >
              {t('moreNames', { count: v.count })}
            </button>
          </>
        )}
        {allNames && v.devices.length > GROUPS_SHOWN_NAMES && (
          <>
            {' '}
            <button
              type="button"
              className="text-sky-700 hover:underline dark:text-sky-400"
              onClick={() => setAllNames(false)}
            >
              {t('fewerNames')}
            </button>
          </>
        )}
        {allNames && unlisted > 0 && <> {t('unlisted', { count: unlisted })}</>}
      </p>
      <div id={diffId}>{open && <VariantDiffPanel taskId={taskId} hash={v.hash} />}</div>
    </li>
  );
}

function VariantDiffPanel({ taskId, hash }: { taskId: string; hash: string }) {
  const t = useTranslations('results.groups');
  const td = useTranslations('results.diff');
  const { data, isPending, isError } = useQuery({
    queryKey: [...resultsKey(taskId), 'variant-diff', hash],
    queryFn: () => fetchJson<VariantDiff>(`/tasks/${taskId}/groups/${hash}`),
    staleTime: Infinity,
  });
  if (isPending) return <p className="text-xs text-slate-600 dark:text-slate-400">{td('loading')}</p>;
  if (isError || !data) return <p className="field-error">{td('error')}</p>;
  return (
    <div className="space-y-2" data-testid="variant-diff">
      <p className="text-xs text-slate-700 dark:text-slate-300">
        {t('diffTitle', {
          variant: data.variant.sampleDevice,
          device: t('devices', { count: data.variant.count }),
          base: data.base.majority ? t('majority') : t('variant', { n: 1 }),
          baseDevice: data.base.sampleDevice,
        })}
      </p>
      <DiffView diff={data.diff} />
    </div>
  );
}
