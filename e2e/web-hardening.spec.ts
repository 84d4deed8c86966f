import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { E2E } from './env';
import { signInAsAdmin } from './helpers';

const SCREENSHOTS = path.join('test-results', 'screenshots');

test('every response forbids framing and sniffing and sets a referrer policy', async ({ request }) => {
  for (const url of ['/login', '/api/health', '/', '/no-such-page', '/api/tasks']) {
    const res = await request.get(url, { maxRedirects: 0 });
    const h = res.headers();
    expect(h['content-security-policy'], url).toMatch(/(^|;)\s*frame-ancestors 'none'/);
    expect(h['content-security-policy'], url).toMatch(/(^|;)\s*object-src 'none'/);
    expect(h['x-content-type-options'], url).toBe('nosniff');
    expect(h['referrer-policy'], url).toBe('same-origin');
  }
});

test('the content security policy lets the pages hydrate and the terminal run', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect)/i.test(m.text()))
      violations.push(m.text());
  });
  await signInAsAdmin(page); // the login form hydrates (its data-hydrated flag) under the policy
  for (const url of ['/', '/devices', '/tasks', '/tasks/new', '/notifications']) {
    await page.goto(url);
    await page.waitForLoadState('networkidle');
  }
  await page.goto('/terminal');
  await page.getByRole('button', { name: '+ New tab' }).click();
  await page
    .getByRole('dialog', { name: 'Choose a device' })
    .getByRole('button', { name: /^lab-vrp-03/ })
    .click();
  await expect(page.locator('[role="tab"][data-tab="lab-vrp-03"]')).toHaveAttribute(
    'data-state',
    'connected',
    {
      timeout: 15_000,
    },
  );
  await page.locator('[data-pane="lab-vrp-03"] .xterm').click();
  await page.keyboard.type('display clock\n');
  await expect(page.locator('[data-pane="lab-vrp-03"] .xterm-rows')).toContainText('<lab-vrp-03>');
  expect(violations).toEqual([]);
});

test.describe('cookie-authenticated writes come from this site, as JSON', () => {
  const url = '/api/lab/devices/lab-ios-17';
  test('foreign Origin 403, missing Origin 403, text/plain 415, same-origin JSON 200', async ({ page }) => {
    await signInAsAdmin(page);
    const post = (headers: Record<string, string>, data: string) => page.request.post(url, { headers, data });
    const json = JSON.stringify({ up: true });
    expect(
      (await post({ Origin: 'http://evil.example', 'Content-Type': 'application/json' }, json)).status(),
    ).toBe(403);
    expect((await post({ 'Content-Type': 'application/json' }, json)).status()).toBe(403);
    expect((await post({ Origin: E2E.baseURL, 'Content-Type': 'text/plain' }, json)).status()).toBe(415);
    expect(
      (
        await post({ Origin: E2E.baseURL, 'Content-Type': 'application/x-www-form-urlencoded' }, 'up=true')
      ).status(),
    ).toBe(415);
    const ok = await post({ Origin: E2E.baseURL, 'Content-Type': 'application/json' }, json);
    expect(ok.status()).toBe(200);
    expect(await ok.json()).toEqual({ name: 'lab-ios-17', up: true });
  });
});

test('/api/metrics answers only with the bearer token (the e2e server allows no address)', async ({
  request,
}) => {
  expect((await request.get('/api/metrics')).status()).toBe(401);
  expect(
    (await request.get('/api/metrics', { headers: { Authorization: 'Bearer not-the-token' } })).status(),
  ).toBe(401);
  const res = await request.get('/api/metrics', { headers: { Authorization: `Bearer ${E2E.metricsToken}` } });
  expect(res.status()).toBe(200);
  expect(await res.text()).toContain('switchboard_websocket_connections');
});

/** The id Next gave a Server Action in this build. */
function actionId(file: string, name: string): string {
  const manifest = path.join('.next', 'server', 'server-reference-manifest.json');
  expect(existsSync(manifest)).toBe(true);
  const entries = Object.entries(
    (
      JSON.parse(readFileSync(manifest, 'utf8')) as {
        node: Record<string, { filename?: string; exportedName?: string }>;
      }
    ).node,
  );
  const hit = entries.find(([, v]) => v.exportedName === name && v.filename === file);
  expect(hit, `${file} ${name}`).toBeTruthy();
  return hit![0];
}

