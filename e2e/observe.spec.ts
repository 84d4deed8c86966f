import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createUser, mouseClick, navTo, openTerminalTab, signIn, signInAsAdmin, unique } from './helpers';

/**
 * Watching a live session (issue 18): the admin works in a terminal; a second admin (a lead) opens
 * Sessions from the navigation, clicks Watch, sees the screen and then a command the admin types; the
 * admin's terminal says who watches; the lead ends the session with a reason the admin then reads in
 * the tab. With the mouse, the lead on a laptop and on a phone; screenshots in both themes.
 */
const SHOTS = '/tmp/shots-observe';
mkdirSync(SHOTS, { recursive: true });
const PASSWORD = 'observe-lead-password-123';

const SIZES = [
  { name: 'laptop', viewport: { width: 1440, height: 900 }, device: 'lab-vrp-19' },
  { name: 'phone', viewport: { width: 390, height: 844 }, device: 'lab-ios-19' },
] as const;

async function shoot(page: Page, name: string, size: string) {
  if (size === 'phone') {
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.scrollingElement!.scrollWidth,
      client: document.scrollingElement!.clientWidth,
    }));
    expect(scroll, `${name} scrolls sideways`).toBeLessThanOrEqual(client);
  } else {
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      // xterm's own markup (its helper textarea and rows) is xterm's
      .exclude('[data-testid="observer-terminal"]')
      .analyze();
    const serious = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${name}: ${v.id} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
    expect(serious).toEqual([]);
  }
  const dark = await page
    .context()
    .browser()!
    .newContext({
      viewport: page.viewportSize()!,
      colorScheme: 'dark',
      storageState: await page.context().storageState(),
    });
  await page.screenshot({ path: `${SHOTS}/${name}-light-${size}.png`, fullPage: true });
  try {
    const p = await dark.newPage();
    await p.goto(page.url());
    await expect(p.locator('html')).toHaveClass(/\bdark\b/);
    await expect(p.locator('h1')).toBeVisible();
    if (name === 'observe')
      await expect(p.getByTestId('observe-status')).toHaveAttribute('data-state', 'watching');
    await p.screenshot({ path: `${SHOTS}/${name}-dark-${size}.png`, fullPage: true });
  } finally {
    await dark.close();
  }
}

for (const size of SIZES) {
  test(`a lead watches a live session, sees a typed command and ends the session (${size.name})`, async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    const { device } = size;
    // the owner: the admin, in a terminal on a laptop
    const owner = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signInAsAdmin(owner);
    const lead = unique('lead');
    await createUser(owner, lead, 'admin', PASSWORD);
    await openTerminalTab(owner, device);
    const ownerScreen = owner.locator(`[data-pane="${device}"] .xterm-rows`);
    const prompt = device.startsWith('lab-vrp') ? `<${device}>` : `${device}>`;
    await expect(ownerScreen).toContainText(prompt);
    await mouseClick(owner, owner.locator(`[data-pane="${device}"] .xterm-screen`));
    await owner.keyboard.type(device.startsWith('lab-vrp') ? 'display clock\r' : 'show clock\r');
    await expect(ownerScreen).toContainText(/clock[\s\S]*\d{2}:\d{2}:\d{2}/);

    // the lead: Sessions from the navigation, the admin's session on the device, Watch
    const page = await (await browser.newContext({ viewport: size.viewport })).newPage();
    await signIn(page, lead, PASSWORD);
    await expect(page.getByTestId('current-user')).toBeVisible();
    await navTo(page, 'Sessions');
    await expect(page.getByRole('heading', { name: 'Live sessions' })).toBeVisible();
    const row = page.locator(`[data-session-device="${device}"]`);
    await expect(row).toContainText('admin');
    await mouseClick(page, row.getByRole('link', { name: `Watch admin on ${device}` }));
    await expect(page.getByRole('heading', { name: `admin on ${device}` })).toBeVisible();
    await expect(page.getByTestId('observe-status')).toHaveAttribute('data-state', 'watching');
    const watched = page.locator('[data-testid="observer-terminal"] .xterm-rows');
    // the screen as it is: what the admin typed before the lead came
    await expect(watched).toContainText(/clock[\s\S]*\d{2}:\d{2}:\d{2}/);

    // the owner is told who watches
    await expect(owner.getByTestId('terminal-observers')).toHaveText(`Watched by ${lead}`);
    // a command typed now appears on the lead's screen
    // (not a command the device knows: its echo and the device's complaint stay on a phone's short screen)
    const command = `observed-${size.name}-42`;
    await mouseClick(owner, owner.locator(`[data-pane="${device}"] .xterm-screen`));
    await owner.keyboard.type(`${command}\r`);
    await expect(watched).toContainText(command);
    await shoot(page, 'observe', size.name);

    // while watching, the lead's list (in another tab) shows who watches
    const list = await page.context().newPage();
    await list.goto('/sessions');
    await expect(
      list.locator(`[data-session-device="${device}"]`).getByTestId('session-observers'),
    ).toHaveText(lead);
    await shoot(list, 'sessions', size.name);
    await list.close();

    // End session: a reason is required, then the owner reads it in the tab
    await mouseClick(page, page.getByRole('button', { name: 'End session' }));
    const dialog = page.getByRole('dialog', { name: `End admin's session on ${device}?` });
    await mouseClick(page, dialog.getByRole('button', { name: 'End the session' }));
    await expect(dialog).toContainText('Say why the session is ended.');
    await dialog.getByLabel('Reason').fill('change freeze');
    await mouseClick(page, dialog.getByRole('button', { name: 'End the session' }));
    await expect(page.getByTestId('observe-status')).toHaveText(
      `The session ended: Ended by ${lead}: change freeze`,
    );
    await expect(owner.getByTestId('terminal-status')).toContainText(`Ended by ${lead}: change freeze`);
    await expect(owner.locator(`[role="tab"][data-tab="${device}"]`)).toHaveAttribute('data-state', 'closed');
    await page.context().close();
    await owner.context().close();
  });
}

