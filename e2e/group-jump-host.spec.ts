import { expect, test } from '@playwright/test';
import { mouseClick, signInAsAdmin, unique } from './helpers';

/**
 * A group's jump host, set on the group's page with the mouse: a device that does not exist is
 * refused on the field, an SSH device is kept and shown again after a reload, and clearing it works.
 */
test('an admin names a jump host for a group, and clears it', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAsAdmin(page);
  const name = unique('site:hop');
  await page.goto('/admin/groups');
  const create = page.getByRole('form', { name: 'Create group' });
  await create.getByLabel('Name').fill(name);
  await mouseClick(page, create.getByRole('button', { name: 'Create group' }));
  await expect(create.getByRole('status')).toHaveText(`Group ${name} created.`);
  await mouseClick(page, page.locator(`li[data-group="${name}"]`).getByRole('link', { name }));

  const form = page.getByRole('form', { name: 'Jump host' });
  const field = form.getByLabel('Jump host (SSH device)');
  await field.fill('no-such-jump-host');
  await mouseClick(page, form.getByRole('button', { name: 'Save jump host' }));
  await expect(form.getByRole('alert')).toHaveText('No device named no-such-jump-host.');
  await expect(field).toHaveAttribute('aria-invalid', 'true');

  await field.fill('lab-vrp-18');
  await mouseClick(page, form.getByRole('button', { name: 'Save jump host' }));
  await expect(form.getByRole('status')).toContainText('now go through lab-vrp-18');
  await page.reload();
  await expect(
    page.getByRole('form', { name: 'Jump host' }).getByLabel('Jump host (SSH device)'),
  ).toHaveValue('lab-vrp-18');

  const again = page.getByRole('form', { name: 'Jump host' });
  await again.getByLabel('Jump host (SSH device)').fill('');
  await mouseClick(page, again.getByRole('button', { name: 'Save jump host' }));
  await expect(again.getByRole('status')).toHaveText('No jump host.');
});
