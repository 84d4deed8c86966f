import { getTranslations } from 'next-intl/server';
import { NoAccess } from '@/app/_components/no-access';
import { Time } from '@/app/_components/time';
import { requireUser } from '@/lib/auth/session';
import {
  getOutputSettings,
  lastOutputPurge,
  OUTPUT_RETENTION_DAYS_MAX,
  OUTPUT_RETENTION_DAYS_MIN,
} from '@/lib/automation/settings';
import { SECRET_MARK } from '@/lib/automation/redact';
import { getRuntime } from '@/lib/server/registry';
import { OutputSettingsForm } from './settings-form';

export async function generateMetadata() {
  const t = await getTranslations('webhooks');
  return { title: t('settings.title') };
}

export default async function SettingsPage() {
  const me = await requireUser();
  const t = await getTranslations('webhooks');
  if (me.role !== 'admin') return <NoAccess what="change settings" />;
  const { db, tunables } = getRuntime();
  const [settings, purge] = await Promise.all([getOutputSettings(db), lastOutputPurge(db)]);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">{t('settings.heading')}</h1>
      <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-300">{t('settings.intro')}</p>
      <OutputSettingsForm
        current={settings}
        mark={SECRET_MARK}
        limits={{
          min: OUTPUT_RETENTION_DAYS_MIN,
          max: OUTPUT_RETENTION_DAYS_MAX,
          purgeHours: tunables.OUTPUT_PURGE_INTERVAL_MS / 3_600_000,
        }}
      />
      <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="last-purge">
        {purge ? (
          <>
            {t('settings.lastPurge')} <Time iso={purge.at} className="font-mono" />
            {' · '}
            {t('settings.lastPurgeResult', { versions: purge.versions, blobs: purge.blobs })}
          </>
        ) : (
          t('settings.neverPurged')
        )}
      </p>
    </div>
  );
}
