import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mouseClick, signInAsAdmin, unique } from './helpers';

// A task on Huawei and Cisco lab devices with a command list per vendor, made in the plain "New task"
// form with the mouse: the form says live which list runs on how many selected devices, warns of
// devices that will be skipped, and the task runs each vendor's own commands.

const SHOTS = '/tmp/shots/task-vendors';
mkdirSync(SHOTS, { recursive: true });

// lab devices no other spec takes down or changes (their tasks only read)
const SIZES = [
  {
    name: 'desktop',
    viewport: { width: 1440, height: 900 },
    huawei: ['lab-vrp-05', 'lab-vrp-07'],
    cisco: ['lab-ios-02', 'lab-ios-17'],
  },
  {
    name: 'phone',
    viewport: { width: 390, height: 844 },
    huawei: ['lab-vrp-08', 'lab-vrp-10'],
    cisco: ['lab-ios-12', 'lab-ios-18'],
  },
] as const;

async function openForm(page: Page): Promise<Locator> {
  await signInAsAdmin(page);
  await page.goto('/tasks/new');
  const form = page.getByRole('form', { name: 'New task' });
  await expect(form.getByRole('button', { name: 'Start task on 0 devices' })).toBeVisible();
  return form;
}

async function pick(page: Page, form: Locator, devices: readonly string[]) {
  const search = form.getByPlaceholder('Search name or host');
  for (const device of devices) {
    await mouseClick(page, search);
    await search.fill(device);
    await mouseClick(page, form.getByLabel(`Select ${device}`));
    await expect(form.getByLabel(`Select ${device}`)).toBeChecked();
  }
}

/** No serious or critical accessibility violation in the form (contrast, names, ARIA). */
async function expectAccessibleForm(page: Page) {
  const result = await new AxeBuilder({ page })
    .include('form[aria-label="New task"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const problems = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(problems).toEqual([]);
}

/** No horizontal page scroll: nothing is wider than the screen. */
async function expectNoSidewaysScroll(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.scrollingElement!.scrollWidth,
    client: document.scrollingElement!.clientWidth,
  }));
  expect(scroll, 'page wider than the screen').toBeLessThanOrEqual(client);
}

