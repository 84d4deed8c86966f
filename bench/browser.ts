/**
 * 9. The terminal in a real browser (Playwright driving Chromium): the portal's /terminal page behind
 * the production build and server.ts vs a bare xterm page fed by a raw `ws` server bridging a direct
 * ssh2 shell (bench/lib/browser-baseline.ts), both against Debian's sshd, both in a 1440×900 window
 * with the same font, size, colours and renderer (the one the portal's page chose).
 *
 * - Flood: the shell `cat`s a file of log lines (50 MB); the rate at which xterm parses it, frames
 *   drawn per second meanwhile, the longest main-thread task and the longest gap between frames, the
 *   most output waiting in the page at once, and what clicks made every CLICK_INTERVAL_MS during the
 *   flood waited for (input delay, next frame).
 * - Interrupt: Ctrl+C a second into an endless flood, until its ^C is on screen.
 * - Keystrokes: one key at a time, from the key's event time in the page to its echo parsed into the
 *   terminal's buffer and the frame drawn after it.
 * - Renderers: the bare page with the other renderer (WebGL where the portal chose the DOM renderer,
 *   and the reverse) on a fifth of the flood: why the portal chose as it did.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../e2e/env';
import { addProbe, type FloodStart, type FloodTiming, type KeyTiming } from './lib/browser-probe';
import { BROWSER_ADMIN_PASSWORD, startBrowserPortal } from './lib/browser-portal';
import type { BaselineInit, BaselineReady } from './lib/browser-baseline';
import { closeAll, type BenchContext, type BenchResult } from './lib/common';
import { buildIsStale } from '../lib/server/build';
import { onInterrupt, ROOT, startChild } from './lib/proc';
import { row, type Row } from './lib/report';
import { startBenchSshd } from './lib/sshd';
import { percentile, round } from './lib/stats';
import { sleep } from './lib/text';
import { writeLogFile } from './throughput';

export interface BrowserOptions {
  /** Size of the flooded file in MB (10^6 bytes). */
  mb: number;
  /** Floods per page (the median is reported). */
  runs: number;
  keystrokes: number;
}

const VIEWPORT = { width: 1440, height: 900 };
/** The portal's default terminal font size (lib/i18n/config.ts), used by the baseline page too. */
const FONT_SIZE = 14;
const DEVICE = 'debian-openssh';
const MARKER = 'BENCH_DONE';
/** Typed so that the echoed command line does not contain the marker. */
const MARKER_ECHO = 'echo BENCH""_DONE';
const CLICK_INTERVAL_MS = 200;
/** How far into an endless flood the user presses Ctrl+C. */
const INTERRUPT_AFTER_MS = 1000;
const FLOOD_TIMEOUT_MS = 300_000;
const KEY_TIMEOUT_MS = 10_000;
const MEGA = 1e6;

/** One page under test: how to reach a connected terminal on it and what to click during a flood. */
interface Subject {
  name: 'portal' | 'baseline' | 'other renderer';
  page: Page;
  clickAt: { x: number; y: number };
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_r, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Until the last non-empty line of the terminal is a shell prompt. */
async function waitPrompt(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const lines =
        window.__bench
          ?.text(10)
          .split('\n')
          .filter((l) => l.trim()) ?? [];
      return /[$#]$/.test(lines.at(-1)?.trimEnd() ?? '');
    },
    undefined,
    { timeout: 30_000, polling: 50 },
  );
}

async function waitText(page: Page, text: string): Promise<void> {
  await page.waitForFunction((t) => window.__bench?.text(10).includes(t) ?? false, text, {
    timeout: 30_000,
    polling: 20,
  });
}

async function attach(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__bench?.attach() ?? false, undefined, { timeout: 60_000 });
  await waitPrompt(page);
}

/** One key: armed first, so the probe takes that key's event time. */
async function keystroke(page: Page, key: string): Promise<KeyTiming> {
  await page.evaluate(() => window.__bench!.armKey());
  await page.keyboard.press(key);
  return withTimeout(
    page.evaluate(() => window.__bench!.keyResult()),
    KEY_TIMEOUT_MS,
    `the echo of "${key}"`,
  );
}

/** Measured letters, each followed by an unmeasured Backspace so that the line never grows. */
async function keystrokes(s: Subject, n: number): Promise<KeyTiming[]> {
  const out: KeyTiming[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await keystroke(s.page, 'abcdefghijklmnopqrstuvwxyz'[i % 26]!));
    await keystroke(s.page, 'Backspace');
  }
  return out;
}

