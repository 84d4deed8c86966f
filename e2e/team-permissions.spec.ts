import { expect, test, type Browser } from '@playwright/test';
import { createUser, mouseClick, openTerminalTab, signIn, signInAsAdmin, unique } from './helpers';

/**
 * Team permissions on the team's page (issue 18): an admin ticks "See every user's session
 * recordings" and Observe on a granted group, with the mouse; both survive a reload; the team's
 * operator, who saw no recording before, now finds the admin's session on Recordings and may search
 * by user.
 */
const PASSWORD = 'team-permissions-password-1';

async function signedIn(browser: Browser, username: string) {
  const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await signIn(page, username, PASSWORD);
  await expect(page.getByTestId('current-user')).toBeVisible();
  return page;
}

test('a team given the recordings permission and observing on a group', async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await signInAsAdmin(admin);
  const [operator, team, group] = [unique('auditor'), unique('auditors'), unique('site:watched')];
  await createUser(admin, operator, 'operator', PASSWORD);

  // the admin's own session on a lab device: a recording the operator cannot see yet
  await openTerminalTab(admin, 'lab-vrp-12');
  const op = await signedIn(browser, operator);
  await op.goto('/recordings');
  await expect(op.getByTestId('recordings-empty')).toBeVisible();
  await expect(op.getByLabel('User', { exact: true })).toHaveCount(0);

  await admin.goto('/admin/groups');
  const groupForm = admin.getByRole('form', { name: 'Create group' });
  await groupForm.getByLabel('Name').fill(group);
  await mouseClick(admin, groupForm.getByRole('button', { name: 'Create group' }));
  await expect(admin.locator(`li[data-group="${group}"]`)).toBeVisible();

  await admin.goto('/admin/teams');
  const teamForm = admin.getByRole('form', { name: 'Create team' });
  await teamForm.getByLabel('Name').fill(team);
  await mouseClick(admin, teamForm.getByRole('button', { name: 'Create team' }));
  await expect(teamForm.getByRole('status')).toHaveText(`Team ${team} created.`);
  await mouseClick(admin, admin.locator(`li[data-team="${team}"]`).getByRole('link', { name: team }));
  await expect(admin.getByRole('heading', { name: `Team ${team}` })).toBeVisible();
  await admin.getByLabel('Add a member').fill(operator);
  await mouseClick(admin, admin.getByRole('button', { name: `Add ${operator}`, exact: true }));
  await expect(admin.getByRole('status').filter({ hasText: 'member' })).toHaveText('Saved: 1 member.');

  const permissions = admin.getByTestId('team-permissions');
  const recordings = permissions.getByRole('checkbox', { name: "See every user's session recordings" });
  await expect(permissions.getByRole('button', { name: 'Save permissions' })).toBeDisabled();
  await mouseClick(admin, recordings);
  await mouseClick(admin, permissions.getByRole('button', { name: 'Save permissions' }));
  await expect(permissions.getByRole('status')).toHaveText('Saved: permissions updated.');

  // Observe shows once the group has a level
  const observe = admin.getByRole('checkbox', { name: `Observe sessions on ${group}`, exact: true });
  await expect(observe).toHaveCount(0);
  await admin.getByLabel(`Level on group ${group}`, { exact: true }).selectOption('view');
  await mouseClick(admin, observe);
  await mouseClick(admin, admin.getByRole('button', { name: /Save grants/ }));
  await expect(admin.getByRole('status').filter({ hasText: 'granted' })).toHaveText(
    'Saved: 1 group granted.',
  );

  await admin.reload();
  await expect(recordings).toBeChecked();
  await expect(observe).toBeChecked();
  // the group's page names the team as observing
  await admin.goto('/admin/groups');
  await mouseClick(admin, admin.locator(`li[data-group="${group}"]`).getByRole('link', { name: group }));
  await expect(admin.getByTestId('group-access-list')).toContainText('observes sessions');

  // the operator now sees the admin's recording, says why, and may search by user
  await op.goto('/recordings');
  await expect(op.getByText('A team you are in lets you see everyone’s.')).toBeVisible();
  const rows = op.getByTestId('recordings-table').locator('tr[data-user="admin"][data-device="lab-vrp-12"]');
  await expect(rows.first()).toBeVisible();
  await expect(op.getByLabel('User', { exact: true })).toBeVisible();
});
