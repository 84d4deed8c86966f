import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mouseClick, signInAsAdmin, unique } from './helpers';

/**
 * Custom fields on the device form, with the mouse at a laptop and a phone size: add a field, see a
 * wrong key refused on its row, remove a row, save, and find the field on the device page.
 */
const SHOTS = '/tmp/shots/ui-c-history';

const SIZES = [
  { name: 'laptop', viewport: { width: 1440, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const;

async function addDevice(page: Page, name: string) {
  await page.goto('/devices/new');
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Host').fill('192.0.2.77');
  await page.getByLabel('SSH username').fill('netops');
  await page.locator('input#password').fill('pw');
  await mouseClick(page, page.getByRole('button', { name: 'Add device' }));
  await expect(page).toHaveURL(/\/devices$/);
}

for (const size of SIZES) {
  test(`custom fields at ${size.name} size: add site=lab-a on the edit form, see it on the device page`, async ({
    page,
  }) => {
    test.setTimeout(180_000);
    mkdirSync(SHOTS, { recursive: true });
    await page.setViewportSize(size.viewport);
    await signInAsAdmin(page);
    const name = unique('fields');
    await addDevice(page, name);

    await page.goto(`/devices?q=${name}`);
    await mouseClick(page, page.getByRole('link', { name: `Edit ${name}` }));
    await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
    const editor = page.getByRole('group', { name: 'Custom fields' });
    await expect(editor.getByText('No custom fields yet.')).toBeVisible();

    await mouseClick(page, editor.getByRole('button', { name: 'Add field' }));
    await editor.getByLabel('Key of field 1').fill('Site');
    await editor.getByLabel('Value of field 1').fill('lab-a');
    // the row says what is wrong with its key
    await expect(editor.getByText('Keys start with a lowercase letter')).toBeVisible();
    await expect(editor.getByLabel('Key of field 1')).toHaveAttribute('aria-invalid', 'true');
    await editor.getByLabel('Key of field 1').fill('site');
    await expect(editor.getByText('Keys start with a lowercase letter')).toHaveCount(0);

    // a second row, then removed again
    await mouseClick(page, editor.getByRole('button', { name: 'Add field' }));
    await editor.getByLabel('Key of field 2').fill('rack');
    await editor.getByLabel('Value of field 2').fill('B4');
    await mouseClick(page, editor.getByRole('button', { name: 'Remove field 2' }));
    await expect(editor.getByLabel('Key of field 2')).toHaveCount(0);
    if (size.name === 'phone') {
      const wide = await page.evaluate(
        () => document.scrollingElement!.scrollWidth > document.scrollingElement!.clientWidth,
      );
      expect(wide, 'the form scrolls sideways at 390 px').toBe(false);
    }

    await mouseClick(page, page.getByRole('button', { name: 'Save changes' }));
    await expect(page).toHaveURL(/\/devices$/);

    await page.goto(`/devices?q=${name}`);
    await mouseClick(
      page,
      page.locator(`tr[data-device="${name}"]`).getByRole('link', { name, exact: true }),
    );
    const fields = page.getByTestId('device-fields');
    await expect(fields).toBeVisible();
    await expect(fields.locator('[data-field="site"]')).toHaveText('sitelab-a');
    await expect(fields.locator('[data-field]')).toHaveCount(1);
    await page.screenshot({ path: `${SHOTS}/device-fields-${size.name}.png`, fullPage: true });

    // the edit form shows it again; checked with axe and photographed in both themes
    await page.goto(`/devices?q=${name}`);
    await mouseClick(page, page.getByRole('link', { name: `Edit ${name}` }));
    await expect(page).toHaveURL(/\/edit$/);
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.reload();
      await expect(page.locator('form[data-hydrated="true"]')).toBeVisible({ timeout: 30_000 });
      await expect
        .poll(() => page.evaluate(() => document.documentElement.classList.contains('dark')))
        .toBe(theme === 'dark');
      const again = page.getByRole('group', { name: 'Custom fields' });
      await expect(again.getByLabel('Key of field 1')).toHaveValue('site');
      await expect(again.getByLabel('Value of field 1')).toHaveValue('lab-a');
      if (size.name === 'laptop') {
        const result = await new AxeBuilder({ page })
          .include('form')
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
          .analyze();
        const serious = result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${theme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
        expect(serious).toEqual([]);
      }
      await page.screenshot({ path: `${SHOTS}/form-fields-${size.name}-${theme}.png`, fullPage: true });
      await again.screenshot({ path: `${SHOTS}/editor-${size.name}-${theme}.png` });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });
}
