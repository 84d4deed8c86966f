import { expect, test, type Locator } from '@playwright/test';
import { mouseClick, signInAsAdmin } from './helpers';

/** The element a person would hit at the centre of `el` is `el` itself (or inside it): nothing clips or covers it. */
async function isHitAtCentre(el: Locator) {
  return el.evaluate((node) => {
    const r = node.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return !!hit && (hit === node || node.contains(hit));
  });
}

for (const [size, device] of [
  [{ width: 1440, height: 900 }, 'lab-ios-13'],
  [{ width: 390, height: 844 }, 'lab-vrp-13'],
] as const) {
  test(`+ New tab works with the mouse at ${size.width}×${size.height}, Esc closes the picker`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    await signInAsAdmin(page);
    await page.goto('/terminal');
    await expect(page.getByText('Open a tab to connect to a device.')).toBeVisible();

    const newTab = page.getByRole('button', { name: '+ New tab' });
    await mouseClick(page, newTab);
    const dialog = page.getByRole('dialog', { name: 'Choose a device' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Filter devices').fill(device);
    const item = dialog.getByRole('button', { name: new RegExp(`^${device}`) });
    await expect(item).toBeInViewport();
    expect(await isHitAtCentre(item)).toBe(true);
    await page.screenshot({ path: `/tmp/ui-a-shots/picker-${size.width}.png` });
    await mouseClick(page, item);
    await expect(page.locator(`[role="tab"][data-tab="${device}"]`)).toHaveAttribute(
      'data-state',
      'connected',
      { timeout: 15_000 },
    );
    await expect(dialog).toBeHidden();

    // Esc closes the picker
    await mouseClick(page, newTab);
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    await mouseClick(page, page.getByRole('button', { name: `Close ${device}` }));
    await expect(page.locator('[role="tab"]')).toHaveCount(0);
  });
}
