import { expect, test, type Page } from '@playwright/test';
import { mouseClick, setLabDevice, signInAsAdmin } from './helpers';

// First-hour findings 18 and 10: Reconnect needed two clicks after the device dropped the session,
// tabs to one device looked the same, and tabs had no keyboard shortcuts (nor a `?` overlay).
const SIZES = [
  // the desktop's device is dropped with the lab switch, the phone's ends its own session (`quit`)
  { name: 'desktop', viewport: { width: 1440, height: 900 }, device: 'lab-ios-03', drop: 'lab switch' },
  { name: 'phone', viewport: { width: 390, height: 844 }, device: 'lab-vrp-04', drop: 'quit' },
] as const;

const tabs = (page: Page) => page.locator('[role="tab"]');

async function openTab(page: Page, device: string) {
  await mouseClick(page, page.getByRole('button', { name: '+ New tab' }));
  const picker = page.getByRole('dialog', { name: 'Choose a device' });
  await picker.getByLabel('Filter devices').fill(device);
  await mouseClick(page, picker.getByRole('button', { name: new RegExp(`^${device}`) }));
}

/** Click into the terminal of the i-th tab, so that keys go where a person's would. */
async function focusTerminal(page: Page, i: number) {
  await mouseClick(page, page.locator('[data-pane]').nth(i).locator('.xterm-screen'));
}

for (const size of SIZES) {
  test(`terminal tabs at ${size.name} width: numbered, renamed, one-click Reconnect, shortcuts, ? overlay`, async ({
    page,
  }) => {
    const { device } = size;
    await page.setViewportSize(size.viewport);
    await signInAsAdmin(page);
    await page.goto('/terminal');

    // two tabs to the same device are told apart by a number
    await openTab(page, device);
    await openTab(page, device);
    await expect(tabs(page)).toHaveCount(2);
    for (const i of [0, 1])
      await expect(tabs(page).nth(i)).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
    await expect(tabs(page).nth(0)).toHaveAttribute('data-label', device);
    await expect(tabs(page).nth(1)).toHaveAttribute('data-label', `${device} (2)`);
    await expect(tabs(page).nth(1)).toContainText(`${device} (2)`);

    // rename the second: a double-click on a laptop, the pencil on a phone
    if (size.name === 'desktop') {
      const box = (await tabs(page).nth(1).boundingBox())!;
      await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
    } else {
      await mouseClick(page, page.getByRole('button', { name: `Rename ${device} (2)` }));
    }
    const rename = page.getByRole('textbox', { name: `Rename ${device} (2)` });
    await rename.fill('backup path');
    await rename.press('Enter');
    await expect(tabs(page).nth(1)).toHaveAttribute('data-label', 'backup path');
    await page.screenshot({ path: `/tmp/shots/terminal-tabs-${size.name}-renamed.png` });

    // remembered with the tabs: a reload keeps the name and the number
    await page.reload();
    await expect(tabs(page)).toHaveCount(2);
    for (const i of [0, 1])
      await expect(tabs(page).nth(i)).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
    await expect(tabs(page).nth(0)).toHaveAttribute('data-label', device);
    await expect(tabs(page).nth(1)).toHaveAttribute('data-label', 'backup path');

    // keyboard shortcuts, pressed while a terminal has the focus
    await mouseClick(page, tabs(page).nth(0));
    await focusTerminal(page, 0);
    await page.keyboard.press('Alt+Shift+ArrowRight');
    await expect(tabs(page).nth(1)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Alt+Shift+ArrowLeft');
    await expect(tabs(page).nth(0)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Alt+Shift+ArrowLeft'); // wraps round
    await expect(tabs(page).nth(1)).toHaveAttribute('aria-selected', 'true');

    // the ? overlay lists them; Esc closes it, and so does its Close button
    await mouseClick(page, page.getByRole('button', { name: 'Keyboard shortcuts' }));
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toBeVisible();
    await expect(help).toContainText('Alt+Shift+W');
    await expect(help).toContainText('Next tab');
    await page.screenshot({ path: `/tmp/shots/terminal-tabs-${size.name}-help.png` });
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();
    await mouseClick(page, page.getByRole('button', { name: 'Keyboard shortcuts' }));
    await expect(help).toBeVisible();
    await mouseClick(page, help.getByRole('button', { name: 'Close', exact: true }));
    await expect(help).toBeHidden();

    // Esc closes the device picker
    await mouseClick(page, page.getByRole('button', { name: '+ New tab' }));
    const picker = page.getByRole('dialog', { name: 'Choose a device' });
    await expect(picker).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(picker).toBeHidden();

    // the device drops the session: ONE click on Reconnect brings a new one
    await mouseClick(page, tabs(page).nth(0));
    const first = tabs(page).nth(0);
    if (size.drop === 'lab switch') {
      const devices = await page.context().newPage();
      await setLabDevice(devices, device, false);
      await expect(first).toHaveAttribute('data-state', 'closed', { timeout: 15_000 });
      await setLabDevice(devices, device, true);
      await devices.close();
    } else {
      await focusTerminal(page, 0);
      await page.keyboard.type('quit\n');
      await expect(first).toHaveAttribute('data-state', 'closed', { timeout: 15_000 });
    }
    const status = page.getByTestId('terminal-status');
    await expect(status).toContainText(/ended|lost/);
    await page.screenshot({ path: `/tmp/shots/terminal-tabs-${size.name}-dropped.png` });
    await mouseClick(page, status.getByRole('button', { name: 'Reconnect' }));
    await expect(first).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
    await expect(status).toContainText(`Connected to ${device}`);
    await expect(page.locator('[data-pane]').nth(0).locator('.xterm-rows')).toContainText(
      device.startsWith('lab-vrp') ? `<${device}>` : `${device}>`,
    );
    await page.screenshot({ path: `/tmp/shots/terminal-tabs-${size.name}-reconnected.png` });

    // Alt+Shift+W closes the tab that has the focus, then the other one
    await focusTerminal(page, 0);
    await page.keyboard.press('Alt+Shift+W');
    await expect(tabs(page)).toHaveCount(1);
    await expect(tabs(page).nth(0)).toHaveAttribute('data-label', 'backup path');
    await expect(tabs(page).nth(0)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Alt+Shift+W');
    await expect(tabs(page)).toHaveCount(0);
  });
}
