import { request as httpRequest } from 'node:http';
import { expect, test } from '@playwright/test';
import { E2E } from './env';
import { createUser, signIn, signInAsAdmin, unique } from './helpers';

/** Another client address on this machine: the portal listens on 127.0.0.1, reachable from all of 127/8. */
const OTHER_ADDRESS = '127.0.0.2';

function call(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${E2E.baseURL}${path}`,
      { method, headers, localAddress: OTHER_ADDRESS },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** next-auth's credentials sign-in over HTTP from OTHER_ADDRESS, as the login form posts it; the error text or null. */
async function signInFromOtherAddress(username: string, password: string): Promise<string | null> {
  const csrf = await call('GET', '/api/auth/csrf', {});
  const cookie = ([] as string[])
    .concat(csrf.headers['set-cookie'] ?? [])
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const res = await call(
    'POST',
    '/api/auth/callback/credentials',
    { 'content-type': 'application/x-www-form-urlencoded', cookie },
    new URLSearchParams({ username, password, csrfToken, json: 'true', callbackUrl: '/' }).toString(),
  );
  const url = (JSON.parse(res.body) as { url: string }).url;
  return new URL(url, E2E.baseURL).searchParams.get('error');
}

test('an admin still signs in from their own address after another address failed many times', async ({
  page,
}) => {
  const name = unique('admin');
  const password = 'the-right-password-42';
  await signInAsAdmin(page);
  await createUser(page, name, 'admin', password);
  await page.context().clearCookies();

  const errors: (string | null)[] = [];
  for (let i = 0; i < 12; i++) errors.push(await signInFromOtherAddress(name, `wrong-guess-${i}`));
  expect(errors.slice(0, 5)).toEqual(Array(5).fill('Wrong username or password.'));
  // the first wait is the e2e server's LOGIN_BACKOFF_BASE_MS, a minute, so the guesses cannot outlast it
  expect(errors.slice(5).every((e) => e?.startsWith('Too many failed sign-ins. Try again in'))).toBe(true);
  // from that address even the right password has to wait
  expect(await signInFromOtherAddress(name, password)).toMatch(/^Too many failed sign-ins/);

  // the admin, at their own address (the browser on 127.0.0.1), gets in at once
  await signIn(page, name, password);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
});
