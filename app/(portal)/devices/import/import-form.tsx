'use client';

import Link from 'next/link';
import { useMemo, useState, useTransition } from 'react';
import { IMPORT_PAGE_MAX_BYTES } from '@/lib/devices/import/columns';
import type { ImportRowResult } from '@/lib/devices/import/import-devices';
import type { ImportAction } from '@/lib/devices/import/plan';
import { applyImportAction, previewImportAction, type ImportState } from './actions';

/** Rows drawn at once; the filter reaches the rest (errors first when filtered). */
const ROWS_SHOWN_MAX = 1000;

const ACTION_STYLE: Record<ImportAction, string> = {
  new: 'bg-emerald-100 text-emerald-800',
  changed: 'bg-sky-100 text-sky-800',
  unchanged: 'bg-slate-100 text-slate-600',
  error: 'bg-red-100 text-red-700',
};

const ACTIONS: ImportAction[] = ['new', 'changed', 'unchanged', 'error'];

export function ImportForm() {
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
    ? 'Applied. Choose another file or change the text to import more.'
    : !ok
      ? 'Preview the file first.'
      : stale
        ? 'The text changed since the preview: preview again.'
        : ok.summary.error > 0
          ? `Fix the ${ok.summary.error} row${ok.summary.error === 1 ? '' : 's'} with errors and preview again.`
          : ok.summary.new + ok.summary.changed === 0
            ? 'Nothing to change: every row is unchanged.'
            : null;

  return (
    <div className="space-y-4">
      <div className="card space-y-3 p-4">
        <div>
          <label htmlFor="import-file">CSV file</label>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv,text/plain"
            className="mt-1 block w-full max-w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-100"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (f) choose(await f.text(), f.name);
            }}
          />
          {fileName && <p className="mt-1 text-xs text-slate-500">Loaded {fileName} into the box below.</p>}
        </div>
        <div>
          <label htmlFor="import-text">…or paste the CSV</label>
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
              This text is larger than {IMPORT_PAGE_MAX_BYTES / 1024 / 1024} MB, more than this page can send:
              split the file, or use the API (POST /api/v1/devices/import).
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
            {busy === 'preview' ? 'Previewing…' : 'Preview'}
          </button>
          <button
            type="button"
            className="btn-primary"
            disabled={pending || applyBlocked !== null}
            onClick={runApply}
            aria-describedby="apply-reason"
          >
            {busy === 'apply' ? 'Applying…' : 'Apply'}
          </button>
          {applyBlocked && csv.trim() && (
            <span id="apply-reason" className="text-sm text-slate-500" data-testid="apply-reason">
              {applyBlocked}
            </span>
          )}
        </div>
      </div>

      {preview && !preview.ok && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {preview.error}
        </p>
      )}
      {result && !result.ok && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {result.error}
        </p>
      )}

      {result?.ok && result.applied && (
        <div
          role="status"
          className="card space-y-2 border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900"
        >
          <p className="font-semibold">
            Imported: {result.summary.new} new, {result.summary.changed} changed, {result.summary.unchanged}{' '}
            unchanged.
          </p>
          {result.groupsCreated.length > 0 && <p>Groups created: {result.groupsCreated.join(', ')}.</p>}
          {result.rows.some((r) => r.fields.includes('host') || r.fields.includes('port')) && (
            <p>Moved devices need their new host key accepted on their page at the first login.</p>
          )}
          <Link href="/devices" className="btn-primary">
            Go to the device list
          </Link>
        </div>
      )}

      {ok && (
        <section className="space-y-3" aria-label="Preview">
          <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Filter rows">
            <button
              type="button"
              onClick={() => setFilter('')}
              aria-pressed={filter === ''}
              className={`rounded-full border px-3 py-1 text-sm ${filter === '' ? 'border-slate-800 bg-slate-800 text-white' : 'border-slate-300 bg-white text-slate-700'}`}
            >
              All {ok.rows.length}
            </button>
            {ACTIONS.map((a) => (
              <button
                key={a}
                type="button"
                onClick={() => setFilter(a)}
                aria-pressed={filter === a}
                data-testid={`count-${a}`}
                className={`rounded-full border px-3 py-1 text-sm ${filter === a ? 'border-slate-800 bg-slate-800 text-white' : 'border-slate-300 bg-white text-slate-700'}`}
              >
                {ok.summary[a]} {a === 'error' ? (ok.summary.error === 1 ? 'error' : 'errors') : a}
              </button>
            ))}
            {stale && <span className="text-sm text-amber-700">The text changed since this preview.</span>}
          </div>
          <div className="card overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="import-preview">
              <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
                <tr>
                  <th className="px-3 py-2">Line</th>
                  <th className="px-3 py-2">Name</th>
                  <th className="px-3 py-2">Action</th>
                  {/* on a phone the details go under the name, so an error reads without scrolling */}
                  <th className="hidden px-3 py-2 sm:table-cell">Details</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {shown.slice(0, ROWS_SHOWN_MAX).map((r) => (
                  <tr key={r.line} data-line={r.line} data-action={r.action}>
                    <td className="px-3 py-1.5 align-top font-mono text-xs text-slate-500">{r.line}</td>
                    <td className="px-3 py-1.5 align-top">
                      <span className="font-medium break-all sm:break-normal sm:whitespace-nowrap">
                        {r.name || '—'}
                      </span>
                      <div className="text-xs sm:hidden">
                        <RowDetails row={r} />
                      </div>
                    </td>
                    <td className="px-3 py-1.5 align-top">
                      <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${ACTION_STYLE[r.action]}`}>
                        {r.action}
                      </span>
                    </td>
                    <td className="hidden min-w-64 px-3 py-1.5 align-top sm:table-cell">
                      <RowDetails row={r} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {shown.length === 0 && <p className="p-4 text-center text-sm text-slate-500">No rows.</p>}
            {shown.length > ROWS_SHOWN_MAX && (
              <p className="p-3 text-center text-xs text-slate-500">
                Showing the first {ROWS_SHOWN_MAX} of {shown.length} rows; filter to see the others.
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
      {row.error && <span className="text-red-700">{row.error}</span>}
      {row.action === 'changed' && <span className="font-mono text-xs">{row.fields.join(', ')}</span>}
      {row.note && <span className="block text-xs text-slate-500">{row.note}</span>}
    </>
  );
}
