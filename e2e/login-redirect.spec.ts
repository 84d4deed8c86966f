import { expect, test } from '@playwright/test';
import { E2E } from './env';

async function signInVia(page: import('@playwright/test').Page, loginPath: string) {
  await page.goto(loginPath);
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(E2E.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

// Paths a browser resolves to another origin although they start with one "/".
const hostile = [
  '/%5C127.0.0.1:3999/x', // "/\host": backslash counts as a slash
  '/%09/127.0.0.1:3999/x', // "/<tab>/host": the tab is stripped
  '/x/..//127.0.0.1:3999/x', // "//host" after dot-segment removal
  'https://127.0.0.1:3999/x',
];

for (const callbackUrl of hostile) {
  test(`sign-in with callbackUrl=${callbackUrl} stays on the portal`, async ({ page }) => {
    await signInVia(page, `/login?callbackUrl=${callbackUrl}`);
    await expect(page).toHaveURL(`${E2E.baseURL}/`);
    expect(new URL(page.url()).origin).toBe(E2E.baseURL);
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  });
}

test('a same-origin callbackUrl is honoured after sign-in', async ({ page }) => {
  await signInVia(page, `/login?callbackUrl=${encodeURIComponent('/tasks?filter=mine')}`);
  await expect(page).toHaveURL(`${E2E.baseURL}/tasks?filter=mine`);
});