/** Armed in the page, then `result`: until `marker` is parsed and drawn, timed from the `start` key. */
async function armFlood(
  s: Subject,
  marker: string,
  start: FloodStart,
): Promise<{ result: Promise<FloodTiming> }> {
  await s.page.evaluate(([m, k]) => window.__bench!.armFlood(m, k), [marker, start] as const);
  const result = withTimeout(
    s.page.evaluate(() => window.__bench!.floodResult()),
    FLOOD_TIMEOUT_MS,
    `"${marker}" on the ${s.name} page`,
  );
  return { result };
}

async function flood(s: Subject, command: string): Promise<FloodTiming> {
  const { page } = s;
  await page.keyboard.type(`${command}; ${MARKER_ECHO}`);
  await waitText(page, MARKER_ECHO);
  let finished = false;
  const result = (await armFlood(s, MARKER, 'Enter')).result.finally(() => (finished = true));
  await page.keyboard.press('Enter');
  // a user clicking about while it floods: each click's wait is what the probe records
  while (!finished) {
    await page.mouse.click(s.clickAt.x, s.clickAt.y);
    await Promise.race([sleep(CLICK_INTERVAL_MS), result.catch(() => {})]);
  }
  const timing = await result;
  await waitPrompt(page);
  // the clicks took the focus (the tab, the button): back to the terminal
  await page.locator('[data-terminal-host]').click();
  return timing;
}

/** Ctrl+C INTERRUPT_AFTER_MS into `command` (endless output), until the ^C echo is on screen. */
async function interrupt(s: Subject, command: string): Promise<FloodTiming> {
  const { page } = s;
  await page.keyboard.type(command);
  await waitText(page, command.slice(-20));
  await page.keyboard.press('Enter');
  await sleep(INTERRUPT_AFTER_MS);
  const { result } = await armFlood(s, '^C', 'Control+c');
  await page.keyboard.press('Control+c');
  const timing = await result;
  await waitPrompt(page);
  return timing;
}

async function openPortal(browser: Browser, url: string, deviceId: string): Promise<Subject> {
  const page = await browser.newPage({ viewport: VIEWPORT, baseURL: url });
  await addProbe(page);
  await page.goto('/login');
  await page.locator('form[data-hydrated="true"]').waitFor();
  await page.locator('input[name="username"]').fill('admin');
  await page.locator('input[name="password"]').fill(BROWSER_ADMIN_PASSWORD);
  await page.locator('form[data-hydrated="true"] button[type="submit"]').click();
  await page.getByTestId('current-user').waitFor();
  await page.goto(`/terminal?devices=${encodeURIComponent(deviceId)}`);
  const tab = page.locator(`[role="tab"][data-tab="${DEVICE}"]`);
  await page
    .locator(`[role="tab"][data-tab="${DEVICE}"][data-state="connected"]`)
    .waitFor({ timeout: 30_000 });
  await attach(page);
  await page.locator('[data-terminal-host]').click();
  const box = (await tab.boundingBox())!;
  return { name: 'portal', page, clickAt: { x: box.x + box.width / 2, y: box.y + box.height / 2 } };
}

async function openBaseline(
  browser: Browser,
  url: string,
  size: { cols: number; rows: number },
  webgl: boolean,
  name: Subject['name'] = 'baseline',
): Promise<Subject> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await addProbe(page);
  await page.goto(`${url}?cols=${size.cols}&rows=${size.rows}${webgl ? '' : '&webgl=off'}`);
  await page.locator('[data-terminal-host][data-state="connected"]').waitFor({ timeout: 30_000 });
  await attach(page);
  await page.locator('[data-terminal-host]').click();
  const box = (await page.locator('#probe').boundingBox())!;
  return { name, page, clickAt: { x: box.x + box.width / 2, y: box.y + box.height / 2 } };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const mbps = (f: FloodTiming) => f.chars / MEGA / (f.ms / 1000);
const fps = (f: FloodTiming) => f.frames / (f.ms / 1000);
const worstClick = (f: FloodTiming, k: 'inputDelayMs' | 'nextFrameMs') =>
  f.clicks.reduce((m, c) => Math.max(m, c[k]), 0);

