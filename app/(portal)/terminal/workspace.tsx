'use client';

import { driverFor } from '@/lib/devices/drivers';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useLive } from '@/app/_components/live-provider';
import { StatusDot } from '@/app/_components/status-badge';
import type { TerminalServerMessage } from '@/lib/realtime/protocol';
import { SHORTCUTS, tabShortcut, type TabAction } from './shortcuts';
import type { LinkStatus } from './terminal-link';
import { LoginQuestion, type LoginQuestionFrame } from './login-question';
import { TerminalPane, type PaneHandle } from './terminal-pane';
import { ENCODING_LABELS, ENCODINGS, type DeviceEncoding } from '@/lib/devices/encodings';

export interface PickableDevice {
  id: string;
  name: string;
  host: string;
  vendor: string;
  status: string;
}

interface Tab {
  key: string;
  deviceId: string;
  deviceName: string;
  sessionId: string | null;
  /** Which tab to this device it is (1, 2, …): `core-sw-01 (2)`; kept when another one closes. */
  n?: number;
  /** A name the user gave the tab. */
  title?: string;
}

const TITLE_MAX_CHARS = 40;

function tabLabel(t: Tab): string {
  return t.title || ((t.n ?? 1) > 1 ? `${t.deviceName} (${t.n})` : t.deviceName);
}

/** The lowest number no open tab to this device has. */
function freeNumber(tabs: Tab[], deviceId: string): number {
  const used = new Set(tabs.filter((t) => t.deviceId === deviceId).map((t) => t.n ?? 1));
  let n = 1;
  while (used.has(n)) n++;
  return n;
}

interface TabState {
  status: LinkStatus;
  message: string;
  rtt: number | null;
  history: string[];
  blocks: { command: string; output: string; status: 'success' | 'error' | 'running' }[];
  /** A login question the device is waiting on (a one-time token), asked in this tab. */
  question?: LoginQuestionFrame | null;
  /** The character set the session decodes this tab's output with (switchable per tab). */
  encoding?: DeviceEncoding;
}

const COMMAND_MODE_KEY = 'sb.commandMode';
const EMPTY: TabState = { status: 'connecting', message: 'Connecting…', rtt: null, history: [], blocks: [] };
const MAX_BLOCKS = 20;

const DOT: Record<LinkStatus, string> = {
  connecting: 'bg-amber-400',
  reconnecting: 'bg-amber-400 animate-pulse',
  connected: 'bg-emerald-500',
  closed: 'bg-slate-400',
  error: 'bg-red-500',
};

function storageKey(userId: string) {
  return `switchboard.terminal.tabs.${userId}`;
}

function loadTabs(userId: string): { tabs: Tab[]; active: string | null } {
  try {
    const raw = JSON.parse(localStorage.getItem(storageKey(userId)) ?? 'null') as {
      tabs: Tab[];
      active: string | null;
    } | null;
    if (raw && Array.isArray(raw.tabs)) return raw;
  } catch {
    // corrupt storage: start empty
  }
  return { tabs: [], active: null };
}

