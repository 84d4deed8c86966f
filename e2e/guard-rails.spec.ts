import { expect, test, type Page } from '@playwright/test';
import { mouseClick, signIn, userGrantedDevice } from './helpers';

/*
 * Command guard rails in the browser (issue 19), with the mouse: a viewer opens a read-only terminal
 * from the device page, runs `display version` and is refused `system-view`; an operator on a phone
 * (dark) types `reload`, is asked for the device's name in the terminal, types it and the device asks
 * its own question. Screenshots of both go to the test's output.
 */
const PASSWORD = 'guard-password-123';

function pane(page: Page, device: string) {
  return page.locator(`[data-pane="${device}"] .xterm-rows`);
}

async function typeLine(page: Page, device: string, text: string) {
  await mouseClick(page, page.locator(`[data-pane="${device}"] .xterm-screen`));
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

test('a viewer’s terminal is read-only: display runs, system-view is refused (laptop, light)', async ({
  browser,
}, info) => {
  const device = 'lab-vrp-20';
  const name = await userGrantedDevice(browser, 'guard-viewer', 'viewer', device, PASSWORD);
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signIn(page, name, PASSWORD);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await page.goto(`/devices?q=${device}`);
  await mouseClick(page, page.getByRole('link', { name: device, exact: true }));
  await mouseClick(page, page.getByRole('link', { name: 'Open read-only terminal' }));
  await expect(page.locator(`[role="tab"][data-tab="${device}"]`)).toHaveAttribute(
    'data-state',
    'connected',
    {
      timeout: 15_000,
    },
  );
  await expect(pane(page, device)).toContainText(`<${device}>`);
  await typeLine(page, device, 'display version');
  await expect(pane(page, device)).toContainText('Huawei Versatile Routing Platform');
  await typeLine(page, device, 'system-view');
  await expect(pane(page, device)).toContainText(
    'Not sent: Rule «Read-only terminal: everything else (viewers)» denies',
  );
  await expect(pane(page, device)).not.toContainText(`[${device}]`);
  await page.screenshot({ path: info.outputPath('viewer-read-only.png') });
});

test('an operator confirms reload by typing the device name (phone, dark)', async ({ browser }, info) => {
  const device = 'lab-ios-20';
  const name = await userGrantedDevice(browser, 'guard-operator', 'operator', device, PASSWORD);
  const page = await (
    await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' })
  ).newPage();
  await signIn(page, name, PASSWORD);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await page.goto(`/devices?q=${device}`);
  await mouseClick(page, page.getByRole('link', { name: device, exact: true }));
  await mouseClick(page, page.getByRole('link', { name: 'Open terminal' }));
  await expect(page.locator(`[role="tab"][data-tab="${device}"]`)).toHaveAttribute(
    'data-state',
    'connected',
    {
      timeout: 15_000,
    },
  );
  await expect(pane(page, device)).toContainText(`${device}>`);
  // reload needs privileged EXEC on IOS; the guard asks first wherever it is typed
  await typeLine(page, device, 'reload');
  await expect(pane(page, device)).toContainText('asks to confirm «reload»');
  await expect(pane(page, device)).toContainText('Device name:');
  await page.keyboard.type('not-this-one');
  await page.keyboard.press('Enter');
  await expect(pane(page, device)).toContainText('Not confirmed (the device name did not match)');
  await typeLine(page, device, 'reload');
  await expect(pane(page, device).getByText('Device name:')).toHaveCount(2);
  await page.keyboard.type(device);
  await page.keyboard.press('Enter');
  // now the device has it: in user EXEC the lab IOS refuses it in its own words
  await expect(pane(page, device)).toContainText('% Invalid input');
  await page.screenshot({ path: info.outputPath('operator-confirm-phone-dark.png') });
});
