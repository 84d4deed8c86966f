import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createUser, mouseClick, pickerSearch, setLabDevice, signIn, signInAsAdmin, unique } from './helpers';

/** Screenshots for a person to look at (not compared). */
const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/device-page-shots';
/** A lab device no other spec takes down. */
const DEVICE = 'lab-ios-16';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/**
 * Nothing wider than the screen: the page never scrolls sideways, once it has laid itself out at the
 * new size (the status chart takes its width from a resize observer, a moment after the window's).
 */
async function expectNoSidewaysScroll(page: Page) {
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth))
    .toBeLessThanOrEqual(page.viewportSize()!.width);
}

/** The page at both sizes, for a person to look at; on the phone nothing may be wider than the screen. */
async function shoot(page: Page, name: string, ready: () => Promise<void>) {
  mkdirSync(SHOTS, { recursive: true });
  await page.addStyleTag({ content: '[data-testid="toasts"] { display: none; }' });
  await page.setViewportSize(DESKTOP);
  await ready();
  await page.screenshot({ path: path.join(SHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await ready();
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

test.use({ viewport: DESKTOP });

test('the device page: Probe now reads offline after the lab switch, the timeline shows the outage, a viewer gets it read-only', async ({
  page,
  browser,
}) => {
  await signInAsAdmin(page);

  // from the device list to the device's page, with the mouse
  await page.goto(`/devices?q=${DEVICE}`);
  await mouseClick(
    page,
    page.locator(`tr[data-device="${DEVICE}"]`).getByRole('link', { name: DEVICE, exact: true }),
  );
  await expect(page.getByRole('heading', { name: DEVICE, level: 1 })).toBeVisible();
  const url = page.url();
  expect(url).toMatch(/\/devices\/[A-Za-z0-9_-]+$/);
  const status = page.getByTestId('device-status-value');
  await expect(status).toHaveAttribute('data-status', 'online', { timeout: 15_000 });
  const actions = page.getByRole('group', { name: 'Device actions' });
  await expect(actions.getByRole('link', { name: 'Open terminal' })).toHaveAttribute(
    'href',
    /\/terminal\?devices=/,
  );
  await expect(actions.getByRole('link', { name: 'Edit' })).toBeVisible();

  // take it down; Probe now until the probes (with their hysteresis) say offline
  await setLabDevice(page, DEVICE, false);
  await page.goto(url);
  const probe = page.getByRole('button', { name: 'Probe now' });
  const verdict = page.getByTestId('probe-result').locator('[data-probe-status]');
  await expect(async () => {
    await mouseClick(page, probe);
    await expect(probe).toBeEnabled();
    await expect(verdict).toHaveAttribute('data-probe-status', 'offline', { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId('probe-result')).toContainText('Unreachable');
  await expect(status).toHaveAttribute('data-status', 'offline');

  // bring it up: the pushed status (or the page's refresh after it) reads online again
  await setLabDevice(page, DEVICE, true);
  await page.goto(url);
  await expect(status).toHaveAttribute('data-status', 'online', { timeout: 15_000 });

  // the timeline (24 h) holds the outage; hovering it says what it was
  const timeline = page.getByTestId('status-timeline');
  const outage = timeline.locator('[data-segment-status="offline"]').last();
  await expect(outage).toBeVisible();
  await expect(timeline.locator('[data-segment-status="online"]').last()).toBeVisible();
  // (a refresh after the status push may lay the page out again under the pointer: point again, as a
  // person would)
  await expect(async () => {
    await page.mouse.move(0, 0);
    const box = (await outage.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(page.getByTestId('timeline-tooltip')).toContainText('Offline for', { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId('uptime')).toContainText('uptime');
  // the week view has it too
  // (a refresh after the status push may move the page under the pointer: click again, as a person would)
  const windowNav = page.getByRole('navigation', { name: 'Window' });
  await expect(async () => {
    await mouseClick(page, windowNav.getByRole('link', { name: '7 d' }));
    await expect(page).toHaveURL(/window=7d/, { timeout: 3_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByRole('heading', { name: /Status, last 7 d/ })).toBeVisible();
  await expect(timeline.locator('[data-segment-status="offline"]').first()).toBeVisible();
  await expect(async () => {
    await mouseClick(page, windowNav.getByRole('link', { name: '24 h' }));
    await expect(page.getByRole('heading', { name: /Status, last 24 h/ })).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 15_000 });

  await shoot(page, 'device-page', () =>
    expect(timeline.locator('[data-segment-status]').first()).toBeVisible(),
  );

  // Edit works with the mouse and leads to the form
  await mouseClick(page, actions.getByRole('link', { name: 'Edit' }));
  await expect(page.getByRole('heading', { name: `Edit ${DEVICE}` })).toBeVisible();
  await expect(page).toHaveURL(/\/edit$/);

  // the dashboard: counts, the online chart, outages link to the device page
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await shoot(page, 'dashboard', () =>
    expect(page.getByTestId('online-chart').locator('svg').first()).toBeVisible(),
  );

  // a viewer granted the device: the page read-only (Probe now stays: it sends no credentials)
  const viewer = unique('dpviewer');
  const password = 'viewer-password-123';
  await createUser(page, viewer, 'viewer', password);
  await page
    .locator(`tr[data-user="${viewer}"]`)
    .getByRole('link', { name: /granted/ })
    .click();
  await pickerSearch(page, DEVICE);
  await page.getByLabel(`Grant ${DEVICE}`).check();
  await page.getByRole('button', { name: /Save grants/ }).click();
  await expect(page.getByRole('status')).toContainText('1 device granted');

  const other = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  await signIn(other, viewer, password);
  await expect(other.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await other.goto(url);
  await expect(other.getByRole('heading', { name: DEVICE, level: 1 })).toBeVisible();
  await expect(other.getByTestId('device-status-value')).toHaveAttribute('data-status', 'online');
  await expect(other.getByRole('link', { name: 'Edit' })).toHaveCount(0);
  await expect(other.getByRole('link', { name: 'Open terminal', exact: true })).toHaveCount(0);
  // a viewer's terminal is read-only (the guard rails' read-only rules)
  await expect(other.getByRole('link', { name: 'Open read-only terminal' })).toBeVisible();
  await expect(other.getByRole('button', { name: 'Probe now' })).toBeVisible();
  await expect(other.getByText('View only')).toBeVisible();
  await other.goto(`${url}/edit`);
  await expect(other.getByRole('alert').filter({ hasText: 'Not allowed' })).toBeVisible();
});
