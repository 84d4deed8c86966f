import { expect, test, type Page } from '@playwright/test';
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

/** The form's words in the page's language. */
const WORDS = {
  en: {
    template: 'Template',
    name: 'Name',
    commands: 'Commands for every vendor without its own list',
    create: 'Create template',
    filter: 'Filter devices',
    when: 'When (cron: minute hour day month weekday)',
    add: 'Add schedule',
  },
  zh: {
    template: '模板',
    name: '名称',
    commands: '没有单独命令列表的厂商所用的命令',
    create: '创建模板',
    filter: '筛选设备',
    when: '时间（cron：分 时 日 月 星期）',
    add: '添加计划',
  },
};

/**
 * A new template that runs `reload`, DEVICE chosen in its run panel and a nightly schedule asked for
 * with the mouse (the guard rails then refuse it until the device's name is typed).
 */
async function askForReloadSchedule(page: Page, name: string, w: (typeof WORDS)['en']) {
  await page.goto('/templates/new');
  await expect(page.locator('[data-testid="template-form"][data-hydrated="true"]')).toBeVisible();
  const form = page.getByRole('form', { name: w.template });
  await form.getByLabel(w.name, { exact: true }).fill(name);
  await form.getByLabel(w.commands).fill('reload');
  await mouseClick(page, form.getByRole('button', { name: w.create }));
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(name) })).toBeVisible();

  const run = page.getByTestId('run-panel');
  await run.getByLabel(w.filter).fill(DEVICE);
  await mouseClick(page, run.locator('label', { hasText: DEVICE }).getByRole('checkbox'));
  const schedule = page.getByTestId('schedule-form');
  await mouseClick(page, schedule.locator('summary'));
  await schedule.getByLabel(w.when).fill('0 3 * * *');
  await mouseClick(page, schedule.getByRole('button', { name: w.add }));
  return schedule;
}

for (const c of LAPTOP_LIGHT_PHONE_DARK) {
  test(`a schedule that reloads is added only once the device's name is typed (${c.name})`, async ({
    browser,
  }, info) => {
    const page = await operatorPageFor(browser, 'sched-confirm', DEVICE, PASSWORD, c);

    const schedule = await askForReloadSchedule(page, unique('nightly-reload'), WORDS.en);
    await expect(schedule.getByRole('alert')).toContainText(`Type «${DEVICE}» to run it.`);
    const confirm = schedule.getByLabel('Confirm the guarded commands');
    await expect(confirm).toBeVisible();
    await expect(page.getByTestId('schedules').locator('[data-schedule]')).toHaveCount(0);
    await page.screenshot({ path: info.outputPath(`schedule-confirm-${c.name}.png`), fullPage: true });

    await mouseClick(page, confirm);
    await page.keyboard.type(DEVICE);
    await mouseClick(page, schedule.getByRole('button', { name: WORDS.en.add }));
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
  const schedule = await askForReloadSchedule(page, unique('nightly-reload-zh'), WORDS.zh);
  await expect(schedule.getByRole('alert')).toHaveText(
    new RegExp(`^需要确认：${DEVICE} 上的 «reload»（规则 «[^»]+»）。输入 «${DEVICE}» 以运行。$`),
  );
  await page.screenshot({ path: info.outputPath('schedule-confirm-zh-laptop-light.png'), fullPage: true });
  await mouseClick(page, schedule.getByLabel('确认受控命令'));
  await page.keyboard.type(DEVICE);
  await mouseClick(page, schedule.getByRole('button', { name: WORDS.zh.add }));
  await expect(page.getByTestId('schedules').locator('[data-schedule="0 3 * * *"]')).toBeVisible();
});
