'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { SearchHits } from '@/app/_components/search-hits';
import { searchTemplateAction, type TemplateSearchState } from '../actions';

/** "Which devices' latest output holds this line?" over the template's history. */
export function HistorySearch({ templateId }: { templateId: string }) {
  const t = useTranslations('automation.search');
  const [q, setQ] = useState('');
  const [result, setResult] = useState<TemplateSearchState>(null);
  const [pending, start] = useTransition();
  return (
    <section className="card space-y-3 p-4" aria-labelledby="history-search-heading">
      <h2 id="history-search-heading" className="text-lg font-semibold">
        {t('title')}
      </h2>
      <form
        role="search"
        aria-label={t('title')}
        className="flex flex-wrap gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          start(async () => setResult(await searchTemplateAction(templateId, q)));
        }}
      >
        <input
          type="search"
          className="input min-w-0 flex-1 font-mono text-sm"
          aria-label={t('query')}
          placeholder={t('placeholder')}
          value={q}
          maxLength={502}
          onChange={(e) => setQ(e.target.value)}
          aria-describedby="history-search-help"
        />
        <button type="submit" className="btn-secondary" disabled={pending}>
          {pending ? t('searching') : t('search')}
        </button>
      </form>
      <p id="history-search-help" className="text-xs text-slate-600 dark:text-slate-400">
        {t('help')}
      </p>
      {result && !result.ok && (
        <p role="alert" className="field-error">
          {result.error}
        </p>
      )}
      {result?.ok && (
        <div role="status" aria-live="polite" data-testid="history-search-results">
          <p className="text-sm text-slate-700 dark:text-slate-300">
            {t('summary', { hits: result.hits.length, searched: result.searched })}
          </p>
          <SearchHits
            hits={result.hits}
            className="mt-2 space-y-2"
            more={(count) => t('more', { count })}
            lines={(h) => (
              <pre className="mt-1 overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-950">
                {h.lines.map((l) => `${String(l.line).padStart(5)}  ${l.text}`).join('\n')}
              </pre>
            )}
          />
        </div>
      )}
    </section>
  );
}
