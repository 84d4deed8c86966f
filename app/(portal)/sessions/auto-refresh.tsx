'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/** Reads the page again every few seconds while it is visible (sessions open, close, go idle). */
export function AutoRefresh({ seconds, label }: { seconds: number; label: string }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') router.refresh();
    }, seconds * 1000);
    return () => clearInterval(timer);
  }, [router, seconds]);
  return <span className="text-slate-500 dark:text-slate-400">{label}</span>;
}
