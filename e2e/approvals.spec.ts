import { expect, test, type Page } from '@playwright/test';
import { E2E } from './env';
import { adminToken, mouseClick, signIn, signInAsAdmin, unique, userGrantedDevice } from './helpers';

/*
 * A command held for a second person's approval (issue 19), two people, two browsers: an operator
 * (laptop, light) types `save` in a terminal and waits; an admin on a phone (dark) opens Approvals
 * and approves it with the mouse; the operator's terminal runs it. The rule is this test's own (at
 * the top, for operators on VRP) and is deleted at the end.
 */
const PASSWORD = 'approve-password-123';
const DEVICE = 'lab-vrp-20';

function pane(page: Page) {
  return page.locator(`[data-pane="${DEVICE}"] .xterm-rows`);
}

test('an operator’s `save` waits for approval; an admin approves it on a phone; it runs', async ({
  browser,
}, info) => {
  const admin = await (
    await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' })
  ).newPage();
  await signInAsAdmin(admin);
  const token = await adminToken(admin);
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
    const op = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
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

    await admin.goto('/approvals');
    const row = admin.locator('[data-approval="save"]').filter({ hasText: name });
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
  } finally {
    await admin.request.delete(`${E2E.baseURL}/api/v1/policies/${ruleId}`, { headers });
  }
});
