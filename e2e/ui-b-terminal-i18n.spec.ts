import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import Database from 'better-sqlite3';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { E2E } from './env';
import { createUser, mouseClick, signIn, signInAsAdmin, unique } from './helpers';

// Issue 15, the terminal: its words in the reader's language (device output never), the user's
// terminal theme and font size, "+ New tab" within reach on a phone with several tabs, no button
// inside a tab.

const SHOTS = '/tmp/h4-shots';
mkdirSync(SHOTS, { recursive: true });
const PASSWORD = 'terminal-i18n-password-1';

/**
 * A fresh admin (so no other spec's saved preferences apply), signed in on a new page in English (the
 * sign-in helper types English labels), then the page follows the browser's language again.
 */
async function freshUser(
  browser: Browser,
  opts: { locale?: string; colorScheme?: 'light' | 'dark'; viewport: { width: number; height: number } },
  prefs?: { terminalTheme: string; terminalFontSize: number },
): Promise<Page> {
  const adminContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  await adminContext.addCookies([{ name: 'sb-locale', value: 'en', url: E2E.baseURL }]);
  const admin = await adminContext.newPage();
  await signInAsAdmin(admin);
  const name = unique('term-i18n');
  await createUser(admin, name, 'admin', PASSWORD);
  await adminContext.close();
  if (prefs) {
    // what the account page's Preferences form saves, written straight to the user's row
    const db = new Database(path.join(process.env.E2E_DATA_DIR!, 'switchboard.db'));
    db.prepare('UPDATE "User" SET terminalTheme = ?, terminalFontSize = ? WHERE username = ?').run(
      prefs.terminalTheme,
      prefs.terminalFontSize,
      name,
    );
    db.close();
  }
  const context = await browser.newContext({
    viewport: opts.viewport,
    locale: opts.locale ?? 'en-US',
    colorScheme: opts.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  await context.addCookies([{ name: 'sb-locale', value: 'en', url: E2E.baseURL }]);
  await signIn(page, name, PASSWORD);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await context.clearCookies({ name: 'sb-locale' });
  return page;
}

/** The element a pointer would hit at the centre of `el` is `el` itself (nothing clips or covers it). */
async function isHitAtCentre(el: Locator) {
  return el.evaluate((node) => {
    const r = node.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return !!hit && (hit === node || node.contains(hit));
  });
}

async function openTab(page: Page, newTabName: string, pickerName: string, device: string) {
  await mouseClick(page, page.getByRole('button', { name: newTabName, exact: true }));
  const picker = page.getByRole('dialog', { name: pickerName });
  await expect(picker).toBeVisible();
  await picker.getByRole('textbox').fill(device);
  await mouseClick(page, picker.getByRole('button', { name: new RegExp(`${device}`) }));
  await expect(page.locator(`[role="tab"][data-tab="${device}"]`).last()).toHaveAttribute(
    'data-state',
    'connected',
    { timeout: 15_000 },
  );
}

async function seriousA11y(page: Page) {
  // the terminal's part of the page (the header and navigation are checked by their own specs)
  const result = await new AxeBuilder({ page }).include('#main').analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const SIZES = [
  { name: 'desktop', viewport: { width: 1440, height: 900 }, device: 'lab-vrp-14' },
  { name: 'phone', viewport: { width: 390, height: 844 }, device: 'lab-vrp-15' },
] as const;

for (const size of SIZES) {
  test.describe(`zh-CN, dark, ${size.name}`, () => {
    test.use({ locale: 'zh-CN', colorScheme: 'dark' });

    test(`the terminal's own words are Chinese, the device's are not (${size.name})`, async ({ browser }) => {
      const page = await freshUser(browser, {
        locale: 'zh-CN',
        colorScheme: 'dark',
        viewport: size.viewport,
      });
      await page.goto('/terminal');
      await expect(page).toHaveTitle(/终端/);
      // the start panel: no tab open yet
      await expect(page.getByRole('heading', { name: '尚未打开终端' })).toBeVisible();
      await expect(page.getByText('打开一个标签页即可连接设备。')).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/zh-dark-${size.name}-empty.png` });

      // the picker, from the start panel's button
      await mouseClick(page, page.getByRole('button', { name: '选择设备', exact: true }));
      const picker = page.getByRole('dialog', { name: '选择设备' });
      await expect(picker).toBeVisible();
      await expect(picker.getByPlaceholder('筛选设备')).toBeVisible();
      await picker.getByRole('textbox').fill('no-such-device-here');
      await expect(picker).toContainText('没有与“no-such-device-here”匹配的设备。');
      await mouseClick(page, picker.getByRole('button', { name: '清除筛选' }));
      await picker.getByRole('textbox').fill(size.device);
      await page.screenshot({ path: `${SHOTS}/zh-dark-${size.name}-picker.png` });
      await mouseClick(page, picker.getByRole('button', { name: new RegExp(size.device) }));

      const tab = page.locator(`[role="tab"][data-tab="${size.device}"]`);
      await expect(tab).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
      const status = page.getByTestId('terminal-status');
      await expect(status.getByRole('status')).toHaveText(`已连接到 ${size.device}。`);
      await expect(status.getByRole('textbox', { name: '搜索回滚缓冲区' })).toBeVisible();
      await expect(status.getByRole('button', { name: '增大字号' })).toBeVisible();
      await expect(page.getByRole('button', { name: '+ 新建标签页' })).toBeVisible();
      await expect(page.getByRole('button', { name: `关闭 ${size.device}` })).toBeVisible();
      await expect(page.getByRole('complementary', { name: '命令模式' })).toBeVisible();

      // the device's output stays as the device printed it
      const rows = page.locator(`[data-pane="${size.device}"] .xterm-rows`);
      await expect(rows).toContainText(`<${size.device}>`);
      await mouseClick(page, page.locator(`[data-pane="${size.device}"] .xterm-screen`));
      await page.keyboard.type('display version\n');
      await expect(rows).toContainText('VRP');
      expect(await rows.textContent()).not.toMatch(/[\u4e00-\u9fff]/);
      // the workspace fills the window below the header: the page itself does not scroll
      await expect
        .poll(() => page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight))
        .toBeLessThanOrEqual(1);
      await page.screenshot({ path: `${SHOTS}/zh-dark-${size.name}-tab.png` });

      // the shortcuts overlay
      await mouseClick(page, page.getByRole('button', { name: '键盘快捷键' }));
      const help = page.getByRole('dialog', { name: '键盘快捷键' });
      await expect(help).toContainText('下一个标签页');
      await expect(help).toContainText('Alt+Shift+W');
      await page.screenshot({ path: `${SHOTS}/zh-dark-${size.name}-help.png` });
      await mouseClick(page, help.getByRole('button', { name: '关闭', exact: true }));
      await expect(help).toBeHidden();

      expect(await seriousA11y(page)).toEqual([]);
      await mouseClick(page, page.getByRole('button', { name: `关闭 ${size.device}` }));
      await expect(tab).toHaveCount(0);
      // the device is offered again as a recent one
      await expect(page.getByTestId('terminal-recent')).toContainText(size.device);
      await page.context().close();
    });
  });
}

test.describe('phone, three tabs', () => {
  test('"+ New tab" stays visible and opens the picker; tabs scroll in their own strip', async ({
    browser,
  }) => {
    const page = await freshUser(browser, { viewport: { width: 390, height: 844 } });
    await page.goto('/terminal');
    for (const device of ['lab-ios-14', 'lab-ios-15', 'lab-ios-16']) {
      await openTab(page, '+ New tab', 'Choose a device', device);
    }
    await expect(page.locator('[role="tab"]')).toHaveCount(3);
    // no button inside a tab: its rename and close buttons are its siblings
    await expect(page.locator('[role="tab"] button, [role="tab"] input')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Close lab-ios-14' })).toHaveCount(1);

    const newTab = page.getByRole('button', { name: '+ New tab', exact: true });
    await expect(newTab).toBeInViewport({ ratio: 1 });
    expect(await isHitAtCentre(newTab)).toBe(true);
    // the page itself does not scroll sideways; the strip of tabs does
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const scroller = page.getByTestId('terminal-tabs-scroll');
    expect(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/phone-three-tabs.png` });

    // the first tab, scrolled out of sight, comes back into view when chosen with the keyboard shortcut
    await mouseClick(page, page.locator('[data-pane="lab-ios-16"] .xterm-screen'));
    await page.keyboard.press('Alt+Shift+ArrowRight'); // wraps round to the first
    await expect(page.locator('[role="tab"]').nth(0)).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator('[role="tab"]').nth(0)).toBeInViewport();
    await expect(newTab).toBeInViewport({ ratio: 1 });

    // a click on the pinned button opens the picker, below it and on screen
    await mouseClick(page, newTab);
    const picker = page.getByRole('dialog', { name: 'Choose a device' });
    await expect(picker).toBeVisible();
    await expect(picker).toBeInViewport({ ratio: 1 });
    await page.screenshot({ path: `${SHOTS}/phone-three-tabs-picker.png` });
    await page.keyboard.press('Escape');
    await expect(picker).toBeHidden();
    await expect(newTab).toBeFocused();

    // the tabs are a tab list for the keyboard too: arrows move along, Enter opens
    await mouseClick(page, page.locator('[role="tab"]').nth(0));
    await page.locator('[role="tab"]').nth(0).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('[role="tab"]').nth(1)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('[role="tab"]').nth(1)).toHaveAttribute('aria-selected', 'true');

    expect(await seriousA11y(page)).toEqual([]);
    for (const device of ['lab-ios-14', 'lab-ios-15', 'lab-ios-16']) {
      await mouseClick(page, page.getByRole('button', { name: `Close ${device}` }));
    }
    await expect(page.locator('[role="tab"]')).toHaveCount(0);
    await page.context().close();
  });
});

