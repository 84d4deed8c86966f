import { expect, type Page } from '@playwright/test';
import { E2E } from './env';

export async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  // wait for hydration: before it the form would submit natively
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signInAsAdmin(page: Page) {
  await signIn(page, 'admin', E2E.adminPassword);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
}

export function unique(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Create a user through the admin UI (the admin must be signed in on this page). */
export async function createUser(
  page: Page,
  username: string,
  role: 'admin' | 'operator' | 'viewer',
  password: string,
) {
  await page.goto('/admin/users');
  const form = page.getByRole('form', { name: 'Create user' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Role').selectOption(role);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('status').filter({ hasText: `User ${username} created.` })).toBeVisible();
}

/** The page's own alert (Next adds an empty route announcer with role="alert" too). */
export function alertOf(page: Page) {
  return page.locator('[role="alert"]:not(#__next-route-announcer__)');
}
