import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { mouseClick, signInAsAdmin, unique } from './helpers';

const SHOTS = '/tmp/shots';

for (const [size, device] of [
  [{ width: 1440, height: 900 }, 'lab-vrp-11'],
  [{ width: 390, height: 844 }, 'lab-vrp-13'],
] as const) {
  test(`per-command answers, timeouts and output checks survive a validation error and show on the task at ${size.width}×${size.height}`, async ({
    page,
  }) => {
    mkdirSync(SHOTS, { recursive: true });
    await page.setViewportSize(size);
    await signInAsAdmin(page);
    await page.goto('/tasks/new');
    const form = page.getByRole('form', { name: 'New task' });
    await expect(form.getByRole('button', { name: 'Start task on 0 devices' })).toBeVisible();

    const name = unique('save-with-answer');
    await form.getByLabel('Name', { exact: true }).fill(name);
    const commands = 'display version\nsave\ndisplay clock';
    await form.getByLabel('Commands (one per line, run in order)').fill(commands);

    // the options list follows the textarea: one row per command line
    const toggle = form.getByRole('button', { name: /Per-command options/ });
    await mouseClick(page, toggle);
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(form.locator('li[data-command]')).toHaveCount(3);
    await mouseClick(page, form.getByRole('button', { name: 'Add answer for save' }));
    await form.getByLabel('Question 1 for save', { exact: true }).fill('[Y/N]');
    await form.getByLabel('Answer 1 for save', { exact: true }).fill('y');
    // a second answer row, removed again
    await mouseClick(page, form.getByRole('button', { name: 'Add answer for save' }));
    await expect(form.getByLabel('Question 2 for save', { exact: true })).toBeVisible();
    await mouseClick(page, form.getByRole('button', { name: 'Remove answer 2 for save' }));
    await expect(form.getByLabel('Question 2 for save', { exact: true })).toHaveCount(0);
    await form.getByLabel('Timeout for display version (s)', { exact: true }).fill('120');
    await expect(form.getByTestId('command-options-count')).toHaveText('2 commands with options');

    // RE2 has no backreferences: this pattern is refused
    const patterns = form.getByLabel('Advanced: failure patterns (one per line)');
    await patterns.fill('(?i)^error: unrecognized\n(a)\\1');
    await form.getByLabel('Expected output').fill('VRP');

    await form.locator('#device-search').fill(device);
    await mouseClick(page, form.getByLabel(`Select ${device}`));
    await mouseClick(page, form.getByRole('button', { name: 'Start task on 1 device' }));

    await expect(patterns).toHaveAttribute('aria-invalid', 'true');
    await expect(patterns.locator('..').locator('.field-error')).toContainText('Line 2');
    await expect(page).toHaveURL(/\/tasks\/new$/);
    await expect(form.getByLabel('Name', { exact: true })).toHaveValue(name);
    await expect(form.getByLabel('Commands (one per line, run in order)')).toHaveValue(commands);
    await expect(form.getByLabel('Question 1 for save', { exact: true })).toHaveValue('[Y/N]');
    await expect(form.getByLabel('Answer 1 for save', { exact: true })).toHaveValue('y');
    await expect(form.getByLabel('Timeout for display version (s)', { exact: true })).toHaveValue('120');
    await expect(patterns).toHaveValue('(?i)^error: unrecognized\n(a)\\1');
    await expect(form.getByLabel('Expected output')).toHaveValue('VRP');
    await expect(form.getByLabel(`Select ${device}`)).toBeChecked();
    await page.screenshot({ path: `${SHOTS}/task-options-error-${size.width}.png`, fullPage: true });

    await patterns.fill('(?i)^error: unrecognized');
    await mouseClick(page, form.getByRole('button', { name: 'Start task on 1 device' }));
    await expect(page).toHaveURL(/\/tasks\/(?!new$)[^/]+$/);
    await expect(page.getByRole('heading', { name })).toBeVisible();

    const shown = page.getByTestId('task-commands');
    await expect(shown.locator('li[data-command]')).toHaveText([
      /^display version/,
      /^save/,
      /^display clock/,
    ]);
    await expect(shown.locator('li[data-command="display version"] [data-option="timeout"]')).toHaveText(
      'timeout 120 s',
    );
    await expect(shown.locator('li[data-command="save"] [data-option="answer"]')).toHaveText(
      'asks [Y/N] → answer y',
    );
    await expect(shown.locator('li[data-command="display clock"] [data-option]')).toHaveCount(0);
    await expect(page.getByTestId('task-failure-patterns')).toContainText('(?i)^error: unrecognized');
    await expect(page.getByTestId('task-expect-output')).toContainText('VRP');
    // the device answered `save`'s question and every command succeeded
    const row = page.locator(`details[data-device="${device}"]`);
    await expect(row).toHaveAttribute('data-status', 'success', { timeout: 30_000 });
    await expect(page.locator('span[data-status="completed"]').first()).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/task-options-page-${size.width}.png`, fullPage: true });
  });
}
