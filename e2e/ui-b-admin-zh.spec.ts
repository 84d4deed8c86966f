import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { E2E } from './env';
import { mouseClick, unique } from './helpers';

/**
 * The admin pages in Chinese (issue 15), with the mouse at desktop and phone size: a group is created
 * and filled with devices, a team is created with a member and granted the group, the group is deleted
 * after a Chinese confirmation, and a user's role is changed after a Chinese question. Every label,
 * button and message the admin meets on the way is Chinese.
 */
const SHOTS = '/tmp/h6-shots/e2e';
mkdirSync(SHOTS, { recursive: true });
const PASSWORD = 'zh-admin-password-1234';
const SIZES = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];

/** Signed in as the admin without relying on the sign-in page's words (it may speak either language). */
async function signInAdmin(page: Page) {
  await page.goto('/login');
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  await page.locator('#username').fill('admin');
  await page.locator('#password').fill(E2E.adminPassword);
  await mouseClick(page, page.locator('form button[type="submit"]'));
  await expect(page).not.toHaveURL(/\/login/);
}

async function expectNoOverflow(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.scrollingElement!.scrollWidth,
    client: document.scrollingElement!.clientWidth,
  }));
  expect(scroll, 'the page scrolls sideways').toBeLessThanOrEqual(client);
}

/** The picker shows the answer to what was typed. */
async function searched(page: Page) {
  await expect(page.getByText('正在搜索…')).toHaveCount(0);
}

/** Creates a user through the Chinese form. */
async function createUserZh(page: Page, username: string) {
  await page.goto('/admin/users');
  const form = page.getByRole('form', { name: '创建用户' });
  await form.getByLabel('用户名', { exact: true }).fill(username);
  await form.getByLabel('角色', { exact: true }).selectOption('viewer');
  await form.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await mouseClick(page, form.getByRole('button', { name: '创建用户' }));
  await expect(form.getByRole('status')).toHaveText(`已创建用户 ${username}。`);
}

