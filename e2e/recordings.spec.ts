import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { mouseClick, navTo, signIn, signInAsAdmin, userGrantedDevice } from './helpers';

/**
 * Playback (issue 18): an operator opens a terminal, types two commands and closes the tab; on
 * Recordings (their own only) they open the recording, press play in the asciinema player, and jump
 * back with the command list: the player's time goes back and the command's output is on its
 * screen. With the mouse, on a laptop and on a phone; screenshots of both pages in both themes.
 */
const SHOTS = '/tmp/shots-recordings';
mkdirSync(SHOTS, { recursive: true });
const PASSWORD = 'recordings-password-123';
/** The end of the lab VRP's `display version`. */
const VERSION_END = /Serial\s+Number\s+:\s+\w+/;

const SIZES = [
  { name: 'laptop', viewport: { width: 1440, height: 900 }, device: 'lab-vrp-07' },
  { name: 'phone', viewport: { width: 390, height: 844 }, device: 'lab-vrp-09' },
] as const;

/** A new operator granted just this device (through the admin's pages), so their list is theirs alone. */
const operatorFor = (browser: Browser, device: string) =>
  userGrantedDevice(browser, 'rec', 'operator', device, PASSWORD);

async function expectAccessible(page: Page, where: string) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    // the player's own markup is asciinema's (its controls are named; its screen is a canvas + text)
    .exclude('[data-testid="recording-player"]')
    .analyze();
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(serious).toEqual([]);
}

async function expectNoOverflow(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.scrollingElement!.scrollWidth,
    client: document.scrollingElement!.clientWidth,
  }));
  expect(scroll, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(client);
}

/** The page as it is (light), then the same address in a dark browser signed in as the same user. */
async function shoot(page: Page, name: string, size: string, ready: (p: Page) => Promise<void>) {
  const dark = await page
    .context()
    .browser()!
    .newContext({
      viewport: page.viewportSize()!,
      colorScheme: 'dark',
      storageState: await page.context().storageState(),
    });
  try {
    const darkPage = await dark.newPage();
    await darkPage.goto(page.url());
    for (const [scheme, p] of [
      ['light', page],
      ['dark', darkPage],
    ] as const) {
      await expect(p.locator('html')).toHaveClass(scheme === 'dark' ? /\bdark\b/ : /^(?!.*\bdark\b).*$/);
      await ready(p);
      if (size === 'phone') await expectNoOverflow(p);
      else await expectAccessible(p, `${name} ${scheme}`);
      await p.screenshot({ path: `${SHOTS}/${name}-${scheme}-${size}.png`, fullPage: true });
    }
  } finally {
    await dark.close();
  }
}

