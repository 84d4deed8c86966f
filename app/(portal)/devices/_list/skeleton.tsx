import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';

/** A grey block standing in for text or a control while the page loads. */
export function Bone({ className = '' }: { className?: string }) {
  return <div className={`rounded bg-slate-200 dark:bg-slate-800 ${className}`} />;
}

/** The frame of the device pages' loading skeletons: busy for assistive technology, pulsing for the eye. */
export async function Skeleton({ children }: { children: ReactNode }) {
  const t = await getTranslations('common');
  return (
    <div className="animate-pulse space-y-4" aria-busy="true" aria-live="polite">
      <span className="sr-only">{t('states.loading')}</span>
      {children}
    </div>
  );
}

/** The device form's shape: a card of labelled fields in a grid, then the buttons. */
export function FormBones({ fields = 8 }: { fields?: number }) {
  return (
    <div className="card max-w-3xl space-y-5 p-4 sm:p-6">
      <div className="grid gap-4 sm:grid-cols-3">
        {Array.from({ length: fields }, (_, i) => (
          <div key={i} className="space-y-2">
            <Bone className="h-3 w-24" />
            <Bone className="h-8 w-full" />
          </div>
        ))}
      </div>
      <div className="flex gap-3">
        <Bone className="h-8 w-28" />
        <Bone className="h-8 w-20" />
      </div>
    </div>
  );
}
