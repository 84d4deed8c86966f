import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createUser, mouseClick, signIn, signInAsAdmin, unique } from './helpers';

/**
 * The admin's Webhooks and Settings pages: a webhook to a receiver on this machine (local addresses
 * allowed), its signing secret shown once and used by the receiver to check the signature, a test
 * ping followed until it is delivered (HTTP 200 in the log); a loopback URL without the permission
 * is a field error; the output retention survives a reload. Light and dark, laptop and phone.
 */
const SHOTS = '/tmp/shots/ui-c';
mkdirSync(SHOTS, { recursive: true });

const SIZES = [
  { name: '1440', width: 1440, height: 900 },
  { name: '390', width: 390, height: 844 },
] as const;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 that answers 200 and keeps what it got. */
async function receiver() {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      got.push({ path: req.url ?? '', headers: req.headers, body });
      res.statusCode = 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    got,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** What a receiver does with the secret it was shown: recompute the HMAC and compare in constant time. */
function signatureValid(secret: string, body: string, header: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  if (Math.abs(Date.now() / 1000 - Number(m[1])) > 300) return false;
  const want = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(want, Buffer.from(m[2]!, 'hex'));
}

async function expectNoOverflow(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.scrollingElement!.scrollWidth,
    client: document.scrollingElement!.clientWidth,
  }));
  expect(scroll, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(client);
}

async function expectAccessible(page: Page, where: string) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(serious).toEqual([]);
}

/**
 * Screenshots in both themes: the page as it is (light), then the same address in a dark browser
 * signed in as the same user (a page is loaded in the system's theme; it is not switched live).
 */
async function shoot(page: Page, name: string, size: string, check: (p: Page) => Promise<void>) {
  const viewport = page.viewportSize()!;
  const dark = await page
    .context()
    .browser()!
    .newContext({ viewport, colorScheme: 'dark', storageState: await page.context().storageState() });
  try {
    const darkPage = await dark.newPage();
    await darkPage.goto(page.url());
    for (const [scheme, p] of [
      ['light', page],
      ['dark', darkPage],
    ] as const) {
      await expect(p.locator('html')).toHaveClass(scheme === 'dark' ? /\bdark\b/ : /^(?!.*\bdark\b).*$/);
      await check(p);
      if (size === '390') await expectNoOverflow(p);
      else await expectAccessible(p, `${name} ${scheme}`);
      await p.screenshot({ path: `${SHOTS}/${name}-${scheme}-${size}.png`, fullPage: true });
    }
  } finally {
    await dark.close();
  }
}

