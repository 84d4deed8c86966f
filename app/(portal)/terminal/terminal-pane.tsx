'use client';

import '@xterm/xterm/css/xterm.css';
import type { FitAddon } from '@xterm/addon-fit';
import type { SearchAddon } from '@xterm/addon-search';
import type { Terminal } from '@xterm/xterm';
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import type { TerminalClientMessage, TerminalServerMessage } from '@/lib/realtime/protocol';
import { TerminalLink, type LinkStatus } from './terminal-link';

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
  ref?: Ref<PaneHandle>;
  onStatus(status: LinkStatus, message: string): void;
  onSession(sessionId: string): void;
  onFrame(frame: TerminalServerMessage): void;
  onRtt(ms: number): void;
}

/** A paste this long (characters or lines) asks before it goes to the device. */
export const PASTE_CONFIRM_CHARS = 5_000;
export const PASTE_CONFIRM_LINES = 50;

const THEME = {
  background: '#0b1220',
  foreground: '#e2e8f0',
  cursor: '#38bdf8',
  selectionBackground: '#334155',
};

/** One xterm.js terminal bound to one TerminalLink. Stays mounted while hidden so output keeps flowing. */
export function TerminalPane({
  deviceId,
  deviceName,
  sessionId,
  active,
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
    // Deferred so React's development double-mount does not open two sessions.
    const timer = setTimeout(async () => {
      const [{ Terminal }, { FitAddon }, { SearchAddon }, { WebLinksAddon }, { Unicode11Addon }] =
        await Promise.all([
          import('@xterm/xterm'),
          import('@xterm/addon-fit'),
          import('@xterm/addon-search'),
          import('@xterm/addon-web-links'),
          import('@xterm/addon-unicode11'),
        ]);
      if (disposed || !host.current) return;
      const t = new Terminal({
        cursorBlink: true,
        fontFamily: "'DejaVu Sans Mono', ui-monospace, Menlo, monospace",
        fontSize: 14,
        scrollback: 10_000,
        allowProposedApi: true,
        theme: THEME,
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
      f.fit();
      term.current = t;
      fit.current = f;
      search.current = s;

      const l = new TerminalLink(deviceId, sessionId, () => ({ cols: t.cols, rows: t.rows }), {
        onOutput: (data, resumed) => {
          if (resumed) t.reset(); // the scrollback replaces what this page showed before a blip
          t.write(data);
        },
        onInputLost: (chars) =>
          t.write(
            `\r\n\x1b[31m[${chars.toLocaleString()} characters of your input were not sent: the connection dropped. Paste again once it is back.]\x1b[0m\r\n`,
          ),
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
          const what =
            lines > 1 ? `${lines.toLocaleString()} lines` : `${data.length.toLocaleString()} characters`;
          if (!window.confirm(`Paste ${what} into ${deviceName}?`)) return;
        }
        l.send({ type: 'input', data });
      });
      t.onResize(({ cols, rows }) => l.send({ type: 'resize', cols, rows }));
      // Ctrl+Shift+C copies the selection, Ctrl+Shift+V pastes (Ctrl+C stays an interrupt for the device).
      t.attachCustomKeyEventHandler((e) => {
        if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
        if (e.code === 'KeyC') {
          const sel = t.getSelection();
          if (sel) void navigator.clipboard?.writeText(sel);
          return false;
        }
        if (e.code === 'KeyV') {
          // Chromium also treats Ctrl+Shift+V as "paste as plain text" and fires a paste event that
          // xterm handles itself: without preventDefault the line arrived twice.
          e.preventDefault();
          void navigator.clipboard?.readText().then((text) => text && t.paste(text));
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
      observer?.disconnect();
      link.current?.dispose();
      term.current?.dispose();
      link.current = null;
      term.current = null;
    };
    // A pane is bound to one device and its first session id for its whole life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [deviceId]);

  useEffect(() => {
    if (!active) return;
    const t = setTimeout(() => {
      fit.current?.fit();
      term.current?.focus();
    }, 0);
    return () => clearTimeout(t);
  }, [active]);

  return <div ref={host} className="h-full w-full" data-terminal-host />;
}
