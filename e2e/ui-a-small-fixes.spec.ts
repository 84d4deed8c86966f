import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { createUser, mouseClick, signIn, signInAsAdmin, unique } from './helpers';

// Issue 15 item 10, the small things a new user trips over: each done the way a person does it, with
// the mouse, on a laptop and on a phone.

const SHOTS = '/tmp/shots';
mkdirSync(SHOTS, { recursive: true });

// A browser eight hours ahead of UTC all year (no daylight saving): local and UTC differ visibly.
const TIME_ZONE = 'Asia/Shanghai';
const ZONE_OFFSET_MS = 8 * 3600_000;

/** What <Time> shows for an ISO moment in TIME_ZONE: "2026-11-03 22:05:09". */
const shanghai = (iso: string) =>
  new Date(Date.parse(iso) + ZONE_OFFSET_MS).toISOString().replace('T', ' ').slice(0, 19);

const shot = (page: Page, name: string, width: number, fullPage = true) =>
  page.screenshot({ path: `${SHOTS}/small-${name}-${width < 800 ? 'phone' : 'desktop'}.png`, fullPage });

/** Start a one-device task through New task, with the mouse; returns at the task's page. */
async function startFailingTask(page: Page, name: string, device: string) {
  await page.goto('/tasks/new');
  const form = page.getByRole('form', { name: 'New task' });
  await expect(form.getByRole('button', { name: 'Start task on 0 devices' })).toBeVisible();
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Commands (one per line, run in order)').fill('show clock');
  // output that never matches: the device fails, and fails again when retried
  await form.getByLabel('Expected output').fill('no-device-prints-this-[0-9]{9}');
  await form.locator('#device-search').fill(device);
  await mouseClick(page, form.getByLabel(`Select ${device}`));
  await mouseClick(page, form.getByRole('button', { name: 'Start task on 1 device' }));
  await expect(page).toHaveURL(/\/tasks\/(?!new$)[^/]+$/);
}

test('the favicon is linked from every page and served without signing in', async ({ page, request }) => {
  await page.goto('/login');
  const href = await page.locator('link[rel="icon"]').first().getAttribute('href');
  expect(href).toMatch(/^\/icon\.svg/);
  const res = await request.get(href!, { maxRedirects: 0 });
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('image/svg+xml');
  expect(await res.text()).toContain('<svg');
});

test('an unknown API address answers a 404 problem, not the sign-in page', async ({ page }) => {
  await signInAsAdmin(page);
  const res = await page.request.get('/api/v1/no-such-endpoint', { maxRedirects: 0 });
  expect(res.status()).toBe(404);
  expect(await res.json()).toMatchObject({ code: 'not_found' });
});

