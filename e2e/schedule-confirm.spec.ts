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

test('in Chinese, the schedule form says the refusal in Chinese; the phrase to type stays the device name', async ({
  browser,
}, info) => {
  const page = await operatorPageFor(
    browser,
    'sched-zh',
    DEVICE,
    PASSWORD,
    LAPTOP_LIGHT_PHONE_DARK[0],
    'zh-CN',
  );
  const name = unique('nightly-reload-zh');
  await page.goto('/templates/new');
  await expect(page.locator('[data-testid="template-form"][data-hydrated="true"]')).toBeVisible();
  const form = page.getByRole('form', { name: '模板' });
  await form.getByLabel('名称', { exact: true }).fill(name);
  await form.getByLabel('没有单独命令列表的厂商所用的命令').fill('reload');
  await mouseClick(page, form.getByRole('button', { name: '创建模板' }));
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(name) })).toBeVisible();

  const run = page.getByTestId('run-panel');
  await run.getByLabel('筛选设备').fill(DEVICE);
  await mouseClick(page, run.locator('label', { hasText: DEVICE }).getByRole('checkbox'));
  const schedule = page.getByTestId('schedule-form');
  await mouseClick(page, schedule.locator('summary'));
  await schedule.getByLabel('时间（cron：分 时 日 月 星期）').fill('0 3 * * *');
  await mouseClick(page, schedule.getByRole('button', { name: '添加计划' }));
  await expect(schedule.getByRole('alert')).toHaveText(
    new RegExp(`^需要确认：${DEVICE} 上的 «reload»（规则 «[^»]+»）。输入 «${DEVICE}» 以运行。$`),
  );
  await page.screenshot({ path: info.outputPath('schedule-confirm-zh-laptop-light.png'), fullPage: true });
  await mouseClick(page, schedule.getByLabel('确认受控命令'));
  await page.keyboard.type(DEVICE);
  await mouseClick(page, schedule.getByRole('button', { name: '添加计划' }));
  await expect(page.getByTestId('schedules').locator('[data-schedule="0 3 * * *"]')).toBeVisible();
});
