/**
 * What bench/browser.ts measures inside the page, installed before any of the page's own scripts.
 * The same probe runs on the portal's terminal page and on the bare xterm baseline page: it finds the
 * terminal through its host element (`[data-terminal-host]`, whose `terminal` property is the xterm
 * instance) and wraps that instance's `write`, so "on screen" means what xterm has parsed into its
 * buffer and the frame drawn after it, whatever renderer draws it.
 */
import type { Page } from '@playwright/test';

/** One keystroke: from the key's event time to its echo parsed by xterm, and to the frame after it. */
export interface KeyTiming {
  parsedMs: number;
  paintedMs: number;
}

/** A click during a flood: how long it waited for the main thread, and until the next frame. */
export interface ClickTiming {
  inputDelayMs: number;
  nextFrameMs: number;
}

export interface FloodTiming {
  /** Characters (portal: UTF-16 units of decoded text; baseline: bytes) parsed after the Enter. */
  chars: number;
  /** Enter's event time → the frame drawn after the marker was parsed. */
  ms: number;
  frames: number;
  /** Longest gap between two animation frames, ms. */
  longestFrameMs: number;
  /** Longest main-thread task (Long Tasks API, tasks of 50 ms and more), ms; 0 when none. */
  longestTaskMs: number;
  /** Main-thread time in long tasks, ms. */
  longTaskMs: number;
  /** Most characters handed to xterm and not yet parsed at once (its write queue), from the start. */
  peakBacklog: number;
  clicks: ClickTiming[];
}

/** The key whose event time starts a flood measurement. */
export type FloodStart = 'Enter' | 'Control+c';

interface ProbeState {
  pendingKey: { at: number; resolve: (t: KeyTiming) => void } | null;
  keyArmed: ((t: KeyTiming) => void) | null;
  /** Handed to xterm, not parsed yet. */
  backlog: number;
  flood: {
    marker: string;
    start: FloodStart;
    startedAt: number | null;
    peakBacklog: number;
    chars: number;
    tail: string;
    resolve: (t: FloodTiming) => void;
    frames: number[];
    clicks: ClickTiming[];
  } | null;
  longTasks: { start: number; duration: number }[];
}

declare global {
  interface Window {
    __bench?: {
      attach(): boolean;
      text(lines: number): string;
      armKey(): void;
      keyResult(): Promise<KeyTiming>;
      armFlood(marker: string, start: FloodStart): void;
      floodResult(): Promise<FloodTiming>;
      renderer(): string;
      size(): { cols: number; rows: number };
    };
  }
}

