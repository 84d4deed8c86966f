import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { mouseClick, signIn, userGrantedDevice } from './helpers';

/*
 * Command guard rails in the browser (issue 19), with the mouse, on a laptop (light) and a phone
 * (dark): a viewer opens a read-only terminal from the device page, runs `display version` and is
 * refused `system-view`; an operator enters privileged EXEC, types `reload`, is asked for the device's
 * name in the terminal, types a wrong one (discarded), then the right one, and the device asks its
 * own question. Screenshots go to the test's output.
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

const SIZES = [
  { label: 'laptop, light', viewport: { width: 1440, height: 900 }, colorScheme: 'light' as const },
  { label: 'phone, dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' as const },
];

/** The built-in lab's enable password, as an engineer finds it (generated per data directory). */
function labEnablePassword(): string {
  const file = path.join(process.env.E2E_DATA_DIR!, 'lab.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { enablePassword: string }).enablePassword;
}

/** A new user of `role` granted `device`, signed in at `size`, with a terminal opened from the device page by `link`. */
async function terminalFromDevicePage(
  browser: Browser,
  size: (typeof SIZES)[number],
  role: 'viewer' | 'operator',
  device: string,
  link: string,
): Promise<Page> {
  const name = await userGrantedDevice(browser, `guard-${role}`, role, device, PASSWORD);
  const page = await (
    await browser.newContext({ viewport: size.viewport, colorScheme: size.colorScheme })
  ).newPage();
  await signIn(page, name, PASSWORD);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await page.goto(`/devices?q=${device}`);
  await mouseClick(page, page.getByRole('link', { name: device, exact: true }));
  await mouseClick(page, page.getByRole('link', { name: link }));
  await expect(page.locator(`[role="tab"][data-tab="${device}"]`)).toHaveAttribute(
    'data-state',
    'connected',
    {
      timeout: 15_000,
    },
  );
  return page;
}

for (const size of SIZES) {
  test(`a viewer’s terminal is read-only: display runs, system-view is refused (${size.label})`, async ({
    browser,
  }, info) => {
    const device = 'lab-vrp-20';
    const page = await terminalFromDevicePage(browser, size, 'viewer', device, 'Open read-only terminal');
    await expect(pane(page, device)).toContainText(`<${device}>`);
    await typeLine(page, device, 'display version');
    await expect(pane(page, device)).toContainText('VRP (R) Software, Version'); // the end of its output (a phone shows few rows)
    await typeLine(page, device, 'system-view');
    await expect(pane(page, device)).toContainText(
      'Not sent: Rule «Read-only terminal: everything else (viewers)» denies',
    );
    await expect(pane(page, device)).not.toContainText(`[${device}]`);
    await page.screenshot({ path: info.outputPath(`viewer-read-only-${size.colorScheme}.png`) });
  });

  test(`an operator confirms reload by typing the device name (${size.label})`, async ({ browser }, info) => {
    const device = 'lab-ios-20';
    const page = await terminalFromDevicePage(browser, size, 'operator', device, 'Open terminal');
    await expect(pane(page, device)).toContainText(`${device}>`);
    await typeLine(page, device, 'enable');
    await expect(pane(page, device)).toContainText('Password:');
    await page.keyboard.type(labEnablePassword());
    await page.keyboard.press('Enter');
    await expect(pane(page, device)).toContainText(`${device}#`);
    await typeLine(page, device, 'reload');
    await expect(pane(page, device)).toContainText('asks to confirm «reload»');
    await expect(pane(page, device)).toContainText('Device name:');
    await page.keyboard.type('not-this-one');
    await page.keyboard.press('Enter');
    await expect(pane(page, device)).toContainText('Not confirmed (the device name did not match)');
    await expect(pane(page, device)).not.toContainText('Proceed with reload?');
    await typeLine(page, device, 'reload');
    await expect(pane(page, device).getByText('Device name:')).toHaveCount(2);
    await page.keyboard.type(device);
    await page.keyboard.press('Enter');
    // now the device has it, and asks its own question; anything but Return or y cancels it
    await expect(pane(page, device)).toContainText('Proceed with reload? [confirm]');
    await page.screenshot({ path: info.outputPath(`operator-confirm-${size.colorScheme}.png`) });
    await page.keyboard.type('n');
    await page.keyboard.press('Enter');
    // the device is still there, at its prompt
    await typeLine(page, device, 'show clock');
    await expect(pane(page, device)).toContainText(/\*\d{2}:\d{2}:\d{2}/);
    await expect(pane(page, device)).not.toContainText('%SYS-5-RELOAD');
  });
}
