'use client';

import '@xterm/xterm/css/xterm.css';
// Bundled so every machine draws the same glyphs: JetBrains Mono shows underscores at 14 px (DejaVu
// Sans Mono at 14 px in xterm's DOM renderer put them below the row, invisible), and Noto Sans SC
// (split by unicode-range: a page downloads only the slices its characters need) covers Chinese
// output where the machine has no CJK font of its own.
import '@fontsource-variable/jetbrains-mono';
import '@fontsource-variable/noto-sans-sc';
import type { FitAddon } from '@xterm/addon-fit';
import type { SearchAddon } from '@xterm/addon-search';
import type { Terminal } from '@xterm/xterm';
import { useTranslations } from 'next-intl';
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { TerminalThemeName } from '@/lib/i18n/config';
import { TERMINAL_COLOUR_THEMES } from '@/lib/terminal/themes';
import { MSG, type TerminalClientMessage, type TerminalServerMessage } from '@/lib/realtime/protocol';
import type { LinkMessage } from './link-messages';
import { TerminalLink, type LinkStatus } from './terminal-link';
import { loadBestRenderer, type TerminalHostElement } from './renderer';
import { ReaderBacklog } from './reader-backlog';

export interface PaneHandle {
  send(frame: TerminalClientMessage): void;
  reconnect(): void;
  close(): void;
  focus(): void;
  find(term: string, direction: 'next' | 'previous'): boolean;
}

export interface PaneProps {
  deviceId: string;
  /** Named in the large-paste confirmation. */
  deviceName: string;
  sessionId: string | null;
  active: boolean;
  /** The user's terminal theme (account preferences), whatever the page's own theme is. */
  theme: TerminalThemeName;
  /** Pixels; the user's preference, changed for this page view by the status bar's − and +. */
  fontSize: number;
  ref?: Ref<PaneHandle>;
  onStatus(status: LinkStatus, message: LinkMessage): void;
  onSession(sessionId: string): void;
  onFrame(frame: TerminalServerMessage): void;
  onRtt(ms: number): void;
}

/** A paste this long (characters or lines) asks before it goes to the device. */
export const PASTE_CONFIRM_CHARS = 5_000;
export const PASTE_CONFIRM_LINES = 50;

/** Latin first (it sets the cell size), then CJK: the bundled face, then the systems' own if it fails to load. */
export const TERMINAL_FONT_FAMILY =
  "'JetBrains Mono Variable', 'Noto Sans SC Variable', 'Noto Sans Mono CJK SC', 'Microsoft YaHei', 'PingFang SC', monospace";
/** How long the terminal waits for its font before measuring cells with a fallback. */
const FONT_LOAD_TIMEOUT_MS = 3_000;
/** How long "Copied" (or why not) stays on screen. */
const COPY_HINT_MS = 2_500;
/** Per browser, like the Command mode drawer. */
const COPY_ON_SELECT_KEY = 'sb.terminal.copyOnSelect';

/**
 * Put text on the clipboard. The Clipboard API exists only in a secure context (https or localhost),
 * so a portal on plain http://hostname falls back to execCommand('copy'), which still works inside a
 * click or key press: a one-off copy listener hands the browser our text instead of the DOM selection.
 */
export async function copyText(text: string): Promise<boolean> {
  if (window.isSecureContext && navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // permission refused or the page lost focus: try the old way
    }
  }
  const onCopy = (e: ClipboardEvent) => {
    e.clipboardData?.setData('text/plain', text);
    e.preventDefault();
    e.stopImmediatePropagation(); // xterm's own copy handler would write its selection instead
  };
  document.addEventListener('copy', onCopy, true);
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    document.removeEventListener('copy', onCopy, true);
  }
}

