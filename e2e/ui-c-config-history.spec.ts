import { mkdirSync, readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mouseClick, signInAsAdmin, unique } from './helpers';

/**
 * The device page's Configuration history tab, as an engineer uses it with the mouse: the built-in
 * Configuration backup run from the tab, a configuration change through a task, a second backup,
 * then the two versions ticked and compared (the changed line in the diff) and one downloaded.
 * Each size takes its own lab device (the lab keeps configuration changes for a device's lifetime).
 */
const SHOTS = '/tmp/shots/ui-c-history';

const SIZES = [
  {
    name: 'laptop',
    viewport: { width: 1440, height: 900 },
    device: 'lab-vrp-17',
    change: (text: string) =>
      ['system-view', 'interface GigabitEthernet0/0/9', `description ${text}`, 'return'].join('\n'),
  },
  {
    name: 'phone',
    viewport: { width: 390, height: 844 },
    device: 'lab-ios-17',
    change: (text: string) =>
      ['configure terminal', 'interface GigabitEthernet1/0/9', `description ${text}`, 'end'].join('\n'),
  },
] as const;

/** From the device list to the device page, then its Configuration history tab; the device's id. */
async function openHistory(page: Page, device: string): Promise<string> {
  await page.goto(`/devices?q=${device}`);
  await mouseClick(
    page,
    page.locator(`tr[data-device="${device}"]`).getByRole('link', { name: device, exact: true }),
  );
  await expect(page.locator(`[data-device-page="${device}"]`)).toBeVisible();
  const id = page.url().split('/devices/')[1]!.split(/[?#]/)[0]!;
  await mouseClick(
    page,
    page.getByRole('navigation', { name: 'Device sections' }).getByRole('link', {
      name: 'Configuration history',
    }),
  );
  await expect(page).toHaveURL(new RegExp(`/devices/${id}/history$`));
  await expect(page.getByRole('link', { name: 'Configuration history' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  return id;
}

/** Back up from the tab (the empty state's button, or Back up now) and wait for the task; its id. */
async function backUp(page: Page): Promise<string> {
  const button = page.getByRole('button', { name: /^(Run Configuration backup|Back up now)$/ });
  await mouseClick(page, button);
  await expect(page).toHaveURL(/\/tasks\/[^/]+$/);
  await expect(page.locator('span[data-status="completed"]').first()).toBeVisible({ timeout: 30_000 });
  return page.url().split('/tasks/')[1]!;
}

async function shoot(page: Page, name: string) {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.reload();
    await expect(page.getByTestId('history-diff')).toBeVisible();
    await expect
      .poll(() => page.evaluate(() => document.documentElement.classList.contains('dark')))
      .toBe(theme === 'dark');
    await page.screenshot({ path: `${SHOTS}/${name}-${theme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

for (const size of SIZES) {
  test(`configuration history at ${size.name} size: two backups around a change, the diff, a download`, async ({
    page,
  }) => {
    // two backups and a task on a lab device, then axe in both themes: minutes on a busy machine
    test.setTimeout(300_000);
    mkdirSync(SHOTS, { recursive: true });
    await page.setViewportSize(size.viewport);
    await signInAsAdmin(page);
    const text = unique('e2e-history');

    const id = await openHistory(page, size.device);
    const first = await backUp(page);

    // a configuration change, through a task on this one device
    await page.goto(`/tasks/new?devices=${id}`);
    const form = page.getByRole('form', { name: 'New task' });
    await expect(page.getByTestId('selected-count')).toHaveText('1 selected');
    await form.getByLabel('Name').fill(`describe ${text}`);
    await form.getByLabel('Commands (one per line, run in order)').fill(size.change(text));
    await mouseClick(page, form.getByRole('button', { name: 'Start task on 1 device' }));
    await expect(page).toHaveURL(/\/tasks\/[^/]+$/);
    await expect(page.locator('span[data-status="completed"]').first()).toBeVisible({ timeout: 30_000 });

    await openHistory(page, size.device);
    const second = await backUp(page);

    await openHistory(page, size.device);
    const list = page.getByTestId('history-versions');
    const older = list.locator(`li[data-task="${first}"]`);
    const newer = list.locator(`li[data-task="${second}"]`);
    await expect(older).toBeVisible();
    await expect(newer).toBeVisible();
    // one description line added (and the one it replaces removed, if the port had one)
    await expect(newer.locator('[data-change="changed"]')).toContainText(/\+1 −[01]/);
    // newest first
    const order = await list
      .locator('li[data-task]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-task')));
    expect(order.indexOf(second)).toBeLessThan(order.indexOf(first));

    await mouseClick(page, older.getByTestId('select-version'));
    await mouseClick(page, newer.getByTestId('select-version'));
    await expect(older.getByTestId('select-version')).toBeChecked();
    await expect(newer.getByTestId('select-version')).toBeChecked();
    await mouseClick(page, page.getByRole('button', { name: 'Compare selected' }));
    await expect(page).toHaveURL(/[?&]from=[^&]+&to=/);
    const diff = page.getByTestId('history-diff');
    await expect(diff).toBeVisible();
    await expect(diff.getByTestId('diff-counts')).toHaveText(/^\+1 −[01]$/);
    await expect(diff.locator('[data-line="add"]')).toHaveText([`+ description ${text}`]);

    // the newer version downloads as <device>-configuration-backup-<date>.txt with the change in it
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      mouseClick(page, newer.getByRole('link', { name: 'Download' })),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^${size.device}-configuration-backup-\\d{4}-\\d{2}-\\d{2}-\\d{6}\\.txt$`),
    );
    const content = readFileSync((await download.path())!, 'utf8');
    expect(content).toContain(`description ${text}`);
    expect(content).toMatch(size.device.startsWith('lab-vrp') ? /sysname lab-vrp-17/ : /hostname lab-ios-17/);

    // a version's text on the page
    await mouseClick(page, older.getByRole('link', { name: 'View' }));
    await expect(page.getByTestId('version-text')).toContainText(
      size.device.startsWith('lab-vrp') ? 'sysname' : 'hostname',
    );
    await expect(page.getByTestId('version-text')).not.toContainText(text);

    // the diff again (a shareable URL), checked with axe in both themes and photographed
    await page.goto(
      `/devices/${id}/history?from=${await older.getAttribute('data-version')}&to=${await newer.getAttribute('data-version')}`,
    );
    if (size.name === 'phone') {
      const wide = await page.evaluate(
        () => document.scrollingElement!.scrollWidth > document.scrollingElement!.clientWidth,
      );
      expect(wide, 'the page scrolls sideways at 390 px').toBe(false);
    } else {
      for (const theme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: theme });
        await page.reload();
        await expect(page.getByTestId('history-diff')).toBeVisible();
        const result = await new AxeBuilder({ page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
          .analyze();
        const serious = result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${theme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
        expect(serious).toEqual([]);
      }
    }
    await shoot(page, `history-${size.name}`);
  });
}

test('an unknown version or device is not found (page and download)', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto('/devices?q=lab-vrp-17');
  await mouseClick(
    page,
    page.locator('tr[data-device="lab-vrp-17"]').getByRole('link', { name: 'lab-vrp-17', exact: true }),
  );
  await expect(page.locator('[data-device-page="lab-vrp-17"]')).toBeVisible();
  const id = page.url().split('/devices/')[1]!.split(/[?#]/)[0]!;
  expect((await page.request.get(`/devices/${id}/history/no-such-version/download`)).status()).toBe(404);
  expect((await page.goto(`/devices/${id}/history?view=no-such-version`))!.status()).toBe(404);
  expect((await page.goto('/devices/no-such-device/history'))!.status()).toBe(404);
});
