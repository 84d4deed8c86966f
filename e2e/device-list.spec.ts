import { copyFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { mouseClick, signInAsAdmin, unique, openDeviceForm } from './helpers';

/**
 * The device list at 1440×900 with the mouse: search, sort and pages in the address; a selection of
 * 20 devices runs a task; two devices join a new group and leave it; two devices are deleted after a
 * dialog naming them; Connect opens a terminal.
 */
test.use({ viewport: { width: 1440, height: 900 } });

async function shot(page: Page, name: string) {
  const file = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  copyFileSync(file, `/tmp/sb-device-list-${name}.png`);
}

const rowsOf = (page: Page) => page.locator('tr[data-device]');

test('search filters the rows as you type; sort and page size live in the address', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/devices');
  await expect(page.locator('tr[data-device="lab-ios-01"]')).toBeVisible();
  await shot(page, 'desktop');
  const search = page.getByRole('searchbox', { name: 'Search' });
  await mouseClick(page, search);
  await search.pressSequentially('lab-ios-1', { delay: 30 });
  await expect(page).toHaveURL(/\/devices\?q=lab-ios-1$/);
  await expect(page.locator('tr[data-device="lab-ios-01"]')).toHaveCount(0);
  await expect(page.locator('tr[data-device="lab-ios-10"]')).toBeVisible();
  for (const name of await rowsOf(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-device'))))
    expect(name).toContain('lab-ios-1');

  // sort by name, descending: the header's button keeps the search
  await mouseClick(page, page.getByRole('button', { name: /^Name/ }));
  await expect(page).toHaveURL(/q=lab-ios-1.*dir=desc/);
  await expect(rowsOf(page).first()).toHaveAttribute('data-device', /lab-ios-1\d$/);
  const names = await rowsOf(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-device')!));
  expect(names).toEqual([...names].sort().reverse());
  await page.reload();
  await expect(search).toHaveValue('lab-ios-1');
  await expect(page.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'descending');

  // 25 a page: page 2 of the whole list continues where page 1 ended
  await page.goto('/devices');
  await page.getByLabel('Rows per page').selectOption('25');
  await expect(page).toHaveURL(/size=25/);
  await expect(rowsOf(page)).toHaveCount(25);
  const lastOnFirst = await rowsOf(page).last().getAttribute('data-device');
  await mouseClick(page, page.getByRole('link', { name: 'Next ›' }));
  await expect(page).toHaveURL(/size=25&page=2/);
  await expect(page.getByTestId('page-of')).toContainText('Page 2 of');
  const firstOnSecond = await rowsOf(page).first().getAttribute('data-device');
  expect(firstOnSecond! > lastOnFirst!).toBe(true);
  await page.goBack();
  await expect(page.getByTestId('page-of')).toContainText('Page 1 of');
});

test('bulk-select 20 devices and run a task on them', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/devices?q=lab-vrp');
  await expect(rowsOf(page)).toHaveCount(20);
  await mouseClick(page, page.getByRole('checkbox', { name: 'Select all on this page' }));
  const bar = page.getByRole('region', { name: 'Bulk actions' });
  await expect(bar.getByTestId('selected-count')).toHaveText('20 selected');
  await shot(page, 'bulk-bar');
  await mouseClick(page, bar.getByRole('button', { name: 'Run task…' }));

  await expect(page).toHaveURL(/\/tasks\/new\?devices=/);
  const form = page.getByRole('form', { name: 'New task' });
  await expect(form.getByTestId('selected-count')).toHaveText('20 selected');
  await form.getByLabel('Name', { exact: true }).fill(unique('bulk clock'));
  await form.getByLabel('Commands (one per line, run in order)').fill('display clock');
  await mouseClick(page, form.getByRole('button', { name: 'Start task on 20 devices' }));

  await expect(page).toHaveURL(/\/tasks\/[^/?]+$/);
  await expect(page.getByTestId('task-counts')).toContainText('of 20 devices');
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100', { timeout: 30_000 });
  // the task page's filters are toggle buttons (they were tabs)
  await expect(page.getByRole('button', { name: 'all 20', exact: true })).toBeVisible();
  await expect(page.getByTestId('task-devices').locator('[data-device^="lab-vrp-"]')).toHaveCount(20);
});

test('add two devices to a new group, filter by it, and take them out again', async ({ page }) => {
  const group = unique('e2e-site');
  await signInAsAdmin(page);
  await page.goto('/devices?q=lab-ios-0');
  for (const d of ['lab-ios-05', 'lab-ios-06'])
    await mouseClick(page, page.getByRole('checkbox', { name: `Select ${d}` }));
  const bar = page.getByRole('region', { name: 'Bulk actions' });
  await expect(bar.getByTestId('selected-count')).toHaveText('2 selected');
  await mouseClick(page, bar.getByRole('button', { name: 'Add to group…' }));
  const dialog = page.getByRole('dialog', { name: 'Add 2 devices to a group' });
  await dialog.getByLabel('Group', { exact: true }).selectOption({ label: 'New group…' });
  await dialog.getByLabel('New group’s name').fill(group);
  await mouseClick(page, dialog.getByRole('button', { name: 'Add to group' }));
  await expect(bar.getByRole('status')).toHaveText(`Added 2 devices to ${group}.`);
  for (const d of ['lab-ios-05', 'lab-ios-06'])
    await expect(page.locator(`tr[data-device="${d}"]`).getByRole('link', { name: group })).toBeVisible();
  await expect(page.locator('tr[data-device="lab-ios-07"]').getByRole('link', { name: group })).toHaveCount(
    0,
  );

  // the group filter (no search): exactly those two
  await page.goto('/devices');
  await page.getByLabel('Group', { exact: true }).selectOption({ label: group });
  await expect(page).toHaveURL(/group=/);
  await expect(rowsOf(page)).toHaveCount(2);
  await expect(page.getByTestId('device-count')).toHaveText('2 devices');
  // searching by the group's name finds them too
  await page.goto(`/devices?q=${group}`);
  await expect(rowsOf(page)).toHaveCount(2);

  await mouseClick(page, page.getByRole('checkbox', { name: 'Select all on this page' }));
  await mouseClick(page, bar.getByRole('button', { name: 'Remove from group…' }));
  const remove = page.getByRole('dialog', { name: 'Remove 2 devices from a group' });
  await remove.getByLabel('Group', { exact: true }).selectOption({ label: group });
  await mouseClick(page, remove.getByRole('button', { name: 'Remove from group' }));
  await expect(bar.getByRole('status')).toHaveText(`Removed 2 devices from ${group}.`);
  await expect(page.getByText('No devices match.')).toBeVisible();
});

test('delete two devices after a dialog that names them', async ({ page }) => {
  const prefix = unique('bulkdel');
  await signInAsAdmin(page);
  for (const n of [1, 2]) {
    await openDeviceForm(page);
    await page.getByLabel('Name', { exact: true }).fill(`${prefix}-${n}`);
    await page.getByLabel('Host').fill(`192.0.2.${60 + n}`);
    await page.getByLabel('SSH username').fill('netops');
    await page.locator('input#password').fill('pw');
    await page.getByRole('button', { name: 'Add device' }).click();
    await expect(page).toHaveURL(/\/devices$/);
  }
  await page.goto(`/devices?q=${prefix}`);
  await expect(rowsOf(page)).toHaveCount(2);
  await mouseClick(page, page.getByRole('checkbox', { name: 'Select all on this page' }));
  const bar = page.getByRole('region', { name: 'Bulk actions' });
  await mouseClick(page, bar.getByRole('button', { name: 'Delete…' }));
  const dialog = page.getByRole('dialog', { name: 'Delete 2 devices?' });
  await expect(dialog.getByTestId('delete-names')).toHaveText(`${prefix}-1${prefix}-2`);
  await mouseClick(page, dialog.getByRole('button', { name: 'Delete 2 devices' }));
  await expect(bar.getByRole('status')).toHaveText('Deleted 2 devices.');
  await expect(page.getByText('No devices match.')).toBeVisible();
});

test('Connect on a row opens a terminal tab on the device', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/devices?q=lab-vrp-03');
  await mouseClick(page, page.getByRole('link', { name: 'Connect to lab-vrp-03' }));
  await expect(page).toHaveURL(/\/terminal$/);
  const tab = page.locator('[role="tab"][data-tab="lab-vrp-03"]');
  await expect(tab).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
  await expect(page.locator('[data-pane="lab-vrp-03"] .xterm-rows')).toContainText('<lab-vrp-03>');
  await page.reload();
  // the address no longer names the device: a reload reattaches, it does not open a second tab
  await expect(tab).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
  await expect(page.locator('[role="tab"][data-tab^="lab-vrp-03"]')).toHaveCount(1);
  await mouseClick(page, page.getByRole('button', { name: 'Close lab-vrp-03' }));
});
