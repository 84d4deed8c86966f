import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startFakeSsh, type FakeSsh } from '../tests/fake-ssh';
import { E2E } from './env';
import { alertOf, createUser, signIn, signInAsAdmin, unique, openDeviceForm } from './helpers';

/** Screenshots for a person to look at (not compared): SCREENSHOT_DIR, default a temp folder. */
const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/switchboard-shots';

function labPassword(): string {
  return (
    JSON.parse(readFileSync(path.join(process.env.E2E_DATA_DIR!, 'lab.json'), 'utf8')) as { password: string }
  ).password;
}

async function shoot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: path.join(SHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });
}

let impostor: FakeSsh;
test.beforeAll(async () => {
  impostor = await startFakeSsh();
});
test.afterAll(async () => {
  await impostor.close();
});

test.use({ viewport: { width: 1440, height: 900 } });

test('an operator moves a device: the password is needed again, and the new address key is checked and accepted on the device page', async ({
  browser,
}) => {
  const admin = await (await browser.newContext()).newPage();
  await signInAsAdmin(admin);
  const operator = unique('mover');
  await createUser(admin, operator, 'operator', 'mover-password-123');

  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signIn(page, operator, 'mover-password-123');
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  // the operator adds a device at a lab address (granted to them as its creator)
  const name = unique('moved');
  await openDeviceForm(page);
  await page.getByLabel('Name', { exact: true }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Host').fill('127.0.0.1');
  await page.getByLabel('SSH port').fill(String(E2E.labBasePort));
  await page.getByLabel('SSH username').fill('netops');
  await page.locator('input#password').fill(labPassword());
  await page.getByRole('button', { name: 'Add device' }).click();
  await expect(page).toHaveURL(/\/devices$/);

  // moving it without the password: refused, the password field says why
  await page.getByRole('link', { name: `Edit ${name}` }).click();
  await expect(page.getByRole('heading', { name: `Edit ${name}` })).toBeVisible();
  await expect(page.getByText('a new host, port or username needs it again')).toBeVisible();
  await page.getByLabel('SSH port').click();
  await page.getByLabel('SSH port').fill(String(impostor.port));
  await page.getByRole('button', { name: 'Save changes' }).click();
  const passwordError = page.locator('#password-error');
  await expect(passwordError).toContainText('Enter the password again');
  await expect(page.locator('input#password')).toHaveAttribute('aria-invalid', 'true');
  await shoot(page, 'device-move-password-required');

  // with the password: saved; the portal does not log in at the new address yet
  await page.locator('input#password').click();
  await page.locator('input#password').fill(labPassword());
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/devices$/);
  await page.getByRole('link', { name: `Edit ${name}` }).click();
  const panel = page.getByRole('region', { name: 'SSH host key' });
  await expect(alertOf(page).filter({ hasText: 'moved to' })).toContainText(`127.0.0.1:${impostor.port}`);
  await shoot(page, 'device-move-awaiting-key');

  // check the key: connects without logging in, shows the key the new address offers
  await panel.getByRole('button', { name: 'Check the key' }).click();
  await expect(panel.getByTestId('offered-fingerprint')).toHaveText(impostor.fingerprint);
  expect(impostor.connections).toBeGreaterThan(0);
  expect(impostor.passwords).toEqual([]);
  await shoot(page, 'device-move-offered-key');

  await panel.getByRole('button', { name: 'Accept this key' }).click();
  await expect(panel.getByRole('status')).toHaveText('The new host key is trusted.');
  await expect(panel.getByTestId('trusted-fingerprint')).toHaveText(impostor.fingerprint);
  await expect(panel.getByTestId('offered-fingerprint')).toHaveCount(0);
  await shoot(page, 'device-move-accepted');
  expect(impostor.passwords).toEqual([]);
});
