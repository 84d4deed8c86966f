import { expect, test, type Browser, type Page } from '@playwright/test';
import { E2E } from './env';
import { adminToken, mouseClick, signIn, signInAsAdmin, unique, userGrantedDevice } from './helpers';

/*
 * A command held for a second person's approval (issue 19), two people, two browsers, with the mouse:
 * an operator types `save` in a terminal and waits; an admin is told by the bell, follows the
 * notification to Approvals and approves it (the operator's terminal runs it) or, reading Chinese,
 * rejects it with a reason (the terminal says so and the device never sees it). The rule is each test's own (at the
 * top, for operators on VRP) and is deleted at the end; the two run one after the other.
 */
test.describe.configure({ mode: 'serial' });

const PASSWORD = 'approve-password-123';
const DEVICE = 'lab-vrp-20';

function pane(page: Page) {
  return page.locator(`[data-pane="${DEVICE}"] .xterm-rows`);
}

type Size = { viewport: { width: number; height: number }; colorScheme: 'light' | 'dark'; locale?: string };
const LAPTOP: Size = { viewport: { width: 1440, height: 900 }, colorScheme: 'light' };
const PHONE: Size = { viewport: { width: 390, height: 844 }, colorScheme: 'dark' };

/**
 * An admin (signed in, `adminSize`) with a rule that holds `save` for approval, and an operator
 * (`opSize`) whose terminal on DEVICE typed `save` and waits. `run` gets both pages and the operator's
 * name; the rule is deleted afterwards.
 */
async function heldSave(
  browser: Browser,
  adminSize: Size,
  opSize: Size,
  run: (admin: Page, op: Page, name: string) => Promise<void>,
) {
  // the token from an English page (the helper reads the account page's English labels)
  const setup = await (await browser.newContext()).newPage();
  await signInAsAdmin(setup);
  const token = await adminToken(setup);
  await setup.context().close();
  const admin = await (await browser.newContext(adminSize)).newPage();
  await signInAsAdmin(admin);
  const headers = { authorization: `Bearer ${token}` };
  const rules = await (await admin.request.get(`${E2E.baseURL}/api/v1/policies`, { headers })).json();
  const rule = await admin.request.post(`${E2E.baseURL}/api/v1/policies`, {
    headers,
    data: {
      name: unique('saving needs approval'),
      patterns: ['save'],
      action: 'approve',
      roles: ['operator'],
      vendors: ['huawei_vrp'],
      before: (rules.items as { id: string }[])[0]!.id,
    },
  });
  expect(rule.status(), await rule.text()).toBe(201);
  const ruleId = ((await rule.json()) as { id: string }).id;
  try {
    const name = await userGrantedDevice(browser, 'approve-op', 'operator', DEVICE, PASSWORD);
    const op = await (await browser.newContext(opSize)).newPage();
    await signIn(op, name, PASSWORD);
    await expect(op.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
    await op.goto(`/devices?q=${DEVICE}`);
    await mouseClick(op, op.getByRole('link', { name: DEVICE, exact: true }));
    await mouseClick(op, op.getByRole('link', { name: 'Open terminal' }));
    await expect(op.locator(`[role="tab"][data-tab="${DEVICE}"]`)).toHaveAttribute(
      'data-state',
      'connected',
      {
        timeout: 15_000,
      },
    );
    await expect(pane(op)).toContainText(`<${DEVICE}>`);
    await mouseClick(op, op.locator(`[data-pane="${DEVICE}"] .xterm-screen`));
    await op.keyboard.type('save');
    await op.keyboard.press('Enter');
    await expect(pane(op)).toContainText('Waiting for approval');
    await run(admin, op, name);
  } finally {
    await admin.request.delete(`${E2E.baseURL}/api/v1/policies/${ruleId}`, { headers });
  }
}

/** The admin opens the bell and follows the approval request `name` made, to Approvals. */
async function followNotification(admin: Page, name: string, zh = false) {
  await mouseClick(admin, admin.getByRole('button', { name: zh ? /^通知（/ : /^Notifications \(/ }));
  const link = admin
    .getByRole('dialog', { name: zh ? '最近通知' : 'Recent notifications' })
    .getByRole('link', {
      name: zh ? `${name} 请求在 ${DEVICE} 上运行 «save»` : `${name} asks to run «save» on ${DEVICE}`,
    });
  await mouseClick(admin, link);
  await expect(admin).toHaveURL(/\/approvals#/);
  // the panel closes: on a phone it would cover the list
  await expect(admin.getByRole('dialog', { name: zh ? '最近通知' : 'Recent notifications' })).toHaveCount(0);
  return admin.locator('[data-approval="save"]').filter({ hasText: name });
}

test('an operator’s `save` waits; an admin on a phone follows the notification and approves it; it runs', async ({
  browser,
}, info) => {
  await heldSave(browser, PHONE, LAPTOP, async (admin, op, name) => {
    const row = await followNotification(admin, name);
    await expect(row).toContainText('waiting');
    await admin.screenshot({ path: info.outputPath('approvals-phone-dark.png'), fullPage: true });
    await mouseClick(admin, row.getByRole('button', { name: 'Approve' }));
    await expect(row).toContainText('approved');

    await expect(pane(op)).toContainText('Approved by admin: running «save».');
    await expect(pane(op)).toContainText('[Y/N]');
    await op.keyboard.type('n');
    await op.keyboard.press('Enter');
    // the device's own question answered in the terminal, then its prompt again
    await expect(pane(op)).toContainText(new RegExp(`\\[Y/N\\]:n[\\s\\S]*<${DEVICE}>`));
    await op.screenshot({ path: info.outputPath('approved-terminal.png') });
  });
});

test('an admin on a laptop, reading Chinese, rejects it with a reason; the operator’s terminal (phone) says so and the device never sees it', async ({
  browser,
}, info) => {
  await heldSave(browser, { ...LAPTOP, locale: 'zh-CN' }, PHONE, async (admin, op, name) => {
    const row = await followNotification(admin, name, true);
    await expect(row).toContainText('等待中');
    await mouseClick(admin, row.getByPlaceholder('理由（可选）'));
    await admin.keyboard.type('change freeze until Friday');
    await mouseClick(admin, row.getByRole('button', { name: '拒绝' }));
    await expect(row).toContainText('已拒绝');
    await expect(row).toContainText('change freeze until Friday');
    await admin.screenshot({ path: info.outputPath('rejected-laptop-light-zh.png') });

    await expect(pane(op)).toContainText('Rejected by admin: «change freeze until Friday».');
    await expect(pane(op)).not.toContainText('[Y/N]');
    await op.screenshot({ path: info.outputPath('rejected-terminal-phone-dark.png') });
  });
});
