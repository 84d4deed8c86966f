import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import { adminTokenCliArgs } from '../tests/token-cli-args';
import { E2E } from './env';

/** Sign in through the form; works in either language (fields by name, not by their label). */
export async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  // wait for hydration: before it the form would submit natively
  await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form[data-hydrated="true"] button[type="submit"]').click();
}

/** Signed in as the admin, on the dashboard (in whatever language the browser asks for). */
export async function signInAsAdmin(page: Page) {
  // next-auth's answer to the form, awaited on its own: a refusal fails here with the portal's reason
  // (a sign-in that once stayed on /login in CI left only "no current user" to go on)
  const answer = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/auth/callback/credentials',
    { timeout: 30_000 },
  );
  await signIn(page, 'admin', E2E.adminPassword);
  const res = await answer;
  if (!res.ok()) {
    const body = await res.text().catch(() => '');
    const url = /"url"\s*:\s*"([^"]*)"/.exec(body)?.[1];
    const reason = url ? new URL(url, E2E.baseURL).searchParams.get('error') : body.slice(0, 300);
    throw new Error(`the admin's sign-in was refused: HTTP ${res.status()}: ${reason}`);
  }
  await expect(page.getByTestId('current-user')).toBeVisible({ timeout: 20_000 });
}

/**
 * The device form (new, or an edit page), once hydrated: a field filled or a button pressed before
 * hydration may be lost or post the form natively.
 */
export async function openDeviceForm(page: Page, url = '/devices/new'): Promise<Locator> {
  await page.goto(url);
  const form = page.locator('form[data-hydrated="true"]');
  await expect(form).toBeVisible();
  return form;
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

/**
 * A new user of this role granted just this one device, made through the admin's pages (a context of
 * its own, closed after): their device list and sessions are theirs alone. Returns the user name.
 */
export async function userGrantedDevice(
  browser: Browser,
  prefix: string,
  role: 'operator' | 'viewer',
  device: string,
  password: string,
): Promise<string> {
  const admin = await (await browser.newContext()).newPage();
  const name = unique(prefix);
  await signInAsAdmin(admin);
  await createUser(admin, name, role, password);
  await admin
    .locator(`tr[data-user="${name}"]`)
    .getByRole('link', { name: /granted/ })
    .click();
  await pickerSearch(admin, device);
  await admin.getByLabel(`Grant ${device}`).check();
  await admin.getByRole('button', { name: /Save grants/ }).click();
  await expect(admin.getByRole('status')).toContainText('1 device granted');
  await admin.context().close();
  return name;
}

/** The page's own alert (Next adds an empty route announcer with role="alert" too). */
export function alertOf(page: Page) {
  return page.locator('[role="alert"]:not(#__next-route-announcer__)');
}

/**
 * A real pointer click in the middle of the element (of its first line, when it wraps), once it has stopped moving and is what the
 * pointer would hit there. A live toast covering it (other specs take lab devices down and finish
 * tasks) is dismissed with its × first, as a person would. No synthetic .click().
 */
export async function mouseClick(page: Page, el: Locator) {
  // to the middle of the screen: toasts stack at the bottom
  await el.evaluate((e) => e.scrollIntoView({ block: 'center', inline: 'center' }));
  // still for two frames (a list growing above it, a scroll settling) and what the pointer would hit;
  // the click goes to the point just checked, at once: a toast arriving meanwhile has no time to cover it
  let at: { x: number; y: number } | null = null;
  await expect
    .poll(async () => {
      const found = await el.evaluate(
        (e) =>
          new Promise<{ state: string; x: number; y: number }>((resolve) => {
            const a = e.getBoundingClientRect();
            requestAnimationFrame(() =>
              requestAnimationFrame(() => {
                const r = e.getBoundingClientRect();
                const still = a.x === r.x && a.y === r.y && a.width === r.width && a.height === r.height;
                // a link wrapped over two lines: the middle of its box may be beside both pieces; a
                // person clicks on the words, here the middle of the first piece
                const pieces = e.getClientRects();
                const p = pieces.length > 1 ? pieces[0]! : r;
                const x = p.x + p.width / 2;
                const y = p.y + p.height / 2;
                const hit = document.elementFromPoint(x, y);
                const mine = hit !== null && e.contains(hit);
                // a toast over the target (not the target inside a toast, such as its own ×)
                const toast = mine ? null : hit?.closest('[data-toast]')?.getAttribute('data-toast');
                const state =
                  toast && !toast.includes('"') ? `toast:${toast}` : still && mine ? 'ok' : 'wait';
                resolve({ state, x, y });
              }),
            );
          }),
      );
      if (found.state.startsWith('toast:')) {
        const close = page.locator(`[data-toast="${found.state.slice(6)}"] button`).first();
        const b = await close.boundingBox().catch(() => null);
        if (b) await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
      }
      if (found.state !== 'ok') return false;
      at = { x: found.x, y: found.y };
      await page.mouse.click(at.x, at.y);
      return true;
    })
    .toBe(true);
  expect(at).not.toBeNull();
}

/** The lab switch on the Devices page (admins): take a lab device down or bring it back. */
export async function setLabDevice(page: Page, device: string, up: boolean) {
  await page.goto(`/devices?q=${device}`);
  const row = page.locator(`tr[data-device="${device}"]`);
  await mouseClick(page, row.getByRole('button', { name: `${up ? 'Bring up' : 'Take down'} ${device}` }));
  await expect(row.getByRole('button', { name: `${up ? 'Take down' : 'Bring up'} ${device}` })).toBeVisible();
}

/** On /terminal: + New tab, pick the device with the mouse, and wait until its session is connected. */
export async function openTerminalTab(page: Page, device: string) {
  if (!page.url().endsWith('/terminal')) await page.goto('/terminal');
  await mouseClick(page, page.getByRole('button', { name: '+ New tab' }));
  await mouseClick(
    page,
    page
      .getByRole('dialog', { name: 'Choose a device' })
      .getByRole('button', { name: new RegExp(`^${device}`) }),
  );
  await expect(page.locator(`[role="tab"][data-tab="${device}"]`)).toHaveAttribute(
    'data-state',
    'connected',
    {
      timeout: 15_000,
    },
  );
}

/** A link of the main navigation, with the mouse (behind the Menu button on a phone). */
export async function navTo(page: Page, name: string) {
  const menu = page.getByTestId('nav-menu');
  if (await menu.isVisible()) await mouseClick(page, menu);
  await mouseClick(
    page,
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }),
  );
}

