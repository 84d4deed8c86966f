import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { createUser, mouseClick, signInAsAdmin, unique } from './helpers';

/**
 * The admin pages' frame (issue 15): in the dark theme their surfaces are dark and their text light;
 * at phone width none of them scrolls sideways (wide tables scroll inside their own card); an audit
 * filter that matches nothing says so and offers to clear it.
 */
const SHOTS = '/tmp/h6-shots/e2e';
mkdirSync(SHOTS, { recursive: true });
const PAGES = ['/admin/users', '/admin/groups', '/admin/teams', '/admin/audit'];

/** 0 (black) to 1 (white) for a computed colour, whether the browser answers rgb(), lab() or oklch(). */
function lightness(color: string): number {
  const lab = /^(ok)?(?:lab|lch)\(([\d.]+)(%?)/.exec(color);
  if (lab) return Number(lab[2]) / (lab[1] && !lab[3] ? 1 : 100);
  const rgb = /rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)/.exec(color);
  if (!rgb) throw new Error(`unexpected colour ${color}`);
  return (Number(rgb[1]) + Number(rgb[2]) + Number(rgb[3])) / 3 / 255;
}

async function colours(page: Page, selector: string) {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const s = getComputedStyle(el);
      return { background: s.backgroundColor, color: s.color };
    });
}

async function expectNoOverflow(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.scrollingElement!.scrollWidth,
    client: document.scrollingElement!.clientWidth,
  }));
  expect(scroll, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(client);
}

test.describe('dark', () => {
  test.use({ colorScheme: 'dark', viewport: { width: 1440, height: 900 } });

  test('the audit log has dark surfaces and light text', async ({ page }) => {
    await signInAsAdmin(page);
    await page.goto('/admin/audit');
    await expect(page.locator('html')).toHaveClass(/dark/);
    await expect(page.getByTestId('audit-table')).toBeVisible();
    const body = await colours(page, 'body');
    expect(lightness(body.background)).toBeLessThan(0.3);
    expect(lightness(body.color)).toBeGreaterThan(0.7);
    for (const surface of ['form[role="search"]', '[data-testid="audit-table"] thead', 'main .card']) {
      const c = await colours(page, surface);
      expect(lightness(c.background), surface).toBeLessThan(0.35);
    }
    const cell = await colours(page, '[data-testid="audit-table"] tbody td');
    expect(lightness(cell.color)).toBeGreaterThan(0.7);
    const input = await colours(page, '#action');
    expect(lightness(input.background)).toBeLessThan(0.35);
    await page.screenshot({ path: `${SHOTS}/dark-audit-1440.png` });
  });
});

test.describe('390×844', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('no admin page scrolls sideways, in light and in dark', async ({ page }) => {
    await signInAsAdmin(page);
    const name = unique('narrow');
    await createUser(page, name, 'viewer', 'narrow-password-1234');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const url of PAGES) {
        await page.goto(url);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        await expectNoOverflow(page);
      }
      // the detail pages too
      await page.goto('/admin/users');
      await mouseClick(
        page,
        page
          .locator('tr[data-user]')
          .getByRole('link', { name: /granted/ })
          .first(),
      );
      await expect(page.getByTestId('role-cap')).toBeVisible();
      await expectNoOverflow(page);
    }
  });

  test('an audit filter that matches nothing says so; Clear filters brings the log back', async ({
    page,
  }) => {
    await signInAsAdmin(page);
    await page.goto('/admin/audit');
    await page.getByLabel('Device or target').fill(unique('nothing-matches'));
    await mouseClick(page, page.getByRole('button', { name: 'Filter', exact: true }));
    await expect(page.getByTestId('audit-empty')).toHaveText(/No events match these filters\./);
    await expectNoOverflow(page);
    await page.screenshot({ path: `${SHOTS}/audit-no-match-390.png`, fullPage: true });
    await mouseClick(page, page.getByTestId('audit-empty').getByRole('link', { name: 'Clear filters' }));
    await expect(page).toHaveURL(/\/admin\/audit$/);
    await expect(page.getByTestId('audit-table').locator('tbody tr').first()).toBeVisible();
    await expect(page.getByLabel('Device or target')).toHaveValue('');
  });
});
