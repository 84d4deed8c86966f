import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { E2E } from './env';
import { mouseClick, signInAsAdmin, unique } from './helpers';

/**
 * Every page of the portal in both themes, both languages, on a laptop and on a phone: a screenshot
 * of each (test artifacts, for a person to look at), an accessibility scan with axe (no serious or
 * critical violation), no page wider than a phone, and Chinese where Chinese was asked for.
 */

interface Fixtures {
  deviceId: string;
  taskId: string;
  groupId: string;
  teamId: string;
  userId: string;
  templateId: string;
  webhookId: string;
}

interface PageSpec {
  name: string;
  path: (f: Fixtures) => string;
  /** The h1 is a name (a device's, a task's), not a translated title. */
  namedTitle?: boolean;
}

const PAGES: PageSpec[] = [
  { name: 'dashboard', path: () => '/' },
  { name: 'devices', path: () => '/devices' },
  { name: 'device-new', path: () => '/devices/new' },
  { name: 'device-import', path: () => '/devices/import' },
  { name: 'device', path: (f) => `/devices/${f.deviceId}`, namedTitle: true },
  { name: 'device-history', path: (f) => `/devices/${f.deviceId}/history`, namedTitle: true },
  { name: 'device-edit', path: (f) => `/devices/${f.deviceId}/edit` },
  { name: 'terminal', path: () => '/terminal' },
  { name: 'tasks', path: () => '/tasks' },
  { name: 'task-new', path: () => '/tasks/new' },
  { name: 'task', path: (f) => `/tasks/${f.taskId}`, namedTitle: true },
  { name: 'templates', path: () => '/templates' },
  { name: 'template-new', path: () => '/templates/new' },
  { name: 'template', path: (f) => `/templates/${f.templateId}`, namedTitle: true },
  { name: 'template-edit', path: (f) => `/templates/${f.templateId}/edit`, namedTitle: true },
  { name: 'notifications', path: () => '/notifications' },
  { name: 'account', path: () => '/account' },
  { name: 'users', path: () => '/admin/users' },
  { name: 'user', path: (f) => `/admin/users/${f.userId}`, namedTitle: true },
  { name: 'groups', path: () => '/admin/groups' },
  { name: 'group', path: (f) => `/admin/groups/${f.groupId}`, namedTitle: true },
  { name: 'teams', path: () => '/admin/teams' },
  { name: 'team', path: (f) => `/admin/teams/${f.teamId}`, namedTitle: true },
  { name: 'audit', path: () => '/admin/audit' },
  { name: 'webhooks', path: () => '/admin/webhooks' },
  { name: 'webhook', path: (f) => `/admin/webhooks/${f.webhookId}`, namedTitle: true },
  { name: 'settings', path: () => '/admin/settings' },
  { name: 'not-found', path: () => '/no-such-page' },
];

