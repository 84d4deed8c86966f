import Link from 'next/link';
import type { ReactNode } from 'react';
import type { SearchHit } from '@/lib/automation/search';

/**
 * The devices a search of output found: each device (a link to its page while it is still in the
 * inventory), its matching lines as the caller shows them, and how many more lines matched.
 */
export function SearchHits({
  hits,
  lines,
  more,
  className,
  testId,
}: {
  hits: readonly SearchHit[];
  lines: (hit: SearchHit) => ReactNode;
  /** "and 3 more lines", in the caller's words. */
  more: (count: number) => string;
  className: string;
  testId?: string;
}) {
  return (
    <ul className={className} data-testid={testId}>
      {hits.map((h) => (
        <li key={`${h.device}|${h.deviceId}`} className="min-w-0 text-sm" data-device={h.device}>
          {h.deviceId ? (
            <Link
              href={`/devices/${h.deviceId}`}
              className="font-medium text-sky-700 hover:underline dark:text-sky-400"
            >
              {h.device}
            </Link>
          ) : (
            <span className="font-medium">{h.device}</span>
          )}
          {lines(h)}
          {h.more > 0 && <p className="text-xs text-slate-600 dark:text-slate-400">{more(h.more)}</p>}
        </li>
      ))}
    </ul>
  );
}