test('a Server Action called with a Prisma filter object as its id is refused before it runs', async ({
  page,
}) => {
  await signInAsAdmin(page);
  const call = (file: string, name: string, args: unknown[]) =>
    page.request.post('/tasks', {
      headers: {
        'Next-Action': actionId(file, name),
        Origin: E2E.baseURL,
        Accept: 'text/x-component',
        'Content-Type': 'text/plain;charset=UTF-8',
      },
      data: JSON.stringify(args),
    });
  for (const [file, name, args] of [
    ['app/(portal)/tasks/actions.ts', 'cancelTaskAction', [{ in: [] }]],
    ['app/(portal)/tasks/actions.ts', 'retryFailedAction', [{ not: 'x' }]],
    ['app/(portal)/devices/actions.ts', 'setLabDeviceUpAction', ['lab-ios-18', 'yes']],
    ['app/(portal)/notifications/actions.ts', 'markReadAction', ['not-a-list']],
  ] as const) {
    const res = await call(file, name, [...args]);
    expect(res.status(), name).toBe(200);
    expect(await res.text(), name).toContain('Invalid request');
  }
});

/** A task on every lab device (other specs add devices of their own); returns its id and size. */
async function startTaskOnLabDevices(page: Page, name: string): Promise<{ id: string; devices: number }> {
  await page.goto('/tasks/new');
  const form = page.getByRole('form', { name: 'New task' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Commands (one per line, run in order)').fill('display version');
  await form.getByPlaceholder('Search name or host').fill('lab-');
  await form.getByRole('button', { name: /Select shown/ }).click();
  await expect(form.getByTestId('selected-count')).toHaveText(/^\d+ selected$/);
  const devices = Number((await form.getByTestId('selected-count').textContent())!.split(' ')[0]);
  expect(devices).toBeGreaterThanOrEqual(40); // the e2e lab: more than one page
  await form.getByLabel('Concurrency (devices at once)').fill('20');
  await form.getByRole('button', { name: `Start task on ${devices} devices` }).click();
  await expect(page).toHaveURL(/\/tasks\/(?!new$)[^/]+$/); // the task's page, not the form
  return { id: page.url().split('/').at(-1)!, devices };
}

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
]) {
  test(`task page at ${viewport.width}×${viewport.height}: devices in pages, filter kept, output loaded on expand`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await signInAsAdmin(page);
    const { id, devices } = await startTaskOnLabDevices(page, `paged ${viewport.width}`);
    const pages = Math.ceil(devices / 25);
    await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100', { timeout: 45_000 });

    const rows = page.locator('[data-testid="task-devices"] details');
    await expect(rows).toHaveCount(25);
    await expect(page.getByTestId('device-page')).toHaveText(`Page 1 of ${pages}`);
    // the page's data carries no outputs; they come when a device is opened
    const data = (await (await page.request.get(`/api/tasks/${id}`)).json()) as {
      devices: Record<string, unknown>[];
    };
    expect(data.devices).toHaveLength(25);
    for (const d of data.devices) expect(d).not.toHaveProperty('outputs');

    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page.getByTestId('device-page')).toHaveText(`Page 2 of ${pages}`);
    await expect(rows).toHaveCount(Math.min(25, devices - 25));
    await page.screenshot({
      path: path.join(SCREENSHOTS, `task-page2-${viewport.width}.png`),
      fullPage: true,
    });

    const first = rows.first();
    const device = await first.getAttribute('data-device');
    await first.locator('summary').click();
    await expect(first.locator('[data-output]').first()).toContainText(/\S/);
    await page.screenshot({
      path: path.join(SCREENSHOTS, `task-expanded-${viewport.width}.png`),
      fullPage: true,
    });
    expect(device).toBeTruthy();

    // a status filter starts at its first page and keeps to its status across pages
    await page.getByRole('button', { name: /^success/ }).click();
    await expect(page.getByTestId('device-page')).toContainText('Page 1 of');
    const statuses = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['success']));
    await page.screenshot({
      path: path.join(SCREENSHOTS, `task-filter-${viewport.width}.png`),
      fullPage: true,
    });
  });
}
