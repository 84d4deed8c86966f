'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition, type FormEvent } from 'react';
import type { CliMode } from '@/lib/devices/drivers';
import { ActionBadge } from './action-badge';
import { testPolicyAction, type PolicyTestResult } from './actions';

export interface TesterDevice {
  id: string;
  name: string;
  /** The vendor's label (Cisco IOS / IOS-XE). */
  vendor: string;
}

export interface TesterUser {
  id: string;
  name: string;
  role: string;
}

/**
 * Which rule decides a command line for a user on a device, in a mode: the decision's action, the
 * rule (or the role's default) and why. Runs nothing; asks the server each time, so a rule just
 * saved counts at once.
 */
export function PolicyTester({
  devices,
  devicesCapped,
  users,
  modes,
  defaultUser,
}: {
  devices: readonly TesterDevice[];
  /** More devices exist than the list holds: this many are listed. */
  devicesCapped: number | null;
  users: readonly TesterUser[];
  modes: readonly CliMode[];
  defaultUser: string;
}) {
  const t = useTranslations('policies.tester');
  const tp = useTranslations('policies');
  const tc = useTranslations('common');
  const [command, setCommand] = useState('');
  const [deviceId, setDeviceId] = useState(devices[0]?.id ?? '');
  const [userId, setUserId] = useState(defaultUser);
  const [mode, setMode] = useState<CliMode | ''>('');
  const [answer, setAnswer] = useState<{ result?: PolicyTestResult; error?: string } | null>(null);
  const [pending, start] = useTransition();
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    start(async () => setAnswer(await testPolicyAction({ command, deviceId, userId, mode: mode || null })));
  };
  const r = answer?.result;
  const roleName = (role: string) =>
    role === 'admin' || role === 'operator' || role === 'viewer' ? tc(`roles.${role}`) : role;
  const reason = (res: PolicyTestResult) => {
    if (!res.command) return t('nothing');
    if (res.rule) return t('reasonRule', { name: res.rule.name, action: res.action, command: res.command });
    return res.action === 'deny'
      ? t('reasonViewer', { command: res.command })
      : t('reasonAllowed', { command: res.command });
  };
  return (
    <section
      className="card min-w-0 space-y-3 p-4"
      aria-labelledby="policy-tester-title"
      data-testid="policy-tester"
    >
      <div>
        <h2 id="policy-tester-title" className="text-lg font-semibold">
          {t('title')}
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-300">{t('intro')}</p>
      </div>
      <form onSubmit={submit} className="grid min-w-0 gap-3" noValidate aria-label={t('title')}>
        <div className="min-w-0">
          <label htmlFor="tester-command">{t('command')}</label>
          <input
            id="tester-command"
            className="input font-mono"
            value={command}
            onChange={(ev) => setCommand(ev.target.value)}
            placeholder={t('commandPlaceholder')}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
          />
        </div>
        <div className="min-w-0">
          <label htmlFor="tester-device">{t('device')}</label>
          <select
            id="tester-device"
            className="input"
            value={deviceId}
            onChange={(ev) => setDeviceId(ev.target.value)}
            aria-describedby={devicesCapped ? 'tester-device-help' : undefined}
          >
            {devices.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.vendor})
              </option>
            ))}
          </select>
          {devicesCapped && (
            <p id="tester-device-help" className="mt-1 text-xs text-slate-600 dark:text-slate-400">
              {t('devicesCapped', { max: devicesCapped })}
            </p>
          )}
        </div>
        <div className="grid min-w-0 gap-3 sm:grid-cols-2 xl:grid-cols-1">
          <div className="min-w-0">
            <label htmlFor="tester-user">{t('user')}</label>
            <select
              id="tester-user"
              className="input"
              value={userId}
              onChange={(ev) => setUserId(ev.target.value)}
            >
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({roleName(u.role)})
                </option>
              ))}
            </select>
          </div>
          <div className="min-w-0">
            <label htmlFor="tester-mode">{t('mode')}</label>
            <select
              id="tester-mode"
              className="input"
              value={mode}
              onChange={(ev) => setMode(ev.target.value as CliMode | '')}
            >
              <option value="">{t('modeUnknown')}</option>
              {modes.map((m) => (
                <option key={m} value={m}>
                  {tp(`modes.${m}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div>
          <button type="submit" className="btn-primary" disabled={pending || !deviceId || !userId}>
            {pending ? t('testing') : t('submit')}
          </button>
        </div>
      </form>
      <div aria-live="polite" className="min-w-0">
        {answer?.error && (
          <p className="field-error" role="alert">
            {answer.error}
          </p>
        )}
        {r && (
          <div
            className="space-y-1.5 rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700"
            data-testid="tester-result"
            data-action={r.action}
          >
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{t('result')}</span>
              <ActionBadge action={r.action} />
              <span className="min-w-0 break-words" data-testid="tester-rule">
                {r.rule
                  ? t('byRule', { position: r.rule.place, name: r.rule.name })
                  : t('noRule', { role: roleName(r.role) })}
              </span>
            </div>
            <p className="break-words text-slate-700 dark:text-slate-300">{reason(r)}</p>
            {r.command && (
              <p className="text-xs break-words text-slate-600 dark:text-slate-400">
                {t('judged')} <code className="font-mono break-all">{r.command}</code>
                {' · '}
                {t('inMode')}{' '}
                {r.mode
                  ? `${tp(`modes.${r.mode}`)}${r.modeLabel ? ` (${r.modeLabel})` : ''}`
                  : t('unknownMode')}
              </p>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