function summary(floods: FloodTiming[], interrupts: FloodTiming[], keys: KeyTiming[]) {
  return {
    peakBacklogMB: Math.max(...floods.map((f) => f.peakBacklog)) / MEGA,
    interruptMs: median(interrupts.map((f) => f.ms)),
    mbps: median(floods.map(mbps)),
    fps: median(floods.map(fps)),
    longestTaskMs: median(floods.map((f) => f.longestTaskMs)),
    longestFrameMs: median(floods.map((f) => f.longestFrameMs)),
    clickDelayMs: Math.max(...floods.map((f) => worstClick(f, 'inputDelayMs'))),
    clickFrameMs: Math.max(...floods.map((f) => worstClick(f, 'nextFrameMs'))),
    clicks: floods.reduce((n, f) => n + f.clicks.length, 0),
    keyP50: percentile(
      keys.map((k) => k.paintedMs),
      50,
    ),
    keyP99: percentile(
      keys.map((k) => k.paintedMs),
      99,
    ),
    parsedP50: percentile(
      keys.map((k) => k.parsedMs),
      50,
    ),
  };
}

export async function runBrowser(o: BrowserOptions, ctx: BenchContext): Promise<BenchResult> {
  if (ctx.smoke && buildIsStale(ROOT)) {
    // a smoke run stays quick (npm test runs it before its e2e step builds): no 1-2 minute build here
    const skipped = 'the production build is missing or older than its sources (npm run build first)';
    ctx.log(`browser: skipped in --smoke: ${skipped}`);
    return { rows: [], details: { skipped } };
  }
  const closers: (() => Promise<unknown> | unknown)[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-bench-browser-'));
  closers.push(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const file = path.join(dir, 'device.log');
    writeLogFile(file, Math.round(o.mb * MEGA));
    const warm = `head -c ${Math.round(Math.min(o.mb, 5) * MEGA * 0.2)} ${file}`;
    const cat = `cat ${file}`;
    const endless = `while :; do cat ${file}; done`;

    const sshd = await startBenchSshd();
    closers.push(() => sshd.close());
    ctx.log('browser: starting the portal (production build, server.ts)');
    const portal = await startBrowserPortal(ctx.log);
    closers.push(() => portal.close());
    const deviceId = await portal.addDevice({
      name: DEVICE,
      host: sshd.host,
      port: sshd.port,
      username: sshd.username,
      privateKey: sshd.privateKey,
    });
    const browser = await chromium.launch({
      executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    const offBrowser = onInterrupt(() => browser.close());
    closers.push(() => {
      offBrowser();
      return browser.close();
    });

    const onPortal = await openPortal(browser, portal.url, deviceId);
    const size = await onPortal.page.evaluate(() => window.__bench!.size());
    const portalRenderer = await onPortal.page.evaluate(() => window.__bench!.renderer());
    const baselineServer = await startChild<BaselineReady>(
      '../lib/browser-baseline.ts',
      { target: sshd, fontSize: FONT_SIZE } satisfies BaselineInit,
      { name: 'browser-baseline' },
    );
    closers.push(() => baselineServer.close());
    const webgl = portalRenderer === 'webgl';
    const onBaseline = await openBaseline(browser, baselineServer.ready.url, size, webgl);
    const subjects = [onPortal, onBaseline];
    const gpu = await onPortal.page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      const name = gl ? (info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'webgl2') : 'none';
      gl?.getExtension('WEBGL_lose_context')?.loseContext();
      return name;
    });
    const reason = await onPortal.page.evaluate(
      () => document.querySelector<HTMLElement>('[data-terminal-host]')?.dataset.rendererReason ?? null,
    );
    ctx.log(
      `browser: ${size.cols}×${size.rows} terminals, ${portalRenderer} renderer` +
        `${reason ? ` (${reason})` : ''}; WebGL2: ${gpu}`,
    );

    ctx.log('browser: warm-up');
    for (const s of subjects) {
      await flood(s, warm);
      await keystrokes(s, Math.min(20, o.keystrokes));
    }
    type Name = 'portal' | 'baseline';
    const keys: Record<Name, KeyTiming[]> = { portal: [], baseline: [] };
    const floods: Record<Name, FloodTiming[]> = { portal: [], baseline: [] };
    const interrupts: Record<Name, FloodTiming[]> = { portal: [], baseline: [] };
    for (const s of subjects) {
      ctx.log(`browser: ${o.keystrokes} keystrokes on the ${s.name} page`);
      keys[s.name as Name] = await keystrokes(s, o.keystrokes);
    }
    for (let run = 0; run < o.runs; run++) {
      for (const s of run % 2 === 0 ? subjects : [...subjects].reverse()) {
        ctx.log(`browser: run ${run + 1}/${o.runs}, ${o.mb} MB flood and an interrupt on the ${s.name} page`);
        floods[s.name as Name].push(await flood(s, cat));
        interrupts[s.name as Name].push(await interrupt(s, endless));
      }
    }

    // the renderer the portal did not choose, on the bare page, against the baseline's
    const smallMb = Math.max(1, Math.round(o.mb / 5));
    const small = `head -c ${Math.round(smallMb * MEGA)} ${file}`;
    const other = await openBaseline(browser, baselineServer.ready.url, size, !webgl, 'other renderer');
    const otherRenderer = await other.page.evaluate(() => window.__bench!.renderer());
    await flood(other, warm);
    const renderers: Record<'chosen' | 'other', FloodTiming[]> = { chosen: [], other: [] };
    for (let run = 0; run < o.runs; run++) {
      ctx.log(
        `browser: run ${run + 1}/${o.runs}, ${smallMb} MB on the bare page, ${portalRenderer} and ${otherRenderer}`,
      );
      renderers.chosen.push(await flood(onBaseline, small));
      renderers.other.push(await flood(other, small));
    }

    const p = summary(floods.portal, interrupts.portal, keys.portal);
    const b = summary(floods.baseline, interrupts.baseline, keys.baseline);
    const bench = `browser (sshd, ${portalRenderer})`;
    const info = (metric: string, unit: string, portalValue: number, baselineValue: number, digits = 1) =>
      row({
        benchmark: bench,
        metric,
        unit,
        portal: round(portalValue, digits),
        baseline: round(baselineValue, digits),
        target: '',
        met: null,
      });
    const rows: Row[] = [
      info(`${o.mb} MB cat rendered into xterm`, 'MB/s', p.mbps, b.mbps),
      info('frames drawn during the flood', 'fps', p.fps, b.fps),
      info('longest main-thread task during the flood', 'ms', p.longestTaskMs, b.longestTaskMs, 0),
      row({
        benchmark: bench,
        metric: `worst of ${p.clicks} clicks during the flood, to the next frame`,
        unit: 'ms',
        portal: round(p.clickFrameMs, 0),
        baseline: round(b.clickFrameMs, 0),
        target: '< 200 ms',
        met: p.clickFrameMs < 200,
      }),
      info('output waiting in the page during the flood, peak', 'MB', p.peakBacklogMB, b.peakBacklogMB, 2),
      info(
        `Ctrl+C ${INTERRUPT_AFTER_MS / 1000} s into an endless flood, until ^C is on screen`,
        'ms',
        p.interruptMs,
        b.interruptMs,
        0,
      ),
      info('keystroke to echo on screen, p50', 'ms', p.keyP50, b.keyP50),
      info('keystroke to echo on screen, p99', 'ms', p.keyP99, b.keyP99),
      row({
        benchmark: `browser, bare xterm page`,
        metric: `${smallMb} MB cat: ${otherRenderer} renderer (${gpu.includes('SwiftShader') ? 'SwiftShader' : gpu}) vs ${portalRenderer}`,
        unit: 'MB/s',
        portal: round(median(renderers.other.map(mbps)), 1),
        baseline: round(median(renderers.chosen.map(mbps)), 1),
        target: '',
        met: null,
      }),
    ];
    const perRun = (f: FloodTiming) => ({
      chars: f.chars,
      ms: round(f.ms, 1),
      mbps: round(mbps(f), 2),
      fps: round(fps(f), 1),
      longestTaskMs: round(f.longestTaskMs, 1),
      longTaskMs: round(f.longTaskMs, 1),
      longestFrameMs: round(f.longestFrameMs, 1),
      peakBacklog: f.peakBacklog,
      clicks: f.clicks.map((c) => ({
        inputDelayMs: round(c.inputDelayMs, 1),
        nextFrameMs: round(c.nextFrameMs, 1),
      })),
    });
    return {
      rows,
      details: {
        viewport: VIEWPORT,
        terminal: size,
        renderer: { portal: portalRenderer, reason, other: otherRenderer },
        webgl: gpu,
        summary: { portal: p, baseline: b },
        floods: { portal: floods.portal.map(perRun), baseline: floods.baseline.map(perRun) },
        interrupts: { portal: interrupts.portal.map(perRun), baseline: interrupts.baseline.map(perRun) },
        renderers: { chosen: renderers.chosen.map(perRun), other: renderers.other.map(perRun) },
        keys: {
          portal: keys.portal.map((k) => round(k.paintedMs, 2)),
          baseline: keys.baseline.map((k) => round(k.paintedMs, 2)),
        },
      },
    };
  } finally {
    await closeAll(closers);
  }
}
