import { expect, test, type Page } from '@playwright/test';
import { mouseClick, pickerSearch, signInAsAdmin, unique } from './helpers';

/**
 * A template with a list per vendor and a variable, previewed and run on lab devices of both
 * personalities with the mouse; a device changed between two runs shows as the one that changed.
 */
async function createTemplate(page: Page, name: string) {
  await page.goto('/templates');
  await mouseClick(page, page.getByRole('link', { name: 'New template' }).first());
  const form = page.getByRole('form', { name: 'Template' });
  await expect(page.locator('[data-testid="template-form"][data-hydrated="true"]')).toBeVisible();
  await form.getByLabel('Name', { exact: true }).fill(name);
  // Huawei and Cisco each get their own list
  await mouseClick(page, form.locator('details[data-vendor="huawei_vrp"] summary'));
  await form
    .getByLabel('Huawei VRP commands')
    .fill('display current-configuration | include sysname {{device.name}}');
  await mouseClick(page, form.locator('details[data-vendor="cisco_ios"] summary'));
  await form
    .getByLabel('Cisco IOS / IOS-XE commands')
    .fill('show running-config | include hostname {{device.name}}');
  await mouseClick(page, form.getByRole('button', { name: 'Create template' }));
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(name) })).toBeVisible();
}

for (const size of [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
]) {
  test(`a per-vendor template is previewed and run on lab devices at ${size.width}×${size.height}`, async ({
    browser,
  }) => {
    const page = await (await browser.newContext({ viewport: size })).newPage();
    await signInAsAdmin(page);
    const name = unique('tpl');
    // a validation error keeps what was typed
    await page.goto('/templates/new');
    await expect(page.locator('[data-testid="template-form"][data-hydrated="true"]')).toBeVisible();
    await page.getByLabel('Name', { exact: true }).fill(name);
    await mouseClick(page, page.getByRole('button', { name: 'Create template' }));
    await expect(page.getByRole('alert').filter({ hasText: 'Enter at least one command.' })).toBeVisible();
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue(name);

    await createTemplate(page, name);
    const run = page.getByTestId('run-panel');
    await run.getByLabel('Filter devices').fill('lab-vrp-0');
    await mouseClick(page, run.locator('label', { hasText: 'lab-vrp-03' }).getByRole('checkbox'));
    await run.getByLabel('Filter devices').fill('lab-ios-0');
    await mouseClick(page, run.locator('label', { hasText: 'lab-ios-03' }).getByRole('checkbox'));
    await expect(run.getByTestId('run-selected')).toHaveText('2 devices selected');
    await mouseClick(page, run.getByRole('button', { name: 'Preview' }));
    const preview = run.getByTestId('preview');
    await expect(preview.locator('[data-device="lab-vrp-03"] pre')).toHaveText(
      'display current-configuration | include sysname lab-vrp-03',
    );
    await expect(preview.locator('[data-device="lab-ios-03"] pre')).toHaveText(
      'show running-config | include hostname lab-ios-03',
    );
    await mouseClick(page, run.getByRole('button', { name: 'Run on 2 devices' }));
    await expect(page).toHaveURL(/\/tasks\/[a-z0-9]+$/);
    await expect(
      page.getByTestId('task-status').or(page.locator('[data-status="completed"]')).first(),
    ).toBeVisible({
      timeout: 30_000,
    });
    // Run again: a new task with the same commands on the same devices
    const first = page.url();
    await mouseClick(page, page.getByTestId('run-again'));
    await expect(page).not.toHaveURL(first);
    await expect(page).toHaveURL(/\/tasks\/[a-z0-9]+$/);
    await expect(page.locator('[data-status="completed"]').first()).toBeVisible({ timeout: 30_000 });
  });
}

