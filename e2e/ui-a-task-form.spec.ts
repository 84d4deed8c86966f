import { expect, test } from '@playwright/test';
import { mouseClick, signInAsAdmin } from './helpers';

for (const size of [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
]) {
  test(`a validation error on New task keeps what was typed and selected at ${size.width}×${size.height}`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    await signInAsAdmin(page);
    await page.goto('/tasks/new');
    const form = page.getByRole('form', { name: 'New task' });
    await expect(form.getByRole('button', { name: 'Start task on 0 devices' })).toBeVisible();
    await form.getByLabel('Name').fill('Check clocks');
    await form.getByLabel('Commands (one per line, run in order)').fill('display clock\ndisplay version');
    const concurrency = form.getByLabel('Concurrency (devices at once)');
    await concurrency.fill('999');
    await form.getByLabel('Advanced: failure patterns (one per line)').fill('(?i)denied');
    await form.getByLabel('Expected output').fill('UTC');
    await mouseClick(page, form.getByRole('button', { name: /Per-command options/ }));
    await form.getByLabel('Timeout for display version (s)', { exact: true }).fill('90');
    await form.locator('#device-search').fill('lab-vrp-0');
    await mouseClick(page, form.getByLabel('Select lab-vrp-05'));
    await expect(page.getByTestId('selected-count')).toHaveText('1 selected');
    await mouseClick(page, form.getByRole('button', { name: 'Start task on 1 device' }));

    await expect(concurrency).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByLabel('Name')).toHaveValue('Check clocks');
    await expect(form.getByLabel('Commands (one per line, run in order)')).toHaveValue(
      'display clock\ndisplay version',
    );
    await expect(concurrency).toHaveValue('999');
    await expect(form.getByLabel('Advanced: failure patterns (one per line)')).toHaveValue('(?i)denied');
    await expect(form.getByLabel('Expected output')).toHaveValue('UTC');
    await expect(form.getByLabel('Timeout for display version (s)', { exact: true })).toHaveValue('90');
    await expect(page.getByTestId('selected-count')).toHaveText('1 selected');
    await expect(form.getByLabel('Select lab-vrp-05')).toBeChecked();
    await expect(page).toHaveURL(/\/tasks\/new$/);
    await page.screenshot({ path: `/tmp/ui-a-shots/task-form-${size.width}.png`, fullPage: true });
  });
}