/** One xterm.js terminal bound to one TerminalLink. Stays mounted while hidden so output keeps flowing. */
export function TerminalPane({
  deviceId,
  deviceName,
  sessionId,
  active,
  theme,
  fontSize,
  ref,
  onStatus,
  onSession,
  onFrame,
  onRtt,
}: PaneProps) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const fit = useRef<FitAddon | null>(null);
  const search = useRef<SearchAddon | null>(null);
  const link = useRef<TerminalLink | null>(null);
  const handlers = useRef({ onStatus, onSession, onFrame, onRtt });
  const t = useTranslations('terminal.pane');
  // the terminal's callbacks live as long as the pane: they read the current words and look
  const words = useRef({ t, theme, fontSize });
  useEffect(() => {
    words.current = { t, theme, fontSize };
  });
  const [hasSelection, setHasSelection] = useState(false);
  const [copyHint, setCopyHint] = useState<{ ok: boolean; text: string } | null>(null);
  const [copyOnSelect, setCopyOnSelect] = useState(false);
  const copyOnSelectRef = useRef(false);
  const activeRef = useRef(active);
  useEffect(() => {
    activeRef.current = active;
  });
  const hintTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(hintTimer.current), []);

  async function copySelection() {
    const sel = term.current?.getSelection();
    if (!sel) return;
    const ok = await copyText(sel);
    clearTimeout(hintTimer.current);
    setCopyHint(ok ? { ok, text: t('copied', { count: sel.length }) } : { ok, text: t('copyBlocked') });
    hintTimer.current = setTimeout(() => setCopyHint(null), COPY_HINT_MS);
  }
  const copyRef = useRef(copySelection);
  useEffect(() => {
    copyRef.current = copySelection;
  });

  function toggleCopyOnSelect(on: boolean) {
    copyOnSelectRef.current = on;
    setCopyOnSelect(on);
    localStorage.setItem(COPY_ON_SELECT_KEY, on ? 'on' : 'off');
  }
  useEffect(() => {
    handlers.current = { onStatus, onSession, onFrame, onRtt };
  });

  useImperativeHandle(ref, () => ({
    send: (frame) => link.current?.send(frame),
    reconnect: () => link.current?.reconnect(),
    close: () => link.current?.close(),
    focus: () => term.current?.focus(),
    find: (text, direction) =>
      direction === 'next'
        ? (search.current?.findNext(text) ?? false)
        : (search.current?.findPrevious(text) ?? false),
  }));

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    let copiedSelection = '';
    // A CJK slice (unicode-range) loads on first use, after xterm's DOM renderer measured those
    // characters with a fallback and spaced them by that width: an equivalent font string (a
    // trailing space) makes it measure again.
    const onFontsLoaded = () => {
      const t = term.current;
      if (t)
        t.options.fontFamily =
          t.options.fontFamily === TERMINAL_FONT_FAMILY ? `${TERMINAL_FONT_FAMILY} ` : TERMINAL_FONT_FAMILY;
    };
    document.fonts.addEventListener('loadingdone', onFontsLoaded);
    // Copy on select acts when the mouse is let go (anywhere: a drag may end outside the pane),
    // inside that gesture, so the execCommand fallback is still allowed.
    const onMouseUp = () => {
      const sel = term.current?.getSelection() ?? '';
      if (!activeRef.current || !copyOnSelectRef.current || !sel || sel === copiedSelection) return;
      copiedSelection = sel;
      void copyRef.current();
    };
    window.addEventListener('mouseup', onMouseUp);
    // Deferred so React's development double-mount does not open two sessions.
    const timer = setTimeout(async () => {
      const [
        { Terminal },
        { FitAddon },
        { SearchAddon },
        { WebLinksAddon },
        { Unicode11Addon },
        { WebglAddon },
      ] = await Promise.all([
        import('@xterm/xterm'),
        import('@xterm/addon-fit'),
        import('@xterm/addon-search'),
        import('@xterm/addon-web-links'),
        import('@xterm/addon-unicode11'),
        import('@xterm/addon-webgl'),
      ]);
      // xterm measures the cell once, from the font it finds: wait for the bundled one.
      await Promise.race([
        document.fonts.load(`${words.current.fontSize}px 'JetBrains Mono Variable'`).catch(() => []),
        new Promise((resolve) => setTimeout(resolve, FONT_LOAD_TIMEOUT_MS)),
      ]);
      if (disposed || !host.current) return;
      copyOnSelectRef.current = localStorage.getItem(COPY_ON_SELECT_KEY) === 'on';
      setCopyOnSelect(copyOnSelectRef.current);
      const t = new Terminal({
        cursorBlink: true,
        fontFamily: TERMINAL_FONT_FAMILY,
        fontSize: words.current.fontSize,
        scrollback: 10_000,
        allowProposedApi: true,
        theme: TERMINAL_COLOUR_THEMES[words.current.theme],
      });
      const f = new FitAddon();
      const s = new SearchAddon();
      const u = new Unicode11Addon();
      t.loadAddon(f);
      t.loadAddon(s);
      t.loadAddon(new WebLinksAddon());
      t.loadAddon(u);
      t.unicode.activeVersion = '11';
      t.open(host.current);
      const el: TerminalHostElement = host.current;
      el.terminal = t;
      loadBestRenderer(t, WebglAddon, (choice) => {
        el.dataset.renderer = choice.renderer;
        if (choice.renderer === 'dom') el.dataset.rendererReason = choice.reason;
      });
      t.onSelectionChange(() => {
        setHasSelection(t.hasSelection());
        if (!t.hasSelection()) copiedSelection = ''; // the same text selected again is copied again
      });
      f.fit();
      term.current = t;
      fit.current = f;
      search.current = s;

      // a flood comes faster than the page draws it: the device waits while xterm is behind
      const backlog = new ReaderBacklog((paused) => link.current?.send({ type: MSG.flow, paused }));
      const l = new TerminalLink(deviceId, sessionId, () => ({ cols: t.cols, rows: t.rows }), {
        onOutput: (data, resumed) => {
          if (resumed) t.reset(); // the scrollback replaces what this page showed before a blip
          backlog.queued(data.length);
          t.write(data, () => backlog.parsed(data.length));
        },
        onInputLost: (chars) =>
          // the portal's own notice, in the reader's language (device output is never translated)
          t.write(`\r\n\x1b[31m${words.current.t('inputLost', { count: chars })}\x1b[0m\r\n`),
        onInputRefused: (reason, dropped) =>
          t.write(`\r\n\x1b[31m${words.current.t('inputRefused', { reason, dropped })}\x1b[0m\r\n`),
        onPasteStopped: () => t.write(`\r\n\x1b[31m${words.current.t('pasteStopped')}\x1b[0m\r\n`),
        onStatus: (st, msg) => handlers.current.onStatus(st, msg),
        onSession: (id) => handlers.current.onSession(id),
        onFrame: (frame) => handlers.current.onFrame(frame),
        onRtt: (ms) => handlers.current.onRtt(ms),
      });
      link.current = l;
      t.onData((data) => {
        // a large paste is confirmed first: thousands of lines into a switch is rarely a typo's cost
        const lines = data.split('\r').length - 1;
        if (data.length >= PASTE_CONFIRM_CHARS || lines >= PASTE_CONFIRM_LINES) {
          const say = words.current.t;
          const question =
            lines > 1
              ? say('pasteLines', { count: lines, device: deviceName })
              : say('pasteChars', { count: data.length, device: deviceName });
          if (!window.confirm(question)) return;
        }
        l.send({ type: 'input', data });
      });
      t.onResize(({ cols, rows }) => l.send({ type: 'resize', cols, rows }));
      // Ctrl+Shift+C copies the selection, Ctrl+Shift+V pastes (Ctrl+C stays an interrupt for the device).
      t.attachCustomKeyEventHandler((e) => {
        if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
        if (e.code === 'KeyC') {
          e.preventDefault(); // Chromium would open the DevTools inspector
          void copyRef.current();
          return false;
        }
        if (e.code === 'KeyV') {
          // Without the Clipboard API (plain http), let Chromium's own "paste as plain text" through:
          // xterm handles that paste event. With it, read it ourselves and stop the browser's, or the
          // line arrives twice.
          if (!window.isSecureContext || !navigator.clipboard?.readText) return false;
          e.preventDefault();
          void navigator.clipboard.readText().then((text) => text && t.paste(text));
          return false;
        }
        return true;
      });
      observer = new ResizeObserver(() => {
        if (host.current && host.current.offsetParent !== null) f.fit();
      });
      observer.observe(host.current);
      l.start();
    }, 0);
    return () => {
      disposed = true;
      clearTimeout(timer);
      window.removeEventListener('mouseup', onMouseUp);
      document.fonts.removeEventListener('loadingdone', onFontsLoaded);
      observer?.disconnect();
      link.current?.dispose();
      term.current?.dispose();
      link.current = null;
      term.current = null;
    };
    // A pane is bound to one device and its first session id for its whole life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [deviceId]);

  // a change of look applies to the running terminal: the new cell size refits it (and resizes the PTY)
  useEffect(() => {
    const t = term.current;
    if (!t) return;
    t.options.theme = TERMINAL_COLOUR_THEMES[theme];
    if (t.options.fontSize !== fontSize) {
      t.options.fontSize = fontSize;
      if (host.current?.offsetParent !== null) fit.current?.fit();
    }
  }, [theme, fontSize]);

  useEffect(() => {
    if (!active) return;
    const t = setTimeout(() => {
      fit.current?.fit();
      term.current?.focus();
    }, 0);
    return () => clearTimeout(t);
  }, [active]);

  return (
    <div className="relative h-full w-full">
      <div ref={host} className="h-full w-full" data-terminal-host />
      {(hasSelection || copyHint) && active && (
        // Shown while text is selected: a mouse-only Copy (phones have no Ctrl+Shift+C) and the
        // copy-on-select setting, where the user needs it.
        <div
          className="absolute top-1 right-4 z-10 flex items-center gap-2 rounded-md border border-slate-600 bg-slate-800/95 px-2 py-1 text-xs text-slate-100 shadow"
          data-testid="terminal-copy"
          // keep the terminal's selection: a mousedown here would otherwise clear it
          onMouseDown={(e) => e.preventDefault()}
        >
          {hasSelection && (
            <button
              type="button"
              className="rounded px-1.5 py-0.5 hover:bg-slate-700"
              onClick={() => void copySelection()}
            >
              {t('copy')}
            </button>
          )}
          <label className="flex items-center gap-1 text-xs font-normal text-slate-100">
            <input
              type="checkbox"
              checked={copyOnSelect}
              onChange={(e) => toggleCopyOnSelect(e.target.checked)}
            />
            {t('copyOnSelect')}
          </label>
          {copyHint && (
            <span role="status" className={copyHint.ok ? 'text-emerald-300' : 'text-amber-300'}>
              {copyHint.text}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