test('running a template twice shows the one device whose configuration changed', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signInAsAdmin(page);
  const runOn = async (url: string, devices: string[], inputs: Record<string, string> = {}) => {
    await page.goto(url);
    const run = page.getByTestId('run-panel');
    for (const d of devices) {
      await run.getByLabel('Filter devices').fill(d);
      await mouseClick(page, run.locator('label', { hasText: d }).getByRole('checkbox'));
    }
    for (const [label, value] of Object.entries(inputs)) await run.getByLabel(label).fill(value);
    await mouseClick(page, run.getByRole('button', { name: `Run on ${devices.length} device` }));
    await expect(page).toHaveURL(/\/tasks\/[a-z0-9]+$/);
    await expect(page.locator('[data-status="completed"]').first()).toBeVisible({ timeout: 30_000 });
  };
  const newTemplate = async (name: string, huawei: string, input?: { name: string; label: string }) => {
    await page.goto('/templates/new');
    const form = page.getByRole('form', { name: 'Template' });
    await expect(page.locator('[data-testid="template-form"][data-hydrated="true"]')).toBeVisible();
    await form.getByLabel('Name', { exact: true }).fill(name);
    await mouseClick(page, form.locator('details[data-vendor="huawei_vrp"] summary'));
    await form.getByLabel('Huawei VRP commands').fill(huawei);
    if (input) {
      await mouseClick(page, form.getByRole('button', { name: 'Add an input' }));
      const row = form.getByTestId('inputs-editor').locator('[data-input]').last();
      await row.getByLabel('Name').fill(input.name);
      await row.getByLabel('Label').fill(input.label);
    }
    await mouseClick(page, form.getByRole('button', { name: 'Create template' }));
    await expect(page.getByRole('heading', { level: 1, name: new RegExp(name) })).toBeVisible();
    return page.url();
  };
  const audit = await newTemplate(
    unique('descriptions'),
    'display current-configuration | include description',
  );
  const change = await newTemplate(
    unique('set-description'),
    'system-view\ninterface GigabitEthernet0/0/1\ndescription {{input.desc}}\nquit\nquit',
    { name: 'desc', label: 'Description' },
  );
  await runOn(audit, ['lab-vrp-11', 'lab-vrp-12']);
  await runOn(change, ['lab-vrp-12'], { Description: unique('changed') });
  await runOn(audit, ['lab-vrp-11', 'lab-vrp-12']);
  await page.goto(audit);
  const latest = page.getByTestId('template-runs').locator('li').first();
  await expect(latest.getByTestId('run-changes')).toHaveText('1 changed, 1 unchanged, 0 new');
  const first = page.getByTestId('template-runs').locator('li').last();
  await expect(first.getByTestId('run-changes')).toHaveText('0 changed, 0 unchanged, 2 new');
});

test('a group chosen in the run panel ticks its devices, taking it away unticks them, and the run covers them', async ({
  browser,
}) => {
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signInAsAdmin(page);
  const group = unique('tplgrp');
  await page.goto('/admin/groups');
  const form = page.getByRole('form', { name: 'Create group' });
  await form.getByLabel('Name').fill(group);
  await mouseClick(page, form.getByRole('button', { name: 'Create group' }));
  await expect(form.getByRole('status')).toHaveText(`Group ${group} created.`);
  await mouseClick(page, page.locator(`li[data-group="${group}"]`).getByRole('link').first());
  await pickerSearch(page, 'lab-vrp-1');
  await expect(page.getByText('searching…')).toHaveCount(0);
  for (const d of ['lab-vrp-11', 'lab-vrp-12'])
    await mouseClick(page, page.getByRole('checkbox', { name: `Select ${d}`, exact: true }));
  await mouseClick(page, page.getByRole('button', { name: 'Add to group' }));
  await expect(page.getByTestId('group-device-count')).toHaveText('2 devices');

  const name = unique('tpl-group');
  await createTemplate(page, name);
  const run = page.getByTestId('run-panel');
  await run.getByLabel('Add a group…').selectOption({ label: `${group} (2 devices)` });
  await expect(run.getByTestId('run-selected')).toHaveText('2 devices selected');
  await expect(run.getByTestId('run-groups')).toContainText(group);
  // taking the group away unticks its devices
  await mouseClick(page, run.getByRole('button', { name: `Remove the group ${group}` }));
  await expect(run.getByTestId('run-selected')).toHaveText('No device selected');
  await run.getByLabel('Add a group…').selectOption({ label: `${group} (2 devices)` });
  await mouseClick(page, run.getByRole('button', { name: 'Run on 2 devices' }));
  await expect(page).toHaveURL(/\/tasks\/[a-z0-9]+$/);
  await expect(page.locator('[data-status="completed"]').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('lab-vrp-11').first()).toBeVisible();
  await expect(page.getByText('lab-vrp-12').first()).toBeVisible();
});
