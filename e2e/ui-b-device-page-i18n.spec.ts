import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { createUser, labDeviceCopy, mouseClick, pickerSearch, signInAsAdmin, unique } from './helpers';

/*
 * The device page in Chinese and in the dark, as an operator sees it on a laptop and on a phone:
 * Chinese headings around an untranslated device name, Test connection run with the mouse and its
 * steps named in Chinese, the empty lists saying what to do next, dark surfaces, nothing wider than
 * the screen.
 */

const SIZES = [
  { name: 'desktop', viewport: { width: 1440, height: 900 }, device: 'lab-ios-02' },
  { name: 'phone', viewport: { width: 390, height: 844 }, device: 'lab-ios-12' },
] as const;

const PASSWORD = 'operator-password-123';

/**
 * A new operator granted the device (made by the admin in an English window); returns the username.
 * With `copyOf`, the device is first made as a copy of that lab device (no host key trusted yet).
 */
async function operatorOf(browser: Browser, device: string): Promise<string>;
async function operatorOf(browser: Browser, device: null, copyOf: string): Promise<[string, string]>;
async function operatorOf(browser: Browser, device: string | null, copyOf?: string) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signInAsAdmin(page);
  if (device === null) {
    const copy = await labDeviceCopy(page, copyOf!);
    const username = await grantNew(page, copy);
    await context.close();
    return [username, copy];
  }
  const username = await grantNew(page, device);
  await context.close();
  return username;
}

async function grantNew(page: Page, device: string): Promise<string> {
  const username = unique('dp-zh');
  await createUser(page, username, 'operator', PASSWORD);
  await mouseClick(page, page.locator(`tr[data-user="${username}"]`).getByRole('link', { name: /granted/ }));
  await pickerSearch(page, device);
  await mouseClick(page, page.getByLabel(`Grant ${device}`, { exact: true }));
  await mouseClick(page, page.getByRole('button', { name: /Save grants/ }));
  await expect(page.getByRole('status')).toContainText('1 device granted');
  return username;
}

/** Sign in by the fields' names: their labels are in the page's language. */
async function signInAs(page: Page, username: string) {
  await page.goto('/login');
  const form = page.locator('form[data-hydrated="true"]');
  await expect(form).toBeVisible();
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill(PASSWORD);
  await mouseClick(page, form.locator('button[type="submit"]'));
  await expect(page).not.toHaveURL(/\/login/);
}

/** From the device list to the device's page, with the mouse. */
async function openDevicePage(page: Page, device: string) {
  await page.goto(`/devices?q=${device}`);
  await mouseClick(page, page.getByRole('link', { name: device, exact: true }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(device);
}

async function expectNoSidewaysScroll(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.scrollingElement!.scrollWidth,
    client: document.scrollingElement!.clientWidth,
  }));
  expect(scroll).toBeLessThanOrEqual(client);
}

/** The relative luminance (0 black … 1 white) of an element's colour or background, as the browser paints it. */
function luminance(el: Locator, property: 'color' | 'backgroundColor'): Promise<number> {
  return el.first().evaluate((e, prop) => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = getComputedStyle(e)[prop];
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b] = [...ctx.getImageData(0, 0, 1, 1).data].map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }, property);
}

