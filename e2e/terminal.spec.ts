import { expect, test, type Page } from '@playwright/test';
import { alertOf, createUser, signIn, signInAsAdmin, unique } from './helpers';

async function openTab(page: Page, device: string) {
  await page.getByRole('button', { name: '+ New tab' }).click();
  await page
    .getByRole('dialog', { name: 'Choose a device' })
    .getByRole('button', { name: new RegExp(`^${device}`) })
    .click();
  await expect(page.locator(`[role="tab"][data-tab="${device}"]`)).toHaveAttribute(
    'data-state',
    'connected',
    { timeout: 15_000 },
  );
}

function pane(page: Page, device: string) {
  return page.locator(`[data-pane="${device}"] .xterm-rows`);
}

async function typeInto(page: Page, device: string, text: string) {
  await page.locator(`[role="tab"][data-tab="${device}"]`).click();
  await page.locator(`[data-pane="${device}"] .xterm`).click();
  await page.keyboard.type(text);
}

test('two tabs on VRP and IOS lab devices, a command in each, both back after a reload', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/terminal');
  await openTab(page, 'lab-vrp-01');
  await expect(pane(page, 'lab-vrp-01')).toContainText('<lab-vrp-01>');
  await typeInto(page, 'lab-vrp-01', 'display version\n');
  await expect(pane(page, 'lab-vrp-01')).toContainText('Huawei Versatile Routing Platform');

  await openTab(page, 'lab-ios-01');
  await expect(pane(page, 'lab-ios-01')).toContainText('lab-ios-01>');
  await typeInto(page, 'lab-ios-01', 'show version\n');
  await expect(pane(page, 'lab-ios-01')).toContainText('Cisco IOS');
  await expect(page.getByTestId('rtt')).toBeVisible();

  await page.reload();
  for (const [device, text] of [
    ['lab-vrp-01', 'Huawei Versatile Routing Platform'],
    ['lab-ios-01', 'Cisco IOS'],
  ] as const) {
    const tab = page.locator(`[role="tab"][data-tab="${device}"]`);
    await expect(tab).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
    await tab.click();
    await expect(pane(page, device)).toContainText(text);
  }
  // the same shell: still answers
  await typeInto(page, 'lab-vrp-01', 'display clock\n');
  await expect(pane(page, 'lab-vrp-01')).toContainText('display clock');

  // closing the tabs ends the sessions
  for (const device of ['lab-vrp-01', 'lab-ios-01'])
    await page.getByRole('button', { name: `Close ${device}` }).click();
  await expect(page.locator('[role="tab"]')).toHaveCount(0);
});

test('command mode returns the whole output as one block and keeps a history', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/terminal');
  await openTab(page, 'lab-vrp-02');
  const panel = page.getByRole('complementary', { name: 'Command mode' });
  await panel.getByLabel('Command').fill('display interface description');
  await panel.getByRole('button', { name: 'Run' }).click();
  const block = panel.locator('[data-command="display interface description"]');
  await expect(block).toHaveAttribute('data-status', 'success');
  await expect(block).toContainText('上联核心交换机'); // GBK device, decoded
  await expect(page.getByTestId('command-history')).toContainText('display interface description');
  await page.getByRole('button', { name: 'Close lab-vrp-02' }).click();
});

test('a viewer opens no terminal on a device they are not granted (their terminals are read-only: e2e/guard-rails)', async ({
  browser,
}) => {
  const admin = await (await browser.newContext()).newPage();
  const name = unique('termviewer');
  await signInAsAdmin(admin);
  await createUser(admin, name, 'viewer', 'viewer-password-123');
  await admin.goto('/devices?q=lab-vrp-01');
  const editHref = await admin.getByRole('link', { name: 'Edit lab-vrp-01' }).getAttribute('href');
  const deviceId = editHref!.split('/')[2]!; // /devices/<id>/edit

  const page = await (await browser.newContext()).newPage();
  await signIn(page, name, 'viewer-password-123');
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await page.goto('/terminal');
  await expect(alertOf(page)).toHaveCount(0);
  const outcome = await page.evaluate(
    (id) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://${location.host}/ws/terminal/${id}`);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      }),
    deviceId,
  );
  expect(outcome).toBe('refused');
});
