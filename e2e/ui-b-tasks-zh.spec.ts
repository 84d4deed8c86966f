import { mkdirSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { E2E } from './env';
import { mouseClick, unique } from './helpers';

// Issue 15, tasks: a Chinese-speaking engineer runs a task through the form with the mouse, on a
// laptop and on a phone, in the light and the dark theme. The UI speaks Chinese; device output does not.

const SHOTS = '/tmp/h5-shots';
mkdirSync(SHOTS, { recursive: true });

/** Sign in by the fields' names: the sign-in page speaks the browser's language too. */
async function signInAdmin(page: Page) {
  await page.goto('/login');
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  await page.locator('input#username').fill('admin');
  await page.locator('input#password').fill(E2E.adminPassword);
  await mouseClick(page, page.locator('form button[type="submit"]'));
  await expect(page).not.toHaveURL(/\/login/);
}

/** No horizontal page scroll: nothing is wider than the screen. */
async function expectNoSidewaysScroll(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.scrollingElement!.scrollWidth,
    client: document.scrollingElement!.clientWidth,
  }));
  expect(scroll, 'page wider than the screen').toBeLessThanOrEqual(client);
}

/** Lightness (0–1) of an element's computed background colour. */
async function lightnessOf(el: Locator): Promise<number> {
  const colour = await el.evaluate((e) => getComputedStyle(e).backgroundColor);
  const oklch = /oklch\(\s*([\d.]+)(%?)/.exec(colour);
  if (oklch) return Number(oklch[1]) / (oklch[2] ? 100 : 1);
  const lab = /^(?:ok)?lab\(\s*([\d.]+)(%?)/.exec(colour);
  if (lab) return Number(lab[1]) / (lab[2] || colour.startsWith('lab') ? 100 : 1);
  const rgb = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(colour);
  if (!rgb) throw new Error(`not a colour: ${colour}`);
  const [r, g, b] = rgb.slice(1, 4).map(Number) as [number, number, number];
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

const SIZES = [
  { name: 'desktop', viewport: { width: 1440, height: 900 }, devices: ['lab-vrp-03', 'lab-vrp-04'] },
  { name: 'phone', viewport: { width: 390, height: 844 }, devices: ['lab-vrp-05', 'lab-vrp-06'] },
] as const;

for (const size of SIZES) {
  test.describe(`zh-CN at ${size.viewport.width}×${size.viewport.height}`, () => {
    test.use({ locale: 'zh-CN', viewport: size.viewport });

    test(`a task created in Chinese with the mouse runs on lab devices (${size.name})`, async ({ page }) => {
      await signInAdmin(page);
      await page.goto('/tasks');
      await mouseClick(page, page.getByRole('link', { name: '新建任务' }));
      await expect(page).toHaveURL(/\/tasks\/new$/);
      await expect(page.getByRole('heading', { name: '新建任务' })).toBeVisible();
      const form = page.getByRole('form', { name: '新建任务' });
      await expect(form.getByRole('button', { name: '在 0 台设备上启动任务' })).toBeVisible();

      const name = unique(`中文任务-${size.name}`);
      const nameField = form.getByLabel('名称', { exact: true });
      await mouseClick(page, nameField);
      await nameField.fill(name);
      const commands = form.getByLabel('命令（每行一条，按顺序执行）');
      await mouseClick(page, commands);
      await commands.fill('display version\ndisplay clock');
      const concurrency = form.getByLabel('并发数（同时执行的设备数）');
      await mouseClick(page, concurrency);
      await concurrency.fill('0');

      // no device chosen and a concurrency of 0: the errors say so in Chinese, tied to their fields
      await mouseClick(page, form.getByRole('button', { name: '在 0 台设备上启动任务' }));
      await expect(concurrency).toHaveAttribute('aria-invalid', 'true');
      await expect(concurrency).toHaveAccessibleDescription(/并发数必须在 1 到 100 之间。/);
      await expect(form.getByText('请至少选择一台设备。')).toBeVisible();
      await expect(nameField).toHaveValue(name);
      await page.screenshot({ path: `${SHOTS}/spec-new-error-${size.name}.png`, fullPage: true });

      await concurrency.fill('2');
      const search = form.getByPlaceholder('搜索名称或主机地址');
      for (const device of size.devices) {
        await mouseClick(page, search);
        await search.fill(device);
        await mouseClick(page, form.getByLabel(`选择 ${device}`));
      }
      await expect(form.getByTestId('selected-count')).toHaveText('已选择 2 台');
      await mouseClick(page, form.getByRole('button', { name: '在 2 台设备上启动任务' }));

      // the task's page: Chinese words around the device's own output
      await expect(page).toHaveURL(/\/tasks\/(?!new$)[^/]+$/);
      await expect(page.getByRole('heading', { name })).toBeVisible();
      await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100', {
        timeout: 30_000,
      });
      const counts = page.getByTestId('task-counts');
      await expect(counts).toContainText('已完成 2 / 2 台设备');
      await expect(counts).toContainText('2 台成功');
      await expect(page.getByTestId('task-elapsed')).toHaveText(/^耗时 \d/);
      await expect(page.locator('h1 + [data-status="completed"]')).toHaveText('已完成');
      const row = page.locator(`details[data-device="${size.devices[0]}"]`);
      await expect(row).toHaveAttribute('data-status', 'success');
      await expect(row.locator('summary [data-status="success"]')).toHaveText('成功');
      await expect(row).toContainText('所有命令执行成功');
      await expect(page.getByRole('button', { name: '成功 2', pressed: false })).toBeVisible();
      await expect(page.getByRole('button', { name: '全部 2', pressed: true })).toBeVisible();

      await mouseClick(page, row.locator('summary'));
      const output = row.locator('[data-output]').first();
      await expect(output).toContainText('Huawei Versatile Routing Platform');
      await expect(row.locator('[data-command-status="success"]').first()).toContainText('display version');
      await expectNoSidewaysScroll(page);
      await page.screenshot({ path: `${SHOTS}/spec-task-done-${size.name}.png`, fullPage: true });

      // a status with no device in it says so and offers the way back
      await mouseClick(page, page.getByRole('button', { name: '已取消 0' }));
      await expect(page.getByRole('button', { name: '已取消 0', pressed: true })).toBeVisible();
      await expect(page.getByTestId('task-devices-empty')).toHaveText('此任务中没有状态为“已取消”的设备。');
      await mouseClick(page, page.getByRole('button', { name: '显示全部设备' }));
      await expect(page.locator('[data-testid="task-devices"] details')).toHaveCount(2);

      if (size.name === 'phone') {
        // device results are cards: rounded, bordered, as wide as the screen allows
        const radius = await row.evaluate((e) => parseFloat(getComputedStyle(e).borderTopLeftRadius));
        expect(radius).toBeGreaterThan(0);
        const box = await row.boundingBox();
        expect(box!.width).toBeLessThanOrEqual(size.viewport.width);
      }

      // the list: a table on a laptop, a card per task on a phone; a filter with no match offers to clear it
      await page.goto('/tasks');
      const item = page.locator(`tr[data-task="${name}"]`);
      await expect(item.getByRole('link', { name })).toBeVisible();
      await expect(item.locator('[data-status="completed"]')).toHaveText('已完成');
      await expect(item).toContainText('2 / 2');
      const display = await item.evaluate((e) => getComputedStyle(e).display);
      if (size.name === 'phone') {
        expect(display).toBe('grid');
      } else {
        expect(display).toBe('table-row');
        await expect(page.getByRole('columnheader', { name: '任务' })).toBeVisible();
      }
      await expectNoSidewaysScroll(page);
      await page.screenshot({ path: `${SHOTS}/spec-list-${size.name}.png`, fullPage: true });

      const filter = page.getByRole('searchbox', { name: '搜索任务' });
      await mouseClick(page, filter);
      await filter.fill('没有这个任务-xyz');
      await expect(page.getByText('没有符合筛选条件的任务')).toBeVisible();
      await mouseClick(page, page.getByTestId('tasks-no-match').getByRole('button', { name: '清除筛选' }));
      await expect(filter).toHaveValue('');
      await expect(item).toBeVisible();
    });
  });
}

test.describe('dark theme', () => {
  test.use({ colorScheme: 'dark', locale: 'zh-CN', viewport: { width: 390, height: 844 } });

  test('the task pages have dark surfaces', async ({ page }) => {
    await signInAdmin(page);
    await expect(page.locator('html')).toHaveClass(/\bdark\b/);
    await page.goto('/tasks/new');
    const form = page.getByRole('form', { name: '新建任务' });
    expect(await lightnessOf(page.locator('body'))).toBeLessThan(0.3);
    expect(await lightnessOf(form.locator('.card').first())).toBeLessThan(0.35);
    expect(await lightnessOf(form.getByLabel('名称', { exact: true }))).toBeLessThan(0.35);

    const name = unique('dark-task');
    await form.getByLabel('名称', { exact: true }).fill(name);
    await form.getByLabel('命令（每行一条，按顺序执行）').fill('show clock');
    await form.getByPlaceholder('搜索名称或主机地址').fill('lab-ios-03');
    await mouseClick(page, form.getByLabel('选择 lab-ios-03'));
    await mouseClick(page, form.getByRole('button', { name: '在 1 台设备上启动任务' }));
    await expect(page).toHaveURL(/\/tasks\/(?!new$)[^/]+$/);
    const row = page.locator('details[data-device="lab-ios-03"]');
    await expect(row).toHaveAttribute('data-status', 'success', { timeout: 30_000 });
    expect(await lightnessOf(row)).toBeLessThan(0.35);
    expect(await lightnessOf(page.getByTestId('task-commands'))).toBeLessThan(0.4);
    await expectNoSidewaysScroll(page);

    await page.goto('/tasks');
    const card = page.locator(`tr[data-task="${name}"]`);
    await expect(card).toBeVisible();
    expect(await lightnessOf(card)).toBeLessThan(0.35);
    await expectNoSidewaysScroll(page);
  });
});
