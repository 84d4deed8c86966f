'use client';

import { useTranslations } from 'next-intl';
import { driverFor } from '@/lib/devices/drivers';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useLive } from '@/app/_components/live-provider';
import { TERMINAL_FONT_SIZE, type TerminalThemeName } from '@/lib/i18n/config';
import type { TerminalServerMessage } from '@/lib/realtime/protocol';
import { TERMINAL_COLOUR_THEMES, clampFontSize, isDarkTerminalTheme } from '@/lib/terminal/themes';
import { messageKey, type LinkMessage } from './link-messages';
import { tabShortcut, type TabAction } from './shortcuts';
import type { LinkStatus } from './terminal-link';
import { CommandDrawer, type CommandBlock } from './command-drawer';
import { DevicePicker, type PickableDevice } from './device-picker';
import { LoginQuestion, type LoginQuestionFrame } from './login-question';
import { ShortcutsHelp } from './shortcuts-help';
import { ShareDialog, type Guest } from './share-dialog';
import { StartPanel } from './start-panel';
import { TerminalPane, type PaneHandle } from './terminal-pane';
import { ENCODING_LABELS, ENCODINGS, type DeviceEncoding } from '@/lib/devices/encodings';

export type { PickableDevice };

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
/** The portal layout's padding below <main>'s content (py-6). */
const MAIN_BOTTOM_PADDING_PX = 24;
/** Below this the terminal and its status line would not fit: the page scrolls instead. */
const WORKSPACE_MIN_HEIGHT_PX = 320;
/** The start panel offers the devices of this many recent tabs. */
const RECENT_MAX = 6;

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

/** DOM ids of a tab and its panel (tab keys are `deviceId:seq`, no spaces). */
const tabId = (key: string) => `terminal-tab-${key}`;
const panelId = (key: string) => `terminal-panel-${key}`;

interface TabState {
  status: LinkStatus;
  message: LinkMessage;
  rtt: number | null;
  history: string[];
  blocks: CommandBlock[];
  /** A login question the device is waiting on (a one-time token), asked in this tab. */
  question?: LoginQuestionFrame | null;
  /** The character set the session decodes this tab's output with (switchable per tab). */
  encoding?: DeviceEncoding;
  /** Who watches this tab's session now (an admin observing it, read-only). */
  observers?: string[];
  /** Pairing: the teammates invited to this tab's session, and who has the keyboard. */
  guests?: Guest[];
  /** Why the server refused the last pairing request (shown in the Share dialog). */
  pairingError?: string | null;
}

const COMMAND_MODE_KEY = 'sb.commandMode';
const EMPTY: TabState = {
  status: 'connecting',
  message: { kind: 'connecting' },
  rtt: null,
  history: [],
  blocks: [],
};
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

