'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';

export interface CommandBlock {
  command: string;
  output: string;
  status: 'success' | 'error' | 'running';
}

const DOT_CLASS: Record<CommandBlock['status'], string> = {
  error: 'text-red-600 dark:text-red-400',
  running: 'text-amber-600 dark:text-amber-400',
  success: 'text-emerald-700 dark:text-emerald-400',
};
const STATUS_KEY = { error: 'statusError', running: 'statusRunning', success: 'statusSuccess' } as const;

/**
 * Command mode, the drawer beside the terminal: one command at a time in the active tab's session,
 * each shown with its whole output (the session handles paging), and the session's history.
 */
export function CommandDrawer({
  tabKey,
  state,
  example,
  onRun,
  onHide,
}: {
  tabKey: string;
  state: { status: string; history: string[]; blocks: CommandBlock[] };
  /** A command of the device's vendor, as the input's placeholder. */
  example: string;
  /** Run it in the active tab; false when it cannot run now (the input keeps the command). */
  onRun(command: string): boolean;
  onHide(): void;
}) {
  const t = useTranslations('terminal.command');
  const [command, setCommand] = useState('');
  const connected = state.status === 'connected';

  function submit(e: FormEvent) {
    e.preventDefault();
    const cmd = command.trim();
    if (cmd && onRun(cmd)) setCommand('');
  }

  return (
    <aside
      id="command-mode"
      className="card flex max-h-[45%] w-full flex-col p-3 lg:max-h-none lg:w-96"
      aria-label={t('title')}
    >
      <div className="flex items-center justify-between gap-2">
        <h2 className="text-sm font-semibold">{t('title')}</h2>
        <button
          type="button"
          className="btn-secondary shrink-0 px-2 py-0.5 text-xs whitespace-nowrap"
          onClick={onHide}
          aria-expanded={true}
          aria-controls="command-mode"
          title={t('hideTitle')}
        >
          {t('hide')}
        </button>
      </div>
      <p className="mb-2 text-xs text-slate-500 dark:text-slate-400">{t('intro')}</p>
      <form onSubmit={submit} className="flex gap-2">
        <input
          className="input mt-0 font-mono text-xs"
          value={command}
          onChange={(e) => setCommand(e.target.value)}
          placeholder={example}
          aria-label={t('input')}
          list={`history-${tabKey}`}
        />
        <datalist id={`history-${tabKey}`}>
          {state.history.map((h) => (
            <option key={h} value={h} />
          ))}
        </datalist>
        <button
          type="submit"
          className="btn-primary shrink-0 whitespace-nowrap"
          disabled={!connected || !command.trim()}
        >
          {t('run')}
        </button>
      </form>
      <div className="mt-3 min-h-0 flex-1 space-y-2 overflow-y-auto" data-testid="command-blocks">
        {state.blocks.length === 0 && (
          <p className="text-xs text-slate-500 dark:text-slate-400">{t('empty')}</p>
        )}
        {state.blocks.map((b, i) => (
          <details
            key={i}
            open={i === state.blocks.length - 1}
            className="rounded border border-slate-200 dark:border-slate-700"
            data-command={b.command}
            data-status={b.status}
          >
            <summary className="cursor-pointer px-2 py-1 font-mono text-xs">
              <span className={DOT_CLASS[b.status]} title={t(STATUS_KEY[b.status])}>
                ●
              </span>{' '}
              {b.command}
            </summary>
            <pre className="max-h-80 overflow-auto bg-slate-50 p-2 text-xs whitespace-pre dark:bg-slate-950 dark:text-slate-200">
              {b.status === 'running' ? t('running') : b.output}
            </pre>
          </details>
        ))}
      </div>
      {state.history.length > 0 && (
        <>
          <h3 className="mt-3 text-xs font-semibold text-slate-600 dark:text-slate-400">{t('history')}</h3>
          <ul className="max-h-32 overflow-y-auto font-mono text-xs" data-testid="command-history">
            {state.history
              .slice()
              .reverse()
              .map((h) => (
                <li key={h}>
                  <button
                    type="button"
                    className="w-full truncate rounded px-1 text-left hover:bg-slate-100 dark:hover:bg-slate-800"
                    onClick={() => setCommand(h)}
                  >
                    {h}
                  </button>
                </li>
              ))}
          </ul>
        </>
      )}
    </aside>
  );
}
