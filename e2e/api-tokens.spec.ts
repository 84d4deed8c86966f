import { expect, test } from '@playwright/test';
import { createUser, signIn, signInAsAdmin, unique } from './helpers';
import { E2E } from './env';

/**
 * A user creates a personal access token on the Account page with the mouse, a script (Node's fetch,
 * no cookie) uses it against /api/v1, and revoking it on the page stops it on the next request.
 */
const PASSWORD = 'token-user-password-1';

async function api(path: string, token: string, init: RequestInit = {}) {
  const res = await fetch(`${E2E.baseURL}/api/v1${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers },
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

for (const size of [
  { name: 'laptop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
]) {
  test(`create a token on the Account page, use it from a script, revoke it (${size.name})`, async ({
    browser,
  }) => {
    const admin = await (await browser.newContext()).newPage();
    const name = unique('tok');
    await signInAsAdmin(admin);
    await createUser(admin, name, 'operator', PASSWORD);

    const page = await (await browser.newContext({ viewport: size })).newPage();
    await signIn(page, name, PASSWORD);
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
    await page.getByRole('link', { name: 'Your account' }).click();
    await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();

    const form = page.getByRole('form', { name: 'Create token' });
    await form.getByLabel('Name').fill('ci-pipeline');
    await form.getByLabel('Scope').selectOption('write');
    await form.getByLabel('Expires').selectOption('30d');
    await form.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByTestId('new-token');
    await expect(shown).toHaveText(/^sb_[0-9A-Za-z]{42}$/);
    const token = (await shown.textContent())!.trim();
    const row = page.locator('tr[data-token="ci-pipeline"]');
    await expect(row).toContainText('write');
    await expect(row).not.toContainText(token); // listed by its prefix only
    await page.screenshot({
      path: test.info().outputPath(`account-tokens-${size.name}.png`),
      fullPage: true,
    });

    const me = await api('/me', token);
    expect(me).toMatchObject({
      status: 200,
      body: { username: name, via: 'token', token: { scope: 'write' } },
    });
    const added = await api('/devices', token, {
      method: 'POST',
      body: JSON.stringify({
        name: unique('api-dev'),
        host: '192.0.2.44',
        vendor: 'cisco_ios',
        username: 'netops',
        password: 'pw-for-api',
      }),
    });
    expect(added.status).toBe(201);
    await page.reload();
    await expect(row).not.toContainText('never', { timeout: 10_000 }); // "last used" is filled in

    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect(row).toContainText('revoked');
    expect((await api('/me', token)).body).toMatchObject({ status: 401, code: 'token_revoked' });
  });
}