for (const size of [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
]) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    test.use({ viewport: size, timezoneId: TIME_ZONE });

    test('Esc closes the notification panel and gives focus back to the bell; a click outside closes it too', async ({
      page,
    }) => {
      await signInAsAdmin(page);
      const bell = page.getByRole('button', { name: /^Notifications \(/ });
      const panel = page.getByRole('dialog', { name: 'Recent notifications' });
      await mouseClick(page, bell);
      await expect(panel).toBeVisible();
      // no sequence numbers for people to read
      await expect(panel).not.toContainText(/#\d+/);
      // the whole panel is on screen, also on a phone
      const box = (await panel.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(size.width);
      await shot(page, 'bell', size.width, false);
      await page.keyboard.press('Escape');
      await expect(panel).toBeHidden();
      await expect(bell).toBeFocused();

      await mouseClick(page, bell);
      await expect(panel).toBeVisible();
      // a press on the page below the panel (on a phone the panel spans the width under the header)
      const outside = { x: 12, y: size.height - 12 };
      expect(
        await panel.evaluate((p, { x, y }) => p.contains(document.elementFromPoint(x, y)), outside),
      ).toBe(false);
      await page.mouse.click(outside.x, outside.y);
      await expect(panel).toBeHidden();
    });

    test('device search filters as you type, keeps ?q= in the address, and a reload keeps it', async ({
      page,
    }) => {
      await signInAsAdmin(page);
      await page.goto('/devices');
      const rows = page.locator('tr[data-device]');
      await expect(page.locator('tr[data-device="lab-vrp-01"]')).toBeVisible();
      const search = page.getByRole('searchbox', { name: 'Search' });
      await mouseClick(page, search);
      await search.pressSequentially('lab-ios-1', { delay: 40 }); // no Enter, no button
      await expect(page).toHaveURL(/\/devices\?q=lab-ios-1$/);
      await expect(page.locator('tr[data-device="lab-vrp-01"]')).toHaveCount(0);
      await expect(page.locator('tr[data-device="lab-ios-10"]')).toBeVisible();
      for (const name of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-device'))))
        expect(name).toContain('lab-ios-1');
      await expect(search).toBeFocused(); // the page updated under the cursor
      await shot(page, 'device-search', size.width);

      await page.reload();
      await expect(search).toHaveValue('lab-ios-1');
      await expect(page.locator('tr[data-device="lab-vrp-01"]')).toHaveCount(0);
      await expect(page.locator('tr[data-device="lab-ios-10"]')).toBeVisible();

      // Clear empties the box as well as the list's filter
      await mouseClick(page, page.getByRole('link', { name: 'Clear' }));
      await expect(page).toHaveURL(/\/devices$/);
      await expect(search).toHaveValue('');
      await expect(page.locator('tr[data-device="lab-vrp-01"]')).toBeVisible();
    });

    test('a 404 keeps the header and its navigation, for an unknown address and for a missing task', async ({
      page,
    }) => {
      await signInAsAdmin(page);
      for (const url of ['/no-such-page', '/tasks/no-such-task']) {
        const res = await page.goto(url);
        expect(res?.status(), url).toBe(404);
        await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
        // on a phone the navigation folds behind the Menu button
        if (size.width < 768) await mouseClick(page, page.getByRole('button', { name: 'Menu' }));
        await expect(
          page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }),
        ).toBeVisible();
        if (size.width < 768) await mouseClick(page, page.getByRole('button', { name: 'Menu' }));
        await expect(page.getByRole('button', { name: /^Notifications \(/ })).toBeVisible();
      }
      await shot(page, 'not-found', size.width);
      await mouseClick(page, page.getByTestId('not-found').getByRole('link', { name: 'Devices' }));
      await expect(page).toHaveURL(/\/devices$/);
    });

    test("times show in the browser's time zone with the UTC time on hover", async ({ page }) => {
      await signInAsAdmin(page); // the sign-in is audited: the audit log has a fresh row
      await page.goto('/admin/audit?action=login');
      const time = page.getByTestId('audit-table').locator('tbody time').first();
      await expect(time).toBeVisible();
      const iso = (await time.getAttribute('datetime'))!;
      await expect(time).toHaveText(shanghai(iso));
      await expect(time).toHaveAttribute('title', `${iso.slice(0, 19)}Z (UTC)`);
      await shot(page, 'audit-times', size.width);

      await page.goto('/admin/users');
      const login = page.locator('tr[data-user="admin"] time');
      await expect(login).toHaveText(shanghai((await login.getAttribute('datetime'))!));
    });

    test('a role change asks first, naming the user and the role; Cancel keeps the old role', async ({
      page,
    }) => {
      await signInAsAdmin(page);
      const name = unique('role');
      await createUser(page, name, 'viewer', 'role-password-1234');
      await page.reload();
      const row = page.locator(`tr[data-user="${name}"]`);
      const role = row.getByRole('combobox', { name: `Role of ${name}` });
      const confirm = row.getByRole('group', { name: `Confirm role change for ${name}` });

      await role.selectOption('admin');
      await expect(confirm).toContainText(`Change ${name} from viewer to admin?`);
      await shot(page, 'role-confirm', size.width);
      await mouseClick(page, confirm.getByRole('button', { name: 'Cancel' }));
      await expect(confirm).toBeHidden();
      await expect(role).toHaveValue('viewer');
      await page.reload();
      await expect(role).toHaveValue('viewer'); // nothing was saved

      await role.selectOption('operator');
      await mouseClick(page, confirm.getByRole('button', { name: 'Change role' }));
      await expect(row.getByRole('status')).toHaveText('Role changed.');
      await page.reload();
      await expect(role).toHaveValue('operator');
    });

    test("the admin's task list names each task's owner; a retried device shows its attempts; one device reads singular", async ({
      page,
      browser,
    }) => {
      await signInAsAdmin(page);
      const taskName = unique(`attempts-${size.width}`);
      await startFailingTask(page, taskName, 'lab-ios-08');
      const device = page.locator('details[data-device="lab-ios-08"]');
      await expect(device).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
      await expect(page.getByTestId('task-counts')).toContainText('of 1 device done');
      await expect(device.getByTestId('attempts')).toHaveCount(0); // one run: nothing to say

      await mouseClick(page, page.getByRole('button', { name: 'Retry failed (1)' }));
      await expect(device.getByTestId('attempts')).toHaveText('2 attempts', { timeout: 30_000 });
      await expect(device).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
      await shot(page, 'task-attempts', size.width);

      await page.goto('/tasks');
      await expect(page.getByRole('columnheader', { name: 'Owner' })).toBeVisible();
      const row = page.locator(`tr[data-task="${taskName}"]`);
      await expect(row.getByTestId('task-owner')).toHaveText('admin');
      const created = row.locator('time');
      await expect(created).toHaveText(shanghai((await created.getAttribute('datetime'))!));
      await shot(page, 'tasks-owner', size.width);

      // people who see only their own tasks get no owner column
      const name = unique('own');
      await createUser(page, name, 'operator', 'owner-password-1234');
      const own = await (await browser.newContext({ viewport: size })).newPage();
      await signIn(own, name, 'owner-password-1234');
      await expect(own.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
      await own.goto('/tasks');
      await expect(own.getByRole('heading', { name: 'Tasks' })).toBeVisible();
      await expect(own.getByRole('columnheader', { name: 'Owner' })).toHaveCount(0);
    });
  });
}
