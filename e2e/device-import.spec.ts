import { expect, test, type Page } from '@playwright/test';
import { mouseClick, signInAsAdmin, unique } from './helpers';

const HEADER = 'name,host,port,vendor,encoding,username,password,private_key,enable_secret,groups,notes';

async function upload(page: Page, name: string, text: string) {
  await page.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await expect(page.getByLabel('…or paste the CSV')).toHaveValue(text);
}

test('import: a preview shows the bad row with its line and blocks Apply; the fixed file applies', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAsAdmin(page);
  await page.goto('/devices/import');
  await expect(page.getByRole('heading', { name: 'Import devices' })).toBeVisible();
  await expect(page.getByTestId('column-docs')).toContainText('private_key');

  const good = unique('imp-ok');
  const other = unique('imp-two');
  const group = unique('site');
  const bad = [
    HEADER,
    `${good},192.0.2.50,22,huawei_vrp,utf-8,netops,pw-1,,,${group},"=SUM(1+1) is text"`,
    // a quoted note over two lines: the bad row starts on line 5
    `${other},192.0.2.51,22,cisco_ios,utf-8,netops,pw-2,,,,"first line`,
    `second line"`,
    `${unique('imp-bad')},192.0.2.52,70000,huawei_vrp,utf-8,netops,pw-3,,,,`,
  ].join('\n');
  await upload(page, 'devices.csv', bad);
  await mouseClick(page, page.getByRole('button', { name: 'Preview' }));
  const table = page.getByTestId('import-preview');
  const errorRow = table.locator('tr[data-line="5"]');
  await expect(errorRow).toHaveAttribute('data-action', 'error');
  await expect(errorRow).toContainText('Port must be between 1 and 65535');
  await expect(page.getByTestId('count-error')).toHaveText('1 error');
  await expect(page.getByRole('button', { name: 'Apply' })).toBeDisabled();
  await expect(page.getByTestId('apply-reason')).toHaveText(/Fix the 1 row with errors/);
  await page.screenshot({ path: test.info().outputPath('import-error-1440.png'), fullPage: true });

  // the same page on a phone: the table scrolls inside its box, the page does not scroll sideways
  await page.setViewportSize({ width: 390, height: 844 });
  await mouseClick(page, page.getByTestId('count-error'));
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: test.info().outputPath('import-error-390.png'), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });

  const fixed = bad.replace(',70000,', ',22,');
  await upload(page, 'devices-fixed.csv', fixed);
  await expect(page.getByTestId('apply-reason')).toHaveText(/preview again/);
  await mouseClick(page, page.getByRole('button', { name: 'Preview' }));
  await expect(page.getByTestId('count-new')).toHaveText('3 new');
  await expect(page.getByTestId('count-error')).toHaveText('0 errors');
  const apply = page.getByRole('button', { name: 'Apply' });
  await expect(apply).toBeEnabled();
  await mouseClick(page, apply);
  const done = page.getByRole('status').filter({ hasText: 'Imported: 3 new' });
  await expect(done).toBeVisible();
  await expect(done).toContainText(`Groups created: ${group}`);
  await page.screenshot({ path: test.info().outputPath('import-done-1440.png'), fullPage: true });

  await mouseClick(page, page.getByRole('link', { name: 'Go to the device list' }));
  await expect(page).toHaveURL(/\/devices$/);
  await page.goto(`/devices?q=${good}`);
  await expect(page.getByText(good, { exact: true }).first()).toBeVisible();

  // the export (a cookie session) has the device with its note neutralised, and no password
  const res = await page.request.get('/api/v1/devices/export');
  expect(res.status()).toBe(200);
  const csv = await res.text();
  expect(csv).toContain(`"${good}","192.0.2.50","22","huawei_vrp"`);
  expect(csv).toContain(`"'=SUM(1+1) is text"`);
  expect(csv).not.toContain('pw-1');
});
