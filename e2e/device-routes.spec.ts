import { mkdirSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mouseClick, signInAsAdmin, unique } from './helpers';

const SHOTS = '/tmp/shots';
/** Screenshots are of the form: a toast passing over it is not part of it. */
const HIDE_TOASTS = '[data-testid="toasts"] { display: none; }';

/** The device form, once hydrated (before that a submit would post natively). */
async function deviceForm(page: Page): Promise<Locator> {
  const form = page.locator('form[data-hydrated="true"]');
  await expect(form).toBeVisible();
  return form;
}

// One jump host per viewport, used by no other spec (they are only named here, never changed).
const SIZES = [
  { name: 'desktop', viewport: { width: 1440, height: 900 }, jumpHost: 'lab-vrp-17' },
  { name: 'phone', viewport: { width: 390, height: 844 }, jumpHost: 'lab-vrp-19' },
] as const;

for (const { name, viewport, jumpHost } of SIZES) {
  test.describe(name, () => {
    test.use({ viewport });

    test(`a device behind a jump host with legacy algorithms; moving it to telnet needs the password again (${name})`, async ({
      page,
    }) => {
      mkdirSync(SHOTS, { recursive: true });
      await signInAsAdmin(page);
      await page.goto('/devices/new');
      let form = await deviceForm(page);
      const device = unique('behind-jump');
      const field = (label: string) => form.getByLabel(label, { exact: true });
      // "Password" also names the auth-type radio
      const password = form.locator('input#password');

      await field('Name').fill(device);
      await field('Host').fill('127.0.0.1');
      await field('SSH username').fill('netops');
      await password.fill('jump-route-pw-1');
      await field('Notes').fill('behind a bastion');
      await expect(form.locator(`datalist#jump-host-names option[value="${jumpHost}"]`)).toHaveCount(1);

      // a custom list naming an algorithm ssh2 does not have: refused under the list itself
      await field('SSH algorithms').selectOption('custom');
      const custom = field('Custom algorithms (JSON)');
      await custom.fill('{"kex":["diffie-hellman-group1-sha1"],"cipher":["rot13-cbc"]}');
      await field('Jump server').fill('no-such-jump-host');
      await mouseClick(page, form.getByRole('button', { name: 'Add device' }));
      await expect(custom).toHaveAttribute('aria-invalid', 'true');
      await expect(form.locator('#sshAlgorithms-error')).toContainText('Custom algorithms: cipher');
      await expect(custom).toHaveValue('{"kex":["diffie-hellman-group1-sha1"],"cipher":["rot13-cbc"]}');
      await page.addStyleTag({ content: HIDE_TOASTS });
      await page.screenshot({ path: `${SHOTS}/device-routes-custom-error-${name}.png`, fullPage: true });

      // legacy instead; now the jump host that does not exist is refused on its field
      await field('SSH algorithms').selectOption('legacy');
      await expect(custom).toHaveCount(0);
      await password.fill('jump-route-pw-1');
      await mouseClick(page, form.getByRole('button', { name: 'Add device' }));
      const jump = field('Jump server');
      await expect(jump).toHaveAttribute('aria-invalid', 'true');
      await expect(form.locator('#jumpHost-error')).toHaveText(
        'No device named no-such-jump-host that you may operate.',
      );
      // what was typed is kept (the password is never sent back)
      await expect(field('Name')).toHaveValue(device);
      await expect(field('Host')).toHaveValue('127.0.0.1');
      await expect(field('SSH algorithms')).toHaveValue('legacy');
      await expect(jump).toHaveValue('no-such-jump-host');
      await expect(field('Notes')).toHaveValue('behind a bastion');
      await expect(password).toHaveValue('');
      await page.screenshot({ path: `${SHOTS}/device-routes-create-error-${name}.png`, fullPage: true });

      await jump.fill(jumpHost);
      await password.fill('jump-route-pw-1');
      await mouseClick(page, form.getByRole('button', { name: 'Add device' }));
      await expect(page).toHaveURL(/\/devices$/);
      const row = page.locator(`tr[data-device="${device}"]`);
      await expect(row).toContainText('127.0.0.1:22');
      await expect(row).not.toContainText('unencrypted');

      // edit: the route as saved, then telnet without the password
      await mouseClick(page, row.getByRole('link', { name: `Edit ${device}` }));
      await expect(page.getByRole('heading', { name: `Edit ${device}` })).toBeVisible();
      form = await deviceForm(page);
      const connection = page.getByRole('region', { name: 'Connection' });
      await expect(connection.getByTestId('route')).toHaveText(`Reached through ${jumpHost}.`);
      await expect(field('Transport')).toHaveValue('ssh');
      await expect(field('SSH algorithms')).toHaveValue('legacy');
      await expect(field('Jump server')).toHaveValue(jumpHost);
      await expect(form.getByTestId('telnet-warning')).toHaveCount(0);

      await field('Transport').selectOption('telnet');
      await expect(form.getByTestId('telnet-warning')).toHaveText(
        /Telnet sends the password and everything typed in clear text/,
      );
      await expect(field('SSH algorithms')).toHaveCount(0);
      // the port was SSH's default: it follows to telnet's
      await expect(field('Telnet port')).toHaveValue('23');
      await expect(form.getByText('Telnet default: 23')).toBeVisible();
      await expect(form.getByRole('radio', { name: /Private key/ })).toBeDisabled();
      await field('Notes').fill('now over telnet');
      await mouseClick(page, form.getByRole('button', { name: 'Save changes' }));

      await expect(password).toHaveAttribute('aria-invalid', 'true');
      await expect(form.locator('#password-error')).toHaveText(
        'Enter the password again: a stored password is only sent to the route (transport and jump host) it was entered for.',
      );
      await expect(field('Transport')).toHaveValue('telnet');
      await expect(field('Telnet port')).toHaveValue('23');
      await expect(field('Jump server')).toHaveValue(jumpHost);
      await expect(field('Notes')).toHaveValue('now over telnet');
      await expect(form.getByTestId('telnet-warning')).toBeVisible();
      await page.addStyleTag({ content: HIDE_TOASTS });
      await page.screenshot({ path: `${SHOTS}/device-routes-edit-error-${name}.png`, fullPage: true });

      // with the password: saved; the list and the device page say it is unencrypted
      await password.fill('jump-route-pw-2');
      await mouseClick(page, form.getByRole('button', { name: 'Save changes' }));
      await expect(page).toHaveURL(/\/devices$/);
      await expect(row).toContainText('telnet · unencrypted');
      await expect(row).toContainText('127.0.0.1:23');
      await row.screenshot({ path: `${SHOTS}/device-routes-list-row-${name}.png` });
      // the badge does not push the Edit link off a phone's screen
      const edit = (await row.getByRole('link', { name: `Edit ${device}` }).boundingBox())!;
      expect(edit.x + edit.width).toBeLessThanOrEqual(viewport.width);
      await mouseClick(page, row.getByRole('link', { name: `Edit ${device}` }));
      await expect(connection.getByTestId('transport-note')).toContainText('Telnet: unencrypted.');
      await expect(connection.getByTestId('negotiated')).toHaveCount(0);
      // back to SSH, the legacy profile is still there: telnet only hid it
      form = await deviceForm(page);
      await field('Transport').selectOption('ssh');
      await expect(field('SSH algorithms')).toHaveValue('legacy');
      await expect(field('SSH port')).toHaveValue('22');
    });

    test(`the device page shows what the last SSH login negotiated (${name})`, async ({ page }) => {
      await signInAsAdmin(page);
      await page.goto(`/devices?q=${jumpHost}`);
      await mouseClick(page, page.getByRole('link', { name: `Edit ${jumpHost}` }));
      const vendor = page.getByRole('region', { name: 'Vendor', exact: true });
      const detect = vendor.getByRole('button', { name: 'Detect vendor' });
      await expect(detect).toBeEnabled();
      // detection logs in (and changes nothing): that login records the algorithms
      await mouseClick(page, detect);
      await expect(vendor.getByTestId('vendor-detection')).toBeVisible();
      await page.reload();
      const negotiated = page.getByRole('region', { name: 'Connection' }).getByTestId('negotiated');
      await expect(negotiated).toHaveText(/^Negotiated: kex \S+, host key \S+, cipher \S+, MAC \S+/);
      await page.addStyleTag({ content: HIDE_TOASTS });
      await page.screenshot({ path: `${SHOTS}/device-routes-page-${name}.png`, fullPage: true });
    });
  });
}
