import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

export type DeviceTab = 'overview' | 'history';

/**
 * The device page's sections, each its own URL (a link to the history can be shared): Overview
 * (`/devices/<id>`) and Configuration history (`/devices/<id>/history`).
 */
export async function DeviceTabs({ deviceId, current }: { deviceId: string; current: DeviceTab }) {
  const t = await getTranslations('device');
  const tabs: { key: DeviceTab; href: string; label: string }[] = [
    { key: 'overview', href: `/devices/${deviceId}`, label: t('tabs.overview') },
    { key: 'history', href: `/devices/${deviceId}/history`, label: t('tabs.history') },
  ];
  return (
    <nav
      aria-label={t('tabs.label')}
      className="overflow-x-auto border-b border-slate-200 dark:border-slate-800"
      data-testid="device-tabs"
    >
      <ul className="flex gap-1">
        {tabs.map((tab) => {
          const active = tab.key === current;
          return (
            <li key={tab.key} className="shrink-0">
              <Link
                href={tab.href}
                aria-current={active ? 'page' : undefined}
                className={`-mb-px inline-flex min-h-11 items-center border-b-2 px-3 text-sm font-medium whitespace-nowrap ${
                  active
                    ? 'border-sky-700 text-sky-800 dark:border-sky-400 dark:text-sky-300'
                    : 'border-transparent text-slate-600 hover:border-slate-400 hover:text-slate-900 dark:text-slate-400 dark:hover:border-slate-500 dark:hover:text-slate-100'
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
