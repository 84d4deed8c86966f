import { expect, test } from '@playwright/test';
import { LAPTOP_LIGHT_PHONE_DARK, mouseClick, operatorPageFor } from './helpers';

/*
 * A task whose commands a guard rail asks to confirm (issue 19), through the form with the mouse: the
 * first start is refused with the phrase to type, the confirmation field appears, the device's name
 * typed there starts the task. Laptop (light) and phone (dark).
 */
const PASSWORD = 'task-confirm-password-1';
const DEVICE = 'lab-ios-20';

for (const c of LAPTOP_LIGHT_PHONE_DARK) {
  test(`a task that reloads is started only once the device's name is typed (${c.name})`, async ({
    browser,
  }, info) => {
    const page = await operatorPageFor(browser, 'task-confirm', DEVICE, PASSWORD, c);
    await page.goto('/tasks/new');
    const form = page.getByRole('form', { name: 'New task' });
    await form.getByLabel('Name').fill('Reload the edge');
    await form.getByLabel('Commands (one per line, run in order)').fill('reload');
    await mouseClick(page, form.getByLabel(`Select ${DEVICE}`));
    await mouseClick(page, form.getByRole('button', { name: 'Start task on 1 device' }));
    const confirm = form.getByLabel('Confirm the guarded commands');
    await expect(confirm).toBeVisible();
    await expect(form.locator('#confirmGuarded-error')).toContainText(`Type «${DEVICE}» to run it.`);
    await page.screenshot({ path: info.outputPath(`confirm-${c.name}.png`), fullPage: true });
    await mouseClick(page, confirm);
    await page.keyboard.type(DEVICE);
    await mouseClick(page, form.getByRole('button', { name: 'Start task on 1 device' }));
    await expect(page).toHaveURL(/\/tasks\/[^/]+$/, { timeout: 15_000 });
  });
}

test('in Chinese, the refusal and the phrase to type are said in Chinese, the phrase itself as it must be typed', async ({
  browser,
}, info) => {
  const device = DEVICE;
  const page = await operatorPageFor(
    browser,
    'task-confirm-zh',
    device,
    PASSWORD,
    LAPTOP_LIGHT_PHONE_DARK[1],
    'zh-CN',
  );
  await page.goto('/tasks/new');
  const form = page.getByRole('form', { name: '新建任务' });
  await form.getByLabel('名称').fill('重启边缘设备');
  await form.getByLabel('命令（每行一条，按顺序执行）').fill('reload');
  await mouseClick(page, form.getByLabel(`选择 ${device}`));
  await mouseClick(page, form.getByRole('button', { name: '在 1 台设备上启动任务' }));
  const error = form.locator('#confirmGuarded-error');
  await expect(error).toHaveText(
    new RegExp(`^需要确认：${device} 上的 «reload»（规则 «[^»]+»）。输入 «${device}» 以运行。$`),
  );
  await page.screenshot({ path: info.outputPath('confirm-zh-phone-dark.png'), fullPage: true });
  await mouseClick(page, form.getByLabel('确认受控命令'));
  await page.keyboard.type(device);
  await mouseClick(page, form.getByRole('button', { name: '在 1 台设备上启动任务' }));
  await expect(page).toHaveURL(/\/tasks\/[^/]+$/, { timeout: 15_000 });
});
