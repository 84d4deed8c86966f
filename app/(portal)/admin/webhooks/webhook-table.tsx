import type { ReactNode } from 'react';

/** Where a row is a card (a phone), each cell shows its column's name above the value. */
export const PHONE_LABEL =
  'max-md:before:mb-0.5 max-md:before:block max-md:before:text-xs max-md:before:font-semibold max-md:before:tracking-wide max-md:before:text-slate-600 max-md:before:uppercase max-md:before:content-[attr(data-label)] dark:max-md:before:text-slate-300';

export interface WebhookColumn {
  label: string;
  /** Added to the heading's padding, e.g. `md:text-right` over a number column. */
  className?: string;
}

/**
 * The webhook list's and the delivery log's table: a card that scrolls sideways, with column headings
 * a phone hides (there each row is a card whose cells carry their label, see PHONE_LABEL).
 */
export function WebhookTable({
  label,
  testId,
  columns,
  children,
}: {
  /** The scrolling region's accessible name. */
  label: string;
  testId: string;
  columns: readonly WebhookColumn[];
  /** The rows. */
  children: ReactNode;
}) {
  return (
    <div className="card overflow-x-auto" role="region" aria-label={label}>
      <table
        className="block min-w-full divide-y divide-slate-200 text-sm md:table dark:divide-slate-800"
        data-testid={testId}
      >
        <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase max-md:sr-only dark:bg-slate-800/60 dark:text-slate-300">
          <tr>
            {columns.map((c) => (
              <th
                key={c.label}
                scope="col"
                className={c.className ? `px-4 py-2 ${c.className}` : 'px-4 py-2'}
              >
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="block divide-y divide-slate-100 md:table-row-group dark:divide-slate-800">
          {children}
        </tbody>
      </table>
    </div>
  );
}
