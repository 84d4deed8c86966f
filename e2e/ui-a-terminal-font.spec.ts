import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { mouseClick, openTerminalTab, signInAsAdmin } from './helpers';

// First-hour findings 13, 14 and 17: Chinese output drew boxes (no CJK font), underscores were
// invisible (DejaVu Sans Mono at 14 px in xterm's DOM renderer), and copy did nothing without the
// Clipboard API (plain http with a host name).

const SHOTS = '/tmp/shots';
mkdirSync(SHOTS, { recursive: true });

const SIZES = [
  { name: 'desktop', viewport: { width: 1440, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const;

type Box = { x: number; y: number; width: number; height: number };

/** A connected tab with the prompt on screen, focused for typing. */
async function openTab(page: Page, device: string) {
  await page.goto('/terminal');
  await openTerminalTab(page, device);
  await expect(rows(page, device)).toContainText(`<${device}>`);
  await mouseClick(page, page.locator(`[data-pane="${device}"] .xterm-screen`));
}

function rows(page: Page, device: string) {
  return page.locator(`[data-pane="${device}"] .xterm-rows`);
}

/** Where `text` is drawn in the pane (the last time it occurs), from the DOM renderer's own text. */
async function textBox(page: Page, device: string, text: string): Promise<Box> {
  const box = await rows(page, device).evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let found: DOMRect | null = null;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = (n.textContent ?? '').lastIndexOf(wanted);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(n, at);
      range.setEnd(n, at + wanted.length);
      found = range.getBoundingClientRect();
    }
    return found && { x: found.x, y: found.y, width: found.width, height: found.height };
  }, text);
  expect(box, `"${text}" on screen`).not.toBeNull();
  return box!;
}

/** Pixels in the clip clearly brighter than the terminal's background (#0b1220), and their pattern. */
async function readPixels(page: Page, clip: Box) {
  const png = (await page.screenshot({ clip })).toString('base64');
  return page.evaluate(async (b64) => {
    // decoded here, not fetched: the portal's CSP allows no data: URLs
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const img = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const ctx = new OffscreenCanvas(img.width, img.height).getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    let lit = 0;
    let pattern = '';
    for (let i = 0; i < data.length; i += 4) {
      const on = 0.3 * data[i] + 0.59 * data[i + 1] + 0.11 * data[i + 2] > 80;
      lit += on ? 1 : 0;
      pattern += on ? '#' : '.';
    }
    return { lit, pattern };
  }, png);
}

for (const size of SIZES) {
  test(`underscores are drawn at ${size.name} width`, async ({ page }) => {
    const device = size.name === 'desktop' ? 'lab-vrp-04' : 'lab-vrp-06';
    await page.setViewportSize(size.viewport);
    await signInAsAdmin(page);
    await openTab(page, device);

    // typed at the prompt, echoed by the device: the same path as device output
    const line = '_'.repeat(16);
    await page.keyboard.type(` ${line}`);
    await expect(rows(page, device)).toContainText(line);
    const box = await textBox(page, device, line);
    const underscores = await readPixels(page, box);
    await page.screenshot({ path: `${SHOTS}/terminal-font-${size.name}.png` });

    for (let i = 0; i < line.length; i++) await page.keyboard.press('Backspace');
    // the marker comes back after the spaces (the echo is in order), and moves the cursor past the box
    await page.keyboard.type(`${' '.repeat(line.length)}#end`);
    await expect(rows(page, device)).toContainText('#end');
    await expect(rows(page, device)).not.toContainText(line);
    const spaces = await readPixels(page, box);

    // 16 underscores draw a stroke under each cell; the spaces draw nothing in the same place
    expect(spaces.lit).toBeLessThan(5);
    expect(underscores.lit).toBeGreaterThanOrEqual(line.length * 5);
    expect(underscores.pattern).not.toBe(spaces.pattern);
    await mouseClick(page, page.getByRole('button', { name: `Close ${device}` }));
  });
}

