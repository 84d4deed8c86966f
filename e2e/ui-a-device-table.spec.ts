import { expect, test } from '@playwright/test';
import { signInAsAdmin } from './helpers';

// Finding 3 of the first-hour issue: at phone width the device table pushed Status off screen. On a
// phone the rows are now cards (no header row): name, status, address and Edit on each.
const SIZES = [
  { name: 'desktop', viewport: { width: 1440, height: 900 }, columns: 9 },
  { name: 'phone', viewport: { width: 390, height: 844 }, columns: 0 },
] as const;

for (const size of SIZES) {
  test(`device list at ${size.name} width: status, name and Edit fit on screen; the page does not scroll sideways`, async ({
    page,
  }) => {
    await page.setViewportSize(size.viewport);
    await signInAsAdmin(page);
    await page.goto('/devices?q=lab-vrp-0');
    const table = page.getByTestId('device-table');
    const header = table.locator('thead th');
    await expect(header.filter({ visible: true })).toHaveCount(size.columns);
    const row = table.locator('tr[data-device="lab-vrp-01"]');
    const status = row.locator('td[data-col="status"] [data-status]');
    await expect(status).toBeVisible();
    for (const el of [status, row.getByRole('link', { name: 'Edit lab-vrp-01' })]) {
      const box = (await el.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(size.viewport.width);
    }
    // the address is still there: under the name on a phone, in its own column on a laptop
    await expect(row.getByText(/127\.0\.0\.1:\d+/).filter({ visible: true })).toHaveCount(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `test-results/device-table-${size.name}.png`, fullPage: true });
  });
}