for (const { name, viewport, device } of SIZES) {
  test.describe(name, () => {
    test.use({ viewport, locale: 'zh-CN' });

    test(`the device page in Chinese: headings, Test connection by click with its steps in Chinese (${name})`, async ({
      page,
      browser,
    }) => {
      // a row of its own at the lab device's address: no host key trusted yet, whatever else ran
      const [username, own] = await operatorOf(browser, null, device);
      await signInAs(page, username);
      await openDevicePage(page, own);
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

      // section headings in Chinese; the device's name and address as they are
      await expect(page.getByRole('heading', { name: /^最近 24 小时的状态/, level: 2 })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'SSH 主机密钥', level: 2 })).toBeVisible();
      await expect(page.getByRole('heading', { name: '最近的终端会话（您的）', level: 2 })).toBeVisible();
      await expect(
        page.getByRole('heading', { name: '最近在此设备上的任务（您的）', level: 2 }),
      ).toBeVisible();
      await expect(page.getByTestId('device-status-value')).toHaveAttribute('data-status', 'online', {
        timeout: 15_000,
      });
      await expect(page.getByTestId('device-status')).toContainText('在线');
      await expect(
        page.getByRole('group', { name: '设备操作' }).getByRole('link', { name: '打开终端' }),
      ).toBeVisible();

      // nothing yet: each empty list says what to do next
      await expect(page.getByTestId('device-sessions-empty')).toContainText('您还没有在此设备上打开过终端。');
      await expect(
        page.getByTestId('device-sessions-empty').getByRole('link', { name: '打开终端' }),
      ).toHaveAttribute('href', /\/terminal\?devices=/);
      await expect(
        page.getByTestId('device-tasks-empty').getByRole('link', { name: '运行任务' }),
      ).toHaveAttribute('href', /\/tasks\/new\?devices=/);
      const hostKey = page.getByRole('region', { name: 'SSH 主机密钥' });
      await expect(hostKey.getByTestId('host-key-empty')).toContainText('测试连接');
      await expectNoSidewaysScroll(page);

      // Test connection with the mouse: every step passes, named in Chinese
      const panel = page.getByRole('region', { name: '测试连接' });
      const button = panel.getByRole('button', { name: '测试连接' });
      await expect(button).toBeEnabled();
      await mouseClick(page, button);
      const report = panel.getByTestId('connection-test');
      await expect(report.getByRole('status')).toHaveText('所有步骤均已通过。', { timeout: 25_000 });
      const steps = report.getByRole('list', { name: '步骤' });
      await expect(steps.getByRole('listitem')).toHaveCount(9);
      await expect(report.getByTestId('step-access')).toContainText('访问权限');
      await expect(report.getByTestId('step-negotiation')).toContainText('协商');
      await expect(report.getByTestId('step-host_key')).toContainText('主机密钥');
      await expect(report.getByTestId('step-auth')).toContainText('认证');
      // the device's own words (the copy has no enable secret: user mode)
      await expect(report.getByTestId('step-prompt')).toContainText(`${device}>`);
      await expect(report.getByTestId('step-vendor')).toContainText('厂商检查');
      await expect(report.getByTestId('step-tcp').getByRole('img', { name: '通过' })).toBeVisible();
      await expect(report.getByTestId('step-tcp')).toContainText(/\d+ ms/);

      // the key it saw is offered for the operator to accept, in Chinese
      await expect(hostKey.getByTestId('offered-fingerprint')).toHaveText(/^SHA256:/);
      await expect(hostKey.getByRole('button', { name: '接受此密钥' })).toBeVisible();
      await expect(hostKey.getByTestId('host-key-empty')).toHaveCount(0);
      await expectNoSidewaysScroll(page);
    });

    test.describe('dark', () => {
      test.use({ colorScheme: 'dark' });

      test(`the device page in the dark: dark surfaces, light text, nothing wider than the screen (${name})`, async ({
        page,
        browser,
      }) => {
        const username = await operatorOf(browser, device);
        await signInAs(page, username);
        await openDevicePage(page, device);
        await expect(page.locator('html')).toHaveClass(/\bdark\b/);
        await expect(page.getByTestId('device-status-value')).toHaveAttribute(
          'data-status',
          /online|offline/,
          {
            timeout: 15_000,
          },
        );
        // the page and every card are dark, the text light
        expect(await luminance(page.locator('body'), 'backgroundColor')).toBeLessThan(0.05);
        for (const region of [
          'SSH 主机密钥',
          '测试连接',
          '最近的终端会话（您的）',
          '最近在此设备上的任务（您的）',
        ])
          expect(await luminance(page.getByRole('region', { name: region }), 'backgroundColor')).toBeLessThan(
            0.05,
          );
        expect(await luminance(page.getByRole('heading', { level: 1 }), 'color')).toBeGreaterThan(0.7);
        expect(
          await luminance(page.getByTestId('device-sessions-empty').locator('p'), 'color'),
        ).toBeGreaterThan(0.3);
        // the window switch: the chosen one stands out, the other stays readable
        const week = page.getByRole('navigation', { name: '时间范围' }).getByRole('link', { name: '7 天' });
        await mouseClick(page, week);
        await expect(page).toHaveURL(/window=7d/);
        await expect(page.getByRole('heading', { name: /^最近 7 天的状态/ })).toBeVisible();
        await expect(week).toHaveAttribute('aria-current', 'page');
        await expectNoSidewaysScroll(page);
      });
    });
  });
}

test.describe('forget the trusted key', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('Forget trusted key asks first in a named dialog; Cancel keeps the key, confirming forgets it', async ({
    page,
  }) => {
    test.setTimeout(90_000); // room for a slow connection test (below) on a busy machine
    await signInAsAdmin(page);
    const device = await labDeviceCopy(page, 'lab-ios-20');
    await openDevicePage(page, device);
    const hostKey = page.getByRole('region', { name: 'SSH host key', exact: true });
    const panel = page.getByRole('region', { name: 'Test connection', exact: true });
    await expect(panel.getByRole('button', { name: 'Test connection' })).toBeEnabled();
    await mouseClick(page, panel.getByRole('button', { name: 'Test connection' }));
    // the report or the action's refusal, whichever comes: a failure names what the page said. The
    // test's own limit is 20 s; the page re-renders after it, slowly on a machine busy with other specs
    await expect(
      panel.getByTestId('connection-test').getByRole('status').or(panel.getByRole('alert')).first(),
    ).toHaveText('Every step passed.', { timeout: 40_000 });
    await mouseClick(page, hostKey.getByRole('button', { name: 'Accept this key' }));
    await expect(hostKey.getByRole('status')).toHaveText('The new host key is trusted.');
    const fingerprint = hostKey.getByTestId('trusted-fingerprint');
    await expect(fingerprint).toHaveText(/^SHA256:/);

    await mouseClick(page, hostKey.getByRole('button', { name: 'Forget trusted key' }));
    let dialog = page.getByRole('dialog', { name: 'Forget the trusted host key?' });
    await expect(dialog).toContainText('trusts whatever key it is offered');
    await mouseClick(page, dialog.getByRole('button', { name: 'Cancel' }));
    await expect(dialog).toHaveCount(0);
    await expect(fingerprint).toBeVisible();

    await mouseClick(page, hostKey.getByRole('button', { name: 'Forget trusted key' }));
    dialog = page.getByRole('dialog', { name: 'Forget the trusted host key?' });
    await mouseClick(page, dialog.getByRole('button', { name: 'Forget the key' }));
    await expect(dialog).toHaveCount(0);
    await expect(hostKey.getByRole('status')).toHaveText(
      'The host key is forgotten; the next connection will trust the key it sees.',
    );
    await expect(fingerprint).toHaveCount(0);
    await expect(hostKey.getByTestId('host-key-empty')).toBeVisible();
  });
});
