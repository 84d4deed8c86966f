import { mkdirSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mouseClick, setLabDevice, signInAsAdmin } from './helpers';

const SHOTS = '/tmp/shots';
/** Screenshots are of the panel: a toast passing over it is not part of it. */
const HIDE_TOASTS = '[data-testid="toasts"] { display: none; }';

/** From the device list to the device's edit page, as a person gets there; returns the Vendor panel. */
async function openEditPage(page: Page, device: string): Promise<Locator> {
  await page.goto(`/devices?q=${device}`);
  await mouseClick(page, page.getByRole('link', { name: `Edit ${device}` }));
  await expect(page.getByRole('heading', { name: `Edit ${device}` })).toBeVisible();
  const panel = page.getByRole('region', { name: 'Vendor', exact: true });
  // enabled once the page is hydrated (the form's select too: one root)
  await expect(panel.getByRole('button', { name: 'Detect vendor' })).toBeEnabled();
  return panel;
}

// One lab device per viewport, used by no other spec: this one changes its vendor and takes it down.
const SIZES = [
  { name: 'desktop', viewport: { width: 1440, height: 900 }, device: 'lab-ios-15' },
  { name: 'phone', viewport: { width: 390, height: 844 }, device: 'lab-ios-19' },
] as const;

for (const { name, viewport, device } of SIZES) {
  test.describe(name, () => {
    test.use({ viewport });

    test(`Detect vendor corrects a wrong vendor, and says why it cannot reach a device that is down (${name})`, async ({
      page,
    }) => {
      mkdirSync(SHOTS, { recursive: true });
      await signInAsAdmin(page);

      // a wrong vendor first, through the form, so that detection has something to correct
      let panel = await openEditPage(page, device);
      const vendorSelect = page.getByRole('combobox', { name: 'Vendor', exact: true });
      await expect(vendorSelect).toHaveValue('cisco_ios');
      await vendorSelect.selectOption('generic');
      await mouseClick(page, page.getByRole('button', { name: 'Save changes' }));
      await expect(page).toHaveURL(/\/devices$/);

      panel = await openEditPage(page, device);
      await expect(vendorSelect).toHaveValue('generic');
      await expect(panel.getByTestId('stored-vendor')).toHaveText('Generic (Linux / other)');
      await mouseClick(page, panel.getByRole('button', { name: 'Detect vendor' }));

      const result = panel.getByTestId('vendor-detection');
      await expect(result).toContainText(
        'Detected: Cisco IOS / IOS-XE (high confidence) — the version output says “Cisco IOS XE Software”',
      );
      await expect(result.locator('dd').first()).toHaveText(`${device}>`);
      await expect(result.locator('dd').nth(1)).toHaveText('SSH-2.0-Cisco-1.25');
      const excerpt = result.locator('details');
      await expect(excerpt.locator('summary')).toHaveText('First lines of show version');
      await expect(excerpt.locator('pre')).toBeHidden();
      await mouseClick(page, excerpt.locator('summary'));
      await expect(excerpt.locator('pre')).toContainText('Cisco IOS XE Software, Version 17.09.04a');
      await panel.screenshot({ path: `${SHOTS}/vendor-detected-${name}.png`, style: HIDE_TOASTS });

      await mouseClick(page, panel.getByRole('button', { name: 'Use Cisco IOS / IOS-XE' }));
      await expect(panel.getByRole('status')).toHaveText('Vendor set to Cisco IOS / IOS-XE.');
      // the refreshed page: the form's select and the panel show the stored vendor, nothing to use
      await expect(vendorSelect).toHaveValue('cisco_ios');
      await expect(panel.getByTestId('stored-vendor')).toHaveText('Cisco IOS / IOS-XE');
      await expect(result).toContainText('the stored vendor matches');
      await expect(panel.getByRole('button', { name: /^Use / })).toHaveCount(0);
      await panel.screenshot({ path: `${SHOTS}/vendor-used-${name}.png`, style: HIDE_TOASTS });
      await page.reload();
      await expect(vendorSelect).toHaveValue('cisco_ios');

      await setLabDevice(page, device, false);
      try {
        panel = await openEditPage(page, device);
        await mouseClick(page, panel.getByRole('button', { name: 'Detect vendor' }));
        await expect(panel.getByRole('alert')).toContainText(`Cannot reach ${device}`);
        await expect(panel.getByRole('alert')).toContainText('connection refused');
        await expect(panel.getByTestId('vendor-detection')).toHaveCount(0);
        await panel.screenshot({ path: `${SHOTS}/vendor-unreachable-${name}.png`, style: HIDE_TOASTS });
      } finally {
        await setLabDevice(page, device, true);
      }
    });
  });
}
