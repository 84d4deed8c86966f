'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useCallback } from 'react';
import { formatDuration } from '@/lib/format/duration';
import { isLocale } from '@/lib/i18n/config';

type Params = Record<string, string | number> | undefined;

/**
 * A notification in the reader's language, from its kind and the facts it was made from; the
 * stored English text when the facts are missing (notifications from before they were kept).
 */
export function useNotificationText() {
  const t = useTranslations('shell.notice');
  const locale = useLocale();
  return useCallback(
    (n: { kind: string; title: string; body: string; params?: Params }): { title: string; body: string } => {
      const p = n.params ?? {};
      const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
      const num = (k: string) => (typeof p[k] === 'number' ? (p[k] as number) : undefined);
      const device = str('device');
      const task = str('task');
      if (n.kind === 'device_down' && device) {
        return {
          title: t('deviceDown', { device }),
          body: [str('host'), str('reason')].filter(Boolean).join(': '),
        };
      }
      if (n.kind === 'device_up' && device) {
        const outage = num('outageMs');
        return {
          title:
            outage === undefined
              ? t('deviceUp', { device })
              : t('deviceUpAfter', {
                  device,
                  duration: formatDuration(outage, isLocale(locale) ? locale : 'en'),
                }),
          body: str('host') ?? '',
        };
      }
      if (n.kind === 'task_failed' && str('schedule')) {
        return {
          title: t('scheduleFailed', { template: str('template') ?? '' }),
          body: str('error') ?? n.body,
        };
      }
      const changed = num('changed');
      if (n.kind === 'config_changed' && str('template') && changed !== undefined) {
        const template = str('template') ?? '';
        return {
          title: t('configChanged', { template, changed }),
          body: t('configChangedBody', { changed, unchanged: num('unchanged') ?? 0, new: num('new') ?? 0 }),
        };
      }
      if (n.kind === 'recording_failed' && str('node') && str('error')) {
        return {
          title: t('recordingFailed', { node: str('node')! }),
          body: t('recordingFailedBody', {
            error: str('error')!,
            user: str('user') ?? '',
            device: str('device') ?? '',
          }),
        };
      }
      const command = str('command');
      if (n.kind === 'approval_requested' && device && command && str('requester')) {
        const rule = str('rule');
        return {
          title: t('approvalRequested', { requester: str('requester')!, command, device }),
          body: rule ? t('approvalRequestedBody', { rule }) : n.body,
        };
      }
      if (n.kind === 'command_guarded' && device && command && str('outcome') && str('rule')) {
        return {
          title: t('commandGuarded', { outcome: str('outcome')!, command, device }),
          body: t('commandGuardedBody', { rule: str('rule')! }),
        };
      }
      const total = num('total');
      if ((n.kind === 'task_completed' || n.kind === 'task_failed') && task && total !== undefined) {
        return n.kind === 'task_completed'
          ? {
              title: t('taskCompleted', { task }),
              body: num('skipped')
                ? t('taskCompletedSkippedBody', {
                    total,
                    skipped: num('skipped')!,
                    succeeded: total - num('skipped')!,
                  })
                : t('taskCompletedBody', { total }),
            }
          : {
              title: t('taskFailed', { task }),
              body: t('taskFailedBody', { failed: num('failed') ?? 0, total }),
            };
      }
      return { title: n.title, body: n.body };
    },
    [t, locale],
  );
}
