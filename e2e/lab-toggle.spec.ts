import { expect, test } from '@playwright/test';
import { signInAsAdmin } from './helpers';

// One lab device per viewport so that the two runs do not take each other's device down.
const SIZES = [
  { name: 'desktop', viewport: { width: 1440, height: 900 }, device: 'lab-ios-13' },
  { name: 'phone', viewport: { width: 390, height: 844 }, device: 'lab-ios-14' },
] as const;

for (const size of SIZES) {
  test.describe(size.name, () => {
    test.use({ viewport: size.viewport });

    test(`lab switch: take down shows at once, the dot follows the probe, bring up returns (${size.name})`, async ({
      page,
    }) => {
      await signInAsAdmin(page);
      await page.goto(`/devices?q=${size.device}`);
      const row = page.locator(`tr[data-device="${size.device}"]`);
      const dot = row.locator('td[data-col="status"] [data-status]');
      await expect(dot).toHaveAttribute('data-status', 'online', { timeout: 15_000 });

      await row.getByRole('button', { name: `Take down ${size.device}` }).click();
      // at once: the row says the switch was taken down and offers to bring it back
      await expect(row.getByText('taken down')).toBeVisible({ timeout: 1_500 });
      await expect(row.getByRole('button', { name: `Bring up ${size.device}` })).toBeVisible();
      await page.screenshot({ path: `test-results/lab-toggle-down-${size.name}.png`, fullPage: true });
      // within the probe interval (500 ms × 2 failures in the e2e server) the dot goes offline
      await expect(dot).toHaveAttribute('data-status', 'offline', { timeout: 10_000 });
      await expect(row.getByText('taken down')).toBeVisible();

      await row.getByRole('button', { name: `Bring up ${size.device}` }).click();
      await expect(row.getByText('taken down')).toBeHidden({ timeout: 1_500 });
      await expect(row.getByRole('button', { name: `Take down ${size.device}` })).toBeVisible();
      await expect(dot).toHaveAttribute('data-status', 'online', { timeout: 10_000 });
      await page.screenshot({ path: `test-results/lab-toggle-up-${size.name}.png`, fullPage: true });
    });
  });
}
