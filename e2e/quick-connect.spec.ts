import { copyFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { mouseClick, signInAsAdmin } from './helpers';

/** Quick connect: Ctrl+K (or the header's Search button), part of a name, Enter or a click: a live terminal tab. */

async function shot(page: Page, name: string) {
  const file = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  copyFileSync(file, `/tmp/sb-quick-connect-${name}.png`);
}

async function expectLiveTab(page: Page, device: string, prompt: string) {
  await expect(page).toHaveURL(/\/terminal$/);
  const tab = page.locator(`[role="tab"][data-tab="${device}"]`);
  await expect(tab).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
  await expect(page.locator(`[data-pane="${device}"] .xterm-rows`)).toContainText(prompt);
}

test.describe('laptop, keyboard', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('Ctrl+K opens the palette anywhere; "ios-03" finds lab-ios-03; Enter opens a live terminal tab', async ({
    page,
  }) => {
    await signInAsAdmin(page);
    await page.goto('/tasks');
    const palette = page.getByRole('dialog', { name: 'Quick connect' });
    // a key pressed before the page has hydrated has no listener yet: press again, as a person would
    await expect(async () => {
      await page.keyboard.press('Control+k');
      await expect(palette).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    const box = palette.getByRole('combobox', { name: 'Find a device' });
    await expect(box).toBeFocused();
    await box.pressSequentially('ios-03', { delay: 30 });
    const option = palette.getByRole('option', { name: /lab-ios-03/ });
    await expect(option).toBeVisible();
    await expect(option).toHaveAttribute('aria-selected', 'true');
    await expect(option.locator('[data-status]')).toBeVisible();
    await shot(page, 'open');
    await page.keyboard.press('Enter');
    await expect(palette).toBeHidden();
    await expectLiveTab(page, 'lab-ios-03', 'lab-ios-03>');

    // Esc closes it; the arrow keys move through the matches
    await page.keyboard.press('Control+k');
    await expect(palette).toBeVisible();
    await box.fill('lab-vrp-0');
    await expect(palette.getByRole('option')).toHaveCount(9);
    await page.keyboard.press('ArrowDown');
    await expect(palette.getByRole('option', { name: /lab-vrp-02/ })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await page.keyboard.press('Escape');
    await expect(palette).toBeHidden();
    await page.getByRole('button', { name: 'Close lab-ios-03' }).click();
  });
});

test.describe('phone, mouse', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the header Search button opens the palette; a click on a match opens a live terminal tab', async ({
    page,
  }) => {
    await signInAsAdmin(page);
    const button = page.getByRole('button', { name: /^Search devices/ });
    await mouseClick(page, button);
    const palette = page.getByRole('dialog', { name: 'Quick connect' });
    await expect(palette).toBeVisible();
    await palette.getByRole('combobox').pressSequentially('ios-04', { delay: 30 });
    const option = palette.getByRole('option', { name: /lab-ios-04/ });
    await expect(option).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'phone');
    await mouseClick(page, option);
    await expectLiveTab(page, 'lab-ios-04', 'lab-ios-04>');
    await mouseClick(page, page.getByRole('button', { name: 'Close lab-ios-04' }));
  });
});
