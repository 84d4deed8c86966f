import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { createUser, mouseClick, signIn, signInAsAdmin, unique } from './helpers';

// Issue 15, the first hour in the shell: the sign-in page in the browser's language with a switch,
// the dashboard, bell, palette, notifications and 404 in Chinese and in the dark theme.

const SIZES = [
  { name: 'laptop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** A user of our own, made by the admin in an English browser (the admin's saved choices are not ours). */
async function makeUser(browser: Browser, role: 'admin' | 'operator' | 'viewer') {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const name = unique(`shell-${role}`);
  const password = `${name}-password`;
  await signInAsAdmin(page);
  await createUser(page, name, role, password);
  await context.close();
  return { name, password };
}

/** The page's background as "r,g,b" (a canvas turns any CSS colour, oklch included, into sRGB). */
function rgbOf(page: Page, selector: string): Promise<[number, number, number]> {
  return page.evaluate((sel) => {
    const colour = getComputedStyle(document.querySelector(sel)!).backgroundColor;
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
    return [r!, g!, b!] as [number, number, number];
  }, selector);
}

async function noSidewaysScroll(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.scrollingElement!.scrollWidth,
    client: document.scrollingElement!.clientWidth,
  }));
  expect(scroll, 'page wider than the screen').toBeLessThanOrEqual(client);
}

async function noSeriousAxe(page: Page, where: string) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  // soft: the rest of the walk still runs, the test fails at its end
  expect.soft(bad, bad.join('\n')).toEqual([]);
}

test.describe('sign-in page in a Chinese browser', () => {
  test.use({ locale: 'zh-CN' });
  for (const size of SIZES) {
    test(`shows Chinese, and the switch goes to English and back (${size.name})`, async ({
      page,
      context,
    }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto('/login');
      await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录');
      await expect(page.getByLabel('用户名')).toBeVisible();
      await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible();
      await noSidewaysScroll(page);
      const switcher = page.getByRole('group', { name: '语言' });
      await expect(switcher.getByRole('button', { name: '简体中文' })).toHaveAttribute(
        'aria-pressed',
        'true',
      );

      // typed before switching: the form keeps it
      await page.getByLabel('用户名').fill('someone');
      await mouseClick(page, switcher.getByRole('button', { name: 'English' }));
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
      await expect(page.getByLabel('Username')).toHaveValue('someone');
      await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
      const cookie = (await context.cookies()).find((c) => c.name === 'sb-locale');
      expect(cookie?.value).toBe('en');
      expect(cookie?.path).toBe('/');
      expect(cookie?.sameSite).toBe('Lax');
      // about a year
      expect(cookie!.expires - Date.now() / 1000).toBeGreaterThan(360 * 24 * 3600);

      // the choice holds on a fresh load, over the browser's Chinese
      await page.reload();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');

      await mouseClick(
        page,
        page.getByRole('group', { name: 'Language' }).getByRole('button', { name: '简体中文' }),
      );
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录');
      await noSidewaysScroll(page);
    });
  }

  test('a wrong password is refused in Chinese', async ({ page }) => {
    await signIn(page, 'nobody-at-all', 'not-the-password');
    await expect(page.locator('[role="alert"]:not(#__next-route-announcer__)')).toHaveText(
      '用户名或密码错误。',
    );
  });
});

