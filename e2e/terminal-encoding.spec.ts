import { expect, test } from '@playwright/test';
import { mouseClick, openTerminalTab, signInAsAdmin } from './helpers';

/**
 * A device whose stored character set is wrong prints mojibake: the tab's Encoding select (status
 * bar, with the mouse) switches that session's decoding at once, and back.
 */
const rows = (page: import('@playwright/test').Page, device: string) =>
  page.locator(`[data-pane="${device}"] .xterm-rows`);

const typing = (page: import('@playwright/test').Page, device: string) =>
  page.locator(`[data-pane="${device}"] textarea.xterm-helper-textarea`);

/** Into the terminal the way a person does: a click on it. */
async function clickInto(page: import('@playwright/test').Page, device: string) {
  const pane = (await page.locator(`[data-pane="${device}"]`).boundingBox())!;
  await page.mouse.click(pane.x + pane.width / 2, pane.y + pane.height / 2);
  await expect(typing(page, device)).toBeFocused();
}

test('switching a tab between GBK and UTF-8 with the mouse changes how its output reads', async ({
  page,
}) => {
  const device = 'lab-vrp-02'; // answers in GBK, stored as GBK
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAsAdmin(page);
  await openTerminalTab(page, device);
  // no pager: the whole table at once, so the next line typed is a command, not a pager key
  await clickInto(page, device);
  await page.keyboard.type('screen-length 0 temporary\n');
  await expect(rows(page, device)).toContainText('screen-length 0 temporary');
  const select = page.getByTestId('terminal-encoding');
  await expect(select).toHaveValue('gbk');

  await mouseClick(page, select);
  await select.selectOption('utf-8');
  await expect(select).toHaveValue('utf-8');
  // the choice hands the keyboard back to the terminal
  await expect(typing(page, device)).toBeFocused();
  await page.keyboard.type('display interface description\n');
  // the end of the table (its head may have scrolled out of a short terminal)
  await expect(rows(page, device)).toContainText('Mgmt-Segment');
  await expect(rows(page, device)).not.toContainText('监控网段');
  await expect(rows(page, device)).toContainText('\uFFFD');

  await select.selectOption('gbk');
  await expect(select).toHaveValue('gbk');
  await clickInto(page, device);
  await page.keyboard.type('display interface description\n');
  await expect(rows(page, device)).toContainText('监控网段');
});