export function TerminalWorkspace({
  userId,
  devices,
  open = [],
}: {
  userId: string;
  devices: PickableDevice[];
  /** Devices to open a new tab on each (from `/terminal?devices=…`), after the saved tabs. */
  open?: string[];
}) {
  const [tabs, setTabs] = useState<Tab[]>([]);
  const [active, setActive] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [states, setStates] = useState<Record<string, TabState>>({});
  // Where the device picker opens (viewport coordinates below "+ New tab"), or null when closed.
  const [picking, setPicking] = useState<{ top: number; left: number } | null>(null);
  const [filter, setFilter] = useState('');
  const [command, setCommand] = useState('');
  const [find, setFind] = useState('');
  const [renaming, setRenaming] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const help = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (helpOpen && !help.current?.open) help.current?.showModal();
  }, [helpOpen]);
  const panes = useRef<Record<string, PaneHandle | null>>({});
  const live = useLive();
  const newTabButton = useRef<HTMLButtonElement>(null);

  // Restore the tabs of this user after a reload; each pane reattaches to its session.
  useEffect(() => {
    const saved = loadTabs(userId);
    const known = new Set(devices.map((d) => d.id));
    const tabsToRestore = saved.tabs
      .filter((t) => known.has(t.deviceId))
      .reduce<Tab[]>((kept, t) => [...kept, { ...t, n: t.n ?? freeNumber(kept, t.deviceId) }], []);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- reading browser storage once after mount
    setTabs(tabsToRestore);
    setActive(
      tabsToRestore.some((t) => t.key === saved.active) ? saved.active : (tabsToRestore[0]?.key ?? null),
    );
    setLoaded(true);
  }, [userId, devices]);

  // `/terminal?devices=…`: one new tab per device, once per navigation (each one brings a new
  // array); the address then drops the ids so that a reload does not open them again
  const opened = useRef<string[] | null>(null);
  useEffect(() => {
    if (opened.current === open || open.length === 0) return;
    opened.current = open;
    const wanted = open.flatMap((id) => devices.filter((d) => d.id === id));
    if (wanted.length === 0) return;
    const base = Date.now();
    const keys = wanted.map((d, i) => `${d.id}:${base + i}`);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- acting on the address once per navigation
    setTabs((t) =>
      wanted.reduce<Tab[]>(
        (all, d, i) => [
          ...all,
          { key: keys[i]!, deviceId: d.id, deviceName: d.name, sessionId: null, n: freeNumber(all, d.id) },
        ],
        t,
      ),
    );
    setActive(keys.at(-1)!);
    window.history.replaceState(null, '', '/terminal');
  }, [open, devices]);

  useEffect(() => {
    if (loaded) localStorage.setItem(storageKey(userId), JSON.stringify({ tabs, active }));
  }, [tabs, active, loaded, userId]);

  const patch = useCallback((key: string, p: Partial<TabState> | ((s: TabState) => Partial<TabState>)) => {
    setStates((all) => {
      const cur = all[key] ?? EMPTY;
      return { ...all, [key]: { ...cur, ...(typeof p === 'function' ? p(cur) : p) } };
    });
  }, []);

  function openTab(d: PickableDevice) {
    const seq = tabs.reduce((n, t) => Math.max(n, Number(t.key.split(':')[1]) || 0), 0) + 1;
    const key = `${d.id}:${seq}`;
    setTabs((t) => [
      ...t,
      { key, deviceId: d.id, deviceName: d.name, sessionId: null, n: freeNumber(t, d.id) },
    ]);
    setActive(key);
    setPicking(null);
    setFilter('');
  }

  function togglePicker() {
    if (picking) return closePicker();
    const r = newTabButton.current?.getBoundingClientRect();
    if (!r) return;
    // 20 rem wide, kept on screen on a phone
    setPicking({ top: r.bottom + 4, left: Math.max(8, Math.min(r.left, window.innerWidth - 328)) });
  }

  function closePicker() {
    setPicking(null);
    setFilter('');
    newTabButton.current?.focus();
  }

  function closeTab(key: string) {
    panes.current[key]?.close();
    const i = tabs.findIndex((x) => x.key === key);
    const rest = tabs.filter((x) => x.key !== key);
    setTabs(rest);
    // like a browser: the neighbour to the right (or left) takes over
    if (active === key) setActive((rest[i] ?? rest[i - 1])?.key ?? null);
  }

  function renameTab(key: string, title: string) {
    const clean = title.trim().slice(0, TITLE_MAX_CHARS);
    setTabs((all) => all.map((t) => (t.key === key ? { ...t, title: clean || undefined } : t)));
    setRenaming(null);
  }

  function onTabAction(action: TabAction) {
    if (!active) return;
    if (action === 'close') return closeTab(active);
    const i = tabs.findIndex((t) => t.key === active);
    const step = action === 'next' ? 1 : -1;
    setActive(tabs[(i + step + tabs.length) % tabs.length]!.key);
  }

  // Window, capture phase: the page sees its keys before a focused terminal sends them to the device.
  const keyHandler = useRef<(e: KeyboardEvent) => void>(() => {});
  useEffect(() => {
    keyHandler.current = (e) => {
      if (e.key === 'Escape' && picking) {
        e.preventDefault();
        e.stopPropagation();
        return closePicker();
      }
      const action = helpOpen || renaming ? null : tabShortcut(e);
      if (!action) return;
      e.preventDefault();
      e.stopPropagation();
      onTabAction(action);
    };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => keyHandler.current(e);
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const onFrame = useCallback(
    (key: string, frame: TerminalServerMessage) => {
      if (frame.type === 'command_output') {
        patch(key, (s) => ({
          blocks: s.blocks.map((b, i) =>
            i === s.blocks.length - 1 && b.command === frame.command && b.status === 'running'
              ? { command: frame.command, output: frame.output, status: frame.status }
              : b,
          ),
        }));
        panes.current[key]?.send({ type: 'get_history' });
      } else if (frame.type === 'command_history') {
        const kept = frame.results;
        // a reloaded tab has no blocks of its own: show the ones the session kept
        patch(key, (s) => ({
          history: frame.history,
          ...(kept && s.blocks.length === 0 ? { blocks: kept.slice(-MAX_BLOCKS) } : {}),
        }));
      } else if (frame.type === 'encoding') {
        patch(key, { encoding: frame.encoding });
      } else if (frame.type === 'terminal_connected') {
        patch(key, { question: null, ...(frame.encoding ? { encoding: frame.encoding } : {}) });
        panes.current[key]?.send({ type: 'get_history', with_results: true });
      } else if (frame.type === 'login_prompt') {
        patch(key, { question: frame });
      } else if (frame.type === 'terminal_error') {
        patch(key, { question: null });
      }
    },
    [patch],
  );

  // The command-mode panel folds away (a drawer), remembered per browser: the terminal gets the room.
  const [commandOpen, setCommandOpen] = useState(true);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- reading browser storage once after mount
    if (localStorage.getItem(COMMAND_MODE_KEY) === 'closed') setCommandOpen(false);
  }, []);
  function toggleCommandMode() {
    setCommandOpen((open) => {
      localStorage.setItem(COMMAND_MODE_KEY, open ? 'closed' : 'open');
      return !open;
    });
  }

  const current = tabs.find((t) => t.key === active) ?? null;
  const st = current ? (states[current.key] ?? EMPTY) : null;

  function runCommand(e: FormEvent) {
    e.preventDefault();
    const cmd = command.trim();
    if (!current || !cmd || st?.status !== 'connected') return;
    patch(current.key, (s) => ({
      blocks: [...s.blocks, { command: cmd, output: '', status: 'running' as const }].slice(-MAX_BLOCKS),
    }));
    panes.current[current.key]?.send({ type: 'command', command: cmd });
    setCommand('');
  }

  const shown = useMemo(
    () =>
      devices
        .filter((d) => `${d.name} ${d.host} ${d.vendor}`.toLowerCase().includes(filter.toLowerCase()))
        .slice(0, 200),
    [devices, filter],
  );

  return (
    <div className="flex h-[calc(100vh-7.5rem)] flex-col gap-2">
      <div
        className="flex items-center gap-1 overflow-x-auto border-b border-slate-200"
        role="tablist"
        aria-label="Terminal tabs"
      >
        {tabs.map((t) => {
          const s = states[t.key] ?? EMPTY;
          const label = tabLabel(t);
          return (
            <div
              key={t.key}
              role="tab"
              aria-selected={t.key === active}
              data-tab={t.deviceName}
              data-label={label}
              data-state={s.status}
              title={t.title ? `${t.title}: ${t.deviceName}` : 'Double-click to rename'}
              className={`flex shrink-0 cursor-pointer items-center gap-2 rounded-t-md border border-b-0 px-3 py-1.5 text-sm whitespace-nowrap ${t.key === active ? 'border-slate-300 bg-white font-medium' : 'border-transparent text-slate-600 hover:bg-slate-100'}`}
              onClick={() => setActive(t.key)}
              onDoubleClick={() => setRenaming(t.key)}
            >
              <span className={`h-2 w-2 rounded-full ${DOT[s.status]}`} aria-hidden />
              {renaming === t.key ? (
                <input
                  autoFocus
                  className="w-36 rounded border border-sky-400 px-1 py-0 text-sm font-normal"
                  defaultValue={t.title ?? ''}
                  placeholder={tabLabel({ ...t, title: undefined })}
                  maxLength={TITLE_MAX_CHARS}
                  aria-label={`Rename ${label}`}
                  onFocus={(e) => e.currentTarget.select()}
                  onClick={(e) => e.stopPropagation()}
                  onDoubleClick={(e) => e.stopPropagation()}
                  onBlur={(e) => renameTab(t.key, e.currentTarget.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') renameTab(t.key, e.currentTarget.value);
                    if (e.key === 'Escape') {
                      e.currentTarget.value = t.title ?? ''; // the blur that follows keeps the old name
                      setRenaming(null);
                    }
                  }}
                />
              ) : (
                label
              )}
              {t.key === active && renaming !== t.key && (
                // the mouse and touch way to rename (a double-tap zooms on a phone)
                <button
                  type="button"
                  aria-label={`Rename ${label}`}
                  title="Rename"
                  className="rounded px-1 text-slate-400 hover:bg-slate-200 hover:text-slate-700"
                  onClick={(e) => {
                    e.stopPropagation();
                    setRenaming(t.key);
                  }}
                >
                  ✎
                </button>
              )}
              <button
                type="button"
                aria-label={`Close ${label}`}
                className="ml-1 rounded px-1 text-slate-400 hover:bg-slate-200 hover:text-slate-700"
                onClick={(e) => {
                  e.stopPropagation();
                  closeTab(t.key);
                }}
              >
                ×
              </button>
            </div>
          );
        })}
        <div className="relative shrink-0">
          <button
            ref={newTabButton}
            type="button"
            className="btn-secondary my-1 ml-1 whitespace-nowrap"
            onClick={togglePicker}
            aria-expanded={!!picking}
            aria-haspopup="dialog"
          >
            + New tab
          </button>
          {picking && (
            // Fixed, not absolute: the tab strip scrolls sideways (overflow-x-auto), which would clip
            // a picker hanging below its 43 px to just the filter box.
            <div
              className="card fixed z-30 w-80 max-w-[calc(100vw-1rem)] p-2"
              style={{ top: picking.top, left: picking.left }}
              role="dialog"
              aria-label="Choose a device"
              onKeyDown={(e) => {
                if (e.key === 'Escape') closePicker();
              }}
            >
              <input
                autoFocus
                className="input mt-0"
                placeholder="Filter devices"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                aria-label="Filter devices"
              />
              <ul className="mt-2 max-h-72 overflow-y-auto text-sm">
                {shown.map((d) => (
                  <li key={d.id}>
                    <button
                      type="button"
                      className="flex w-full items-center justify-between rounded px-2 py-1 text-left hover:bg-sky-50"
                      onClick={() => openTab(d)}
                    >
                      {/* the dot shows first, but is read after the name */}
                      <span className="flex min-w-0 items-center gap-2">
                        <span className="truncate font-medium">{d.name}</span>
                        <span className="order-first flex">
                          <StatusDot status={live?.statuses[d.id] ?? d.status} />
                        </span>
                      </span>
                      <span className="font-mono text-xs text-slate-500">{d.host}</span>
                    </button>
                  </li>
                ))}
                {shown.length === 0 && <li className="px-2 py-1 text-slate-500">No devices.</li>}
              </ul>
            </div>
          )}
        </div>
        <button
          type="button"
          className="btn-secondary my-1 ml-auto shrink-0 px-2.5"
          onClick={() => setHelpOpen(true)}
          aria-label="Keyboard shortcuts"
          aria-haspopup="dialog"
          title="Keyboard shortcuts"
        >
          ?
        </button>
      </div>
      {helpOpen && (
        // a modal <dialog>: Esc closes it (the browser's cancel), focus returns to the ? button
        <dialog
          ref={help}
          className="card m-auto w-[28rem] max-w-[calc(100vw-2rem)] p-4 backdrop:bg-slate-900/40"
          aria-labelledby="shortcuts-title"
          onClose={() => setHelpOpen(false)}
        >
          <h2 id="shortcuts-title" className="text-base font-semibold">
            Keyboard shortcuts
          </h2>
          <p className="mt-1 text-xs text-slate-500">
            Work while a terminal has the focus; every other key goes to the device (Ctrl+C, Ctrl+Z,
            Ctrl+arrows, Esc).
          </p>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            {SHORTCUTS.map((k) => (
              <div key={k.keys} className="contents">
                <dt>
                  <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs whitespace-nowrap">
                    {k.keys}
                  </kbd>
                </dt>
                <dd className="text-slate-700">{k.what}</dd>
              </div>
            ))}
          </dl>
          <div className="mt-4 flex justify-end">
            <button type="button" className="btn-secondary" autoFocus onClick={() => help.current?.close()}>
              Close
            </button>
          </div>
        </dialog>
      )}

      {tabs.length === 0 ? (
        <div className="card flex flex-1 items-center justify-center text-sm text-slate-500">
          {loaded ? 'Open a tab to connect to a device.' : 'Loading…'}
        </div>
      ) : (
        // stacked on a phone: side by side the 24 rem command panel left the pane a few pixels wide
        <div className="flex min-h-0 flex-1 flex-col gap-3 lg:flex-row">
          <div className="flex min-w-0 flex-1 flex-col">
            <div className="relative min-h-0 flex-1 overflow-hidden rounded-md bg-[#0b1220] p-1">
              {tabs.map((t) => (
                <div
                  key={t.key}
                  className={t.key === active ? 'absolute inset-1' : 'invisible absolute inset-1'}
                  data-pane={t.deviceName}
                >
                  <TerminalPane
                    ref={(h) => {
                      panes.current[t.key] = h;
                    }}
                    deviceId={t.deviceId}
                    deviceName={t.deviceName}
                    sessionId={t.sessionId}
                    active={t.key === active}
                    onStatus={(status, message) => patch(t.key, { status, message })}
                    onSession={(id) =>
                      setTabs((all) => all.map((x) => (x.key === t.key ? { ...x, sessionId: id } : x)))
                    }
                    onFrame={(f) => onFrame(t.key, f)}
                    onRtt={(ms) => patch(t.key, { rtt: ms })}
                  />
                  {states[t.key]?.question && (
                    <LoginQuestion
                      key={states[t.key]!.question!.id}
                      deviceName={t.deviceName}
                      question={states[t.key]!.question!}
                      onAnswer={(answers) => {
                        panes.current[t.key]?.send({
                          type: 'login_answer',
                          id: states[t.key]!.question!.id,
                          answers,
                        });
                        patch(t.key, { question: null });
                      }}
                    />
                  )}
                  {states[t.key]?.status === 'error' && (
                    // The session never began (or the portal link broke): say why where the user looks.
                    <div
                      role="alert"
                      className="absolute inset-0 flex flex-col items-center justify-center gap-3 bg-[#0b1220] p-4 text-center"
                    >
                      <p className="max-w-md text-sm break-words text-red-300">{states[t.key]!.message}</p>
                      <button
                        type="button"
                        className="btn-secondary"
                        onClick={() => panes.current[t.key]?.reconnect()}
                      >
                        Retry
                      </button>
                    </div>
                  )}
                </div>
              ))}
            </div>
            {current && st && (
              <div
                className="flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-slate-200 px-1 py-1 text-xs text-slate-600"
                data-testid="terminal-status"
              >
                <span className={`h-2 w-2 rounded-full ${DOT[st.status]}`} aria-hidden />
                <span role="status">{st.message}</span>
                {st.rtt !== null && st.status === 'connected' && (
                  <span title="Round trip browser → portal → browser" data-testid="rtt">
                    {st.rtt < 1 ? '<1' : Math.round(st.rtt)} ms
                  </span>
                )}
                {(st.status === 'closed' || st.status === 'error') && (
                  <button
                    type="button"
                    className="btn-secondary py-0.5"
                    onClick={() => panes.current[current.key]?.reconnect()}
                  >
                    Reconnect
                  </button>
                )}
                {st.encoding && st.status === 'connected' && (
                  // Mojibake means the device speaks another character set than stored: switch this tab.
                  <label
                    className="flex items-center gap-1"
                    title="Character set of this tab's output and input"
                  >
                    Encoding
                    <select
                      className="rounded border border-slate-300 bg-white px-1 py-0.5 text-xs"
                      value={st.encoding}
                      data-testid="terminal-encoding"
                      onChange={(e) => {
                        const encoding = e.target.value as DeviceEncoding;
                        panes.current[current.key]?.send({ type: 'set_encoding', encoding });
                        panes.current[current.key]?.focus();
                      }}
                    >
                      {ENCODINGS.map((enc) => (
                        <option key={enc} value={enc}>
                          {ENCODING_LABELS[enc]}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
                <form
                  className="ml-auto flex items-center gap-1"
                  onSubmit={(e) => {
                    e.preventDefault();
                    panes.current[current.key]?.find(find, 'next');
                  }}
                >
                  <input
                    className="input mt-0 w-40 py-0.5 text-xs"
                    placeholder="Search scrollback"
                    value={find}
                    onChange={(e) => setFind(e.target.value)}
                    aria-label="Search scrollback"
                  />
                  <button
                    type="button"
                    className="btn-secondary py-0.5"
                    onClick={() => panes.current[current.key]?.find(find, 'previous')}
                    aria-label="Previous match"
                  >
                    ↑
                  </button>
                  <button type="submit" className="btn-secondary py-0.5" aria-label="Next match">
                    ↓
                  </button>
                </form>
              </div>
            )}
          </div>

          {current && st && !commandOpen && (
            <button
              type="button"
              className="btn-secondary self-start lg:self-stretch lg:[writing-mode:vertical-rl]"
              onClick={toggleCommandMode}
              aria-expanded={false}
              aria-controls="command-mode"
            >
              Command mode
            </button>
          )}
          {current && st && commandOpen && (
            <aside
              id="command-mode"
              className="card flex max-h-[45%] w-full flex-col p-3 lg:max-h-none lg:w-96"
              aria-label="Command mode"
            >
              <div className="flex items-center justify-between gap-2">
                <h2 className="text-sm font-semibold">Command mode</h2>
                <button
                  type="button"
                  className="btn-secondary px-2 py-0.5 text-xs"
                  onClick={toggleCommandMode}
                  aria-expanded={true}
                  aria-controls="command-mode"
                  title="Fold this panel away; the terminal takes its room"
                >
                  Hide
                </button>
              </div>
              <p className="mb-2 text-xs text-slate-500">
                Runs one command in this session and shows its whole output (paging handled).
              </p>
              <form onSubmit={runCommand} className="flex gap-2">
                <input
                  className="input mt-0 font-mono text-xs"
                  value={command}
                  onChange={(e) => setCommand(e.target.value)}
                  placeholder={
                    driverFor(devices.find((d) => d.id === current.deviceId)?.vendor ?? '').example
                  }
                  aria-label="Command"
                  list={`history-${current.key}`}
                />
                <datalist id={`history-${current.key}`}>
                  {st.history.map((h) => (
                    <option key={h} value={h} />
                  ))}
                </datalist>
                <button
                  type="submit"
                  className="btn-primary"
                  disabled={st.status !== 'connected' || !command.trim()}
                >
                  Run
                </button>
              </form>
              <div className="mt-3 min-h-0 flex-1 space-y-2 overflow-y-auto" data-testid="command-blocks">
                {st.blocks.map((b, i) => (
                  <details
                    key={i}
                    open={i === st.blocks.length - 1}
                    className="rounded border border-slate-200"
                    data-command={b.command}
                    data-status={b.status}
                  >
                    <summary className="cursor-pointer px-2 py-1 font-mono text-xs">
                      <span
                        className={
                          b.status === 'error'
                            ? 'text-red-600'
                            : b.status === 'running'
                              ? 'text-amber-600'
                              : 'text-emerald-700'
                        }
                      >
                        ●
                      </span>{' '}
                      {b.command}
                    </summary>
                    <pre className="max-h-80 overflow-auto bg-slate-50 p-2 text-xs whitespace-pre">
                      {b.status === 'running' ? 'running…' : b.output}
                    </pre>
                  </details>
                ))}
              </div>
              <h3 className="mt-3 text-xs font-semibold text-slate-600">History</h3>
              <ul className="max-h-32 overflow-y-auto font-mono text-xs" data-testid="command-history">
                {st.history
                  .slice()
                  .reverse()
                  .map((h) => (
                    <li key={h}>
                      <button
                        type="button"
                        className="w-full truncate rounded px-1 text-left hover:bg-slate-100"
                        onClick={() => setCommand(h)}
                      >
                        {h}
                      </button>
                    </li>
                  ))}
              </ul>
            </aside>
          )}
        </div>
      )}
    </div>
  );
}
