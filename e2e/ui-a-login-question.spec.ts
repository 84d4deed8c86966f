import { expect, test } from '@playwright/test';
import { generateHostKey, startLabDevice, type LabDeviceHandle } from '../lab';
import { mouseClick, signInAsAdmin, unique, openDeviceForm } from './helpers';

// The transports issue: an AAA login that asks for a one-time token after the password. The token is
// asked in the terminal tab (the stored password answers its own prompt) and the session opens.
const TOKEN = '735019';
let device: LabDeviceHandle;

test.beforeAll(async () => {
  device = await startLabDevice(
    {
      name: 'otp-core',
      vendor: 'huawei_vrp',
      port: 0,
      username: 'netops',
      password: 'Otp-Device-Pw-1',
      auth: 'keyboard-interactive-token',
      token: TOKEN,
    },
    { hostKey: generateHostKey() },
  );
});
test.afterAll(() => device?.close());

for (const size of [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const) {
  test(`a one-time token is asked in the tab and the session opens at ${size.width}×${size.height}`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    await signInAsAdmin(page);
    // an engineer adds the device as any other (the token is not stored: it changes every minute)
    const name = unique('otp-core');
    await openDeviceForm(page);
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Host').fill('127.0.0.1');
    await page.getByLabel('SSH port').fill(String(device.port));
    await page.getByLabel('SSH username').fill('netops');
    await page.locator('input#password').fill('Otp-Device-Pw-1');
    await mouseClick(page, page.getByRole('button', { name: 'Add device' }));
    await expect(page).toHaveURL(/\/devices$/);

    await page.goto('/terminal');
    await mouseClick(page, page.getByRole('button', { name: '+ New tab' }));
    await page.getByRole('dialog', { name: 'Choose a device' }).getByRole('textbox').fill(name);
    await mouseClick(
      page,
      page
        .getByRole('dialog', { name: 'Choose a device' })
        .getByRole('button', { name: new RegExp(`^${name}`) }),
    );
    const question = page.getByRole('dialog', { name: `Login question from ${name}` });
    await expect(question).toBeVisible({ timeout: 15_000 });
    await expect(question.getByLabel('Password')).toHaveCount(0); // answered from the stored password
    await question.getByLabel('Token:').fill(TOKEN);
    await page.screenshot({ path: `/tmp/shots/login-question-${size.width}.png` });
    await mouseClick(page, question.getByRole('button', { name: 'Log in' }));
    await expect(question).toHaveCount(0);
    await expect(page.locator(`[role="tab"][data-tab="${name}"]`)).toHaveAttribute(
      'data-state',
      'connected',
      {
        timeout: 15_000,
      },
    );
    await expect(page.locator(`[data-pane="${name}"] .xterm-rows`)).toContainText('<otp-core>');
    await mouseClick(page, page.getByRole('button', { name: `Close ${name}` }));
  });
}
