import { createServer } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { signInAsAdmin, unique, openDeviceForm } from './helpers';

/** A port on 127.0.0.1 that nothing listens on (bound, read back, closed). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

async function addDevice(page: Page, name: string, port: number) {
  await openDeviceForm(page);
  await page.getByLabel('Name', { exact: true }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Host').fill('127.0.0.1');
  await page.getByLabel('SSH port').fill(String(port));
  await page.getByLabel('SSH username').fill('netops');
  await page.locator('input#password').fill('any-password-123');
  await page.getByRole('button', { name: 'Add device' }).click();
  await expect(page).toHaveURL(/\/devices$/);
}

const SIZES = [
  { name: 'desktop', viewport: { width: 1440, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const;

for (const size of SIZES) {
  test.describe(size.name, () => {
    test.use({ viewport: size.viewport });

    test(`an unreachable device: the error in the pane, Retry tries again, the picker shows status dots (${size.name})`, async ({
      page,
    }) => {
      await signInAsAdmin(page);
      const name = unique('unreachable');
      await addDevice(page, name, await closedPort());

      // the probe finds nothing there (500 ms interval on the e2e server); reloaded, as a push sent
      // before this page's socket opened is not replayed
      await page.goto(`/devices?q=${name}`);
      const status = page.locator(`tr[data-device="${name}"] td[data-col="status"] [data-status]`);
      await expect(async () => {
        await page.reload();
        await expect(status).toHaveAttribute('data-status', 'offline', { timeout: 1_000 });
      }).toPass({ timeout: 15_000 });

      await page.goto('/terminal');
      await page.getByRole('button', { name: '+ New tab' }).click();
      const picker = page.getByRole('dialog', { name: 'Choose a device' });
      // each device in the picker shows its status dot
      await expect(
        picker.getByRole('button', { name: /^lab-vrp-01/ }).locator('[data-status="online"]'),
      ).toBeVisible();
      await picker.getByLabel('Filter devices').fill(name);
      const choice = picker.getByRole('button', { name: new RegExp(`^${name}`) });
      await expect(choice.locator('[data-status="offline"]')).toBeVisible();
      await page.screenshot({ path: `test-results/terminal-picker-${size.name}.png` });
      await choice.click();

      const tab = page.locator(`[role="tab"][data-tab="${name}"]`);
      await expect(tab).toHaveAttribute('data-state', 'error', { timeout: 15_000 });
      const paneArea = page.locator(`[data-pane="${name}"]`);
      const error = paneArea.getByRole('alert');
      await expect(error).toBeVisible();
      await expect(error).toContainText('Cannot reach');
      await expect(error).toContainText('connection refused');
      await page.screenshot({ path: `test-results/terminal-unreachable-${size.name}.png` });

      // Retry: the tab goes through connecting again and ends with the same error in the pane
      await tab.evaluate((el) => {
        const seen: string[] = [];
        (window as unknown as { seenStates: string[] }).seenStates = seen;
        new MutationObserver(() => seen.push(el.getAttribute('data-state') ?? '')).observe(el, {
          attributes: true,
          attributeFilter: ['data-state'],
        });
      });
      await error.getByRole('button', { name: 'Retry' }).click();
      await expect
        .poll(() => page.evaluate(() => (window as unknown as { seenStates: string[] }).seenStates))
        .toEqual(expect.arrayContaining(['error']));
      const seen = await page.evaluate(() => (window as unknown as { seenStates: string[] }).seenStates);
      expect(seen.some((s) => s === 'connecting' || s === 'reconnecting')).toBe(true);
      await expect(tab).toHaveAttribute('data-state', 'error');
      await expect(paneArea.getByRole('alert')).toContainText('connection refused');

      await page.getByRole('button', { name: `Close ${name}` }).click();
      await expect(tab).toHaveCount(0);
    });
  });
}