for (const size of SIZES) {
  test.describe(`${size.width}×${size.height}`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test('a webhook to a local receiver: field error without permission, secret once, signed test delivered', async ({
      page,
    }) => {
      // two pages checked with axe in two themes, a delivery waited for: more than the default minute
      test.setTimeout(120_000);
      const rx = await receiver();
      try {
        await signInAsAdmin(page);
        // through the header's navigation (behind the Menu button on a phone)
        if (size.name === '390') await mouseClick(page, page.getByTestId('nav-menu'));
        await mouseClick(
          page,
          page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }),
        );
        await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
        const form = page.locator('form[aria-labelledby="new-webhook-title"]');
        const path = `/${unique('hook')}`;

        // a loopback URL without "Allow local addresses": a clear error on the URL field
        await form.getByLabel('URL').fill(rx.url(path));
        await mouseClick(page, form.getByRole('button', { name: 'Create webhook' }));
        await expect(page.getByTestId('url-error')).toHaveText(
          /127\.0\.0\.1 is a loopback or link-local address \(127\.0\.0\.1\)\. Tick “Allow local addresses” to deliver there\./,
        );
        await expect(form.getByLabel('URL')).toHaveAttribute('aria-invalid', 'true');
        await expect(form.getByLabel('URL')).toHaveValue(rx.url(path));

        // with the permission (its warning shows while ticked) and one more event
        await mouseClick(page, form.getByRole('checkbox', { name: /Allow local addresses/ }));
        await expect(form.getByTestId('allow-local-warning')).toBeVisible();
        await form.getByLabel('Description').fill(`e2e receiver ${size.name}`);
        await mouseClick(page, form.getByRole('checkbox', { name: /Task finished/ }));
        await mouseClick(page, form.getByRole('button', { name: 'Create webhook' }));

        const created = page.getByTestId('webhook-created');
        await expect(created).toBeVisible();
        await expect(created).toContainText('It is shown only this once');
        await expect(created).toContainText('X-Switchboard-Signature: t=');
        const secret = await page.getByTestId('webhook-secret').inputValue();
        expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
        await expect(page.getByTestId('url-error')).toHaveCount(0);
        await page.screenshot({ path: `${SHOTS}/webhook-created-${size.name}.png`, fullPage: true });

        await mouseClick(page, created.getByRole('link', { name: 'Open the webhook' }));
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(rx.url(path));
        await expect(page.getByTestId('deliveries-empty')).toBeVisible();
        // the secret is not on the webhook's page, nor on the list any more
        await expect(page.getByText(secret)).toHaveCount(0);

        await mouseClick(page, page.getByTestId('send-test'));
        await expect(page.getByTestId('test-result')).toHaveText(/^Test delivered: HTTP 200 in \d+ ms\.$/, {
          timeout: 20_000,
        });
        // tasks other specs finish meanwhile are delivered too (the webhook takes "Task finished"),
        // before or after the test: the ping's own row, wherever it is in the log
        const row = page.getByTestId('delivery-log').locator('tbody tr[data-event="ping"]');
        await expect(row).toHaveCount(1);
        await expect(row.getByTestId('delivery-status')).toHaveText('delivered');
        await expect(row.getByTestId('delivery-code')).toHaveText('200');

        // the receiver checks the signature with the secret the page showed
        const ping = rx.got.find((g) => g.path === path);
        expect(ping).toBeDefined();
        expect(ping!.headers['x-switchboard-event']).toBe('ping');
        expect(JSON.parse(ping!.body)).toMatchObject({
          event: 'ping',
          data: { message: 'Test from Switchboard' },
        });
        expect(signatureValid(secret, ping!.body, String(ping!.headers['x-switchboard-signature']))).toBe(
          true,
        );
        expect(
          signatureValid('not-the-secret', ping!.body, String(ping!.headers['x-switchboard-signature'])),
        ).toBe(false);

        await shoot(page, 'webhook', size.name, async (p) => {
          await expect(p.getByTestId('delivery-log').locator('tbody tr')).not.toHaveCount(0);
        });

        // the list shows the last delivery; the secret panel is gone after a reload
        await page.goto('/admin/webhooks');
        const listed = page.locator('tr', { has: page.getByRole('link', { name: rx.url(path) }) });
        await expect(listed.getByTestId('last-delivery')).toContainText('delivered');
        await expect(listed.getByTestId('last-delivery')).toContainText('HTTP 200');
        await expect(page.getByTestId('webhook-created')).toHaveCount(0);
        await shoot(page, 'webhooks', size.name, async (p) => {
          await expect(p.getByTestId('webhook-table')).toBeVisible();
        });

        // disable, enable, then delete (asked first)
        await mouseClick(page, listed.getByRole('link', { name: rx.url(path) }));
        await mouseClick(page, page.getByRole('button', { name: 'Disable' }));
        await expect(page.getByTestId('webhook-state')).toContainText('Disabled');
        await mouseClick(page, page.getByRole('button', { name: 'Enable' }));
        await expect(page.getByTestId('webhook-state')).toContainText('Enabled');
        await mouseClick(page, page.getByRole('button', { name: 'Delete', exact: true }));
        const dialog = page.getByRole('dialog');
        // tasks other specs finish meanwhile are delivered to every webhook: at least the test's one
        await expect(dialog).toContainText(/Its delivery log \(\d+ deliver(y|ies)\) goes with it/);
        await mouseClick(page, dialog.getByRole('button', { name: 'Delete webhook' }));
        await expect(page).toHaveURL(/\/admin\/webhooks$/);
        await expect(page.getByRole('link', { name: rx.url(path) })).toHaveCount(0);
      } finally {
        await rx.close();
      }
    });
  });
}

