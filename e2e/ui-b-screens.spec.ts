import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import WebSocket from 'ws';
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
  recordingId: string;
  /** A terminal session left open (a script's socket) for the live sessions pages. */
  liveSessionId: string;
}

interface PageSpec {
  name: string;
  path: (f: Fixtures) => string;
  /** The h1 is a name (a device's, a task's), not a translated title. */
  namedTitle?: boolean;
  /** What the page needs before it is shot and scanned, beyond settling (a player that loads its cast). */
  ready?: (page: Page) => Promise<void>;
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
  { name: 'recordings', path: () => '/recordings' },
  {
    name: 'recording',
    path: (f) => `/recordings/${f.recordingId}`,
    namedTitle: true,
    ready: (page) =>
      expect(page.getByTestId('recording-player')).toHaveAttribute('data-ready', 'true', { timeout: 15_000 }),
  },
  { name: 'sessions', path: () => '/sessions' },
  {
    name: 'session',
    path: (f) => `/sessions/${f.liveSessionId}`,
    namedTitle: true,
    ready: (page) =>
      expect(page.getByTestId('observe-status')).toHaveAttribute('data-state', 'watching', {
        timeout: 15_000,
      }),
  },
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
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
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

/**
 * A terminal session on the device, as a script opens one (a bearer token, no browser): the prompt,
 * one command and its output, closed. The portal records it.
 */
async function recordSession(token: string, deviceId: string, prompt: RegExp): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${E2E.port}/ws/terminal/${deviceId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  let output = '';
  const frames: { type: string; data?: string }[] = [];
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as { type: string; data?: string };
    frames.push(f);
    if (f.type === 'output') output += f.data ?? '';
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const until = (what: string, ok: () => boolean) =>
    expect.poll(ok, { message: `terminal: ${what}`, timeout: 20_000 }).toBe(true);
  ws.send(JSON.stringify({ type: 'connect', cols: 100, rows: 30 }));
  await until('the prompt', () => prompt.test(output));
  const before = output.length;
  ws.send(JSON.stringify({ type: 'input', data: 'display version\r' }));
  await until('the output of display version', () => /VRP/.test(output.slice(before)) && prompt.test(output));
  ws.send(JSON.stringify({ type: 'close' }));
  await until('the session closed', () => frames.some((f) => f.type === 'terminal_closed'));
  ws.close();
}

/** Sockets of the live sessions the pages show: open until the run ends. */
const liveSockets: WebSocket[] = [];

/** A terminal session opened by a script and left open; its id. */
async function liveSession(token: string, deviceId: string, prompt: RegExp): Promise<string> {
  const ws = new WebSocket(`ws://127.0.0.1:${E2E.port}/ws/terminal/${deviceId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  liveSockets.push(ws);
  let output = '';
  let sessionId = '';
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as { type: string; data?: string; session_id?: string };
    if (f.type === 'output') output += f.data ?? '';
    if (f.type === 'terminal_connected') sessionId = f.session_id ?? '';
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'connect', cols: 100, rows: 30 }));
  await expect
    .poll(() => prompt.test(output), { message: 'live session: the prompt', timeout: 20_000 })
    .toBe(true);
  ws.send(JSON.stringify({ type: 'input', data: 'display clock\r' }));
  await expect
    .poll(() => /\d{2}:\d{2}:\d{2}[\s\S]*>$/.test(output), {
      message: 'live session: display clock',
      timeout: 20_000,
    })
    .toBe(true);
  return sessionId;
}

/** A device, a task, a group, a team and a recording to show, made through the API with a token made in the UI. */
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
  // the team's page with all it can hold: a member, a group grant that includes observing, a permission
  await api(request, token, 'PUT', `/teams/${team.id}/members`, { users: [me.id] });
  await api(request, token, 'PUT', `/teams/${team.id}/grants`, {
    groups: [{ id: group.id, level: 'view', observe: true }],
  });
  await api(request, token, 'PATCH', `/teams/${team.id}`, { permissions: ['recordings'] });
  await recordSession(token, device.id, /<lab-vrp-01>$/);
  // the recording is indexed as soon as the session ends
  let recordingId = '';
  await expect
    .poll(
      async () => {
        const items = (await api(request, token, 'GET', '/recordings?device=lab-vrp-01')).items as {
          id: string;
          state: string;
        }[];
        recordingId = items.find((r) => r.state !== 'recording')?.id ?? '';
        return recordingId;
      },
      { timeout: 15_000 },
    )
    .not.toBe('');
  const liveSessionId = await liveSession(token, await idOf('lab-vrp-16'), /<lab-vrp-16>$/);
  await page.context().close();
  return {
    liveSessionId,
    deviceId: device.id,
    taskId: task.id,
    groupId: group.id,
    teamId: team.id,
    userId: me.id,
    templateId: template.id,
    webhookId: webhook.id,
    recordingId,
  };
}

let fixtures: Fixtures | undefined;

test.describe.configure({ mode: 'parallel' });

for (const size of SIZES) {
  for (const theme of THEMES) {
    for (const locale of LOCALES) {
      test(`every page at ${size.name} size, ${theme}, ${locale}`, async ({ browser }, info) => {
        // 33 pages, each shot whole; on the laptop each also gets an axe scan (four minutes on a slow
        // 2-core machine with the other worker busy, before the trace is written)
        test.setTimeout(size.name === 'laptop' ? 480_000 : 240_000);
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
          await spec.ready?.(page);
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
      // the recording player's markup is asciinema's (its controls are named; its screen is a canvas)
      .exclude('[data-testid="recording-player"]')
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
