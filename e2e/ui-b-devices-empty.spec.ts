import { mkdirSync } from 'node:fs';
import { expect, test, type Browser } from '@playwright/test';
import { createUser, mouseClick, signIn, signInAsAdmin, unique } from './helpers';

/*
 * The first hour of someone who sees no device yet: a viewer is told to ask an admin; an operator
 * also gets the two ways to add devices, and Import from CSV takes them there. At a laptop's and a
 * phone's width.
 */

const SHOTS = '/tmp/h2-shots';
const PASSWORD = 'empty-list-password-123';

async function newUser(browser: Browser, role: 'operator' | 'viewer'): Promise<string> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
  const admin = await context.newPage();
  await signInAsAdmin(admin);
  const username = unique(`empty-${role}`);
  await createUser(admin, username, role, PASSWORD);
  await context.close();
  return username;
}

for (const { name, viewport } of [
  { name: 'desktop', viewport: { width: 1440, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
]) {
  test.describe(name, () => {
    test.use({ viewport, locale: 'en-US' });

    test(`a viewer with no device is told to ask an admin (${name})`, async ({ page, browser }) => {
      mkdirSync(SHOTS, { recursive: true });
      const username = await newUser(browser, 'viewer');
      await signIn(page, username, PASSWORD);
      await expect(page).not.toHaveURL(/\/login/);
      await page.goto('/devices');
      const empty = page.getByTestId('no-devices');
      await expect(empty.getByRole('heading', { name: 'No devices yet' })).toBeVisible();
      await expect(empty).toContainText('No device has been shared with you yet. Ask an admin');
      await expect(empty.getByRole('link')).toHaveCount(0);
      // no filters, no table, no pager for a list that cannot have anything in it
      await expect(page.getByRole('search')).toHaveCount(0);
      await expect(page.getByTestId('device-table')).toHaveCount(0);
      await page.screenshot({ path: `${SHOTS}/spec-empty-viewer-${name}.png`, fullPage: true });
    });

    test(`an operator with no device is offered Add a device and Import from CSV (${name})`, async ({
      page,
      browser,
    }) => {
      const username = await newUser(browser, 'operator');
      await signIn(page, username, PASSWORD);
      await expect(page).not.toHaveURL(/\/login/);
      await page.goto('/devices');
      const empty = page.getByTestId('no-devices');
      await expect(empty.getByRole('heading', { name: 'No devices yet' })).toBeVisible();
      await expect(empty.getByRole('link', { name: 'Add a device' })).toBeVisible();
      await mouseClick(page, empty.getByRole('link', { name: 'Import from CSV' }));
      await expect(page).toHaveURL(/\/devices\/import$/);
      await expect(page.getByRole('heading', { name: 'Import devices' })).toBeVisible();
    });
  });
}