// One test for both sizes, one after the other: the setting is global, two tests in parallel would
// each see the other's value.
test('output settings: the retention is kept across a reload; raw output warns until it is unticked', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto('/admin/settings');
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    const days = page.getByLabel('Keep output history for (days)');
    const value = String(400 + Math.floor(Math.random() * 500));
    await days.fill(value);
    await mouseClick(page, page.getByRole('button', { name: 'Save settings' }));
    await expect(page.getByRole('status').filter({ hasText: /^Saved\./ })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Keep output history for (days)')).toHaveValue(value);

    // out of range: a field error, nothing saved
    await page.getByLabel('Keep output history for (days)').fill('0');
    await mouseClick(page, page.getByRole('button', { name: 'Save settings' }));
    await expect(page.locator('#retention-error')).toHaveText(
      'Enter a whole number of days from 1 to 3,650.',
    );
    await page.reload();
    await expect(page.getByLabel('Keep output history for (days)')).toHaveValue(value);

    // the raw-output box warns while ticked (never saved here: other specs expect hidden secrets)
    const raw = page.getByRole('checkbox', { name: /Store output without hiding secrets/ });
    await expect(raw).not.toBeChecked();
    await mouseClick(page, raw);
    await expect(page.getByTestId('keep-raw-warning')).toContainText('Secrets will be stored.');
    await page.screenshot({ path: `${SHOTS}/settings-raw-warning-${size.name}.png`, fullPage: true });
    await mouseClick(page, raw);
    await expect(page.getByTestId('keep-raw-warning')).toHaveCount(0);

    await shoot(page, 'settings', size.name, async (p) => {
      await expect(p.getByLabel('Keep output history for (days)')).toHaveValue(value);
    });
  }
  // back to the default
  await page.getByLabel('Keep output history for (days)').fill('365');
  await mouseClick(page, page.getByRole('button', { name: 'Save settings' }));
  await expect(page.getByRole('status').filter({ hasText: /^Saved\./ })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('checkbox', { name: /Store output without hiding secrets/ })).not.toBeChecked();
});

test.describe('not an admin', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('an operator is refused the webhooks and settings pages and sees no link to them', async ({
    page,
  }) => {
    await signInAsAdmin(page);
    const name = unique('op-hooks');
    await createUser(page, name, 'operator', 'operator-password-1234');
    await page.context().clearCookies();
    await signIn(page, name, 'operator-password-1234');
    await expect(page.getByTestId('current-user')).toBeVisible();
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }),
    ).toHaveCount(0);
    for (const url of ['/admin/webhooks', '/admin/settings', '/admin/webhooks/anything']) {
      await page.goto(url);
      await expect(page.getByRole('alert').filter({ hasText: 'Not allowed' })).toBeVisible();
    }
  });
});

test.describe('in Chinese', () => {
  test.use({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });

  test('the webhooks and settings pages speak the reader’s language', async ({ page }) => {
    await signInAsAdmin(page);
    for (const [url, heading] of [
      ['/admin/webhooks', 'Webhook 回调'],
      ['/admin/settings', '设置'],
    ] as const) {
      await page.goto(url);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
      await expect(page.locator('main')).toContainText(
        url.endsWith('settings') ? '保存设置' : '创建 Webhook',
      );
      await page.screenshot({ path: `${SHOTS}/zh-${url.split('/').pop()}-1440.png`, fullPage: true });
    }
    // a field error in Chinese
    await page.goto('/admin/webhooks');
    await page.locator('#new-webhook-url').fill('http://127.0.0.1:9/zh');
    await mouseClick(page, page.getByRole('button', { name: '创建 Webhook' }));
    await expect(page.getByTestId('url-error')).toHaveText(
      '127.0.0.1 是环回或链路本地地址（127.0.0.1）。勾选“允许本地地址”才能向它投递。',
    );
  });
});
