import { createServer, type Server, type Socket } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { signInAsAdmin, unique, openDeviceForm } from './helpers';

// A "slow device": accepts the TCP connection and never says a word, so a task works on it until
// its timeout. Named hang-… it sorts (and runs) before the lab device it is paired with.
let slow: Server;
let slowPort = 0;
const sockets = new Set<Socket>();
test.beforeAll(async () => {
  slow = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  slowPort = (slow.address() as { port: number }).port;
});
test.afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => slow.close(() => resolve()));
});

async function addDevice(page: Page, name: string, port: number) {
  await openDeviceForm(page);
  await page.getByLabel('Name', { exact: true }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Host').fill('127.0.0.1');
  await page.getByLabel('SSH port').fill(String(port));
  await page.getByLabel('SSH username').fill('netops');
  await page.locator('input#password').fill('any-password-123');
  await page.getByRole('button', { name: 'Add device' }).click();
  await expect(page).toHaveURL(/\/devices$/);
}

/** Hue of a computed oklch()/rgb() colour, in degrees. */
function hueOf(colour: string): number {
  const oklch = /oklch\(\s*[\d.]+%?\s+[\d.]+\s+([\d.]+)/.exec(colour);
  if (oklch) return Number(oklch[1]);
  const lab = /^(?:ok)?lab\(\s*[\d.]+%?\s+(-?[\d.]+)\s+(-?[\d.]+)/.exec(colour); // Chromium's computed form
  if (lab) return ((Math.atan2(Number(lab[2]), Number(lab[1])) * 180) / Math.PI + 360) % 360;
  const rgb = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(colour);
  if (!rgb) throw new Error(`not a colour: ${colour}`);
  const [r, g, b] = rgb.slice(1, 4).map((x) => Number(x) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  if (d === 0) return 0;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

const SIZES = [
  { name: 'desktop', viewport: { width: 1440, height: 900 }, lab: 'lab-vrp-15' },
  { name: 'phone', viewport: { width: 390, height: 844 }, lab: 'lab-vrp-16' },
] as const;

for (const size of SIZES) {
  test.describe(size.name, () => {
    test.use({ viewport: size.viewport });

    test(`a running task shows its running device, a ticking timer and a green/red bar (${size.name})`, async ({
      page,
    }) => {
      await signInAsAdmin(page);
      const hang = unique('hang');
      await addDevice(page, hang, slowPort);

      await page.goto('/tasks/new');
      const form = page.getByRole('form', { name: 'New task' });
      await form.getByLabel('Name', { exact: true }).fill(`live ${hang}`);
      await form.getByLabel('Commands (one per line, run in order)').fill('display clock');
      for (const device of [hang, size.lab]) {
        await form.getByPlaceholder('Search name or host').fill(device);
        await form.getByLabel(`Select ${device}`).check();
      }
      await expect(form.getByTestId('selected-count')).toHaveText('2 selected');
      await form.getByLabel('Concurrency (devices at once)').fill('1');
      await form.getByLabel('Timeout per device (s)').fill('8');
      await form.getByRole('button', { name: 'Start task on 2 devices' }).click();
      await expect(page).toHaveURL(/\/tasks\/[^/]+$/);

      // while the slow device is worked on: it reads running, and so does the filter, without a reload
      const row = page.locator(`details[data-device="${hang}"]`);
      await expect(row).toHaveAttribute('data-status', 'running', { timeout: 4_000 });
      await expect(page.getByRole('button', { name: /^running [1-9]/, pressed: false })).toBeVisible();
      const elapsed = page.getByTestId('task-elapsed');
      await expect(elapsed).toBeVisible();
      const first = await elapsed.textContent();
      await expect(elapsed).not.toHaveText(first ?? '', { timeout: 2_500 });
      await page.screenshot({ path: `test-results/task-running-${size.name}.png`, fullPage: true });

      // done: one succeeded, one failed (timed out) — the bar is half green, half red
      await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100', {
        timeout: 20_000,
      });
      await expect(page.getByTestId('task-counts')).toContainText('1 succeeded');
      await expect(page.getByTestId('task-counts')).toContainText('1 failed');
      const bar = page.getByRole('progressbar');
      const ok = bar.locator('[data-segment="succeeded"]');
      const bad = bar.locator('[data-segment="failed"]');
      await expect(ok).toBeVisible();
      await expect(bad).toBeVisible();
      // widths settle after the transition
      await expect
        .poll(async () => {
          const [b, g, r] = await Promise.all([bar.boundingBox(), ok.boundingBox(), bad.boundingBox()]);
          return Math.round((g!.width / b!.width) * 100) + '/' + Math.round((r!.width / b!.width) * 100);
        })
        .toBe('50/50');
      const green = hueOf(await ok.evaluate((el) => getComputedStyle(el).backgroundColor));
      const red = hueOf(await bad.evaluate((el) => getComputedStyle(el).backgroundColor));
      expect(green).toBeGreaterThan(100);
      expect(green).toBeLessThan(180);
      expect(red < 60 || red > 330).toBe(true);
      await expect(elapsed).toBeVisible();
      // a finished task shows its fixed duration, not a ticking timer
      await expect(elapsed).toHaveText(/^took \d/);
      await page.screenshot({ path: `test-results/task-done-${size.name}.png`, fullPage: true });
    });
  });
}
