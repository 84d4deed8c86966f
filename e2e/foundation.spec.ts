import { expect, test } from '@playwright/test';
import { E2E } from './env';
import { alertOf, createUser, pickerSearch, signIn, signInAsAdmin, unique, openDeviceForm } from './helpers';

test('a signed-out visitor is sent to the sign-in page', async ({ page }) => {
  await page.goto('/devices');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test('the admin signs in, the dashboard counts the lab devices and the list shows them', async ({ page }) => {
  await signInAsAdmin(page);
  // other tests add devices in parallel: at least the lab's 40
  expect(Number(await page.getByTestId('device-total').textContent())).toBeGreaterThanOrEqual(40);
  await page.goto('/devices?q=lab-&size=50');
  await expect(page.locator('tr[data-device^="lab-"]')).toHaveCount(40);
  for (const name of ['lab-vrp-01', 'lab-ios-01', 'lab-vrp-02', 'lab-ios-20']) {
    await expect(page.locator(`tr[data-device="${name}"]`)).toBeVisible();
  }
});

test('a wrong password is refused with a clear message', async ({ page }) => {
  const name = unique('wrongpw');
  await signInAsAdmin(page);
  await createUser(page, name, 'operator', 'correct-horse-battery');
  await page.context().clearCookies();
  await signIn(page, name, 'not-the-password');
  await expect(alertOf(page)).toHaveText('Wrong username or password.');
  await expect(page).toHaveURL(/\/login/);
});

test('the admin adds a device with field-level validation; its password never comes back', async ({
  page,
}) => {
  const name = unique('core-sw');
  const secret = 'Sup3r-Secret-Device-Pw';
  await signInAsAdmin(page);
  await openDeviceForm(page);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Host').fill('10.20.30.40');
  await page.getByLabel('SSH port').fill('70000');
  await page.getByLabel('SSH username').fill('netops');
  await page.getByRole('button', { name: 'Add device' }).click();
  await expect(page.getByText('Port must be between 1 and 65535.')).toBeVisible();
  await expect(page.getByText('Password is required.')).toBeVisible();
  // what was typed is kept (except secrets)
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(name);

  await page.getByLabel('SSH port').fill('22');
  await page.locator('input#password').fill(secret);
  await page.getByRole('button', { name: 'Add device' }).click();
  await expect(page).toHaveURL(/\/devices$/);
  const row = page.locator(`tr[data-device="${name}"]`);
  await expect(row).toContainText('netops@10.20.30.40:22');

  // A duplicate name is refused on the field.
  await openDeviceForm(page);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Host').fill('10.20.30.41');
  await page.getByLabel('SSH username').fill('netops');
  await page.locator('input#password').fill('x');
  await page.getByRole('button', { name: 'Add device' }).click();
  await expect(page.getByText('A device with this name already exists.')).toBeVisible();

  // Edit: the password field says "unchanged" and the page never carries the secret.
  await page.goto(`/devices?q=${name}`);
  await page.getByRole('link', { name: `Edit ${name}` }).click();
  await expect(page.locator('input#password')).toHaveAttribute('placeholder', 'unchanged');
  expect(await page.content()).not.toContain(secret);
  await page.getByLabel('Notes').fill('edited by e2e');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/devices$/);
  await expect(row).toContainText('edited by e2e');
});

test('a viewer sees granted devices but cannot change them', async ({ browser }) => {
  const adminPage = await (await browser.newContext()).newPage();
  const viewer = unique('viewer');
  const password = 'viewer-password-123';
  await signInAsAdmin(adminPage);
  await createUser(adminPage, viewer, 'viewer', password);
  await adminPage
    .locator(`tr[data-user="${viewer}"]`)
    .getByRole('link', { name: /granted/ })
    .click();
  await pickerSearch(adminPage, 'lab-vrp-01'); // the picker shows one page: search first
  await adminPage.getByLabel('Grant lab-vrp-01').check();
  await adminPage.getByRole('button', { name: /Save grants/ }).click();
  await expect(adminPage.getByRole('status')).toContainText('1 device granted');

  const page = await (await browser.newContext()).newPage();
  await signIn(page, viewer, password);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await page.goto('/devices');
  await expect(page.getByTestId('device-count')).toHaveText('1 device');
  await expect(page.locator('tr[data-device="lab-vrp-01"]')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Add device' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: /^Edit / })).toHaveCount(0);
  await page.goto('/devices/new');
  await expect(alertOf(page)).toContainText('Not allowed');
  await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await page.goto('/admin/users');
  await expect(alertOf(page)).toContainText('Not allowed');
});

test('a disabled user cannot sign in', async ({ browser }) => {
  const adminPage = await (await browser.newContext()).newPage();
  const name = unique('leaver');
  await signInAsAdmin(adminPage);
  await createUser(adminPage, name, 'operator', 'leaver-password-123');
  await adminPage.locator(`tr[data-user="${name}"]`).getByRole('button', { name: 'Disable' }).click();
  await expect(adminPage.locator(`tr[data-user="${name}"]`)).toContainText('disabled');

  const page = await (await browser.newContext()).newPage();
  await signIn(page, name, 'leaver-password-123');
  await expect(alertOf(page)).toHaveText('This account is disabled. Ask an administrator.');
});

test('WebSockets open only for a signed-in page; health and metrics answer', async ({ page, request }) => {
  const open = () =>
    page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://${location.host}/ws/notifications`);
          ws.onopen = () => {
            ws.close();
            resolve('open');
          };
          ws.onerror = () => resolve('refused');
        }),
    );
  await page.goto('/login');
  expect(await open()).toBe('refused');
  await signInAsAdmin(page);
  expect(await open()).toBe('open');

  const health = await request.get(`${E2E.baseURL}/api/health`);
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok', node: expect.any(String) });
  // readiness names what it checked: one node alone has no Redis to reach
  const ready = await request.get(`${E2E.baseURL}/api/ready`);
  expect(ready.status()).toBe(200);
  const report = await ready.json();
  expect(report).toMatchObject({ status: 'ready', ready: true, database: { up: true } });
  expect(report.redis).toBeUndefined();
  const metrics = await (
    await request.get(`${E2E.baseURL}/api/metrics`, {
      headers: { Authorization: `Bearer ${E2E.metricsToken}` },
    })
  ).text();
  expect(metrics).toContain('switchboard_websocket_connections');
  expect(metrics).toContain('switchboard_process_resident_memory_bytes');
});
