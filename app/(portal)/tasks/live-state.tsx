'use client';

import { useTranslations } from 'next-intl';

/** Whether the page follows the task monitor live, or is (re)connecting to it. */
export function LiveState({ live }: { live: boolean }) {
  const t = useTranslations('tasks');
  return (
    <span
      className="text-xs whitespace-nowrap text-slate-500 dark:text-slate-400"
      data-testid="monitor-state"
      title={live ? t('liveTitle') : t('connectingTitle')}
    >
      {live ? t('live') : t('connecting')}
    </span>
  );
}