test.describe('dark theme, Chinese', () => {
  test.use({ locale: 'zh-CN', colorScheme: 'dark' });

  for (const size of SIZES) {
    test(`the dashboard is dark with Chinese headings; bell and palette open with the mouse (${size.name})`, async ({
      browser,
      page,
    }) => {
      const user = await makeUser(browser, 'admin');
      await page.setViewportSize({ width: size.width, height: size.height });
      await signIn(page, user.name, user.password);
      await expect(page.getByRole('heading', { level: 1, name: '概览' })).toBeVisible();
      await expect(page.locator('html')).toHaveClass(/\bdark\b/);
      const [r, g, b] = await rgbOf(page, 'body');
      expect(r + g + b, `body background ${r},${g},${b}`).toBeLessThan(3 * 40);
      for (const h of ['最近 24 小时在线设备', '当前故障', '设备组', '我的任务']) {
        await expect(page.getByRole('heading', { level: 2, name: new RegExp(`^${h}`) })).toBeVisible();
      }
      await expect(page.getByTestId('status-count-online').locator('..').getByText('在线')).toBeVisible();
      await expect(page.getByTestId('dashboard-live')).toHaveText('● 实时');
      await noSidewaysScroll(page);

      // the bell
      await mouseClick(page, page.getByRole('button', { name: /^通知（\d+ 条未读）$/ }));
      const bell = page.getByRole('dialog', { name: '最近通知' });
      await expect(bell).toBeVisible();
      await expect(bell.getByRole('button', { name: '全部标为已读' })).toBeVisible();
      await expect(bell.getByRole('link', { name: /查看全部通知/ })).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(bell).toBeHidden();

      // the palette
      await mouseClick(page, page.getByRole('button', { name: /^搜索设备/ }));
      const palette = page.getByRole('dialog', { name: '快速连接' });
      await expect(palette).toBeVisible();
      await expect(palette).toContainText('输入名称、主机或设备组的一部分');
      await palette.getByRole('combobox', { name: '查找设备' }).fill('lab-vrp-01');
      const option = palette.getByRole('option', { name: /lab-vrp-01/ });
      await expect(option).toBeVisible();
      await expect(palette.getByRole('combobox')).toHaveAttribute('aria-expanded', 'true');
      await expect(palette).toContainText(/显示 \d+ 台/);
      const [pr, pg, pb] = await rgbOf(page, 'dialog[open]');
      expect(pr + pg + pb, 'the palette is dark too').toBeLessThan(3 * 60);
      if (size.name === 'laptop') await noSeriousAxe(page, 'dashboard with the palette open');
      await page.keyboard.press('Escape');
      await expect(palette).toBeHidden();
      if (size.name === 'laptop') await noSeriousAxe(page, 'dashboard');
    });
  }

  test('a user who sees no device is told whom to ask; notifications and a 404 in Chinese', async ({
    browser,
    page,
  }) => {
    const viewer = await makeUser(browser, 'viewer');
    await signIn(page, viewer.name, viewer.password);
    const empty = page.getByTestId('dashboard-empty');
    await expect(empty).toContainText('还没有设备');
    await expect(empty).toContainText('请联系管理员');
    await expect(empty.getByRole('link')).toHaveCount(0);
    await expect(page.getByTestId('my-tasks-empty')).toHaveText('你没有任务。');
    await noSeriousAxe(page, 'empty dashboard (viewer)');

    // notifications: none yet, said so; a filter with nothing offers the way back
    await page.goto('/notifications');
    await expect(page.getByRole('heading', { level: 1, name: '通知' })).toBeVisible();
    await expect(page.getByTestId('notification-list')).toContainText('暂无通知');
    await expect(page.getByTestId('page-unread')).toHaveText('0 条未读');
    await mouseClick(page, page.getByRole('link', { name: '设备离线' }));
    await expect(page).toHaveURL(/kind=device_down/);
    await expect(page.getByTestId('notification-list')).toContainText('没有符合此筛选条件的通知');
    await noSeriousAxe(page, 'notifications');
    await mouseClick(page, page.getByRole('link', { name: '显示全部通知' }));
    await expect(page).toHaveURL(/\/notifications\??$/);
    await expect(page.getByTestId('notification-list')).toContainText('暂无通知');

    // a 404 keeps the navigation, in Chinese
    await page.goto('/no-such-page-at-all');
    await expect(page.getByRole('heading', { level: 1, name: '页面不存在' })).toBeVisible();
    await expect(page.getByTestId('not-found').getByRole('link', { name: '概览' })).toBeVisible();
    await noSeriousAxe(page, '404');
  });

  test('a user who sees no device but may add devices is offered to add or import them', async ({
    browser,
    page,
  }) => {
    const operator = await makeUser(browser, 'operator');
    await signIn(page, operator.name, operator.password);
    const offer = page.getByTestId('dashboard-empty');
    await expect(offer.getByRole('link', { name: '添加设备' })).toHaveAttribute('href', '/devices/new');
    await expect(offer.getByRole('link', { name: '导入设备' })).toHaveAttribute('href', '/devices/import');
    await expect(page.getByTestId('my-tasks-empty').getByRole('link', { name: '运行任务' })).toBeVisible();
  });
});

test.describe('light theme, English', () => {
  test.use({ locale: 'en-US', colorScheme: 'light' });
  test('the sign-in page and the dashboard read the same as before, and pass axe', async ({
    browser,
    page,
  }) => {
    await page.goto('/login');
    await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
    const [r, g, b] = await rgbOf(page, 'body');
    expect(r + g + b).toBeGreaterThan(3 * 230);
    await noSeriousAxe(page, 'sign-in');
    const user = await makeUser(browser, 'admin');
    await signIn(page, user.name, user.password);
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: /^Current outages/ })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Notifications \(\d+ unread\)$/ })).toBeVisible();
    await noSeriousAxe(page, 'dashboard (light)');
  });
});
