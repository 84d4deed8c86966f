import { mkdirSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mouseClick, setLabDevice, signInAsAdmin } from './helpers';

const SHOTS = '/tmp/shots';
/** Screenshots are of the panel: a toast passing over it is not part of it. */
const HIDE_TOASTS = '[data-testid="toasts"] { display: none; }';

/** From the device list to the device's edit page; returns the Test connection panel, hydrated. */
async function openEditPage(page: Page, device: string): Promise<Locator> {
  await page.goto(`/devices?q=${device}`);
  await mouseClick(page, page.getByRole('link', { name: `Edit ${device}` }));
  await expect(page.getByRole('heading', { name: `Edit ${device}` })).toBeVisible();
  const panel = page.getByRole('region', { name: 'Test connection', exact: true });
  await expect(panel.getByRole('button', { name: 'Test connection' })).toBeEnabled();
  return panel;
}

const STEPS = ['access', 'route', 'tcp', 'negotiation', 'host_key', 'auth', 'prompt', 'paging', 'vendor'];

// Lab devices used by no other spec: a good one (its host key gets accepted here) and one taken down.
const SIZES = [
  { name: 'desktop', viewport: { width: 1440, height: 900 }, good: 'lab-ios-05', down: 'lab-ios-09' },
  { name: 'phone', viewport: { width: 390, height: 844 }, good: 'lab-ios-06', down: 'lab-ios-11' },
] as const;

for (const { name, viewport, good, down } of SIZES) {
  test.describe(name, () => {
    test.use({ viewport });

    test(`Test connection shows every step, offers a new host key without saving it, and names the failed step (${name})`, async ({
      page,
    }) => {
      mkdirSync(SHOTS, { recursive: true });
      await signInAsAdmin(page);

      let panel = await openEditPage(page, good);
      const hostKeys = page.getByRole('region', { name: 'SSH host key', exact: true });
      await mouseClick(page, panel.getByRole('button', { name: 'Test connection' }));
      const report = panel.getByTestId('connection-test');
      await expect(report.getByRole('status')).toHaveText('Every step passed.', { timeout: 25_000 });
      for (const id of STEPS)
        await expect(report.getByTestId(`step-${id}`)).toHaveAttribute('data-status', 'ok');
      await expect(report.getByTestId('step-tcp')).toContainText(/TCP 127\.0\.0\.1:\d+ open \(\d+ ms\)/);
      await expect(report.getByTestId('step-negotiation')).toContainText('SSH (modern profile): kex');
      await expect(report.getByTestId('step-auth')).toContainText('authenticated as netops');
      await expect(report.getByTestId('step-prompt')).toContainText(`prompt ${good}# (exec mode)`);
      await expect(report.getByTestId('step-paging')).toContainText('paging off: terminal length 0');
      await expect(report.getByTestId('step-vendor')).toContainText(
        'stored Cisco IOS / IOS-XE, the device says Cisco IOS / IOS-XE (high confidence)',
      );
      const keyStep = report.getByTestId('step-host_key');
      await expect(keyStep).toContainText(
        /new key SHA256:\S+ — not saved; accept it on this page to trust it/,
      );
      await expect(panel.getByRole('alert')).toHaveCount(0);
      await panel.screenshot({ path: `${SHOTS}/test-connection-ok-${name}.png`, style: HIDE_TOASTS });

      // not saved: the key is only offered, and the host-key panel has it with Accept
      const fingerprint = /SHA256:\S+/.exec((await keyStep.textContent()) ?? '')![0];
      await expect(hostKeys.getByTestId('trusted-fingerprint')).toHaveCount(0);
      await expect(hostKeys.getByTestId('offered-fingerprint')).toHaveText(fingerprint);
      await hostKeys.screenshot({
        path: `${SHOTS}/test-connection-offered-key-${name}.png`,
        style: HIDE_TOASTS,
      });
      await mouseClick(page, hostKeys.getByRole('button', { name: 'Accept this key' }));
      await expect(hostKeys.getByTestId('trusted-fingerprint')).toHaveText(fingerprint);

      panel = await openEditPage(page, good);
      await mouseClick(page, panel.getByRole('button', { name: 'Test connection' }));
      await expect(panel.getByTestId('step-host_key')).toContainText(`host key ${fingerprint} (trusted)`, {
        timeout: 25_000,
      });

      await setLabDevice(page, down, false);
      try {
        panel = await openEditPage(page, down);
        await mouseClick(page, panel.getByRole('button', { name: 'Test connection' }));
        const failed = panel.getByTestId('step-tcp');
        await expect(failed).toHaveAttribute('data-status', 'failed', { timeout: 25_000 });
        await expect(panel.getByRole('status')).toHaveText('Failed at TCP.');
        await expect(failed.getByRole('alert')).toContainText(/TCP 127\.0\.0\.1:\d+: connection refused/);
        for (const id of ['access', 'route'])
          await expect(panel.getByTestId(`step-${id}`)).toHaveAttribute('data-status', 'ok');
        for (const id of STEPS.slice(3)) {
          const row = panel.getByTestId(`step-${id}`);
          await expect(row).toHaveAttribute('data-status', 'skipped');
          await expect(row).toContainText('Not run: the test stopped at TCP.');
        }
        await panel.screenshot({ path: `${SHOTS}/test-connection-down-${name}.png`, style: HIDE_TOASTS });
      } finally {
        await setLabDevice(page, down, true);
      }
    });
  });
}
