import { expect, test, type Locator, type Page } from '@playwright/test';
import type { TerminalHostElement } from '../app/(portal)/terminal/renderer';
import { startSshd, type RealSshd } from '../tests/sshd';
import { E2E } from './env';
import { adminTokenFromCli, mouseClick, openTerminalTab, signInAsAdmin, unique } from './helpers';

/**
 * The terminal draws with xterm's WebGL renderer on a GPU and with its DOM renderer otherwise
 * (app/(portal)/terminal/renderer.ts), and a flood of output leaves the page usable: the page tells
 * the session when xterm is behind, and the device waits (reader-backlog.ts, the `flow` frame).
 *
 * Chromium here has no GPU: its WebGL2 is SwiftShader, which the portal counts as no GPU. The first
 * test makes the page see a GPU's name instead (SwiftShader still draws), to exercise the WebGL path.
 */
const WEBGL_DEVICE = 'lab-ios-03';
const PLAIN_DEVICE = 'lab-ios-04';
/** UNMASKED_RENDERER_WEBGL (WEBGL_debug_renderer_info). */
const AS_IF_GPU = `(() => {
  const real = WebGL2RenderingContext.prototype.getParameter;
  WebGL2RenderingContext.prototype.getParameter = function (p) {
    return p === 0x9246 ? 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)' : real.call(this, p);
  };
})();`;
/** A browser without WebGL2 (old, or with hardware acceleration turned off). */
const NO_WEBGL2 = `(() => {
  const real = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
    return kind === 'webgl2' ? null : real.call(this, kind, ...rest);
  };
})();`;

const hostOf = (page: Page, device: string) => page.locator(`[data-pane="${device}"] [data-terminal-host]`);

/** The terminal's lines up to its cursor, read from xterm's buffer (a WebGL screen has no DOM text). */
function screen(host: Locator, lines = 10): Promise<string> {
  return host.evaluate((el: TerminalHostElement, n) => {
    const b = el.terminal?.buffer.active;
    if (!b) return '';
    const end = b.baseY + b.cursorY + 1;
    const out: string[] = [];
    for (let i = Math.max(0, end - n); i < end; i++) out.push(b.getLine(i)?.translateToString(true) ?? '');
    return out.join('\n');
  }, lines);
}

async function typeInto(page: Page, device: string, text: string) {
  await mouseClick(page, page.locator(`[data-pane="${device}"] .xterm-screen`));
  await page.keyboard.type(text);
}

test('on a GPU the terminal draws with WebGL; when the context is lost it goes on with the DOM renderer', async ({
  page,
}) => {
  await page.addInitScript(AS_IF_GPU);
  await signInAsAdmin(page);
  await openTerminalTab(page, WEBGL_DEVICE);
  const host = hostOf(page, WEBGL_DEVICE);
  await expect(host).toHaveAttribute('data-renderer', 'webgl');
  // the addon's canvas (the link layer's are 2D) holds a live WebGL2 context, and no DOM rows are drawn
  const webglCanvas = host.locator('.xterm-screen canvas:not([class])');
  await expect(webglCanvas).toHaveCount(1);
  expect(
    await webglCanvas.evaluate((c: HTMLCanvasElement) => {
      const gl = c.getContext('webgl2');
      return gl !== null && !gl.isContextLost() && gl.drawingBufferWidth > 0;
    }),
  ).toBe(true);
  await expect(host.locator('.xterm-rows')).toHaveCount(0);
  await expect.poll(() => screen(host)).toContain(`${WEBGL_DEVICE}>`);
  await typeInto(page, WEBGL_DEVICE, 'show clock\n');
  await expect.poll(() => screen(host)).toMatch(/show clock\n.*\d\d:\d\d:\d\d/);

  // the GPU goes away (a driver reset, too many contexts): after xterm's wait for it to come back,
  // the DOM renderer draws the same session
  await webglCanvas.evaluate((c: HTMLCanvasElement) =>
    c.getContext('webgl2')!.getExtension('WEBGL_lose_context')!.loseContext(),
  );
  await expect(host).toHaveAttribute('data-renderer', 'dom', { timeout: 10_000 });
  await expect(host).toHaveAttribute('data-renderer-reason', 'context-lost');
  await expect(host.locator('.xterm-screen canvas:not([class])')).toHaveCount(0);
  await expect(host.locator('.xterm-rows')).toContainText(`${WEBGL_DEVICE}>`);
  await typeInto(page, WEBGL_DEVICE, 'show version\n');
  await expect(host.locator('.xterm-rows')).toContainText('Cisco IOS');
  await page.getByRole('button', { name: `Close ${WEBGL_DEVICE}` }).click();
});

