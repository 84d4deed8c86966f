import { useTranslations } from 'next-intl';
import type { CSSProperties, ReactNode } from 'react';

/**
 * A page's shape while it loads: grey blocks that pulse, marked busy, with one "Loading…" for screen
 * readers (the blocks themselves are hidden from them).
 */
export function Skeleton({ children, className = 'space-y-6' }: { children: ReactNode; className?: string }) {
  const t = useTranslations('common.states');
  return (
    <div aria-busy="true" className={className} data-testid="skeleton">
      <span className="sr-only" role="status">
        {t('loading')}
      </span>
      <div className="contents" aria-hidden>
        {children}
      </div>
    </div>
  );
}

/** One block of a skeleton. */
export function Bone({ className = '', style }: { className?: string; style?: CSSProperties }) {
  return (
    <div className={`animate-pulse rounded bg-slate-200 dark:bg-slate-800 ${className}`} style={style} />
  );
}