test('Chinese interface descriptions from the GBK lab device are drawn with a CJK font', async ({ page }) => {
  const device = 'lab-vrp-02';
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAsAdmin(page);
  await openTab(page, device);
  await page.keyboard.type('display interface description\n');
  await expect(rows(page, device)).toContainText('上联核心交换机');

  // the bundled CJK face was fetched for these characters (this machine has no CJK font of its own)
  await expect
    .poll(() =>
      page.evaluate(() =>
        [...document.fonts].some(
          (f) => f.family.replace(/["']/g, '') === 'Noto Sans SC Variable' && f.status === 'loaded',
        ),
      ),
    )
    .toBe(true);

  // each Chinese character takes two cells (the columns after it line up), and a missing glyph would
  // be the same empty box for every character: real glyphs differ
  const ascii = await textBox(page, device, 'GE0/0/1');
  const cell = ascii.width / 'GE0/0/1'.length;
  await expect
    .poll(async () => {
      const shang = await textBox(page, device, '上');
      const lian = await textBox(page, device, '联');
      const a = await readPixels(page, shang);
      const b = await readPixels(page, { ...lian, y: shang.y, height: shang.height });
      return {
        twoCells: Math.abs(shang.width - 2 * cell) < 1,
        drawn: a.lit > 10 && b.lit > 10,
        distinct: a.pattern !== b.pattern,
      };
    })
    .toEqual({ twoCells: true, drawn: true, distinct: true });
  await page.screenshot({ path: `${SHOTS}/terminal-font-cjk.png` });
  await mouseClick(page, page.getByRole('button', { name: `Close ${device}` }));
});

for (const size of SIZES) {
  test(`copy works without the Clipboard API, and copy on select is remembered, at ${size.name} width`, async ({
    page,
  }) => {
    const device = size.name === 'desktop' ? 'lab-vrp-09' : 'lab-vrp-10';
    // http://127.0.0.1 is a secure context: take the API away as plain http://hostname would
    await page.addInitScript(() => {
      delete (Navigator.prototype as { clipboard?: unknown }).clipboard;
    });
    await page.setViewportSize(size.viewport);
    await signInAsAdmin(page);
    await page.evaluate(() => localStorage.removeItem('sb.terminal.copyOnSelect'));
    await openTab(page, device);
    expect(await page.evaluate(() => 'clipboard' in navigator)).toBe(false);

    await page.keyboard.type(' copy_me_42');
    await expect(rows(page, device)).toContainText('copy_me_42');
    // select with a drag across the word
    const word = await textBox(page, device, 'copy_me_42');
    const y = word.y + word.height / 2;
    await page.mouse.move(word.x + 1, y);
    await page.mouse.down();
    await page.mouse.move(word.x + word.width - 1, y, { steps: 8 });
    await page.mouse.up();
    const bar = page.getByTestId('terminal-copy');
    await expect(bar).toBeVisible();
    if (size.name === 'desktop') await page.keyboard.press('Control+Shift+C');
    else await mouseClick(page, bar.getByRole('button', { name: 'Copy' })); // no keyboard shortcut on a phone
    await expect(bar.getByRole('status')).toHaveText('Copied 10 characters');
    await page.screenshot({ path: `${SHOTS}/terminal-font-copy-${size.name}.png` });

    // read it back the way a person would: paste into a text box
    const search = page.getByRole('textbox', { name: 'Search scrollback' });
    await mouseClick(page, search);
    await page.keyboard.press('Control+V');
    await expect(search).toHaveValue('copy_me_42');

    // copy on select: turn it on, then a double-click on a word is enough
    await mouseClick(page, bar.getByRole('checkbox', { name: 'Copy on select' }));
    await expect(bar.getByRole('checkbox', { name: 'Copy on select' })).toBeChecked();
    await page.reload();
    await expect(page.locator(`[role="tab"][data-tab="${device}"]`)).toHaveAttribute(
      'data-state',
      'connected',
      {
        timeout: 15_000,
      },
    );
    await mouseClick(page, page.locator(`[data-pane="${device}"] .xterm-screen`));
    await page.keyboard.type(' next_token_7');
    await expect(rows(page, device)).toContainText('next_token_7');
    const next = await textBox(page, device, 'next_token_7');
    await page.mouse.dblclick(next.x + next.width / 2, next.y + next.height / 2);
    await expect(bar.getByRole('status')).toHaveText('Copied 12 characters');
    await expect(bar.getByRole('checkbox', { name: 'Copy on select' })).toBeChecked();
    await mouseClick(page, search);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+V');
    await expect(search).toHaveValue('next_token_7');
    await mouseClick(page, page.getByRole('button', { name: `Close ${device}` }));
  });
}
