'use client';

import type { ReactNode } from 'react';

/** An empty state's next action: a button that takes the reader to the field where it starts. */
export function FocusButton({
  target,
  children,
  className = 'btn-primary',
}: {
  target: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <button
      type="button"
      className={className}
      onClick={() => {
        const el = document.getElementById(target);
        el?.scrollIntoView({ block: 'center' });
        el?.focus();
      }}
    >
      {children}
    </button>
  );
}