test('without WebGL2 the terminal draws with the DOM renderer', async ({ page }) => {
  await page.addInitScript(NO_WEBGL2);
  await signInAsAdmin(page);
  await openTerminalTab(page, PLAIN_DEVICE);
  const host = hostOf(page, PLAIN_DEVICE);
  await expect(host).toHaveAttribute('data-renderer', 'dom');
  await expect(host).toHaveAttribute('data-renderer-reason', 'no-webgl2');
  await expect(host.locator('.xterm-rows')).toContainText(`${PLAIN_DEVICE}>`);
  await page.getByRole('button', { name: `Close ${PLAIN_DEVICE}` }).click();
});

test.describe('a flood of output', () => {
  let sshd: RealSshd;
  const name = unique('flood-host');

  test.beforeAll(async () => {
    sshd = await startSshd();
    // a Linux host in the inventory (the lab's devices do not flood), added through the API
    const token = adminTokenFromCli(name);
    const res = await fetch(`${E2E.baseURL}/api/v1/devices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        host: sshd.host,
        port: sshd.port,
        vendor: 'generic',
        username: sshd.username,
        private_key: sshd.privateKey,
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
  });
  test.afterAll(() => sshd?.close());

  test('leaves the page responsive; a page that falls behind holds the device; Ctrl+C brings the prompt back', async ({
    page,
  }) => {
    // what the terminal socket carries: `flow` frames sent, output frames received (binary or JSON)
    const flowSent: boolean[] = [];
    let outputBytes = 0;
    let lastOutputAt = 0;
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/ws/terminal/')) return;
      ws.on('framesent', ({ payload }) => {
        const frame =
          typeof payload === 'string' ? (JSON.parse(payload) as { type: string; paused?: boolean }) : null;
        if (frame?.type === 'flow') flowSent.push(frame.paused === true);
      });
      ws.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string' && !payload.startsWith('{"type":"output"')) return;
        outputBytes += payload.length;
        lastOutputAt = Date.now();
      });
    });
    await signInAsAdmin(page);
    await openTerminalTab(page, PLAIN_DEVICE);
    await openTerminalTab(page, name);
    const host = hostOf(page, name);
    // this browser's own choice: WebGL on a GPU, the DOM renderer on SwiftShader or without WebGL2
    const gpu = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      return gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : null;
    });
    if (gpu === null) await expect(host).toHaveAttribute('data-renderer-reason', 'no-webgl2');
    else if (/swiftshader|llvmpipe/i.test(gpu))
      await expect(host).toHaveAttribute('data-renderer-reason', 'software-gl');
    else await expect(host).toHaveAttribute('data-renderer', 'webgl');
    await expect.poll(() => screen(host)).toMatch(/[$#]\s*$/);

    // numbers as fast as the host can print them, for as long as nobody stops it
    await typeInto(page, name, 'seq 1 1000000000\n');
    const lastNumber = async () => Number(/(\d+)\s*$/.exec(await screen(host, 3))?.[1] ?? 0);
    await expect.poll(lastNumber, { timeout: 20_000 }).toBeGreaterThan(300_000); // ~2 MB drawn

    // mid-flood the other tab answers a click at once, and its terminal works
    const before = await lastNumber();
    // timed in the page, from the pointer going down on the tab to the tab being selected (not the
    // time Playwright takes to see the tab settle under the flood before it clicks)
    const tabSelector = `[role="tab"][data-tab="${PLAIN_DEVICE}"]`;
    await page.evaluate((sel) => {
      const el = document.querySelector(sel)!;
      const w = window as unknown as { clickAt?: number; selectedAt?: number };
      el.addEventListener('pointerdown', () => (w.clickAt = performance.now()), { once: true });
      new MutationObserver((_, obs) => {
        if (w.clickAt !== undefined && el.getAttribute('aria-selected') === 'true') {
          w.selectedAt = performance.now();
          obs.disconnect();
        }
      }).observe(el, { attributes: true });
    }, tabSelector);
    await mouseClick(page, page.locator(tabSelector));
    await expect(page.locator(tabSelector)).toHaveAttribute('aria-selected', 'true');
    const clickToSelectedMs = await page.evaluate(() => {
      const w = window as unknown as { clickAt?: number; selectedAt?: number };
      return (w.selectedAt ?? Number.POSITIVE_INFINITY) - (w.clickAt ?? 0);
    });
    expect(clickToSelectedMs).toBeLessThan(2_000);
    await typeInto(page, PLAIN_DEVICE, 'show clock\n');
    await expect.poll(() => screen(hostOf(page, PLAIN_DEVICE))).toMatch(/show clock\n.*\d\d:\d\d:\d\d/);
    // the flood went on meanwhile (its tab is hidden, not stopped)
    await expect.poll(lastNumber).toBeGreaterThan(before);

    // a page that cannot keep up (here: xterm's write callbacks held back, as if parsing stalled) says
    // so, and the device waits: the output stops within a few megabytes instead of piling up
    await host.evaluate((el: TerminalHostElement & { held?: (() => void)[]; released?: boolean }) => {
      const t = el.terminal!;
      const write = t.write.bind(t);
      el.held = [];
      el.released = false;
      // a write still being parsed when the callbacks are let go below finishes later: its callback
      // runs then, not held for good (a lost one left the page counting those bytes as unparsed, so it
      // stayed paused and the device held: the flood, and the ^C after it, never came, in a CI run)
      t.write = (data, done) =>
        write(data, () => {
          if (!done) return;
          if (el.released) done();
          else el.held!.push(done);
        });
    });
    await expect.poll(() => flowSent.at(-1), { timeout: 15_000 }).toBe(true);
    const atPause = outputBytes;
    await expect.poll(() => Date.now() - lastOutputAt, { timeout: 15_000 }).toBeGreaterThan(1_000);
    expect(outputBytes - atPause).toBeLessThan(8_000_000);
    // caught up: it says so, and the numbers run again (under load the page may fall behind again
    // right after, and say that too: what counts is that it said it had caught up)
    const flowBeforeRelease = flowSent.length;
    await host.evaluate((el: TerminalHostElement & { held?: (() => void)[]; released?: boolean }) => {
      delete (el.terminal as { write?: unknown }).write; // the prototype's write again
      el.released = true;
      for (const done of el.held!.splice(0)) done();
    });
    await expect.poll(() => flowSent.slice(flowBeforeRelease).includes(false)).toBe(true);
    const resumedAt = outputBytes;
    await expect.poll(() => outputBytes, { timeout: 15_000 }).toBeGreaterThan(resumedAt + 1_000_000);

    // Ctrl+C ends it
    await mouseClick(page, page.locator(`[role="tab"][data-tab="${name}"]`));
    await typeInto(page, name, '');
    await page.keyboard.press('Control+c');
    // what the flood had on its way when ^C went (up to the few MB the water marks let through, see
    // above) is drawn first: at a loaded CI machine's drawing rate that took more than 15 s once
    await expect.poll(() => screen(host, 3), { timeout: 30_000 }).toMatch(/\^C[\s\S]*[$#]\s*$/);

    await page.getByRole('button', { name: `Close ${name}` }).click();
    await page.getByRole('button', { name: `Close ${PLAIN_DEVICE}` }).click();
  });
});
