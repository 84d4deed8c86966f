'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useMemo, useState, useTransition } from 'react';
import { IMPORT_PAGE_MAX_BYTES } from '@/lib/devices/import/columns';
import type { ImportRowResult } from '@/lib/devices/import/import-devices';
import type { ImportAction } from '@/lib/devices/import/plan';
import { applyImportAction, previewImportAction, type ImportState } from './actions';

/** Rows drawn at once; the filter reaches the rest (errors first when filtered). */
const ROWS_SHOWN_MAX = 1000;

const ACTION_STYLE: Record<ImportAction, string> = {
  new: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200',
  changed: 'bg-sky-100 text-sky-800 dark:bg-sky-900/50 dark:text-sky-200',
  unchanged: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
  error: 'bg-red-100 text-red-700 dark:bg-red-900/50 dark:text-red-200',
};

/** The message key of each action's word, and of its count on the filter buttons. */
const ACTION_LABEL = {
  new: 'import.actionNew',
  changed: 'import.actionChanged',
  unchanged: 'import.actionUnchanged',
  error: 'import.actionError',
} as const satisfies Record<ImportAction, string>;
const ACTION_COUNT = {
  new: 'import.countNew',
  changed: 'import.countChanged',
  unchanged: 'import.countUnchanged',
  error: 'import.countError',
} as const satisfies Record<ImportAction, string>;

const PILL =
  'rounded-full border px-3 py-1 text-sm border-slate-300 bg-white text-slate-700 aria-pressed:border-slate-800 aria-pressed:bg-slate-800 aria-pressed:text-white dark:border-slate-600 dark:bg-slate-900 dark:text-slate-200 dark:aria-pressed:border-slate-100 dark:aria-pressed:bg-slate-100 dark:aria-pressed:text-slate-900';

const ACTIONS: ImportAction[] = ['new', 'changed', 'unchanged', 'error'];

