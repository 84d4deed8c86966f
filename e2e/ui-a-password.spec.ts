import { expect, test } from '@playwright/test';
import { alertOf, createUser, mouseClick, signIn, signInAsAdmin, unique } from './helpers';

for (const size of [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
]) {
  test(`a user changes their own password on /account at ${size.width}×${size.height}`, async ({
    browser,
  }) => {
    const admin = await (await browser.newContext()).newPage();
    const name = unique('pwchange');
    const oldPassword = 'old-password-12345';
    const newPassword = 'new-password-67890';
    await signInAsAdmin(admin);
    await createUser(admin, name, 'operator', oldPassword);

    // a second browser of the same user: it is signed out by the change
    const other = await (await browser.newContext()).newPage();
    await signIn(other, name, oldPassword);
    await expect(other.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

    const page = await (await browser.newContext({ viewport: size })).newPage();
    await signIn(page, name, oldPassword);
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
    await page.goto('/account');
    const form = page.getByRole('form', { name: 'Change password' });
    // wait for hydration: before it the form would submit natively
    await expect(page.locator('form[aria-label="Change password"][data-hydrated="true"]')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sign out everywhere' })).toBeVisible();

    // wrong current password: a field error, nothing changes
    await form.getByLabel('Current password').fill('not-my-password-1');
    await form.getByLabel('New password', { exact: true }).fill(newPassword);
    await form.getByLabel('New password again').fill(newPassword);
    await mouseClick(page, form.getByRole('button', { name: 'Change password' }));
    await expect(form.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');
    await expect(form).toContainText('The current password is not correct.');

    // too short, and the two do not match
    await form.getByLabel('Current password').fill(oldPassword);
    await form.getByLabel('New password', { exact: true }).fill('short');
    await form.getByLabel('New password again').fill('shorter');
    await mouseClick(page, form.getByRole('button', { name: 'Change password' }));
    await expect(form.getByLabel('New password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByLabel('New password again')).toHaveAttribute('aria-invalid', 'true');
    await page.screenshot({ path: `/tmp/ui-a-shots/password-errors-${size.width}.png`, fullPage: true });

    await form.getByLabel('Current password').fill(oldPassword);
    await form.getByLabel('New password', { exact: true }).fill(newPassword);
    await form.getByLabel('New password again').fill(newPassword);
    await mouseClick(page, form.getByRole('button', { name: 'Change password' }));

    // this browser is sent to sign in again, with a message saying why
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole('status')).toContainText('Your password was changed');
    await page.screenshot({ path: `/tmp/ui-a-shots/password-login-${size.width}.png`, fullPage: true });

    // the other browser's session ended too
    await other.goto('/account');
    await expect(other).toHaveURL(/\/login/);

    // the old password no longer works, the new one does
    await signIn(page, name, oldPassword);
    await expect(alertOf(page)).toBeVisible();
    await signIn(page, name, newPassword);
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

    // audited
    await admin.goto(`/admin/audit?action=user.password_change&target=${name}`);
    await expect(admin.locator('table')).toContainText('user.password_change');
  });
}
