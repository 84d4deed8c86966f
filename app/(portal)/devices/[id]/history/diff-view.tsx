import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { Time } from '@/app/_components/time';
import { DIFF_MAX_BYTES, type OutputDiff } from '@/lib/automation/diff';
import type { HistoryVersion } from '@/lib/devices/history-page';

export type PatchLine = { kind: 'add' | 'del' | 'hunk' | 'context' | 'note'; text: string };

/**
 * A unified diff (jsdiff's formatPatch) as lines to colour: the file header (`===`, `---`, `+++`)
 * is left out, since the page names both versions above it.
 */
export function patchLines(patch: string): PatchLine[] {
  const lines = patch.replace(/\n$/, '').split('\n');
  let i = 0;
  while (i < lines.length && !lines[i]!.startsWith('@@')) i++;
  return lines.slice(i).map((text) => ({
    text,
    kind: text.startsWith('@@')
      ? 'hunk'
      : text.startsWith('+')
        ? 'add'
        : text.startsWith('-')
          ? 'del'
          : text.startsWith('\\')
            ? 'note'
            : 'context',
  }));
}

// AA in both themes: dark text on a pale tint, light text on a deep one
const LINE_CLASS: Record<PatchLine['kind'], string> = {
  add: 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
  del: 'bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200',
  hunk: 'bg-sky-50 text-sky-900 dark:bg-sky-950 dark:text-sky-200',
  context: 'text-slate-700 dark:text-slate-300',
  note: 'text-slate-600 italic dark:text-slate-400',
};

function mib(format: Awaited<ReturnType<typeof getFormatter>>, bytes: number) {
  return `${format.number(bytes / (1024 * 1024), { maximumFractionDigits: 1 })} MiB`;
}

/** Two versions compared: both named, the counts, the bounded-diff notices and the coloured patch. */
export async function DiffView({
  from,
  to,
  diff,
  closeHref,
}: {
  from: HistoryVersion;
  to: HistoryVersion;
  diff: OutputDiff;
  closeHref: string;
}) {
  const [t, format] = await Promise.all([getTranslations('history'), getFormatter()]);
  const lines = diff.patch ? patchLines(diff.patch) : [];
  return (
    <section
      className="card min-w-0 space-y-3 p-4"
      aria-labelledby="history-diff-heading"
      id="diff"
      data-testid="history-diff"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 id="history-diff-heading" className="text-sm font-semibold">
            {t('diff.heading')}
          </h2>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            {t.rich('diff.between', {
              from: () => <Time iso={from.createdAt} className="font-mono text-xs" />,
              to: () => <Time iso={to.createdAt} className="font-mono text-xs" />,
            })}
            {diff.changed && (
              <span
                className="ml-2 font-mono text-xs whitespace-nowrap"
                aria-label={t('change.countsLabel', { added: diff.added, removed: diff.removed })}
                data-testid="diff-counts"
              >
                <span className="text-emerald-700 dark:text-emerald-300">+{diff.added}</span>{' '}
                <span className="text-red-700 dark:text-red-300">−{diff.removed}</span>
              </span>
            )}
          </p>
        </div>
        <Link href={closeHref} className="btn-secondary min-h-11" scroll={false}>
          {t('diff.close')}
        </Link>
      </div>
      {diff.cut && (
        <p
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
          data-testid="diff-truncated"
        >
          {t('diff.truncated', { size: mib(format, DIFF_MAX_BYTES) })}
        </p>
      )}
      {!diff.changed ? (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="diff-identical">
          {t('diff.identical')}
        </p>
      ) : diff.tooDifferent ? (
        <p
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
          data-testid="diff-too-different"
        >
          {t('diff.tooDifferent', { added: diff.added, removed: diff.removed })}
        </p>
      ) : (
        <>
          <div
            className="max-h-[70vh] overflow-auto rounded-md border border-slate-200 font-mono text-xs leading-5 dark:border-slate-700"
            role="region"
            aria-label={t('diff.patch')}
            tabIndex={0}
            data-testid="diff-patch"
          >
            <div className="min-w-max">
              {lines.map((l, i) => (
                <div key={i} className={`px-3 whitespace-pre ${LINE_CLASS[l.kind]}`} data-line={l.kind}>
                  {l.text || ' '}
                </div>
              ))}
            </div>
          </div>
          <p className="text-xs text-slate-600 dark:text-slate-400">{t('diff.legend')}</p>
        </>
      )}
    </section>
  );
}
