import { expect, test } from '@playwright/test';
import { createUser, mouseClick, pickerSearch, signIn, signInAsAdmin, unique } from './helpers';

test('the bell count rises live when a device goes down; mark all read sets it to zero', async ({
  browser,
}) => {
  const admin = await (await browser.newContext()).newPage();
  const name = unique('noc');
  await signInAsAdmin(admin);
  await createUser(admin, name, 'operator', 'noc-password-1234');
  await admin
    .locator(`tr[data-user="${name}"]`)
    .getByRole('link', { name: /granted/ })
    .click();
  await pickerSearch(admin, 'lab-ios-10'); // the picker shows one page: search first
  await admin.getByLabel('Grant lab-ios-10').check();
  await admin.getByRole('button', { name: /Save grants/ }).click();
  await expect(admin.getByRole('status')).toContainText('1 device granted');

  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signIn(page, name, 'noc-password-1234');
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  // the same user on a phone too: the toast reaches both, and each dismisses it with the pointer
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(phone, name, 'noc-password-1234');
  await expect(phone.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await page.goto('/devices?q=lab-ios-10');
  const row = page.locator('tr[data-device="lab-ios-10"]');
  await expect(row.locator('[data-status]')).toHaveAttribute('data-status', 'online', { timeout: 15_000 });
  const badge = page.getByTestId('unread-count');
  await expect(badge).toHaveText('0');

  await admin.goto('/devices?q=lab-ios-10');
  await admin.getByRole('button', { name: 'Take down lab-ios-10' }).click();
  await expect(admin.getByRole('button', { name: 'Bring up lab-ios-10' })).toBeVisible();

  // no reload: the push arrives on the open page
  await expect(badge).toHaveText('1', { timeout: 15_000 });
  await expect(row.locator('[data-status]')).toHaveAttribute('data-status', 'offline');
  const toast = page.getByTestId('toasts').locator('[data-kind="device_down"]');
  await expect(toast).toContainText('lab-ios-10 is down');
  // the toast goes at once with its ×; the notification stays unread in the bell
  await mouseClick(page, toast.getByRole('button', { name: 'Dismiss' }));
  await expect(toast).toHaveCount(0);
  await expect(badge).toHaveText('1');
  const phoneToast = phone.getByTestId('toasts').locator('[data-kind="device_down"]');
  await expect(phoneToast).toContainText('lab-ios-10 is down');
  await mouseClick(phone, phoneToast.getByRole('button', { name: 'Dismiss' }));
  await expect(phoneToast).toHaveCount(0);
  await expect(phone.getByTestId('unread-count')).toHaveText('1');

  await page.getByRole('button', { name: /Notifications \(1 unread\)/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Recent notifications' });
  await expect(dialog).toContainText('lab-ios-10 is down');
  await dialog.getByRole('button', { name: 'Mark all read' }).click();
  await expect(badge).toHaveText('0');

  // back up: one more notification, and the list page shows both
  await admin.getByRole('button', { name: 'Bring up lab-ios-10' }).click();
  await expect(badge).toHaveText('1', { timeout: 15_000 });
  await expect(row.locator('[data-status]')).toHaveAttribute('data-status', 'online');
  await page.goto('/notifications');
  const list = page.getByTestId('notification-list');
  await expect(list.locator('li[data-kind="device_down"]')).toHaveCount(1);
  await expect(list.locator('li[data-kind="device_up"]')).toHaveCount(1);
  await page.getByRole('button', { name: 'Mark all read' }).click();
  await expect(page.getByTestId('page-unread')).toHaveText('0 unread');
  await expect(badge).toHaveText('0');
});
