'use client';

import { useTranslations } from 'next-intl';
import { usePathname } from 'next/navigation';
import { useEffect, useId, useState, type ReactNode } from 'react';

/**
 * The main navigation. From the md breakpoint up it sits in the header row; on a phone it folds
 * behind a Menu button (the header keeps the logo, search, bell and account on one row) and folds
 * again after each navigation.
 */
export function HeaderNav({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  const t = useTranslations('common.nav');
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const id = useId();
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  return (
    <>
      <button
        type="button"
        className="order-first -ml-1 rounded-md p-1.5 text-slate-300 hover:bg-slate-800 hover:text-white md:hidden"
        aria-expanded={open}
        aria-controls={id}
        aria-label={t('menu')}
        data-testid="nav-menu"
        onClick={() => setOpen((v) => !v)}
      >
        <svg
          viewBox="0 0 20 20"
          className="h-5 w-5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
          aria-hidden
        >
          {open ? <path d="M5 5l10 10M15 5L5 15" /> : <path d="M3 5h14M3 10h14M3 15h14" />}
        </svg>
      </button>
      <nav
        id={id}
        aria-label={t('label')}
        className={`${open ? 'flex' : 'hidden'} order-last w-full flex-col gap-1 pb-1 md:order-none md:flex md:w-auto md:flex-1 md:flex-row md:items-center md:pb-0`}
      >
        {children}
        {extra && (
          <div className="mt-2 flex items-center gap-3 border-t border-slate-700 pt-2 md:hidden">{extra}</div>
        )}
      </nav>
    </>
  );
}