export function ImportForm() {
  const t = useTranslations('devices');
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportState | null>(null);
  /** The text the preview was made from: an edit after it needs a new preview before Apply. */
  const [previewed, setPreviewed] = useState<string | null>(null);
  const [result, setResult] = useState<ImportState | null>(null);
  const [filter, setFilter] = useState<ImportAction | ''>('');
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<'preview' | 'apply' | null>(null);

  const tooLarge = new Blob([csv]).size > IMPORT_PAGE_MAX_BYTES;
  const stale = preview !== null && previewed !== csv;

  function choose(text: string, name: string | null) {
    setCsv(text);
    setFileName(name);
    setResult(null);
  }

  function runPreview() {
    setBusy('preview');
    setResult(null);
    startTransition(async () => {
      const r = await previewImportAction(csv);
      setPreview(r);
      setPreviewed(csv);
      setFilter(r.ok && r.summary.error > 0 ? 'error' : '');
      setBusy(null);
    });
  }

  function runApply() {
    setBusy('apply');
    startTransition(async () => {
      const r = await applyImportAction(csv);
      if (r.ok && r.applied) {
        setResult(r);
        setPreview(null);
        setPreviewed(null);
      } else setPreview(r); // refused: the rows as they are now, with the reason
      setBusy(null);
    });
  }

  const ok = preview?.ok ? preview : null;
  const shown = useMemo(
    () => (ok ? ok.rows.filter((r) => !filter || r.action === filter) : []),
    [ok, filter],
  );
  const applyBlocked = result?.ok
    ? t('import.blockedApplied')
    : !ok
      ? t('import.blockedNoPreview')
      : stale
        ? t('import.blockedStale')
        : ok.summary.error > 0
          ? t('import.blockedErrors', { count: ok.summary.error })
          : ok.summary.new + ok.summary.changed === 0
            ? t('import.blockedNothing')
            : null;

  return (
    <div className="space-y-4">
      <div className="card space-y-3 p-4">
        <div>
          <label htmlFor="import-file">{t('import.csvFile')}</label>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv,text/plain"
            className="mt-1 block w-full max-w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-100 dark:text-slate-300 dark:file:border-slate-600 dark:file:bg-slate-800 dark:file:text-slate-100 dark:hover:file:bg-slate-700"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (f) choose(await f.text(), f.name);
            }}
          />
          {fileName && (
            <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
              {t('import.loaded', { file: fileName })}
            </p>
          )}
        </div>
        <div>
          <label htmlFor="import-text">{t('import.paste')}</label>
          <textarea
            id="import-text"
            rows={8}
            className="input font-mono text-xs"
            spellCheck={false}
            wrap="off"
            placeholder={
              'name,host,port,vendor,username,password\ncore-sw-01,192.0.2.10,22,huawei_vrp,netops,secret'
            }
            value={csv}
            onChange={(e) => choose(e.target.value, null)}
          />
          {tooLarge && (
            <p className="field-error" role="alert">
              {t('import.tooLarge', { mb: IMPORT_PAGE_MAX_BYTES / 1024 / 1024 })}
            </p>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <button
            type="button"
            className="btn-secondary"
            disabled={pending || !csv.trim() || tooLarge}
            onClick={runPreview}
          >
            {busy === 'preview' ? t('import.previewing') : t('import.preview')}
          </button>
          <button
            type="button"
            className="btn-primary"
            disabled={pending || applyBlocked !== null}
            onClick={runApply}
            aria-describedby="apply-reason"
          >
            {busy === 'apply' ? t('import.applying') : t('import.apply')}
          </button>
          {applyBlocked && csv.trim() && (
            <span
              id="apply-reason"
              className="text-sm text-slate-600 dark:text-slate-400"
              data-testid="apply-reason"
            >
              {applyBlocked}
            </span>
          )}
        </div>
      </div>

      {preview && !preview.ok && (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/40 dark:text-red-300"
        >
          {preview.error}
        </p>
      )}
      {result && !result.ok && (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/40 dark:text-red-300"
        >
          {result.error}
        </p>
      )}

      {result?.ok && result.applied && (
        <div
          role="status"
          className="card space-y-2 border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-200"
        >
          <p className="font-semibold">
            {t('import.imported', {
              new: result.summary.new,
              changed: result.summary.changed,
              unchanged: result.summary.unchanged,
            })}
          </p>
          {result.groupsCreated.length > 0 && (
            <p>{t('import.groupsCreated', { groups: result.groupsCreated.join(', ') })}</p>
          )}
          {result.rows.some((r) => r.fields.includes('host') || r.fields.includes('port')) && (
            <p>{t('import.movedHint')}</p>
          )}
          <Link href="/devices" className="btn-primary">
            {t('import.goToList')}
          </Link>
        </div>
      )}

      {ok && (
        <section className="space-y-3" aria-label={t('import.previewLabel')}>
          <div className="flex flex-wrap items-center gap-2" role="group" aria-label={t('import.filterRows')}>
            <button type="button" onClick={() => setFilter('')} aria-pressed={filter === ''} className={PILL}>
              {t('import.all', { count: ok.rows.length })}
            </button>
            {ACTIONS.map((a) => (
              <button
                key={a}
                type="button"
                onClick={() => setFilter(a)}
                aria-pressed={filter === a}
                data-testid={`count-${a}`}
                className={PILL}
              >
                {t(ACTION_COUNT[a], { count: ok.summary[a] })}
              </button>
            ))}
            {stale && (
              <span className="text-sm text-amber-700 dark:text-amber-300">{t('import.staleNote')}</span>
            )}
          </div>
          <div className="card overflow-x-auto">
            <table
              className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800"
              data-testid="import-preview"
            >
              <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase dark:bg-slate-800/60 dark:text-slate-300">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    {t('import.line')}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t('import.name')}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t('import.action')}
                  </th>
                  {/* on a phone the details go under the name, so an error reads without scrolling */}
                  <th scope="col" className="hidden px-3 py-2 sm:table-cell">
                    {t('import.details')}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {shown.slice(0, ROWS_SHOWN_MAX).map((r) => (
                  <tr key={r.line} data-line={r.line} data-action={r.action}>
                    <td className="px-3 py-1.5 align-top font-mono text-xs text-slate-600 dark:text-slate-400">
                      {r.line}
                    </td>
                    <td className="px-3 py-1.5 align-top">
                      <span className="font-medium break-all sm:break-normal sm:whitespace-nowrap">
                        {r.name || '—'}
                      </span>
                      <div className="text-xs sm:hidden">
                        <RowDetails row={r} />
                      </div>
                    </td>
                    <td className="px-3 py-1.5 align-top">
                      <span
                        className={`rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${ACTION_STYLE[r.action]}`}
                      >
                        {t(ACTION_LABEL[r.action])}
                      </span>
                    </td>
                    <td className="hidden min-w-64 px-3 py-1.5 align-top sm:table-cell">
                      <RowDetails row={r} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {shown.length === 0 && (
              <p className="p-4 text-center text-sm text-slate-600 dark:text-slate-400">
                {t('import.noRows')}
              </p>
            )}
            {shown.length > ROWS_SHOWN_MAX && (
              <p className="p-3 text-center text-xs text-slate-600 dark:text-slate-400">
                {t('import.showingFirst', { shown: ROWS_SHOWN_MAX, total: shown.length })}
              </p>
            )}
          </div>
        </section>
      )}
    </div>
  );
}

function RowDetails({ row }: { row: ImportRowResult }) {
  return (
    <>
      {row.error && <span className="text-red-700 dark:text-red-300">{row.error}</span>}
      {row.action === 'changed' && <span className="font-mono text-xs">{row.fields.join(', ')}</span>}
      {row.note && <span className="block text-xs text-slate-600 dark:text-slate-400">{row.note}</span>}
    </>
  );
}
