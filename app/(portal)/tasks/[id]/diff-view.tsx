'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';

/** What the server's diffs carry (lib/automation/diff.ts OutputDiff, with the two sides' labels). */
export interface DiffData {
  changed: boolean;
  added: number;
  removed: number;
  patch: string | null;
  cut: boolean;
  tooDifferent: boolean;
  from: string;
  to: string;
}

/** Lines drawn at first; a longer diff shows the rest when asked (the page stays responsive). */
export const DIFF_SHOWN_LINES = 2000;

type LineKind = 'add' | 'del' | 'hunk' | 'head' | 'ctx' | 'note';

const LINE_CLASS: Record<LineKind, string> = {
  add: 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
  del: 'bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200',
  hunk: 'bg-sky-50 text-sky-900 dark:bg-sky-950 dark:text-sky-200',
  head: 'font-semibold text-slate-700 dark:text-slate-300',
  ctx: 'text-slate-800 dark:text-slate-200',
  note: 'italic text-slate-600 dark:text-slate-400',
};

function kindOf(line: string): LineKind {
  if (line.startsWith('+++ ') || line.startsWith('--- ')) return 'head';
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  if (line.startsWith('\\')) return 'note';
  return 'ctx';
}

/** The unified diff's lines without jsdiff's "=====" rule and trailing empty line. */
function linesOf(patch: string): string[] {
  const lines = patch.replace(/\n$/, '').split('\n');
  return lines.filter((l, i) => !(i === 0 && /^=+$/.test(l)));
}

/**
 * A unified diff, readable: added and removed lines coloured (the +/− stays in the text, so the
 * meaning does not rest on colour), hunk headers marked, and why it is partial when it is.
 */
export function DiffView({ diff }: { diff: DiffData }) {
  const t = useTranslations('results.diff');
  const [all, setAll] = useState(false);
  const lines = diff.patch ? linesOf(diff.patch) : [];
  const shown = all ? lines : lines.slice(0, DIFF_SHOWN_LINES);
  return (
    <div className="space-y-2" data-testid="diff">
      {diff.cut && (
        <p
          className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:bg-amber-950/50 dark:text-amber-200"
          data-testid="diff-cut"
        >
          {t('cut')}
        </p>
      )}
      {diff.tooDifferent && (
        <p
          className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:bg-amber-950/50 dark:text-amber-200"
          data-testid="diff-too-different"
        >
          {t('tooDifferent', { added: diff.added, removed: diff.removed })}
        </p>
      )}
      {!diff.changed && (
        <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="diff-same">
          {t('same')}
        </p>
      )}
      {lines.length > 0 && (
        <pre
          className="max-h-[32rem] overflow-auto rounded-md bg-white py-1 font-mono text-xs leading-5 ring-1 ring-slate-200 dark:bg-slate-950 dark:ring-slate-700"
          tabIndex={0}
          role="region"
          aria-label={t('region', { from: diff.from, to: diff.to })}
        >
          <code className="block min-w-max">
            {shown.map((l, i) => {
              const kind = kindOf(l);
              return (
                <span key={i} className={`block px-2 whitespace-pre ${LINE_CLASS[kind]}`} data-line={kind}>
                  {l === '' ? ' ' : l}
                </span>
              );
            })}
          </code>
        </pre>
      )}
      {shown.length < lines.length && (
        <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
          {t('shownLines', { shown: shown.length, count: lines.length })}
          <button type="button" className="btn-secondary text-xs" onClick={() => setAll(true)}>
            {t('allLines')}
          </button>
        </p>
      )}
    </div>
  );
}