for (const size of SIZES) {
  test(`play back a terminal session and jump to a command at ${size.name} size`, async ({ browser }) => {
    // a user made through the admin pages, a session, two page loads in two themes, axe
    test.setTimeout(120_000);
    const { device } = size;
    const name = await operatorFor(browser, device);
    const page = await (await browser.newContext({ viewport: size.viewport })).newPage();
    await signIn(page, name, PASSWORD);
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

    // a session: two commands, then the tab is closed
    await navTo(page, 'Terminal');
    await mouseClick(page, page.getByRole('button', { name: '+ New tab' }));
    await mouseClick(
      page,
      page
        .getByRole('dialog', { name: 'Choose a device' })
        .getByRole('button', { name: new RegExp(`^${device}`) }),
    );
    const tab = page.locator(`[role="tab"][data-tab="${device}"]`);
    await expect(tab).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
    const screen = page.locator(`[data-pane="${device}"] .xterm-rows`);
    await expect(screen).toContainText(`<${device}>`);
    await mouseClick(page, page.locator(`[data-pane="${device}"] .xterm-screen`));
    await page.keyboard.type('display clock\r');
    await expect(screen).toContainText(/display clock[\s\S]*\d{4}-\d{2}-\d{2}/);
    await page.keyboard.type('display version\r');
    // its last line (a phone's terminal has scrolled its first ones away)
    await expect(screen).toContainText(VERSION_END);
    await mouseClick(page, page.getByRole('button', { name: `Close ${device}` }));
    await expect(tab).toHaveCount(0);

    // Recordings, from the navigation: this user's one recording, once its session has closed
    await navTo(page, 'Recordings');
    await expect(page.getByRole('heading', { name: 'Session recordings' })).toBeVisible();
    const list = page.locator(
      size.name === 'phone' ? '[data-testid="recordings-cards"]' : '[data-testid="recordings-table"]',
    );
    const row = list.locator(`[data-device="${device}"][data-user="${name}"]`);
    const search = page.getByRole('search', { name: 'Search recordings' });
    await expect(search).toHaveAttribute('data-hydrated', 'true');
    await expect(async () => {
      // the list is the page's: search again until the closed session's recording says complete
      await mouseClick(page, search.getByRole('button', { name: 'Search' }));
      await expect(row.locator('[data-state]')).toHaveAttribute('data-state', 'complete', { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await expect(list.locator('[data-recording]')).toHaveCount(1);
    await expect(row).toContainText('2 commands');
    await shoot(page, 'recordings', size.name, async (p) => {
      await expect(p.getByRole('search', { name: 'Search recordings' })).toHaveAttribute(
        'data-hydrated',
        'true',
      );
    });

    // a command typed finds it; one never typed does not
    await search.getByLabel('Command typed').fill('version');
    await mouseClick(page, search.getByRole('button', { name: 'Search' }));
    await expect(page).toHaveURL(/command=version/);
    await expect(row.getByRole('link', { name: /display version at 0:\d\d/ })).toBeVisible();
    await search.getByLabel('Command typed').fill('reload');
    await mouseClick(page, search.getByRole('button', { name: 'Search' }));
    await expect(page.getByTestId('recordings-empty')).toContainText('No recording matches this search.');
    await mouseClick(page, page.getByTestId('recordings-empty').getByRole('link', { name: 'Clear' }));
    await expect(row).toBeVisible();

    // its playback page
    await mouseClick(page, row.getByRole('link', { name: `Play the recording of ${name} on ${device}` }));
    await expect(page.getByRole('heading', { name: `${device} — ${name}` })).toBeVisible();
    const player = page.getByTestId('recording-player');
    await expect(player).toHaveAttribute('data-ready', 'true', { timeout: 15_000 });
    await expect(page.getByTestId('download-cast')).toHaveAttribute(
      'href',
      /\/api\/v1\/recordings\/[^/]+\/cast$/,
    );
    const commands = page.getByTestId('recording-commands');
    await expect(commands.getByRole('button')).toHaveCount(2);

    // press play in the player and let it play to the end (pauses are shortened to 2 s); the list
    // follows the player's markers as it passes them
    await mouseClick(page, player.locator('.ap-play-button'));
    const term = player.locator('pre.ap-term-text');
    await expect(term).toContainText(VERSION_END, { timeout: 30_000 });
    await expect(player.locator('.ap-time-remaining')).toHaveText('-00:00', { timeout: 30_000 });
    await expect(player.locator('.ap-marker-past')).toHaveCount(2);
    const first = commands.getByRole('button', { name: /display clock/ });
    const second = commands.getByRole('button', { name: /display version/ });
    await expect(second).toHaveAttribute('aria-current', 'step');
    const duration = Number(await player.getAttribute('data-duration'));
    expect(duration).toBeGreaterThan(0);

    // the first command in the list: the player jumps back to it (its own clock says where it
    // landed) and plays on, past the second command's marker again, output and all (a phone's
    // screen scrolls the first command's short output away at once)
    // (the list marks the first command, and a moment later the second as the replay passes it)
    await mouseClick(page, first);
    await expect(player).toHaveAttribute('data-landed', /\d/);
    const landedFirst = Number(await player.getAttribute('data-landed'));
    expect(landedFirst).toBeGreaterThan(0);
    expect(landedFirst).toBeLessThan(duration);
    await expect(second).toHaveAttribute('aria-current', 'step');
    await expect(term).toContainText(VERSION_END);
    // the second: further on than the first
    await mouseClick(page, second);
    await expect
      .poll(async () => Number(await player.getAttribute('data-landed')))
      .toBeGreaterThan(landedFirst);
    expect(Number(await player.getAttribute('data-landed'))).toBeLessThanOrEqual(duration);
    await expect(term).toContainText(VERSION_END);

    await shoot(page, 'playback', size.name, async (p) => {
      await expect(p.getByTestId('recording-player')).toHaveAttribute('data-ready', 'true', {
        timeout: 15_000,
      });
    });

    // the .cast download is the recording
    const download = page.waitForEvent('download');
    await mouseClick(page, page.getByTestId('download-cast'));
    const file = await download;
    expect(file.suggestedFilename()).toMatch(new RegExp(`^${device}-${name}-\\d{8}-\\d{6}\\.cast$`));
    const playback = page.url();

    // a search hit opens the recording at that command, playing; a new speed carries on from there
    await mouseClick(page, page.getByRole('link', { name: 'All recordings' }));
    await expect(search).toHaveAttribute('data-hydrated', 'true');
    await search.getByLabel('Command typed').fill('version');
    await mouseClick(page, search.getByRole('button', { name: 'Search' }));
    await mouseClick(page, row.getByRole('link', { name: /display version at 0:\d\d/ }));
    await expect(player).toHaveAttribute('data-ready', 'true', { timeout: 15_000 });
    await expect(second).toHaveAttribute('aria-current', 'step');
    await expect(player).toHaveAttribute('data-landed', /\d/);
    expect(Number(await player.getAttribute('data-landed'))).toBeGreaterThan(landedFirst);
    await expect(term).toContainText(VERSION_END);
    await expect(player).toHaveAttribute('data-speed', '1');
    await page.getByLabel('Speed').selectOption('2');
    await expect(player).toHaveAttribute('data-speed', '2');
    await expect(player.locator('.ap-wrapper')).toHaveCount(1);
    const landedSecond = Number(await player.getAttribute('data-landed'));
    await mouseClick(page, first);
    await expect
      .poll(async () => Number(await player.getAttribute('data-landed')))
      .toBeLessThan(landedSecond);
    await expect(second).toHaveAttribute('aria-current', 'step');

    // the device page lists it among its recent recordings
    await mouseClick(page, page.getByRole('link', { name: 'Device page' }));
    await expect(page.getByRole('heading', { name: device, exact: true })).toBeVisible();
    const recent = page.getByTestId('device-recordings');
    await mouseClick(
      page,
      recent.getByRole('link', { name: new RegExp(`^Play the recording of ${name} at`) }),
    );
    await expect(page).toHaveURL(playback);

    // and an admin reaches it from the audit log's entries of the session
    if (size.name === 'laptop') {
      const admin = await (await browser.newContext({ viewport: size.viewport })).newPage();
      await signInAsAdmin(admin);
      await admin.goto(`/admin/audit?user=${name}&action=terminal.`);
      const entries = admin.getByTestId('audit-recording');
      await expect(entries).toHaveCount(2); // terminal.open and terminal.close
      await mouseClick(admin, entries.first());
      await expect(admin).toHaveURL(playback);
      await expect(admin.getByRole('heading', { name: `${device} — ${name}` })).toBeVisible();
      // an admin's list is everyone's, with a user filter
      await mouseClick(admin, admin.getByRole('link', { name: 'All recordings' }));
      const adminSearch = admin.getByRole('search', { name: 'Search recordings' });
      await expect(adminSearch).toHaveAttribute('data-hydrated', 'true');
      await adminSearch.getByLabel('User').fill(name);
      await mouseClick(admin, adminSearch.getByRole('button', { name: 'Search' }));
      await expect(admin).toHaveURL(new RegExp(`user=${name}`));
      await expect(admin.locator('[data-testid="recordings-table"] [data-recording]')).toHaveCount(1);
      await expect(admin.locator(`[data-testid="recordings-table"] [data-user="${name}"]`)).toHaveCount(1);
      await admin.screenshot({ path: `${SHOTS}/recordings-admin-light-laptop.png`, fullPage: true });
      await admin.context().close();
    }
  });
}
