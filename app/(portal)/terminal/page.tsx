import { getTranslations } from 'next-intl/server';
import { NoAccess } from '@/app/_components/no-access';
import { can } from '@/lib/auth/roles';
import { getCurrentPrefs, requireUser } from '@/lib/auth/session';
import { listDevices } from '@/lib/devices/inventory';
import { BULK_TERMINALS_MAX, parseIdList } from '@/lib/devices/device-list-params';
import { clampFontSize, terminalThemeName } from '@/lib/terminal/themes';
import { TerminalWorkspace } from './workspace';
import { getRuntime } from '@/lib/server/registry';

export async function generateMetadata() {
  const t = await getTranslations('terminal');
  return { title: t('title') };
}

export default async function TerminalPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const t = await getTranslations('terminal');
  if (!can(user.role, 'terminal:open')) return <NoAccess what={t('noAccess')} />;
  // every device the user may see: where they may not operate it (or are a viewer) the terminal is
  // read-only, limited by the guard rails' read-only rules (display, show, ping…)
  const [devices, prefs] = await Promise.all([
    listDevices(user, {}, getRuntime(), 'view'),
    getCurrentPrefs(),
  ]);
  // `?devices=a,b`: one new tab each (Connect, the palette, the list's bulk action), devices the user
  // may see only, at most BULK_TERMINALS_MAX
  const asked = parseIdList((await searchParams).devices, BULK_TERMINALS_MAX);
  const visible = new Set(devices.map((d) => d.id));
  // which of them the user may operate (the rest open read-only)
  const operable = new Set((await listDevices(user, {}, getRuntime(), 'operate')).map((d) => d.id));
  return (
    <TerminalWorkspace
      userId={user.id}
      open={asked.filter((id) => visible.has(id))}
      theme={terminalThemeName(prefs?.terminalTheme)}
      fontSize={clampFontSize(prefs?.terminalFontSize)}
      devices={devices.map((d) => ({
        id: d.id,
        name: d.name,
        host: d.host,
        vendor: d.vendor,
        status: d.status,
        readOnly: !operable.has(d.id),
      }))}
    />
  );
}
