import { useTranslations } from 'next-intl';

/** What pages say they refuse today, mapped to the words of each language. */
const WHAT = {
  'manage teams': 'manageTeams',
  'manage device grants': 'manageGrants',
  'manage users': 'manageUsers',
  'read the audit log': 'readAudit',
  'manage device groups': 'manageGroups',
  'open terminals': 'openTerminals',
  'run tasks': 'runTasks',
  'add devices': 'addDevices',
  'change devices': 'changeDevices',
  'change this device': 'changeThisDevice',
  'import devices': 'importDevices',
} as const;

export type NoAccessWhat = keyof typeof WHAT;

/**
 * "Not allowed" in place of a page the user's role may not use. `what` is one of the known actions
 * (translated here); another text is shown as the generic refusal rather than half in English.
 */
export function NoAccess({ what }: { what: NoAccessWhat | (string & {}) }) {
  const t = useTranslations('shell.noAccess');
  const key = Object.hasOwn(WHAT, what) ? WHAT[what as NoAccessWhat] : null;
  return (
    <div className="card p-8 text-center" role="alert">
      <h1 className="text-lg font-semibold">{t('title')}</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
        {key ? t('body', { what: t(`what.${key}`) }) : t('bodyGeneric')}
      </p>
    </div>
  );
}