for (const size of SIZES) {
  test.describe(`${size.width}×${size.height}`, () => {
    test.use({ locale: 'zh-CN', viewport: size });

    test('in Chinese: a group with devices, a team with a member granted the group, then the group deleted after a Chinese confirmation', async ({
      page,
    }) => {
      await signInAdmin(page);
      const group = `site:zh-${unique('g')}`;
      const team = unique('zh-noc');
      const member = unique('zh-member');
      await createUserZh(page, member);

      // the group
      await page.goto('/admin/groups');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('设备组');
      const create = page.getByRole('form', { name: '创建设备组' });
      await create.getByLabel('名称', { exact: true }).fill(group);
      await create.getByLabel('描述', { exact: true }).fill('中文界面测试');
      await mouseClick(page, create.getByRole('button', { name: '创建设备组' }));
      await expect(create.getByRole('status')).toHaveText(`已创建设备组 ${group}。`);
      const row = page.locator(`li[data-group="${group}"]`);
      await expect(row).toContainText('0 台设备');
      await expectNoOverflow(page);
      await page.screenshot({ path: `${SHOTS}/zh-groups-${size.width}.png`, fullPage: true });

      // an empty group says so and leads to the device search
      await mouseClick(page, row.getByRole('link', { name: group }));
      await expect(page.getByRole('heading', { name: group })).toBeVisible();
      await expect(page.getByTestId('group-empty')).toContainText('该组还没有设备');
      await mouseClick(page, page.getByTestId('group-empty').getByRole('button', { name: '添加设备' }));
      const search = page.getByLabel('查找设备', { exact: true });
      await expect(search).toBeFocused();
      await search.fill('lab-vrp-0');
      await searched(page);
      for (const d of ['lab-vrp-03', 'lab-vrp-04'])
        await mouseClick(page, page.getByRole('checkbox', { name: `选择 ${d}`, exact: true }));
      await expect(page.getByTestId('selected-count')).toHaveText('已选择 2 台设备');
      await mouseClick(page, page.getByRole('button', { name: '加入设备组' }));
      await expect(page.getByRole('status').filter({ hasText: '已加入' })).toHaveText('已加入 2 台设备。');
      await expect(page.getByTestId('group-device-count')).toHaveText('2 台设备');
      await expect(page.getByTestId('group-empty')).toHaveCount(0);
      await expectNoOverflow(page);
      await page.screenshot({ path: `${SHOTS}/zh-group-${size.width}.png`, fullPage: true });

      // the team, its member and its grant on the group
      await page.goto('/admin/teams');
      const teamForm = page.getByRole('form', { name: '创建团队' });
      await teamForm.getByLabel('名称', { exact: true }).fill(team);
      await mouseClick(page, teamForm.getByRole('button', { name: '创建团队' }));
      await expect(teamForm.getByRole('status')).toHaveText(`已创建团队 ${team}。`);
      await expectNoOverflow(page);
      await mouseClick(page, page.locator(`li[data-team="${team}"]`).getByRole('link', { name: team }));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(`团队 ${team}`);
      await expect(page.getByTestId('team-empty')).toContainText('还没有成员');
      await mouseClick(page, page.getByTestId('team-empty').getByRole('button', { name: '添加成员' }));
      const find = page.getByLabel('添加成员', { exact: true });
      await expect(find).toBeFocused();
      await find.fill(member);
      await mouseClick(page, page.getByRole('button', { name: `添加 ${member}`, exact: true }));
      await expect(page.getByRole('status').filter({ hasText: '名成员' })).toHaveText('已保存：1 名成员。');
      await page.getByLabel(`设备组 ${group} 的权限`, { exact: true }).selectOption('operate');
      await expect(page.getByTestId('device-picker').locator('li[data-device]').first()).toBeVisible();
      await mouseClick(page, page.getByRole('button', { name: /^保存授权/ }));
      await expect(page.getByRole('status').filter({ hasText: '已保存：授权' })).toHaveText(
        '已保存：授权 1 个设备组。',
      );
      await expectNoOverflow(page);
      await page.screenshot({ path: `${SHOTS}/zh-team-${size.width}.png`, fullPage: true });

      // the member's page says, in Chinese, what comes through the team (a viewer only views)
      await page.goto('/admin/users');
      await mouseClick(page, page.locator(`tr[data-user="${member}"]`).getByRole('link', { name: /已授权/ }));
      await expect(page.getByTestId('team-grants')).toContainText(
        `通过团队 ${team}：对 设备组 ${group} 具有操作权限`,
      );
      await expect(page.getByTestId('team-grants')).toContainText('按查看生效');
      await expectNoOverflow(page);

      // deleting the group asks first, in Chinese, naming who loses what
      await page.goto('/admin/groups');
      await mouseClick(page, page.getByRole('button', { name: `删除 ${group}`, exact: true }));
      const confirm = page.getByRole('dialog', { name: `删除设备组 ${group}？` });
      await expect(confirm).toBeVisible();
      await expect(confirm).toContainText('组内 2 台设备仍保留在设备清单中');
      await expect(confirm.getByTestId('delete-impact')).toContainText(`${member} 将失去 2 台设备`);
      await expectNoOverflow(page);
      await page.screenshot({ path: `${SHOTS}/zh-group-delete-${size.width}.png` });
      await mouseClick(page, confirm.getByRole('button', { name: '删除设备组' }));
      await expect(confirm).toBeHidden();
      await expect(page.locator(`li[data-group="${group}"]`)).toHaveCount(0);
    });

    test('in Chinese: a role change asks first, naming the user and both roles; 取消 keeps the old role', async ({
      page,
    }) => {
      await signInAdmin(page);
      const name = unique('zh-role');
      await createUserZh(page, name);
      await page.reload();
      const row = page.locator(`tr[data-user="${name}"]`);
      const role = row.getByRole('combobox', { name: `${name} 的角色` });
      const confirm = row.getByRole('group', { name: `确认修改 ${name} 的角色` });

      await role.selectOption('admin');
      await expect(confirm).toHaveText(new RegExp(`将 ${name} 的角色从只读用户改为管理员？`));
      await expectNoOverflow(page);
      await page.screenshot({ path: `${SHOTS}/zh-role-confirm-${size.width}.png`, fullPage: true });
      await mouseClick(page, confirm.getByRole('button', { name: '取消' }));
      await expect(confirm).toBeHidden();
      await expect(role).toHaveValue('viewer');

      await role.selectOption('operator');
      await expect(confirm).toContainText('改为操作员');
      await mouseClick(page, confirm.getByRole('button', { name: '修改角色' }));
      await expect(row.getByRole('status')).toHaveText('角色已修改。');
      await page.reload();
      await expect(role).toHaveValue('operator');
      await expect(role.locator('option:checked')).toHaveText('操作员');
    });
  });
}