/** An API token of the signed-in admin's, made on the account page as a person makes one. */
export async function adminToken(page: Page): Promise<string> {
  await page.goto('/account');
  const form = page.getByRole('form', { name: 'Create token' });
  await form.getByLabel('Name').fill(unique('e2e-token'));
  await form.getByLabel('Scope').selectOption('write');
  await mouseClick(page, form.getByRole('button', { name: 'Create token' }));
  return (await page.getByTestId('new-token').textContent())!.trim();
}

/**
 * A device row of its own at a lab device's address, made by the signed-in admin through the API; its
 * name. For a test that needs a device nobody has trusted a host key of yet: the lab's own rows are
 * shared by every spec, and any session or task on one trusts its key.
 */
export async function labDeviceCopy(page: Page, lab: string): Promise<string> {
  const token = await adminToken(page);
  const headers = { authorization: `Bearer ${token}` };
  const found = await page.request.get(`${E2E.baseURL}/api/v1/devices?q=${lab}`, { headers });
  expect(found.ok()).toBe(true);
  const row = (
    (await found.json()).items as {
      name: string;
      host: string;
      port: number;
      vendor: string;
      username: string;
    }[]
  ).find((d) => d.name === lab)!;
  // not named after the lab device: other specs find lab devices by (part of) their names
  const name = unique('fresh-key');
  const { password } = JSON.parse(readFileSync(path.join(process.env.E2E_DATA_DIR!, 'lab.json'), 'utf8')) as {
    password: string;
  };
  const made = await page.request.post(`${E2E.baseURL}/api/v1/devices`, {
    headers,
    data: {
      devices: [
        { name, host: row.host, port: row.port, vendor: row.vendor, username: row.username, password },
      ],
    },
  });
  expect(made.status(), await made.text()).toBe(201);
  return name;
}

/**
 * Search a device picker (admin grants, groups) and wait until the list shows the answer: a click on
 * the unfiltered list while it is being replaced could land on another row.
 */
export async function pickerSearch(page: Page, text: string) {
  await page.getByLabel('Find devices', { exact: true }).fill(text);
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

/**
 * A write token for the admin from `npm run token` (lib/auth/token-cli.ts), as a newcomer would make
 * one, against the e2e portal's own data directory.
 */
export function adminTokenFromCli(name: string): string {
  const out = execFileSync(process.execPath, adminTokenCliArgs(name), {
    cwd: path.resolve(import.meta.dirname, '..'),
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: process.env.E2E_DATA_DIR, DATABASE_URL: '' },
  });
  return out.trimEnd().split('\n').at(-1)!;
}

/** A laptop in light mode and a phone in dark mode: the two sizes a flow is clicked through at. */
export const LAPTOP_LIGHT_PHONE_DARK = [
  { name: 'laptop-light', viewport: { width: 1440, height: 900 }, colorScheme: 'light' },
  { name: 'phone-dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' },
] as const;

/**
 * A new operator granted `device`, signed in on a page of that size and colour scheme (at the
 * dashboard), in a browser that asks for `locale` (default English).
 */
export async function operatorPageFor(
  browser: Browser,
  prefix: string,
  device: string,
  password: string,
  c: (typeof LAPTOP_LIGHT_PHONE_DARK)[number],
  locale = 'en-US',
): Promise<Page> {
  const user = await userGrantedDevice(browser, prefix, 'operator', device, password);
  const page = await (
    await browser.newContext({ viewport: c.viewport, colorScheme: c.colorScheme, locale })
  ).newPage();
  await signIn(page, user, password);
  await expect(page.getByTestId('current-user')).toBeVisible();
  return page;
}