const SIZES = [
  { name: 'laptop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const THEMES = ['light', 'dark'] as const;
const LOCALES = ['en-US', 'zh-CN'] as const;

const CJK = /[\u4e00-\u9fff]/;

async function api(
  request: APIRequestContext,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  data?: unknown,
) {
  const res = await request.fetch(`${E2E.baseURL}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
    data,
  });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return res.json();
}

/** A device, a task, a group and a team to show, made through the API with a token made in the UI. */
async function makeFixtures(browser: Browser): Promise<Fixtures> {
  const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await signInAsAdmin(page);
  await page.goto('/account');
  const form = page.getByRole('form', { name: 'Create token' });
  await form.getByLabel('Name').fill(unique('screens'));
  await form.getByLabel('Scope').selectOption('write');
  await mouseClick(page, form.getByRole('button', { name: 'Create token' }));
  const token = (await page.getByTestId('new-token').textContent())!.trim();
  const { request } = page;
  const me = await api(request, token, 'GET', '/me');
  const idOf = async (name: string) =>
    ((await api(request, token, 'GET', `/devices?q=${name}`)).items as { id: string; name: string }[]).find(
      (d) => d.name === name,
    )!.id;
  const device = { id: await idOf('lab-vrp-01') };
  const task = await api(request, token, 'POST', '/tasks', {
    name: unique('screens-task'),
    devices: [device.id, await idOf('lab-ios-01')],
    commands: { huawei_vrp: ['display version'], cisco_ios: ['show version'] },
  });
  const template = await api(request, token, 'POST', '/templates', {
    name: unique('screens-template'),
    description: 'Interfaces and their descriptions, per vendor',
    commands: { huawei_vrp: ['display interface description'], cisco_ios: ['show interfaces description'] },
    ignore_patterns: ['^!Last configuration was .*$'],
  });
  await api(request, token, 'POST', `/templates/${template.id}/run`, { devices: [device.id] });
  // a receiver nobody listens on: its deliveries fill the log with failed attempts
  const webhook = await api(request, token, 'POST', '/webhooks', {
    url: `http://127.0.0.1:9/${unique('screens-hook')}`,
    description: 'Screens: change notifications for the NOC',
    events: ['task.finished', 'config.changed'],
    allow_local: true,
  });
  await api(request, token, 'POST', `/webhooks/${webhook.id}/test`);
  const group = await api(request, token, 'POST', '/groups', { name: unique('screens-group') });
  const team = await api(request, token, 'POST', '/teams', { name: unique('screens-team') });
  await page.context().close();
  return {
    deviceId: device.id,
    taskId: task.id,
    groupId: group.id,
    teamId: team.id,
    userId: me.id,
    templateId: template.id,
    webhookId: webhook.id,
  };
}

let fixtures: Fixtures | undefined;

test.describe.configure({ mode: 'parallel' });

for (const size of SIZES) {
  for (const theme of THEMES) {
    for (const locale of LOCALES) {
      test(`every page at ${size.name} size, ${theme}, ${locale}`, async ({ browser }, info) => {
        test.setTimeout(240_000);
        fixtures ??= await makeFixtures(browser);
        const f = fixtures;
        const context = await browser.newContext({
          viewport: { width: size.width, height: size.height },
          colorScheme: theme,
          locale,
        });
        const page = await context.newPage();
        await signInAsAdmin(page);
        const problems: string[] = [];
        const shoot = async (name: string) =>
          page.screenshot({
            path: info.outputPath(`${name}-${size.name}-${theme}-${locale}.png`),
            fullPage: true,
          });

        for (const spec of PAGES) {
          const path = spec.path(f);
          await page.goto(path);
          await expect(page.locator('main')).toBeVisible();
          // hydrated and settled: no skeleton left
          await expect(page.locator('[aria-busy="true"]')).toHaveCount(0, { timeout: 15_000 });
          await checkPage(page, spec, { theme, locale, size, problems });
          await shoot(spec.name);
        }

        // the sign-in page, signed out
        await context.clearCookies({ name: /next-auth/ });
        await page.goto('/login');
        await expect(page.locator('form[data-hydrated="true"]')).toBeVisible();
        await checkPage(page, { name: 'login', path: () => '/login' }, { theme, locale, size, problems });
        await shoot('login');
        await context.close();
        expect(problems, problems.join('\n')).toEqual([]);
      });
    }
  }
}

async function checkPage(
  page: Page,
  spec: PageSpec,
  at: { theme: string; locale: string; size: (typeof SIZES)[number]; problems: string[] },
) {
  const where = `${spec.name} (${at.size.name}, ${at.theme}, ${at.locale})`;
  expect(await page.evaluate(() => document.documentElement.classList.contains('dark')), where).toBe(
    at.theme === 'dark',
  );
  expect(await page.locator('html').getAttribute('lang'), where).toBe(at.locale === 'zh-CN' ? 'zh-CN' : 'en');
  if (at.locale === 'zh-CN' && !spec.namedTitle) {
    const h1 = (await page.locator('h1').first().textContent()) ?? '';
    if (!CJK.test(h1)) at.problems.push(`${where}: the heading "${h1}" is not in Chinese`);
  }
  if (at.size.name === 'phone') {
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.scrollingElement!.scrollWidth,
      client: document.scrollingElement!.clientWidth,
    }));
    if (scroll > client) at.problems.push(`${where}: the page is ${scroll} px wide on a ${client} px screen`);
  }
  // axe on the laptop (contrast and names do not depend on the width), in both themes and languages
  if (at.size.name === 'laptop') {
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      // xterm's own helper textarea and rows are the library's, not ours
      .exclude('.xterm-helper-textarea')
      .exclude('.xterm-accessibility')
      .analyze();
    for (const v of result.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue;
      const targets = v.nodes
        .slice(0, 5)
        .map((n) => n.target.join(' '))
        .join(' | ');
      at.problems.push(`${where}: ${v.id} (${v.impact}) ${v.help} — ${targets}`);
    }
  }
}