for (const size of SIZES) {
  test(`a user whose terminal theme is light gets a white terminal at 18 px; − and + change the size (${size.name})`, async ({
    browser,
  }) => {
    // the page itself is dark: the terminal follows the user's terminal theme, not the page's
    const page = await freshUser(
      browser,
      { viewport: size.viewport, colorScheme: 'dark' },
      { terminalTheme: 'light', terminalFontSize: 18 },
    );
    const device = size.name === 'desktop' ? 'lab-vrp-16' : 'lab-vrp-17';
    await page.goto('/terminal');
    await openTab(page, '+ New tab', 'Choose a device', device);
    const pane = page.locator(`[data-pane="${device}"]`);
    await expect(pane.locator('.xterm-rows')).toContainText(`<${device}>`);

    const look = () =>
      pane.evaluate((el) => {
        // what is painted behind the text: the nearest box with a background, from the screen outwards
        let box: Element | null = el.querySelector('.xterm-screen');
        while (box && getComputedStyle(box).backgroundColor === 'rgba(0, 0, 0, 0)') box = box.parentElement;
        return {
          background: box ? getComputedStyle(box).backgroundColor : null,
          fontSize: getComputedStyle(el.querySelector('.xterm-rows')!).fontSize,
          htmlDark: document.documentElement.classList.contains('dark'),
        };
      });
    await expect.poll(look).toEqual({ background: 'rgb(255, 255, 255)', fontSize: '18px', htmlDark: true });
    await page.screenshot({ path: `${SHOTS}/light-terminal-${size.name}.png` });

    // the status bar's − and + change the size for this page view, and the terminal refits
    const status = page.getByTestId('terminal-status');
    await mouseClick(page, status.getByRole('button', { name: 'Larger text' }));
    await expect.poll(async () => (await look()).fontSize).toBe('19px');
    await expect(page.getByTestId('terminal-font-size')).toHaveText('19');
    await mouseClick(page, status.getByRole('button', { name: 'Smaller text' }));
    await mouseClick(page, status.getByRole('button', { name: 'Smaller text' }));
    await expect.poll(async () => (await look()).fontSize).toBe('17px');

    // a reload comes back with the preference
    await page.reload();
    await expect(page.locator(`[role="tab"][data-tab="${device}"]`)).toHaveAttribute(
      'data-state',
      'connected',
      {
        timeout: 15_000,
      },
    );
    await expect.poll(async () => (await look()).fontSize).toBe('18px');
    await mouseClick(page, page.getByRole('button', { name: `Close ${device}` }));
    await page.context().close();
  });
}
