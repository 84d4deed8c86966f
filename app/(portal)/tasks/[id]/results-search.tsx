'use client';

import { useQuery } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useId, useState, type ReactNode } from 'react';
import { SearchHits } from '@/app/_components/search-hits';
import type { TaskSearch } from '@/lib/automation/task-results';
import { fetchJson, resultsKey } from './results-client';

/** Plain text is marked where it matched (a /pattern/ is matched on the server, by RE2). */
function marked(text: string, query: string): ReactNode {
  const q = query.trim();
  if (q === '' || (q.length > 2 && q.startsWith('/') && q.endsWith('/'))) return text;
  const lower = text.toLowerCase();
  const needle = q.toLowerCase();
  const parts: ReactNode[] = [];
  let at = 0;
  for (let i = lower.indexOf(needle); i !== -1 && needle !== ''; i = lower.indexOf(needle, at)) {
    parts.push(text.slice(at, i));
    parts.push(
      <mark key={i} className="rounded-sm bg-amber-200 text-slate-900 dark:bg-amber-700 dark:text-white">
        {text.slice(i, i + needle.length)}
      </mark>,
    );
    at = i + needle.length;
  }
  parts.push(text.slice(at));
  return parts;
}

/**
 * "Which devices said this?": text (any case) or a /pattern/ over every device's output in the task,
 * answered with each matching device and its first matching lines.
 */
export function ResultsSearch({ taskId }: { taskId: string }) {
  const t = useTranslations('results.search');
  const [text, setText] = useState('');
  const [query, setQuery] = useState<string | null>(null);
  const [empty, setEmpty] = useState(false);
  const headingId = useId();
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const { data, isFetching, isError } = useQuery({
    queryKey: [...resultsKey(taskId), 'search', query],
    queryFn: () => fetchJson<TaskSearch>(`/tasks/${taskId}/search?q=${encodeURIComponent(query ?? '')}`),
    enabled: query !== null,
  });
  const refused = data && !data.ok ? data : null;
  const error = empty
    ? t('errors.empty')
    : refused
      ? refused.code === 'patternInvalid'
        ? t('errors.patternInvalid', { detail: refused.detail ?? '' })
        : t(`errors.${refused.code}`)
      : null;
  return (
    <section className="card min-w-0 space-y-3 p-4" aria-labelledby={headingId} data-testid="results-search">
      <h2 id={headingId} className="text-lg font-semibold">
        {t('title')}
      </h2>
      <form
        role="search"
        aria-labelledby={headingId}
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const q = text.trim();
          setEmpty(q === '');
          setQuery(q === '' ? null : q);
        }}
      >
        <div className="min-w-0 flex-1 basis-48">
          <label htmlFor={inputId}>{t('label')}</label>
          <input
            id={inputId}
            type="search"
            className="input font-mono"
            value={text}
            maxLength={502}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={error ? `${hintId} ${errorId}` : hintId}
            aria-invalid={error ? true : undefined}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <button type="submit" className="btn-primary" disabled={isFetching}>
          {t('submit')}
        </button>
      </form>
      <p id={hintId} className="text-xs text-slate-600 dark:text-slate-400">
        {t('hint')}
      </p>
      {error && (
        <p id={errorId} role="alert" className="field-error" data-testid="search-error">
          {error}
        </p>
      )}
      {isError && (
        <p role="alert" className="field-error">
          {t('loadError')}
        </p>
      )}
      <div aria-live="polite" className="space-y-2">
        {isFetching && <p className="text-sm text-slate-600 dark:text-slate-400">{t('searching')}</p>}
        {!isFetching && data?.ok && query !== null && (
          <>
            <p className="text-sm font-medium" data-testid="search-summary">
              {t('matches', { count: data.hits.length, searched: data.searched })}
            </p>
            {data.limited && (
              <p className="text-xs text-slate-600 dark:text-slate-400">
                {t('limited', { searched: data.searched, total: data.total })}
              </p>
            )}
            <SearchHits
              hits={data.hits}
              className="space-y-2"
              testId="search-hits"
              more={(count) => t('more', { count })}
              lines={(h) => (
                <ul className="mt-1 space-y-0.5">
                  {h.lines.map((l, i) => (
                    <li key={i} className="min-w-0 font-mono text-xs [overflow-wrap:anywhere]">
                      <span className="mr-2 text-slate-600 dark:text-slate-400">
                        {l.command ? `${l.command} · ` : ''}
                        {t('line', { line: l.line })}
                      </span>
                      <code className="whitespace-pre-wrap text-slate-900 dark:text-slate-100">
                        {marked(l.text, query)}
                      </code>
                    </li>
                  ))}
                </ul>
              )}
            />
          </>
        )}
      </div>
    </section>
  );
}
