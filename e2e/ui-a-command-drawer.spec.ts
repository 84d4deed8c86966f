import { expect, test } from '@playwright/test';
import { mouseClick, openTerminalTab, signInAsAdmin } from './helpers';

// First-hour finding 9: the hint said `display version` on Cisco tabs, command-mode results were lost
// on reload, and the panel could not be folded away.
const SIZES = [
  { name: 'desktop', viewport: { width: 1440, height: 900 }, device: 'lab-vrp-08' },
  { name: 'phone', viewport: { width: 390, height: 844 }, device: 'lab-vrp-12' },
] as const;

for (const size of SIZES) {
  test(`command mode at ${size.name} width: results survive a reload, the panel folds away and stays folded`, async ({
    page,
  }) => {
    await page.setViewportSize(size.viewport);
    await signInAsAdmin(page);
    await page.goto('/terminal');
    await page.evaluate(() => localStorage.removeItem('sb.commandMode'));
    await openTerminalTab(page, size.device);
    const tab = page.locator(`[role="tab"][data-tab="${size.device}"]`);

    const panel = page.getByRole('complementary', { name: 'Command mode' });
    const input = panel.getByLabel('Command', { exact: true });
    await expect(input).toHaveAttribute('placeholder', 'display version'); // the VRP driver's example
    await input.fill('display clock');
    await mouseClick(page, panel.getByRole('button', { name: 'Run' }));
    const block = panel.locator('[data-command="display clock"]');
    await expect(block).toHaveAttribute('data-status', 'success');

    await page.reload();
    await expect(tab).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
    await expect(panel.locator('[data-command="display clock"]')).toHaveAttribute('data-status', 'success');

    const xterm = page.locator(`[data-pane="${size.device}"] .xterm-screen`);
    const before = (await xterm.boundingBox())!;
    await mouseClick(page, panel.getByRole('button', { name: 'Hide', exact: true }));
    await expect(panel).toHaveCount(0);
    const reopen = page.getByRole('button', { name: 'Command mode' });
    await expect(reopen).toBeVisible();
    // the terminal takes the room the panel had
    await expect
      .poll(async () => {
        const b = (await xterm.boundingBox())!;
        return size.name === 'desktop' ? b.width > before.width : b.height > before.height;
      })
      .toBe(true);
    await page.screenshot({ path: `test-results/command-drawer-folded-${size.name}.png`, fullPage: true });

    await page.reload();
    await expect(tab).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
    await expect(panel).toHaveCount(0); // remembered
    await mouseClick(page, page.getByRole('button', { name: 'Command mode' }));
    await expect(panel.locator('[data-command="display clock"]')).toBeVisible();
    await page.screenshot({ path: `test-results/command-drawer-open-${size.name}.png`, fullPage: true });
    await mouseClick(page, page.getByRole('button', { name: `Close ${size.device}` }));
  });
}
