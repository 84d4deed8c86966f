import { expect, test } from '@playwright/test';
import { LAPTOP_LIGHT_PHONE_DARK, mouseClick, operatorPageFor, unique } from './helpers';

/*
 * A schedule whose commands a guard rail asks to confirm (the built-in rule asks operators to confirm
 * `reload` on IOS), through the template page with the mouse: the first "Add schedule" is refused
 * with the phrase to type, the confirmation field appears, the device's name typed there adds the
 * schedule (its runs may then send the command while the same rule asks for it). Laptop (light) and
 * phone (dark).
 */
const PASSWORD = 'schedule-confirm-password-1';
const DEVICE = 'lab-ios-20';

for (const c of LAPTOP_LIGHT_PHONE_DARK) {
  test(`a schedule that reloads is added only once the device's name is typed (${c.name})`, async ({
    browser,
  }, info) => {
    const page = await operatorPageFor(browser, 'sched-confirm', DEVICE, PASSWORD, c);

    const name = unique('nightly-reload');
    await page.goto('/templates/new');
    await expect(page.locator('[data-testid="template-form"][data-hydrated="true"]')).toBeVisible();
    const form = page.getByRole('form', { name: 'Template' });
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Commands for every vendor without its own list').fill('reload');
    await mouseClick(page, form.getByRole('button', { name: 'Create template' }));
    await expect(page.getByRole('heading', { level: 1, name: new RegExp(name) })).toBeVisible();

    const run = page.getByTestId('run-panel');
    await run.getByLabel('Filter devices').fill(DEVICE);
    await mouseClick(page, run.locator('label', { hasText: DEVICE }).getByRole('checkbox'));
    const schedule = page.getByTestId('schedule-form');
    await mouseClick(page, schedule.locator('summary'));
    await schedule.getByLabel('When (cron: minute hour day month weekday)').fill('0 3 * * *');
    await mouseClick(page, schedule.getByRole('button', { name: 'Add schedule' }));
    await expect(schedule.getByRole('alert')).toContainText(`Type «${DEVICE}» to run it.`);
    const confirm = schedule.getByLabel('Confirm the guarded commands');
    await expect(confirm).toBeVisible();
    await expect(page.getByTestId('schedules').locator('[data-schedule]')).toHaveCount(0);
    await page.screenshot({ path: info.outputPath(`schedule-confirm-${c.name}.png`), fullPage: true });

    await mouseClick(page, confirm);
    await page.keyboard.type(DEVICE);
    await mouseClick(page, schedule.getByRole('button', { name: 'Add schedule' }));
    await expect(page.getByTestId('schedules').locator('[data-schedule="0 3 * * *"]')).toBeVisible();
    await expect(schedule.getByRole('alert')).toHaveCount(0);
    await expect(confirm).toBeHidden();
  });
}
