'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { historyHref } from './urls';

/** Which template's versions the list shows: the backup first, then each template run on the device. */
export function TemplatePicker({
  deviceId,
  current,
  templates,
}: {
  deviceId: string;
  current: string;
  templates: { id: string; name: string; versions: number }[];
}) {
  const t = useTranslations('history');
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <label className="flex flex-wrap items-center gap-2 font-normal" aria-busy={pending}>
      <span className="text-sm font-medium">{t('template')}</span>
      <select
        className="input mt-0 w-auto max-w-full min-w-0"
        value={current}
        onChange={(e) => start(() => router.push(historyHref(deviceId, { template: e.target.value })))}
        data-testid="history-template"
      >
        {templates.map((x) => (
          <option key={x.id} value={x.id}>
            {t('templateOption', { name: x.name, count: x.versions })}
          </option>
        ))}
      </select>
    </label>
  );
}