for (const size of SIZES) {
  test.describe(`${size.viewport.width}×${size.viewport.height}`, () => {
    test.use({ viewport: size.viewport });

    test(`a Huawei list and a Cisco list run each on its own devices (${size.name})`, async ({ page }) => {
      const form = await openForm(page);
      const name = unique(`per-vendor-${size.name}`);
      await pick(page, form, [...size.huawei, ...size.cisco]);
      await expect(form.getByTestId('selected-count')).toHaveText('4 selected');

      // no commands yet: every selected device would be skipped, per vendor
      const warning = form.getByTestId('skipped-warning');
      await expect(warning.locator('li[data-vendor="huawei_vrp"]')).toContainText(
        '2 selected devices will be skipped: no commands for Huawei VRP',
      );
      await expect(warning.locator('li[data-vendor="cisco_ios"]')).toContainText(
        '2 selected devices will be skipped: no commands for Cisco IOS / IOS-XE',
      );
      await expect(form.getByTestId('common-coverage')).toHaveText('Runs on 0 selected devices');

      // a list per vendor, added with the buttons that say how many selected devices have that vendor
      await mouseClick(
        page,
        form.getByRole('button', { name: 'Add commands for Huawei VRP (2 selected devices)' }),
      );
      const huawei = form.getByLabel('Huawei VRP commands');
      await expect(huawei).toBeFocused();
      await huawei.fill('display version');
      await expect(form.getByTestId('vendor-coverage-huawei_vrp')).toHaveText('Runs on 2 selected devices');
      await expect(warning.locator('li')).toHaveCount(1);
      await mouseClick(
        page,
        form.getByRole('button', { name: 'Add commands for Cisco IOS / IOS-XE (2 selected devices)' }),
      );
      const cisco = form.getByLabel('Cisco IOS / IOS-XE commands');
      await expect(cisco).toBeFocused();
      // a second line too long to send: the error comes back under the Cisco list
      await cisco.fill(`show version\n${'x'.repeat(1001)}`);
      await expect(form.getByTestId('vendor-coverage-cisco_ios')).toHaveText('Runs on 2 selected devices');
      await expect(form.getByTestId('common-coverage')).toHaveText(
        'Runs on 0 selected devices (vendors without their own list)',
      );
      await expect(warning).toHaveCount(0);
      // the vendors that have a list are no longer offered
      await expect(form.getByRole('button', { name: /^Add commands for Huawei VRP/ })).toHaveCount(0);
      await expect(
        form.getByRole('button', { name: 'Add commands for Generic (Linux / other)' }),
      ).toBeVisible();

      // a per-command option applies to a command of a vendor's list too
      await mouseClick(page, form.getByRole('button', { name: /Per-command options/ }));
      await form.getByLabel('Timeout for show version (s)', { exact: true }).fill('90');

      // no name and a bad Cisco line: both errors, each by its field; everything stays as typed
      await mouseClick(page, form.getByRole('button', { name: 'Start task on 4 devices' }));
      await expect(form.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
      await expect(cisco).toHaveAttribute('aria-invalid', 'true');
      await expect(cisco).toHaveAccessibleDescription(
        /Line 2: A command may have at most 1,000 characters\./,
      );
      await expect(form.locator('[data-vendor="cisco_ios"] .field-error')).toHaveText(
        'Line 2: A command may have at most 1,000 characters.',
      );
      await expect(huawei).toHaveAttribute('aria-invalid', 'false');
      await expect(page).toHaveURL(/\/tasks\/new$/);
      await expect(huawei).toHaveValue('display version');
      await expect(cisco).toHaveValue(`show version\n${'x'.repeat(1001)}`);
      await expect(form.getByLabel('Timeout for show version (s)', { exact: true })).toHaveValue('90');
      await expect(form.getByTestId('selected-count')).toHaveText('4 selected');
      await expect(form.getByTestId('vendor-coverage-cisco_ios')).toHaveText('Runs on 2 selected devices');

      await mouseClick(page, cisco);
      await cisco.fill('show version');
      await form.getByLabel('Name', { exact: true }).fill(name);
      await expectNoSidewaysScroll(page);
      await page.screenshot({ path: `${SHOTS}/new-${size.viewport.width}-light.png`, fullPage: true });
      if (size.name === 'desktop') await expectAccessibleForm(page);

      await mouseClick(page, form.getByRole('button', { name: 'Start task on 4 devices' }));
      await expect(page).toHaveURL(/\/tasks\/(?!new$)[^/]+$/);
      await expect(page.getByRole('heading', { name })).toBeVisible();
      await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100', {
        timeout: 30_000,
      });
      const counts = page.getByTestId('task-counts');
      await expect(counts).toContainText('4 succeeded');
      await expect(counts).toContainText('0 failed');
      await expect(counts).not.toContainText('skipped');
      await expect(page.locator('h1 + [data-status="completed"]')).toBeVisible();
      for (const device of [...size.huawei, ...size.cisco]) {
        await expect(page.locator(`details[data-device="${device}"]`)).toHaveAttribute(
          'data-status',
          'success',
        );
      }
      // each vendor ran its own list (and the Cisco command kept its timeout)
      const commands = page.getByTestId('task-commands');
      await expect(commands.locator('[data-vendor="huawei_vrp"] li[data-command]')).toHaveText([
        'display version',
      ]);
      await expect(commands.locator('[data-vendor="cisco_ios"] li[data-command]')).toHaveText([
        /^show version\s*timeout 90 s$/,
      ]);
      const ciscoRow = page.locator(`details[data-device="${size.cisco[0]}"]`);
      await mouseClick(page, ciscoRow.locator('summary'));
      await expect(ciscoRow.locator('[data-command-status="success"]').first()).toContainText('show version');
      await expect(ciscoRow.locator('[data-output]').first()).toContainText('Cisco IOS');
      await expectNoSidewaysScroll(page);
    });

    test.describe('dark', () => {
      test.use({ colorScheme: 'dark' });

      test(`a Huawei list alone skips the Cisco devices, and says so first (${size.name}, dark)`, async ({
        page,
      }) => {
        const form = await openForm(page);
        await expect(page.locator('html')).toHaveClass(/\bdark\b/);
        const name = unique(`huawei-only-${size.name}`);
        await mouseClick(page, form.getByLabel('Name', { exact: true }));
        await form.getByLabel('Name', { exact: true }).fill(name);
        await pick(page, form, [size.huawei[0], ...size.cisco]);
        await expect(form.getByTestId('selected-count')).toHaveText('3 selected');

        await mouseClick(
          page,
          form.getByRole('button', { name: 'Add commands for Huawei VRP (1 selected device)' }),
        );
        const huawei = form.getByLabel('Huawei VRP commands');
        await huawei.fill('display version');
        // removed and added again: the list comes back as it was
        await mouseClick(page, form.getByRole('button', { name: 'Remove the Huawei VRP list' }));
        await expect(huawei).toHaveCount(0);
        const add = form.getByRole('button', { name: 'Add commands for Huawei VRP (1 selected device)' });
        await expect(add).toBeFocused();
        await mouseClick(page, add);
        await expect(huawei).toHaveValue('display version');

        await expect(form.getByTestId('vendor-coverage-huawei_vrp')).toHaveText('Runs on 1 selected device');
        await expect(form.getByTestId('common-coverage')).toHaveText(
          'Runs on 0 selected devices (vendors without their own list)',
        );
        const warning = form.getByTestId('skipped-warning');
        await expect(warning).toBeVisible();
        await expect(warning.locator('li')).toHaveCount(1);
        await expect(warning.locator('li')).toContainText([
          '2 selected devices will be skipped: no commands for Cisco IOS / IOS-XE',
        ]);
        await expectNoSidewaysScroll(page);
        await page.screenshot({ path: `${SHOTS}/skipped-${size.viewport.width}-dark.png`, fullPage: true });
        if (size.name === 'desktop') await expectAccessibleForm(page);

        await mouseClick(page, form.getByRole('button', { name: 'Start task on 3 devices' }));
        await expect(page).toHaveURL(/\/tasks\/(?!new$)[^/]+$/);
        await expect(page.getByRole('heading', { name })).toBeVisible();
        await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100', {
          timeout: 30_000,
        });
        const counts = page.getByTestId('task-counts');
        await expect(counts).toContainText('1 succeeded');
        await expect(counts).toContainText('0 failed');
        await expect(counts).toContainText('2 skipped');
        await expect(page.locator(`details[data-device="${size.huawei[0]}"]`)).toHaveAttribute(
          'data-status',
          'success',
        );
        for (const device of size.cisco) {
          const row = page.locator(`details[data-device="${device}"]`);
          await expect(row).toHaveAttribute('data-status', 'skipped');
          await expect(row.locator('summary')).toContainText('No commands for Cisco IOS / IOS-XE');
        }
        await expectNoSidewaysScroll(page);
      });
    });
  });
}