/** Runs in the page (serialised by Playwright): no references to anything outside the function. */
function installProbe(): void {
  const state: ProbeState = { pendingKey: null, keyArmed: null, backlog: 0, flood: null, longTasks: [] };
  let keyPromise: Promise<KeyTiming> | null = null;
  let floodPromise: Promise<FloodTiming> | null = null;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) state.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no Long Tasks API: longest task reads 0
  }
  type Xterm = {
    write(data: string | Uint8Array, cb?: () => void): void;
    cols: number;
    rows: number;
    buffer: {
      active: {
        baseY: number;
        cursorY: number;
        getLine(i: number): { translateToString(trim: boolean): string } | undefined;
      };
    };
  };
  const host = () =>
    document.querySelector('[data-terminal-host]') as (HTMLElement & { terminal?: Xterm }) | null;
  const term = () => host()?.terminal ?? null;

  function parsed(data: string | Uint8Array): void {
    const now = performance.now();
    const key = state.pendingKey;
    if (key) {
      state.pendingKey = null;
      requestAnimationFrame(() =>
        key.resolve({ parsedMs: now - key.at, paintedMs: performance.now() - key.at }),
      );
    }
    const f = state.flood;
    if (!f || f.startedAt === null) return;
    const n = typeof data === 'string' ? data.length : data.byteLength;
    f.chars += n;
    const tail =
      typeof data === 'string'
        ? data.slice(-64)
        : String.fromCharCode(...data.subarray(Math.max(0, data.byteLength - 64)));
    const seen = f.tail + tail;
    f.tail = seen.slice(-64);
    if (!seen.includes(f.marker)) return;
    state.flood = null;
    const started = f.startedAt;
    requestAnimationFrame(() => {
      const end = performance.now();
      const frames = f.frames.filter((t) => t >= started && t <= end);
      let longestFrame = 0;
      for (let i = 1; i < frames.length; i++)
        longestFrame = Math.max(longestFrame, frames[i]! - frames[i - 1]!);
      const tasks = state.longTasks.filter((t) => t.start + t.duration >= started && t.start <= end);
      f.resolve({
        chars: f.chars,
        ms: end - started,
        frames: frames.length,
        longestFrameMs: longestFrame,
        longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
        longTaskMs: tasks.reduce((s, t) => s + t.duration, 0),
        peakBacklog: f.peakBacklog,
        clicks: f.clicks,
      });
    });
  }

  window.addEventListener(
    'keydown',
    (e) => {
      if (state.keyArmed) {
        const resolve = state.keyArmed;
        state.keyArmed = null;
        state.pendingKey = { at: e.timeStamp, resolve };
      }
      const f = state.flood;
      if (!f || f.startedAt !== null) return;
      if (f.start === 'Enter' ? e.key === 'Enter' : e.key === 'c' && e.ctrlKey) f.startedAt = e.timeStamp;
    },
    true,
  );
  window.addEventListener(
    'pointerdown',
    (e) => {
      const f = state.flood;
      if (!f || f.startedAt === null) return;
      const inputDelayMs = performance.now() - e.timeStamp;
      const at = e.timeStamp;
      requestAnimationFrame(() => f.clicks.push({ inputDelayMs, nextFrameMs: performance.now() - at }));
    },
    true,
  );

  window.__bench = {
    attach() {
      const t = term() as (Xterm & { __benchWrapped?: boolean }) | null;
      if (!t) return false;
      if (t.__benchWrapped) return true;
      const write = t.write.bind(t);
      const size = (data: string | Uint8Array) => (typeof data === 'string' ? data.length : data.byteLength);
      t.write = (data, cb) => {
        state.backlog += size(data);
        if (state.flood) state.flood.peakBacklog = Math.max(state.flood.peakBacklog, state.backlog);
        write(data, () => {
          state.backlog -= size(data);
          parsed(data);
          cb?.();
        });
      };
      t.__benchWrapped = true;
      return true;
    },
    text(lines) {
      const b = term()?.buffer.active;
      if (!b) return '';
      // up to the cursor's line: below it the screen is still blank
      const end = b.baseY + b.cursorY + 1;
      const out: string[] = [];
      for (let i = Math.max(0, end - lines); i < end; i++)
        out.push(b.getLine(i)?.translateToString(true) ?? '');
      return out.join('\n');
    },
    armKey() {
      keyPromise = new Promise((resolve) => (state.keyArmed = resolve));
    },
    keyResult() {
      if (!keyPromise) throw new Error('armKey first');
      return keyPromise;
    },
    armFlood(marker, start) {
      const frames: number[] = [];
      floodPromise = new Promise((resolve) => {
        state.flood = {
          marker,
          start,
          startedAt: null,
          peakBacklog: state.backlog,
          chars: 0,
          tail: '',
          resolve,
          frames,
          clicks: [],
        };
      });
      // every frame until the result is in (its frame is the last one counted)
      let running = true;
      void floodPromise.then(() => (running = false));
      const tick = (t: number) => {
        frames.push(t);
        if (running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    },
    floodResult() {
      if (!floodPromise) throw new Error('armFlood first');
      return floodPromise;
    },
    renderer() {
      return host()?.dataset.renderer ?? 'unknown';
    },
    size() {
      const t = term();
      return { cols: t?.cols ?? 0, rows: t?.rows ?? 0 };
    },
  };
}

/**
 * Install the probe in every document of the page. tsx compiles this file with esbuild's keepNames,
 * which wraps named functions in a `__name(...)` helper; the page has no such helper, so it gets a
 * do-nothing one first.
 */
export async function addProbe(page: Page): Promise<void> {
  await page.addInitScript('globalThis.__name ??= (f) => f;');
  await page.addInitScript(installProbe);
}
