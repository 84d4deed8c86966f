'use client';

import '@xterm/xterm/css/xterm.css';
import '@fontsource-variable/jetbrains-mono';
import '@fontsource-variable/noto-sans-sc';
import type { Terminal } from '@xterm/xterm';
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { openChannel, type Channel } from '@/app/_lib/channel';
import type { TerminalThemeName } from '@/lib/i18n/config';
import {
  END_REASON_MAX_CHARS,
  observeServerMessage,
  type ObserveClientMessage,
  type ObserveServerMessage,
} from '@/lib/realtime/protocol-observe';
import { TERMINAL_COLOUR_THEMES } from '@/lib/terminal/themes';
import { ConfirmDialog } from '../../admin/groups/_components/confirm-dialog';
import { TERMINAL_FONT_FAMILY } from '../../terminal/terminal-pane';

type State =
  | { kind: 'connecting' }
  | { kind: 'watching' }
  | { kind: 'reconnecting' }
  | { kind: 'ended'; reason: string | null };

/**
 * A live session, read-only: xterm at the owner's size (it scrolls sideways if the owner's window is
 * wider than this one), fed the whole screen, then the owner's output. Never sends a keystroke.
 */
export function ObserverView({
  sessionId,
  owner,
  device,
  canEnd,
  theme,
  fontSize,
}: {
  sessionId: string;
  owner: string;
  device: string;
  canEnd: boolean;
  theme: TerminalThemeName;
  fontSize: number;
}) {
  const t = useTranslations('sessions.observe');
  const host = useRef<HTMLDivElement>(null);
  const channel = useRef<Channel<ObserveClientMessage> | null>(null);
  const [state, setState] = useState<State>({ kind: 'connecting' });
  const [ending, setEnding] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  /** Pairing: the owner handed this viewer the keyboard (null: not a guest). */
  const [control, setControl] = useState<boolean | null>(null);

  useEffect(() => {
    let disposed = false;
    let term: Terminal | null = null;
    let ch: Channel<ObserveClientMessage> | null = null;
    let ended = false;
    const timer = setTimeout(async () => {
      const { Terminal } = await import('@xterm/xterm');
      if (disposed || !host.current) return;
      const tm = new Terminal({
        disableStdin: true,
        cursorBlink: false,
        fontFamily: TERMINAL_FONT_FAMILY,
        fontSize,
        scrollback: 10_000,
        allowProposedApi: true,
        theme: TERMINAL_COLOUR_THEMES[theme],
      });
      tm.open(host.current);
      term = tm;
      let yours = false;
      // keys go out only while the owner has handed this guest the keyboard (the server checks too)
      tm.onData((data) => {
        if (yours) ch?.send({ type: 'input', data });
      });
      const onMessage = (f: ObserveServerMessage) => {
        switch (f.type) {
          case 'observe_started':
            tm.resize(f.cols, f.rows);
            setState({ kind: 'watching' });
            return;
          case 'screen':
            // the whole screen again (joining, or after falling behind): at the owner's size
            tm.reset();
            tm.resize(f.cols, f.rows);
            tm.write(f.data);
            return;
          case 'resized':
            tm.resize(f.cols, f.rows);
            return;
          case 'output':
            tm.write(f.data);
            return;
          case 'control':
            yours = f.yours;
            tm.options.disableStdin = !f.yours;
            tm.options.cursorBlink = f.yours;
            setControl(f.yours);
            if (f.yours) tm.focus();
            return;
          case 'terminal_closed':
            ended = true;
            setState({ kind: 'ended', reason: f.reason ?? null });
            ch?.close();
            return;
          default:
            return;
        }
      };
      ch = openChannel<ObserveServerMessage, ObserveClientMessage>({
        path: `observe/${encodeURIComponent(sessionId)}`,
        schema: observeServerMessage,
        onMessage,
        onState: (s) => {
          if (ended) return;
          if (s.kind === 'retrying' || (s.kind === 'connecting' && s.attempt > 0))
            setState({ kind: 'reconnecting' });
          // refused (the session ended, or access went): stop retrying
          if (s.kind === 'closed') setState({ kind: 'ended', reason: null });
        },
        onClose: ({ code }) => {
          // 1008 (policy) or 1000 with a reason already shown: over for good
          if (code === 1000 || code === 1008) {
            ended = true;
            ch?.close();
          }
        },
      });
      channel.current = ch;
    }, 0);
    return () => {
      disposed = true;
      clearTimeout(timer);
      ch?.close();
      term?.dispose();
      channel.current = null;
    };
  }, [sessionId, theme, fontSize]);

  function end() {
    const why = reason.trim();
    if (!why) return setReasonError(t('reasonRequired'));
    channel.current?.send({ type: 'end', reason: why.slice(0, END_REASON_MAX_CHARS) });
    setEnding(false);
  }

  const status =
    state.kind === 'ended'
      ? state.reason
        ? t('ended', { reason: state.reason })
        : t('endedNoReason')
      : t(state.kind);
  return (
    <div className="flex min-w-0 flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p
          role="status"
          className={`text-sm ${state.kind === 'ended' ? 'font-medium text-amber-700 dark:text-amber-400' : 'text-slate-600 dark:text-slate-400'}`}
          data-testid="observe-status"
          data-state={state.kind}
        >
          {status}
        </p>
        {control !== null && state.kind === 'watching' && (
          <p
            className={`text-sm font-medium ${control ? 'text-amber-700 dark:text-amber-400' : 'text-slate-600 dark:text-slate-400'}`}
            data-testid="observe-control"
            data-control={control}
          >
            {control ? t('control') : t('noControl', { user: owner })}
          </p>
        )}
        {canEnd && state.kind !== 'ended' && (
          <button type="button" className="btn-danger" onClick={() => setEnding(true)}>
            {t('end')}
          </button>
        )}
      </div>
      <div className="min-w-0 overflow-x-auto rounded-md bg-slate-950 p-1">
        <div ref={host} data-testid="observer-terminal" aria-label={t('heading', { user: owner, device })} />
      </div>
      {ending && (
        <ConfirmDialog
          title={t('endTitle', { user: owner, device })}
          confirmLabel={t('confirmEnd')}
          error={reasonError}
          onConfirm={end}
          onCancel={() => {
            setEnding(false);
            setReasonError(undefined);
          }}
        >
          <p>{t('endHint', { user: owner })}</p>
          <label className="block space-y-1">
            <span className="font-medium">{t('reason')}</span>
            <textarea
              className="input min-h-20 w-full"
              maxLength={END_REASON_MAX_CHARS}
              value={reason}
              onChange={(e) => {
                setReason(e.target.value);
                setReasonError(undefined);
              }}
            />
          </label>
        </ConfirmDialog>
      )}
    </div>
  );
}
