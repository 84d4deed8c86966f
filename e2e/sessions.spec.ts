import { expect, test, type Browser, type Page } from '@playwright/test';
import { createUser, pickerSearch, signIn, signInAsAdmin, unique } from './helpers';

/**
 * Finding 3 (and 2) in the browser: "Sign out everywhere" ends the user's other sessions at once: the
 * other browser's open terminal is closed with the reason and its next navigation lands on /login.
 */
const PASSWORD = 'operator-password-123';
const DEVICE = 'lab-ios-07';

async function operatorWithDevice(browser: Browser): Promise<{ admin: Page; name: string }> {
  const admin = await (await browser.newContext()).newPage();
  const name = unique('everywhere');
  await signInAsAdmin(admin);
  await createUser(admin, name, 'operator', PASSWORD);
  await admin
    .locator(`tr[data-user="${name}"]`)
    .getByRole('link', { name: /granted/ })
    .click();
  await pickerSearch(admin, DEVICE); // the picker shows one page: search first
  await admin.getByLabel(`Grant ${DEVICE}`).check();
  await admin.getByRole('button', { name: /Save grants/ }).click();
  await expect(admin.getByRole('status')).toContainText('1 device granted');
  return { admin, name };
}

async function signedIn(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, name, PASSWORD);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  return page;
}

async function openTerminal(page: Page) {
  await page.getByRole('link', { name: 'Terminal' }).click();
  await page.getByRole('button', { name: '+ New tab' }).click();
  await page
    .getByRole('dialog', { name: 'Choose a device' })
    .getByRole('button', { name: new RegExp(`^${DEVICE}`) })
    .click();
  const tab = page.locator(`[role="tab"][data-tab="${DEVICE}"]`);
  await expect(tab).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
  await expect(page.locator(`[data-pane="${DEVICE}"] .xterm-rows`)).toContainText(`${DEVICE}>`);
  return tab;
}

test('sign out everywhere: the other browser’s terminal closes with the reason and its next step is the sign-in page', async ({
  browser,
}) => {
  const { name } = await operatorWithDevice(browser);
  const here = await signedIn(browser, name);
  const elsewhere = await signedIn(browser, name);
  const tab = await openTerminal(elsewhere);

  // the account page, from the header
  await here.getByRole('link', { name: 'Your account' }).click();
  await expect(here.getByRole('heading', { name: 'Account', exact: true })).toBeVisible();
  await expect(here.getByTestId('account-username')).toHaveText(name);
  await expect(here.getByTestId('account-role')).toHaveText('operator');
  await here.getByRole('button', { name: 'Sign out everywhere' }).click();
  // this browser is signed out too
  await expect(here).toHaveURL(/\/login/);
  await here.goto('/devices');
  await expect(here).toHaveURL(/\/login/);

  // the other browser: its terminal was closed at once, with the reason
  await expect(tab).toHaveAttribute('data-state', 'closed');
  await expect(elsewhere.getByTestId('terminal-status')).toContainText('You were signed out everywhere');
  // and its next navigation lands on the sign-in page
  await elsewhere.getByRole('link', { name: 'Devices' }).click();
  await expect(elsewhere).toHaveURL(/\/login/);

  // signing in again works
  await signIn(here, name, PASSWORD);
  await expect(here.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
});

test('an admin signs a user out everywhere from the user’s page', async ({ browser }) => {
  const { admin, name } = await operatorWithDevice(browser);
  const user = await signedIn(browser, name);
  const tab = await openTerminal(user);

  // operatorWithDevice left the admin on the user's page
  await admin.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(
    admin.getByRole('status').filter({ hasText: `${name} was signed out everywhere` }),
  ).toBeVisible();

  await expect(tab).toHaveAttribute('data-state', 'closed');
  await expect(user.getByTestId('terminal-status')).toContainText('You were signed out everywhere');
  await user.getByRole('link', { name: 'Dashboard' }).click();
  await expect(user).toHaveURL(/\/login/);
  // the admin is still signed in
  await admin.getByRole('link', { name: 'Users', exact: true }).click();
  await expect(admin.getByRole('heading', { name: 'Users' })).toBeVisible();
});
