import { mkdirSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { createUser, mouseClick, pickerSearch, signIn, signInAsAdmin, unique } from './helpers';

/**
 * Device groups and teams (issue 13), driven with the mouse: a team granted `operate` on a group
 * gives its members exactly the group's devices (list and terminal picker); turning the grant down to
 * `view` takes the terminals away; a colliding name and a delete that takes access away are each
 * said plainly.
 */
const SHOTS = '/tmp/groups-teams-shots';
mkdirSync(SHOTS, { recursive: true });
const PASSWORD = 'grouped-password-1234';
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/${name}-${page.viewportSize()!.width}.png`, fullPage: true });
}

/** Nothing on the page is wider than the screen (no sideways scrolling of the page itself). */
async function expectNoOverflow(page: Page) {
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    screen: window.innerWidth,
  }));
  expect(widths.page).toBeLessThanOrEqual(widths.screen);
}

async function createGroup(page: Page, name: string) {
  await page.goto('/admin/groups');
  const form = page.getByRole('form', { name: 'Create group' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Description').fill('made by the groups e2e test');
  await mouseClick(page, form.getByRole('button', { name: 'Create group' }));
  await expect(form.getByRole('status')).toHaveText(`Group ${name} created.`);
  await expect(page.locator(`li[data-group="${name}"]`)).toBeVisible();
}

/** The device picker shows the answer to what was typed (a tick on the list it replaces would be lost). */
async function searched(page: Page) {
  await expect(page.getByText('searching…')).toHaveCount(0);
}

/** On a group's page: find devices, tick them with the mouse, add them to the group. */
async function addDevices(page: Page, search: string, devices: string[]) {
  await pickerSearch(page, search);
  await searched(page);
  for (const d of devices)
    await mouseClick(page, page.getByRole('checkbox', { name: `Select ${d}`, exact: true }));
  await expect(page.getByTestId('selected-count')).toHaveText(`${devices.length} devices selected`);
  await mouseClick(page, page.getByRole('button', { name: 'Add to group' }));
  await expect(page.getByRole('status').filter({ hasText: 'Added' })).toHaveText(
    `Added ${devices.length} devices.`,
  );
  await expect(page.getByTestId('group-device-count')).toHaveText(`${devices.length} devices`);
}

/** The grant editor's device picker has its first page (so nothing below it moves any more). */
async function pickerLoaded(page: Page) {
  await expect(page.getByTestId('device-picker').locator('li[data-device]').first()).toBeVisible();
}

async function signedIn(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  await signIn(page, name, PASSWORD);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  return page;
}

/** The terminal's device picker (+ New tab) offers exactly these devices. */
async function expectPickerOffers(page: Page, devices: string[], readOnly = false) {
  await page.goto('/terminal');
  await mouseClick(page, page.getByRole('button', { name: '+ New tab' }));
  const dialog = page.getByRole('dialog', { name: 'Choose a device' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button')).toHaveCount(devices.length);
  for (const d of devices) {
    const button = dialog.getByRole('button', { name: new RegExp(`^${d}`) });
    await expect(button).toBeVisible();
    // a device the user may only view opens read-only (guard rails), and the picker says so
    await expect(button.getByText('read-only', { exact: true })).toHaveCount(readOnly ? 1 : 0);
  }
  if (devices.length === 0) await expect(dialog.getByText('No devices.')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
}

test('a team granted operate on a group sees exactly its devices; view leaves only read-only terminals; deleting the group says who loses what', async ({
  browser,
}) => {
  const admin = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  await signInAsAdmin(admin);
  const group = `site:e2e-${unique('g')}`;
  const team = unique('noc');
  const engineer = unique('engineer');

  // the group, from the menu
  await mouseClick(admin, admin.getByRole('navigation').getByRole('link', { name: 'Groups', exact: true }));
  await expect(admin.getByRole('heading', { name: 'Groups' })).toBeVisible();
  await createGroup(admin, group);

  // a colliding name (case aside) is refused, naming the group it collides with
  const form = admin.getByRole('form', { name: 'Create group' });
  await form.getByLabel('Name').fill(group.toUpperCase());
  await mouseClick(admin, form.getByRole('button', { name: 'Create group' }));
  await expect(form.getByRole('alert')).toHaveText(`A group named “${group}” already exists.`);
  await expect(form.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await expect(admin.locator('li[data-group]').filter({ hasText: group })).toHaveCount(1);
  await shot(admin, 'groups');

  // its devices, picked from a searched page of the inventory
  await mouseClick(admin, admin.locator(`li[data-group="${group}"]`).getByRole('link', { name: group }));
  await expect(admin.getByRole('heading', { name: group })).toBeVisible();
  await addDevices(admin, 'lab-vrp-0', ['lab-vrp-01', 'lab-vrp-02']);
  await admin.getByLabel('Show', { exact: true }).selectOption('in');
  await expect(admin.getByTestId('device-picker').locator('li[data-device]')).toHaveCount(2);

  // a team with a new operator in it, granted operate on the group
  await createUser(admin, engineer, 'operator', PASSWORD);
  await mouseClick(admin, admin.getByRole('navigation').getByRole('link', { name: 'Teams', exact: true }));
  const teamForm = admin.getByRole('form', { name: 'Create team' });
  await teamForm.getByLabel('Name').fill(team);
  await mouseClick(admin, teamForm.getByRole('button', { name: 'Create team' }));
  await expect(teamForm.getByRole('status')).toHaveText(`Team ${team} created.`);
  await shot(admin, 'teams');
  await mouseClick(admin, admin.locator(`li[data-team="${team}"]`).getByRole('link', { name: team }));
  await expect(admin.getByRole('heading', { name: `Team ${team}` })).toBeVisible();
  const teamUrl = admin.url();
  await admin.getByLabel('Add a member').fill(engineer);
  await mouseClick(admin, admin.getByRole('button', { name: `Add ${engineer}`, exact: true }));
  await expect(admin.getByRole('status').filter({ hasText: 'member' })).toHaveText('Saved: 1 member.');
  await expect(admin.getByTestId('team-member-list').locator(`li[data-user="${engineer}"]`)).toBeVisible();
  await admin.getByLabel(`Level on group ${group}`, { exact: true }).selectOption('operate');
  await pickerLoaded(admin);
  await mouseClick(admin, admin.getByRole('button', { name: /Save grants/ }));
  await expect(admin.getByRole('status').filter({ hasText: 'granted' })).toHaveText(
    'Saved: 1 group granted.',
  );
  await shot(admin, 'team-detail');

  // the group's page says who reaches it
  await admin.goto('/admin/groups');
  await expect(admin.locator(`li[data-group="${group}"]`).getByTestId('group-grants')).toHaveText('1 grant');
  await mouseClick(admin, admin.locator(`li[data-group="${group}"]`).getByRole('link', { name: group }));
  await expect(admin.getByTestId('group-access-list')).toContainText(team);
  await expect(admin.getByTestId('group-access-list').locator('[data-level]')).toHaveText('operate');
  await shot(admin, 'group-detail');

  // the engineer sees exactly those two devices, and may open terminals to them
  const page = await signedIn(browser, engineer);
  await page.goto('/devices');
  await expect(page.locator('tr[data-device]')).toHaveCount(2);
  await expect(page.locator('tr[data-device="lab-vrp-01"]')).toBeVisible();
  await expect(page.locator('tr[data-device="lab-vrp-02"]')).toBeVisible();
  await expectPickerOffers(page, ['lab-vrp-01', 'lab-vrp-02']);

  // the user's page shows what comes through the team, and how the role caps it
  await admin.goto('/admin/users');
  await expect(admin.locator(`tr[data-user="${engineer}"]`).getByTestId('user-teams')).toHaveText(team);
  await mouseClick(
    admin,
    admin.locator(`tr[data-user="${engineer}"]`).getByRole('link', { name: /granted/ }),
  );
  await expect(admin.getByTestId('team-grants')).toHaveText(
    `through team ${team}: operate on group ${group}`,
  );
  await expect(admin.getByTestId('role-cap')).toContainText('operator');

  // the team's grant turned down to view: the devices stay in the list, their terminals read-only
  await admin.goto(teamUrl);
  await admin.getByLabel(`Level on group ${group}`, { exact: true }).selectOption('view');
  await pickerLoaded(admin);
  await mouseClick(admin, admin.getByRole('button', { name: /Save grants/ }));
  await expect(admin.getByRole('status').filter({ hasText: 'granted' })).toHaveText(
    'Saved: 1 group granted.',
  );
  await page.goto('/devices');
  await expect(page.locator('tr[data-device]')).toHaveCount(2);
  await expectPickerOffers(page, ['lab-vrp-01', 'lab-vrp-02'], true);

  await admin.goto('/admin/users');
  await mouseClick(
    admin,
    admin.locator(`tr[data-user="${engineer}"]`).getByRole('link', { name: /granted/ }),
  );
  await expect(admin.getByTestId('team-grants')).toHaveText(`through team ${team}: view on group ${group}`);
  await shot(admin, 'user-grants');

  // deleting the group first says who loses what, then takes it away
  await admin.goto('/admin/groups');
  await mouseClick(admin, admin.getByRole('button', { name: `Delete ${group}`, exact: true }));
  const confirm = admin.getByRole('dialog', { name: `Delete group ${group}?` });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByTestId('delete-impact')).toContainText(`${engineer} loses 2 devices`);
  await shot(admin, 'group-delete');
  await mouseClick(admin, confirm.getByRole('button', { name: 'Delete group' }));
  await expect(confirm).toBeHidden();
  await expect(admin.locator(`li[data-group="${group}"]`)).toHaveCount(0);
  await page.goto('/devices');
  await expect(page.locator('tr[data-device]')).toHaveCount(0);
});

test('the groups page at 390×844: create, a collision, add devices, delete with a plain confirm; nothing wider than the screen', async ({
  browser,
}) => {
  const page = await (await browser.newContext({ viewport: PHONE })).newPage();
  await signInAsAdmin(page);
  const group = `site:e2e-${unique('phone')}`;
  await createGroup(page, group);
  await expectNoOverflow(page);
  const form = page.getByRole('form', { name: 'Create group' });
  await form.getByLabel('Name').fill(group);
  await mouseClick(page, form.getByRole('button', { name: 'Create group' }));
  await expect(form.getByRole('alert')).toHaveText(`A group named “${group}” already exists.`);
  await expectNoOverflow(page);
  await shot(page, 'groups');

  await mouseClick(page, page.locator(`li[data-group="${group}"]`).getByRole('link', { name: group }));
  await expect(page.getByRole('heading', { name: group })).toBeVisible();
  await addDevices(page, 'lab-ios-1', ['lab-ios-11', 'lab-ios-12']);
  await expectNoOverflow(page);
  await shot(page, 'group-detail');

  // a group nobody is granted: a plain confirm
  await page.goto('/admin/groups');
  await mouseClick(page, page.getByRole('button', { name: `Delete ${group}`, exact: true }));
  const confirm = page.getByRole('dialog', { name: `Delete group ${group}?` });
  await expect(confirm).toContainText('Nobody loses access');
  await expect(confirm.getByTestId('delete-impact')).toHaveCount(0);
  await expectNoOverflow(page);
  await shot(page, 'group-delete');
  await mouseClick(page, confirm.getByRole('button', { name: 'Delete group' }));
  await expect(page.locator(`li[data-group="${group}"]`)).toHaveCount(0);

  // the other pages at phone width
  const team = unique('phone-team');
  await page.goto('/admin/teams');
  const teamForm = page.getByRole('form', { name: 'Create team' });
  await teamForm.getByLabel('Name').fill(team);
  await mouseClick(page, teamForm.getByRole('button', { name: 'Create team' }));
  await expect(teamForm.getByRole('status')).toHaveText(`Team ${team} created.`);
  await expectNoOverflow(page);
  await shot(page, 'teams');
  await mouseClick(page, page.locator(`li[data-team="${team}"]`).getByRole('link', { name: team }));
  await expect(page.getByRole('heading', { name: `Team ${team}` })).toBeVisible();
  await page.getByLabel('Add a member').fill('admin');
  await expect(page.getByRole('button', { name: 'Add admin', exact: true })).toBeVisible();
  await expectNoOverflow(page);
  await shot(page, 'team-detail');

  await page.goto('/admin/users');
  const name = unique('phone-user');
  await createUser(page, name, 'viewer', PASSWORD);
  await page.goto('/admin/users');
  await mouseClick(page, page.locator(`tr[data-user="${name}"]`).getByRole('link', { name: /granted/ }));
  await expect(page.getByTestId('role-cap')).toContainText('viewer: operate grants act as view');
  await pickerSearch(page, 'lab-vrp-1');
  await searched(page);
  await mouseClick(page, page.getByRole('checkbox', { name: 'Grant lab-vrp-10', exact: true }));
  await expect(page.getByTestId('granted-devices').locator('li[data-device="lab-vrp-10"]')).toBeVisible();
  await expectNoOverflow(page);
  await shot(page, 'user-grants');
  // delete the team again (a plain confirm)
  await page.goto('/admin/teams');
  await mouseClick(page, page.getByRole('button', { name: `Delete ${team}`, exact: true }));
  const teamConfirm = page.getByRole('dialog', { name: `Delete team ${team}?` });
  await mouseClick(page, teamConfirm.getByRole('button', { name: 'Delete team' }));
  await expect(page.locator(`li[data-team="${team}"]`)).toHaveCount(0);
});
