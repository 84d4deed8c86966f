import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { signInAsAdmin } from './helpers';

/** The lab's generated login (the e2e server's data directory). */
function labPassword(): string {
  return (
    JSON.parse(readFileSync(path.join(process.env.E2E_DATA_DIR!, 'lab.json'), 'utf8')) as { password: string }
  ).password;
}

async function setDevicePassword(page: Page, device: string, password: string) {
  await page.goto(`/devices?q=${device}`);
  await page.getByRole('link', { name: `Edit ${device}` }).click();
  await page.locator('input#password').fill(password);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/devices$/);
}

test('a task on 20 lab devices: live progress to 100 %, per-device output, retry after a failure', async ({
  page,
}) => {
  await signInAsAdmin(page);
  await setDevicePassword(page, 'lab-vrp-20', 'not-the-right-password');

  await page.goto('/tasks/new');
  const form = page.getByRole('form', { name: 'New task' });
  await form.getByLabel('Name', { exact: true }).fill('e2e version check');
  await form.getByLabel('Commands (one per line, run in order)').fill('display version\ndisplay clock');
  await form.getByLabel('Vendor filter').selectOption('huawei_vrp');
  await form.getByPlaceholder('Search name or host').fill('lab-vrp');
  await form.getByRole('button', { name: /Select shown/ }).click();
  await expect(form.getByTestId('selected-count')).toHaveText('20 selected');
  await form.getByLabel('Concurrency (devices at once)').fill('5');
  await form.getByRole('button', { name: 'Start task on 20 devices' }).click();

  await expect(page).toHaveURL(/\/tasks\/[^/]+$/);
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100', { timeout: 30_000 });
  await expect(page.locator('[data-testid="task-counts"]')).toContainText('19 succeeded');
  await expect(page.locator('[data-testid="task-counts"]')).toContainText('1 failed');
  const failed = page.locator('details[data-device="lab-vrp-20"]');
  await expect(failed).toHaveAttribute('data-status', 'failed');
  await expect(failed).toContainText('refused the login');

  const ok = page.locator('details[data-device="lab-vrp-07"]');
  await expect(ok).toHaveAttribute('data-status', 'success');
  await ok.locator('summary').click();
  await expect(ok.locator('[data-output]').first()).toContainText('Huawei Versatile Routing Platform');

  // results download
  const csv = await page.request.get(page.url().replace('/tasks/', '/api/tasks/') + '/results?format=csv');
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect((await csv.text()).split('\r\n').length).toBeGreaterThan(40);

  // fix the device, retry only the failed one
  const taskUrl = page.url();
  await setDevicePassword(page, 'lab-vrp-20', labPassword());
  await page.goto(taskUrl);
  await page.getByRole('button', { name: 'Retry failed (1)' }).click();
  await expect(page.locator('[data-testid="task-counts"]')).toContainText('20 succeeded', {
    timeout: 30_000,
  });
  await expect(page.locator('details[data-device="lab-vrp-20"]')).toHaveAttribute('data-status', 'success');
  await expect(page.locator('span[data-status="completed"]').first()).toBeVisible();

  // the tasks list shows it finished
  await page.goto('/tasks');
  const row = page.locator('tr[data-task="e2e version check"]');
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(row).toContainText('20 / 20');
});
