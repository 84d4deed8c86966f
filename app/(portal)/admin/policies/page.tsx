import { getTranslations } from 'next-intl/server';
import { NoAccess } from '@/app/_components/no-access';
import { ROLES } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { VENDOR_LABELS, VENDORS, type Vendor } from '@/lib/devices/schema';
import { POLICY_MODES } from '@/lib/policy/cli';
import { MATCH_KINDS, POLICY_ACTIONS } from '@/lib/policy/rules';
import { getRuntime } from '@/lib/server/registry';
import type { RuleOptions, RuleView } from './_lib/rule-form';
import { PolicyTester } from './policy-tester';
import { RulesPanel } from './rules-panel';

/** Devices the tester lists (by name); a portal with more lists these first ones. */
const TESTER_DEVICES_MAX = 2000;
/** Users the form and the tester list (by user name), besides any a rule names. */
const USERS_SHOWN = 1000;

export async function generateMetadata() {
  const t = await getTranslations('policies');
  return { title: t('title') };
}

export default async function PoliciesPage() {
  const me = await requireUser();
  const t = await getTranslations('policies');
  if (me.role !== 'admin') return <NoAccess what="manage command guard rails" />;
  const { db, policy } = getRuntime();
  const [rules, groups, teams, users, devices, deviceCount] = await Promise.all([
    policy.list(),
    db.deviceGroup.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
    db.team.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
    db.user.findMany({
      select: { id: true, username: true, displayName: true, role: true },
      orderBy: { username: 'asc' },
      take: USERS_SHOWN,
    }),
    db.device.findMany({
      select: { id: true, name: true, vendor: true },
      orderBy: { name: 'asc' },
      take: TESTER_DEVICES_MAX,
    }),
    db.device.count(),
  ]);
  // users a rule names that the list above left out (a portal with very many users)
  const listed = new Set(users.map((u) => u.id));
  const missing = [...new Set(rules.flatMap((r) => r.userIds))].filter((id) => !listed.has(id));
  if (missing.length > 0)
    users.push(
      ...(await db.user.findMany({
        where: { id: { in: missing } },
        select: { id: true, username: true, displayName: true, role: true },
      })),
    );
  const userName = (u: { username: string; displayName: string }) =>
    u.displayName && u.displayName !== u.username ? `${u.displayName} (${u.username})` : u.username;
  const vendorLabel = (v: string) => (Object.hasOwn(VENDOR_LABELS, v) ? VENDOR_LABELS[v as Vendor] : v);
  const options: RuleOptions = {
    actions: POLICY_ACTIONS,
    matchKinds: MATCH_KINDS,
    vendors: VENDORS.map((v) => ({ value: v, label: VENDOR_LABELS[v] })),
    roles: ROLES,
    modes: POLICY_MODES,
    groups,
    teams,
    users: users.map((u) => ({ id: u.id, name: userName(u) })),
  };
  const views: RuleView[] = rules.map((r, i) => ({ ...r, place: i + 1 }));
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">{t('heading')}</h1>
      <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-300">{t('intro')}</p>
      <div className="grid min-w-0 gap-6 xl:grid-cols-[minmax(0,1fr)_22rem] xl:items-start">
        <RulesPanel rules={views} options={options} />
        <div className="min-w-0 xl:sticky xl:top-4">
          <PolicyTester
            devices={devices.map((d) => ({ id: d.id, name: d.name, vendor: vendorLabel(d.vendor) }))}
            devicesCapped={deviceCount > devices.length ? devices.length : null}
            users={users.map((u) => ({ id: u.id, name: userName(u), role: u.role }))}
            modes={POLICY_MODES}
            defaultUser={me.id}
          />
        </div>
      </div>
    </div>
  );
}