function recentKey(userId: string) {
  return `switchboard.terminal.recent.${userId}`;
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

function loadRecent(userId: string): string[] {
  try {
    const raw = JSON.parse(localStorage.getItem(recentKey(userId)) ?? '[]') as unknown;
    return Array.isArray(raw)
      ? raw.filter((x): x is string => typeof x === 'string').slice(0, RECENT_MAX)
      : [];
  } catch {
    return [];
  }
}

export function TerminalWorkspace({
  userId,
  devices,
  open = [],
  theme = 'dark',
  fontSize: preferredFontSize = TERMINAL_FONT_SIZE.default,
}: {
  userId: string;
  devices: PickableDevice[];
  /** Devices to open a new tab on each (from `/terminal?devices=…`), after the saved tabs. */
  open?: string[];
  /** The user's terminal colours (account preferences): the xterm area, whatever the page theme. */
  theme?: TerminalThemeName;
  /** The user's terminal font size in pixels; − and + change it for this page view. */
  fontSize?: number;
}) {
  const t = useTranslations('terminal');
  const ts = useTranslations('sessions');
  const [tabs, setTabs] = useState<Tab[]>([]);
  const [active, setActive] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [recent, setRecent] = useState<string[]>([]);
  const [states, setStates] = useState<Record<string, TabState>>({});
  // Where the device picker opens (viewport coordinates below the button that opened it), or null.
  const [picking, setPicking] = useState<{ top: number; left: number } | null>(null);
  const [find, setFind] = useState('');
  const [renaming, setRenaming] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  /** The tab whose Share (pairing) dialog is open. */
  const [sharing, setSharing] = useState<string | null>(null);
  const [fontSize, setFontSize] = useState(() => clampFontSize(preferredFontSize));
  const panes = useRef<Record<string, PaneHandle | null>>({});
  const live = useLive();
  const newTabButton = useRef<HTMLButtonElement>(null);
  // the button that opened the picker (+ New tab, or the start panel's): focus goes back to it
  const pickerAnchor = useRef<HTMLButtonElement | null>(null);
  // The workspace fills the window below the header, whose height varies (it wraps on narrow
  // screens, and with longer words in some languages): measured, so the page itself does not scroll.
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    const fit = () => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      el.style.height = `${Math.max(WORKSPACE_MIN_HEIGHT_PX, window.innerHeight - top - MAIN_BOTTOM_PADDING_PX)}px`;
    };
    fit();
    window.addEventListener('resize', fit);
    return () => window.removeEventListener('resize', fit);
  }, []);
  const colours = TERMINAL_COLOUR_THEMES[theme];
  const darkTerminal = isDarkTerminalTheme(theme);

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
    setRecent(loadRecent(userId).filter((id) => known.has(id)));
    setLoaded(true);
  }, [userId, devices]);

  /** Remember the devices tabs were opened to, newest first, for the start panel. */
  const remember = useCallback(
    (ids: string[]) => {
      setRecent((cur) => {
        const next = [...new Set([...ids.slice().reverse(), ...cur])].slice(0, RECENT_MAX);
        localStorage.setItem(recentKey(userId), JSON.stringify(next));
        return next;
      });
    },
    [userId],
  );

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
    remember(wanted.map((d) => d.id));
    window.history.replaceState(null, '', '/terminal');
  }, [open, devices, remember]);

  useEffect(() => {
    if (loaded) localStorage.setItem(storageKey(userId), JSON.stringify({ tabs, active }));
  }, [tabs, active, loaded, userId]);

  // the active tab scrolls into view in the strip (a phone shows two or three tabs at a time)
  useEffect(() => {
    if (!active) return;
    const el = document.getElementById(tabId(active));
    el?.parentElement?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [active, tabs.length]);

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
    remember([d.id]);
  }

  function togglePicker(anchor: HTMLButtonElement | null = newTabButton.current) {
    if (picking) return closePicker();
    const r = anchor?.getBoundingClientRect();
    if (!r) return;
    pickerAnchor.current = anchor;
    // 20 rem wide, kept on screen on a phone
    setPicking({ top: r.bottom + 4, left: Math.max(8, Math.min(r.left, window.innerWidth - 328)) });
  }

  function closePicker() {
    setPicking(null);
    (pickerAnchor.current ?? newTabButton.current)?.focus();
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

  /** Arrow keys move the focus along the tabs, Enter or Space opens one (a tab list's usual keys). */
  function onTabKey(e: ReactKeyboardEvent<HTMLButtonElement>, key: string) {
    const i = tabs.findIndex((x) => x.key === key);
    const to =
      e.key === 'ArrowRight'
        ? (i + 1) % tabs.length
        : e.key === 'ArrowLeft'
          ? (i - 1 + tabs.length) % tabs.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? tabs.length - 1
              : null;
    if (to !== null) {
      e.preventDefault();
      document.getElementById(tabId(tabs[to]!.key))?.focus();
    } else if (e.key === 'F2') {
      e.preventDefault();
      setActive(key);
      setRenaming(key);
    } else if (e.key === 'Delete') {
      e.preventDefault();
      closeTab(key);
    }
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
      } else if (frame.type === 'terminal_observers') {
        patch(key, { observers: frame.observers.map((o) => o.name) });
      } else if (frame.type === 'terminal_guests') {
        patch(key, { guests: frame.guests, pairingError: null });
      } else if (frame.type === 'terminal_error' && frame.code === 'pairing_refused') {
        patch(key, { pairingError: frame.error });
        return;
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

  /** Command mode: run one command in the active tab's session; false when it cannot run now. */
  function runCommand(cmd: string): boolean {
    if (!current || st?.status !== 'connected') return false;
    patch(current.key, (s) => ({
      blocks: [...s.blocks, { command: cmd, output: '', status: 'running' as const }].slice(-MAX_BLOCKS),
    }));
    panes.current[current.key]?.send({ type: 'command', command: cmd });
    return true;
  }

  function say(m: LinkMessage): string {
    const k = messageKey(m);
    if ('text' in k) return k.text;
    if ('values' in k) {
      // narrowed per key: the typed messages require exactly these arguments
      return 'device' in k.values
        ? t(`status.${k.key as 'connected' | 'reattached'}`, k.values)
        : t(`status.${k.key as 'retrying' | 'idle' | 'idleOutput'}`, k.values);
    }
    return t(`status.${k.key}`);
  }

  const recentDevices = recent.flatMap((id) => devices.filter((d) => d.id === id));

  function changeFontSize(step: number) {
    setFontSize((s) => clampFontSize(s + step));
  }

  return (
    <div ref={root} className="flex h-[calc(100vh-7.5rem)] flex-col gap-2">
      <h1 className="sr-only">{t('heading')}</h1>
      {/* The tabs scroll sideways in their own region; + New tab and ? stay pinned at the end. Each
          tab's rename and close buttons are its siblings (no button inside a tab), so the tab list
          itself is an empty element that owns the tabs by id. */}
      <div
        className="flex min-w-0 items-end gap-1 border-b border-slate-200 dark:border-slate-700"
        data-testid="terminal-tab-strip"
      >
        {tabs.length > 0 && (
          <div
            role="tablist"
            aria-label={t('tabs.label')}
            aria-owns={tabs.map((x) => tabId(x.key)).join(' ')}
          />
        )}
        <div
          className="flex min-w-0 items-end gap-1 overflow-x-auto [scrollbar-width:thin]"
          data-testid="terminal-tabs-scroll"
        >
          {tabs.map((x) => {
            const s = states[x.key] ?? EMPTY;
            const label = tabLabel(x);
            const selected = x.key === active;
            return (
              <div
                key={x.key}
                className={`flex shrink-0 items-center rounded-t-md border border-b-0 text-sm whitespace-nowrap ${
                  selected
                    ? 'border-slate-300 bg-white font-medium text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100'
                    : 'border-transparent text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'
                }`}
                data-tab-group={x.deviceName}
              >
                <button
                  type="button"
                  role="tab"
                  id={tabId(x.key)}
                  aria-selected={selected}
                  aria-controls={panelId(x.key)}
                  tabIndex={selected ? 0 : -1}
                  data-tab={x.deviceName}
                  data-label={label}
                  data-state={s.status}
                  title={
                    x.title
                      ? t('tabs.titled', { title: x.title, device: x.deviceName })
                      : t('tabs.renameHint')
                  }
                  className="flex cursor-pointer items-center gap-2 rounded-tl-md py-1.5 pr-1 pl-3 focus-visible:outline-2 focus-visible:outline-sky-500"
                  onClick={() => setActive(x.key)}
                  onDoubleClick={() => setRenaming(x.key)}
                  onKeyDown={(e) => onTabKey(e, x.key)}
                >
                  <span className={`h-2 w-2 shrink-0 rounded-full ${DOT[s.status]}`} aria-hidden />
                  {renaming === x.key ? <span className="sr-only">{label}</span> : label}
                </button>
                {renaming === x.key && (
                  <input
                    autoFocus
                    className="mr-1 w-36 rounded border border-sky-400 bg-white px-1 py-0 text-sm font-normal text-slate-900 dark:bg-slate-950 dark:text-slate-100"
                    defaultValue={x.title ?? ''}
                    placeholder={tabLabel({ ...x, title: undefined })}
                    maxLength={TITLE_MAX_CHARS}
                    aria-label={t('tabs.rename', { label })}
                    onFocus={(e) => e.currentTarget.select()}
                    onBlur={(e) => renameTab(x.key, e.currentTarget.value)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') renameTab(x.key, e.currentTarget.value);
                      if (e.key === 'Escape') {
                        e.currentTarget.value = x.title ?? ''; // the blur that follows keeps the old name
                        setRenaming(null);
                      }
                    }}
                  />
                )}
                {selected && renaming !== x.key && (
                  // the mouse and touch way to rename (a double-tap zooms on a phone)
                  <button
                    type="button"
                    aria-label={t('tabs.rename', { label })}
                    title={t('tabs.renameTitle')}
                    className="rounded px-1 text-slate-500 hover:bg-slate-200 hover:text-slate-800 dark:text-slate-400 dark:hover:bg-slate-700 dark:hover:text-slate-100"
                    onClick={() => setRenaming(x.key)}
                  >
                    ✎
                  </button>
                )}
                <button
                  type="button"
                  aria-label={t('tabs.close', { label })}
                  className="mr-1 rounded px-1 text-slate-500 hover:bg-slate-200 hover:text-slate-800 dark:text-slate-400 dark:hover:bg-slate-700 dark:hover:text-slate-100"
                  onClick={() => closeTab(x.key)}
                >
                  ×
                </button>
              </div>
            );
          })}
        </div>
        <button
          ref={newTabButton}
          type="button"
          className="btn-secondary my-1 ml-1 shrink-0 whitespace-nowrap"
          onClick={() => togglePicker(newTabButton.current)}
          aria-expanded={!!picking}
          aria-haspopup="dialog"
        >
          {t('tabs.newTab')}
        </button>
        <button
          type="button"
          className="btn-secondary my-1 ml-auto shrink-0 px-2.5"
          onClick={() => setHelpOpen(true)}
          aria-label={t('tabs.shortcuts')}
          aria-haspopup="dialog"
          title={t('tabs.shortcuts')}
        >
          ?
        </button>
      </div>
      {picking && (
        <DevicePicker
          devices={devices}
          statuses={live?.statuses}
          position={picking}
          onPick={openTab}
          onClose={closePicker}
        />
      )}
      {helpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
      {sharing && states[sharing] && (
        <ShareDialog
          device={tabs.find((x) => x.key === sharing)?.deviceName ?? ''}
          guests={states[sharing].guests ?? []}
          error={states[sharing].pairingError ?? null}
          onInvite={(username) => panes.current[sharing]?.send({ type: 'invite', username })}
          onUninvite={(username) => panes.current[sharing]?.send({ type: 'uninvite', username })}
          onHandOver={(username) => panes.current[sharing]?.send({ type: 'hand_over', username })}
          onClose={() => {
            patch(sharing, { pairingError: null });
            setSharing(null);
          }}
        />
      )}

      {tabs.length === 0 ? (
        <StartPanel
          loaded={loaded}
          hasDevices={devices.length > 0}
          recent={recentDevices}
          statuses={live?.statuses}
          pickerOpen={!!picking}
          onChoose={(anchor) => togglePicker(anchor)}
          onOpen={openTab}
        />
      ) : (
        // stacked on a phone: side by side the 24 rem command panel left the pane a few pixels wide
        <div className="flex min-h-0 flex-1 flex-col gap-3 lg:flex-row">
          <div className="flex min-w-0 flex-1 flex-col">
            <div
              className="relative min-h-0 flex-1 overflow-hidden rounded-md p-1"
              style={{ background: colours.background }}
              data-terminal-theme={theme}
            >
              {tabs.map((x) => (
                <div
                  key={x.key}
                  id={panelId(x.key)}
                  role="tabpanel"
                  aria-labelledby={tabId(x.key)}
                  className={x.key === active ? 'absolute inset-1' : 'invisible absolute inset-1'}
                  data-pane={x.deviceName}
                >
                  <TerminalPane
                    ref={(h) => {
                      panes.current[x.key] = h;
                    }}
                    deviceId={x.deviceId}
                    deviceName={x.deviceName}
                    sessionId={x.sessionId}
                    active={x.key === active}
                    theme={theme}
                    fontSize={fontSize}
                    onStatus={(status, message) => patch(x.key, { status, message })}
                    onSession={(id) =>
                      setTabs((all) => all.map((y) => (y.key === x.key ? { ...y, sessionId: id } : y)))
                    }
                    onFrame={(f) => onFrame(x.key, f)}
                    onRtt={(ms) => patch(x.key, { rtt: ms })}
                  />
                  {states[x.key]?.question && (
                    <LoginQuestion
                      key={states[x.key]!.question!.id}
                      deviceName={x.deviceName}
                      question={states[x.key]!.question!}
                      onAnswer={(answers) => {
                        panes.current[x.key]?.send({
                          type: 'login_answer',
                          id: states[x.key]!.question!.id,
                          answers,
                        });
                        patch(x.key, { question: null });
                      }}
                    />
                  )}
                  {states[x.key]?.status === 'error' && (
                    // The session never began (or the portal link broke): say why where the user looks.
                    <div
                      role="alert"
                      className="absolute inset-0 flex flex-col items-center justify-center gap-3 p-4 text-center"
                      style={{ background: colours.background }}
                    >
                      <p
                        className={`text-sm font-semibold ${darkTerminal ? 'text-slate-100' : 'text-slate-900'}`}
                      >
                        {t('pane.failed')}
                      </p>
                      <p
                        className={`max-w-md text-sm break-words ${darkTerminal ? 'text-red-300' : 'text-red-700'}`}
                      >
                        {say(states[x.key]!.message)}
                      </p>
                      <button
                        type="button"
                        className="btn-secondary"
                        onClick={() => panes.current[x.key]?.reconnect()}
                      >
                        {t('pane.retry')}
                      </button>
                    </div>
                  )}
                </div>
              ))}
            </div>
            {current && st && (
              <div
                className="flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-slate-200 px-1 py-1 text-xs text-slate-600 dark:border-slate-700 dark:text-slate-300"
                data-testid="terminal-status"
              >
                <span className={`h-2 w-2 rounded-full ${DOT[st.status]}`} aria-hidden />
                <span role="status">{say(st.message)}</span>
                {st.status === 'connected' && (
                  <button
                    type="button"
                    className="btn-secondary py-0.5"
                    onClick={() => setSharing(current.key)}
                  >
                    {st.guests?.length
                      ? ts('share.buttonCount', { count: st.guests.length })
                      : ts('share.button')}
                  </button>
                )}
                {st.status === 'connected' && st.guests?.some((g) => g.control) && (
                  <span
                    className="rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200"
                    data-testid="terminal-keyboard"
                  >
                    {ts('share.waiting', { name: st.guests.find((g) => g.control)!.name })}
                  </span>
                )}
                {st.observers && st.observers.length > 0 && st.status === 'connected' && (
                  // someone watches: the owner always knows (DESIGN: security; audited on the server)
                  <span
                    className="rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200"
                    data-testid="terminal-observers"
                  >
                    {ts('observedBy', { names: st.observers.join(', ') })}
                  </span>
                )}
                {st.rtt !== null && st.status === 'connected' && (
                  <span title={t('status.rtt')} data-testid="rtt">
                    {t('status.rttValue', { ms: st.rtt < 1 ? '<1' : String(Math.round(st.rtt)) })}
                  </span>
                )}
                {(st.status === 'closed' || st.status === 'error') && (
                  <button
                    type="button"
                    className="btn-secondary py-0.5"
                    onClick={() => panes.current[current.key]?.reconnect()}
                  >
                    {t('status.reconnect')}
                  </button>
                )}
                {st.encoding && st.status === 'connected' && (
                  // Mojibake means the device speaks another character set than stored: switch this tab.
                  <label
                    className="flex items-center gap-1 text-xs font-normal text-slate-600 dark:text-slate-300"
                    title={t('status.encodingTitle')}
                  >
                    {t('status.encoding')}
                    <select
                      className="rounded border border-slate-300 bg-white px-1 py-0.5 text-xs dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
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
                <div className="flex items-center gap-1" title={t('status.fontSize', { size: fontSize })}>
                  <button
                    type="button"
                    className="btn-secondary px-2 py-0.5"
                    onClick={() => changeFontSize(-1)}
                    disabled={fontSize <= TERMINAL_FONT_SIZE.min}
                    aria-label={t('status.fontSmaller')}
                  >
                    A−
                  </button>
                  <span className="min-w-[2ch] text-center tabular-nums" data-testid="terminal-font-size">
                    {fontSize}
                  </span>
                  <button
                    type="button"
                    className="btn-secondary px-2 py-0.5"
                    onClick={() => changeFontSize(1)}
                    disabled={fontSize >= TERMINAL_FONT_SIZE.max}
                    aria-label={t('status.fontLarger')}
                  >
                    A+
                  </button>
                </div>
                <form
                  className="ml-auto flex items-center gap-1"
                  onSubmit={(e) => {
                    e.preventDefault();
                    panes.current[current.key]?.find(find, 'next');
                  }}
                >
                  <input
                    className="input mt-0 w-40 py-0.5 text-xs"
                    placeholder={t('status.search')}
                    value={find}
                    onChange={(e) => setFind(e.target.value)}
                    aria-label={t('status.search')}
                  />
                  <button
                    type="button"
                    className="btn-secondary py-0.5"
                    onClick={() => panes.current[current.key]?.find(find, 'previous')}
                    aria-label={t('status.previousMatch')}
                  >
                    ↑
                  </button>
                  <button type="submit" className="btn-secondary py-0.5" aria-label={t('status.nextMatch')}>
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
              {t('command.open')}
            </button>
          )}
          {current && st && commandOpen && (
            <CommandDrawer
              tabKey={current.key}
              state={st}
              example={driverFor(devices.find((d) => d.id === current.deviceId)?.vendor ?? '').example}
              onRun={runCommand}
              onHide={toggleCommandMode}
            />
          )}
        </div>
      )}
    </div>
  );
}