test('an operator sees only their own sessions and cannot watch someone else’s', async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  await signInAsAdmin(owner);
  const op = unique('op');
  await createUser(owner, op, 'operator', PASSWORD);
  await openTerminalTab(owner, 'lab-vrp-14');
  // the session's id, as the admin's own list shows it (in a second tab of the admin's)
  const list = await owner.context().newPage();
  await list.goto('/sessions');
  const id = await list.locator('[data-session-device="lab-vrp-14"]').first().getAttribute('data-session');
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  const page = await (await browser.newContext()).newPage();
  await signIn(page, op, PASSWORD);
  await expect(page.getByTestId('current-user')).toBeVisible();
  await page.goto('/sessions');
  await expect(page.getByTestId('no-sessions')).toBeVisible();
  // the id copied from somewhere: no page (and the socket refuses it: tests/terminal-observe.test.ts)
  await page.goto(`/sessions/${id}`);
  await expect(page.getByTestId('session-gone')).toBeVisible();
  await page.context().close();
  await owner.context().close();
});

test('pairing: the owner invites a teammate, hands over the keyboard, the teammate types, the owner takes it back', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const device = 'lab-vrp-18';
  const owner = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signInAsAdmin(owner);
  const mate = unique('mate');
  await createUser(owner, mate, 'admin', PASSWORD);
  await openTerminalTab(owner, device);
  const ownerScreen = owner.locator(`[data-pane="${device}"] .xterm-rows`);
  await expect(ownerScreen).toContainText(`<${device}>`);

  // Share: invite the teammate by name
  await mouseClick(owner, owner.getByTestId('terminal-status').getByRole('button', { name: 'Share' }));
  const share = owner.getByRole('dialog', { name: `Share ${device}` });
  await share.getByLabel('User name').fill('no-such-user');
  await mouseClick(owner, share.getByRole('button', { name: 'Invite' }));
  await expect(share.getByRole('alert')).toHaveText(
    `no-such-user cannot be invited: no such user may see ${device}.`,
  );
  await share.getByLabel('User name').fill(mate);
  await mouseClick(owner, share.getByRole('button', { name: 'Invite' }));
  await expect(share.locator(`[data-guest="${mate}"]`)).toBeVisible();

  // the teammate finds it under Sessions and watches, read-only
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signIn(page, mate, PASSWORD);
  await expect(page.getByTestId('current-user')).toBeVisible();
  await navTo(page, 'Sessions');
  await mouseClick(
    page,
    page.locator(`[data-session-device="${device}"]`).getByRole('link', { name: `Watch admin on ${device}` }),
  );
  await expect(page.getByTestId('observe-control')).toHaveAttribute('data-control', 'false');

  // the keyboard handed over: the teammate types, the owner sees it and waits
  await mouseClick(owner, share.getByRole('button', { name: `Hand the keyboard to ${mate}` }));
  await expect(page.getByTestId('observe-control')).toHaveAttribute('data-control', 'true');
  await mouseClick(page, page.locator('[data-testid="observer-terminal"] .xterm-screen'));
  await page.keyboard.type('display clock\r');
  await expect(ownerScreen).toContainText(/display clock[\s\S]*\d{4}-\d{2}-\d{2}/);
  await expect(share.getByText(`${mate} types now`)).toBeVisible();
  await owner.screenshot({ path: `${SHOTS}/share-light-laptop.png`, fullPage: true });

  // taken back
  await mouseClick(owner, share.getByRole('button', { name: 'Take back the keyboard' }));
  await expect(page.getByTestId('observe-control')).toHaveAttribute('data-control', 'false');
  await mouseClick(owner, share.getByRole('button', { name: 'Close' }));
  await expect(owner.getByTestId('terminal-keyboard')).toHaveCount(0);
  await page.context().close();
  await owner.context().close();
});
