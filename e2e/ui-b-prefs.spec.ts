import { expect, test, type Page } from '@playwright/test';
import { createUser, mouseClick, signIn, signInAsAdmin, unique } from './helpers';

const SIZES = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];

const isDark = (page: Page) => page.evaluate(() => document.documentElement.classList.contains('dark'));
const bodyBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

/** A fresh operator, signed in on a page of its own at this size. */
async function operatorAt(
  browser: import('@playwright/test').Browser,
  size: { width: number; height: number },
) {
  const admin = await (await browser.newContext()).newPage();
  await signInAsAdmin(admin);
  const name = unique('prefs');
  const password = 'prefs-password-12345';
  await createUser(admin, name, 'operator', password);
  await admin.context().close();
  const context = await browser.newContext({ viewport: size, locale: 'en-US', colorScheme: 'light' });
  const page = await context.newPage();
  await signIn(page, name, password);
  await expect(page.getByTestId('current-user')).toBeVisible();
  return { page, name, password };
}

for (const size of SIZES) {
  test.describe(`preferences at ${size.width}×${size.height}`, () => {
    test('language, theme and terminal look are chosen on the Account page and follow the user to another browser', async ({
      browser,
    }) => {
      const { page, name, password } = await operatorAt(browser, size);
      await page.goto('/account');
      const form = page.getByRole('form', { name: 'Preferences' });
      await expect(page.locator('[data-testid="preferences-form"][data-hydrated="true"]')).toBeVisible();
      expect(await isDark(page)).toBe(false);

      await form.getByLabel('Language').selectOption('zh-CN');
      await mouseClick(page, form.getByRole('radio', { name: 'Dark' }));
      await form.getByLabel('Terminal colours').selectOption('light');
      await form.getByLabel('Terminal font size').fill('18');
      await mouseClick(page, form.getByRole('button', { name: 'Save preferences' }));

      // the page comes back in Chinese and dark, and says so
      await expect(page.getByRole('heading', { level: 1, name: '账户' })).toBeVisible();
      await expect(page.getByRole('status').filter({ hasText: '偏好设置已保存。' })).toBeVisible();
      await expect.poll(() => isDark(page)).toBe(true);
      expect(await bodyBackground(page)).not.toBe('rgb(248, 250, 252)');

      // another browser asking for English in light mode gets the saved choices after signing in
      const other = await (
        await browser.newContext({ viewport: size, locale: 'en-US', colorScheme: 'light' })
      ).newPage();
      await signIn(other, name, password);
      await expect(other.getByTestId('current-user')).toBeVisible();
      await other.goto('/account');
      await expect(other.getByRole('heading', { level: 1, name: '账户' })).toBeVisible();
      expect(await isDark(other)).toBe(true);
      const saved = other.getByTestId('preferences-form');
      await expect(saved.getByLabel('终端配色')).toHaveValue('light');
      await expect(saved.getByLabel('终端字号')).toHaveValue('18');

      // an out-of-range font size is refused with a reason, nothing saved
      await saved.getByLabel('终端字号').fill('99');
      await saved
        .getByLabel('终端字号')
        .evaluate((el: HTMLInputElement) => el.form?.setAttribute('novalidate', ''));
      await mouseClick(other, saved.getByRole('button', { name: '保存偏好设置' }));
      await expect(saved.getByLabel('终端字号')).toHaveAttribute('aria-invalid', 'true');
      await other.reload();
      await expect(other.getByTestId('preferences-form').getByLabel('终端字号')).toHaveValue('18');

      // back to the browser's language: English again
      await other.getByTestId('preferences-form').getByLabel('语言').selectOption('');
      await mouseClick(other, other.getByRole('button', { name: '保存偏好设置' }));
      await expect(other.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
    });

    test('the header switch steps the theme through system, light and dark and keeps it across a reload', async ({
      browser,
    }) => {
      const { page } = await operatorAt(browser, size);
      const context = page.context();
      // the system is dark: "system" follows it
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.reload();
      await expect(page.getByTestId('theme-switch')).toHaveAttribute('data-theme', 'system');
      expect(await isDark(page)).toBe(true);

      // a slow server (as CI's loaded machine was): each save takes a second, so the second click's
      // save waits behind the first's, and the switch says it is busy until both are stored
      await page.route('**/*', async (route) => {
        if (route.request().method() === 'POST' && route.request().headers()['next-action']) {
          await new Promise((r) => setTimeout(r, 1000));
        }
        await route.continue();
      });
      await mouseClick(page, page.getByTestId('theme-switch'));
      await expect(page.getByTestId('theme-switch')).toHaveAttribute('aria-busy', 'true');
      await expect(page.getByTestId('theme-switch')).toHaveAttribute('data-theme', 'light');
      expect(await isDark(page)).toBe(false);
      await mouseClick(page, page.getByTestId('theme-switch'));
      await expect(page.getByTestId('theme-switch')).toHaveAttribute('data-theme', 'dark');
      expect(await isDark(page)).toBe(true);

      // saved (a reload while the second save still waits behind the first would drop it): a
      // light system now, and the page is still dark after a reload
      await expect(page.getByTestId('theme-switch')).not.toHaveAttribute('aria-busy', 'true');
      await page.unroute('**/*');
      await page.emulateMedia({ colorScheme: 'light' });
      await page.reload();
      await expect(page.getByTestId('theme-switch')).toHaveAttribute('data-theme', 'dark');
      expect(await isDark(page)).toBe(true);
      await context.close();
    });
  });
}

test('on a phone the navigation folds behind the Menu button and folds again after a click', async ({
  browser,
}) => {
  const { page } = await operatorAt(browser, { width: 390, height: 844 });
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  // nothing in the header is wider than the screen
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
  await mouseClick(page, page.getByRole('button', { name: 'Menu' }));
  await expect(nav).toBeVisible();
  await expect(nav.getByLabel('Language')).toBeVisible();
  await mouseClick(page, nav.getByRole('link', { name: 'Tasks' }));
  await expect(page).toHaveURL(/\/tasks$/);
  await expect(nav).toBeHidden();
  // the phone's language switch works from the menu
  await mouseClick(page, page.getByRole('button', { name: 'Menu' }));
  await nav.getByLabel('Language').selectOption('zh-CN');
  await expect(page.getByRole('button', { name: '菜单' })).toBeVisible();
});

test('on a laptop the navigation is always shown and the language switch sits in the header', async ({
  browser,
}) => {
  const { page } = await operatorAt(browser, { width: 1440, height: 900 });
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
  await page.getByTestId('locale-switch').locator('visible=true').selectOption('zh-CN');
  await expect(
    page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '设备' }),
  ).toBeVisible();
  // signed out, the sign-in page keeps the language (the choice is in a cookie too)
  await page.context().clearCookies({ name: /next-auth/ });
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});
