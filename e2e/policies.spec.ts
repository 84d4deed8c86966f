import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createUser, mouseClick, navTo, signIn, signInAsAdmin, unique } from './helpers';
import { E2E } from './env';

/**
 * The command guard rails page (issue 19), with the mouse: an admin adds a rule denying `reload` to
 * operators on Cisco IOS, moves it above the built-in IOS rule, and the tester says that an
 * operator's `rel` on lab-ios-01 is denied by it; then deletes it (other specs share the server). At
 * phone size, dark and in Chinese, the page and its open Add rule form fit the screen.
 */

async function expectNoOverflow(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.scrollingElement!.scrollWidth,
    client: document.scrollingElement!.clientWidth,
  }));
  expect(scroll, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(client);
}

async function expectAccessible(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(serious).toEqual([]);
}

/** A rule's place in the list (1 decides first). */
async function placeOf(page: Page, name: string): Promise<number> {
  return Number(await page.locator(`li[data-rule="${name}"]`).getAttribute('data-place'));
}

test.describe('1440×900', () => {
  test.use({ viewport: { width: 1440, height: 900 }, locale: 'en-US', colorScheme: 'light' });

  test('an admin adds a rule, moves it up, and the tester names it for an operator’s abbreviation', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await signInAsAdmin(page);
    const operator = unique('guard-op');
    await createUser(page, operator, 'operator', 'guard-op-password-1234');
    await navTo(page, 'Guard rails');
    await expect(page.getByRole('heading', { level: 1, name: 'Command guard rails' })).toBeVisible();
    const list = page.getByTestId('rule-list');
    // the built-in rules are there, marked
    const ios = 'Destructive commands (Cisco IOS family, Arista, Ruijie)';
    await expect(list.locator(`li[data-rule="${ios}"]`)).toContainText('built-in');

    // Add rule: deny `reload` for operators on Cisco IOS
    const name = unique('No reloads');
    await mouseClick(page, page.getByTestId('add-rule'));
    const form = page.getByRole('form', { name: 'Add rule' });
    await expect(form).toBeVisible();
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Action').selectOption('approve');
    const ciscoIos = form.getByRole('group', { name: 'Vendors' }).getByLabel('Cisco IOS / IOS-XE');
    await mouseClick(page, ciscoIos);
    await mouseClick(
      page,
      form.getByRole('group', { name: 'Roles' }).getByLabel('operator', { exact: true }),
    );
    // first as a regular expression that backtracks catastrophically: refused under the field, naming it
    await form.getByLabel('Match').selectOption('regex');
    await expect(form.getByText('RE2 syntax')).toBeVisible();
    const patterns = form.getByLabel('Commands (one per line)');
    await patterns.fill('reload\n(a+)+$');
    await mouseClick(page, form.getByRole('button', { name: 'Add rule' }));
    await expect(form.getByTestId('patterns-error')).toContainText('«(a+)+$»: Nested repetition');
    await expect(patterns).toHaveAttribute('aria-invalid', 'true');
    await expect(ciscoIos).toBeChecked(); // what was ticked stays ticked
    await expect(form.getByLabel('Name')).toHaveValue(name);
    await expect(form.getByLabel('Action')).toHaveValue('approve');
    await expect(form.getByLabel('Match')).toHaveValue('regex');
    await form.screenshot({ path: '/tmp/policies-desktop-form.png' });
    // then as words, denied
    await form.getByLabel('Action').selectOption('deny');
    await form.getByLabel('Match').selectOption('words');
    await expect(form.getByText('* is any word')).toBeVisible();
    await patterns.fill('reload');
    await expectAccessible(page);
    await mouseClick(page, form.getByRole('button', { name: 'Add rule' }));
    await expect(page.getByTestId('policies-notice')).toHaveText(`Rule “${name}” added.`);
    await expect(form).toHaveCount(0);
    const row = list.locator(`li[data-rule="${name}"]`);
    await expect(row).toBeVisible();
    await expect(row.locator('[data-action="deny"]')).toHaveText('deny');
    await expect(row.getByTestId('rule-patterns')).toHaveText('reload');
    await expect(row).toContainText('Cisco IOS / IOS-XE');
    await expect(row).toContainText('operator');
    // added last, after the built-in IOS rule (which asks operators to confirm)
    const added = await placeOf(page, name);
    expect(added).toBe(await list.locator('li[data-rule]').count());
    expect(added).toBeGreaterThan(await placeOf(page, ios));

    // up, one place at a time, until it decides before the built-in IOS rule
    while ((await placeOf(page, name)) > (await placeOf(page, ios))) {
      const at = await placeOf(page, name);
      await mouseClick(page, row.getByRole('button', { name: `Move ${name} up` }));
      await expect(row).toHaveAttribute('data-place', String(at - 1));
    }
    await expect(page.getByTestId('policies-notice')).toHaveText(
      `Rule “${name}” is now rule ${await placeOf(page, name)}.`,
    );

    // the tester: an operator's `rel` on lab-ios-01
    const tester = page.getByTestId('policy-tester');
    await tester.getByLabel('Command line').fill('rel');
    await tester.getByLabel('Device').selectOption({ label: 'lab-ios-01 (Cisco IOS / IOS-XE)' });
    await tester.getByLabel('User').selectOption({ label: `${operator} (operator)` });
    await tester.getByLabel('Mode').selectOption('exec');
    await mouseClick(page, tester.getByRole('button', { name: 'Test' }));
    const result = tester.getByTestId('tester-result');
    await expect(result).toHaveAttribute('data-action', 'deny');
    await expect(result.locator('[data-action="deny"]')).toHaveText('deny');
    await expect(result.getByTestId('tester-rule')).toHaveText(`Rule ${await placeOf(page, name)}: ${name}`);
    await expect(result).toContainText(`Rule “${name}” denies “rel”.`);
    await expect(result).toContainText('exec (privileged EXEC)');
    await expectNoOverflow(page);
    await expectAccessible(page);
    await page.screenshot({ path: '/tmp/policies-desktop-light.png', fullPage: true });

    // Edit: disabled, it is dimmed and decides nothing; the built-in IOS rule asks to confirm again
    await mouseClick(page, row.getByRole('button', { name: `Edit ${name}` }));
    const edit = page.getByRole('form', { name: `Edit rule “${name}”` });
    await expect(edit.getByLabel('Commands (one per line)')).toHaveValue('reload');
    await row.screenshot({ path: '/tmp/policies-desktop-edit.png' });
    await mouseClick(page, edit.getByRole('checkbox', { name: /^Enabled/ }));
    await mouseClick(page, edit.getByRole('button', { name: 'Save' }));
    await expect(page.getByTestId('policies-notice')).toHaveText(`Rule “${name}” saved.`);
    await expect(row).toHaveAttribute('data-enabled', 'false');
    await expect(row.getByTestId('rule-disabled')).toHaveText('disabled');
    await row.screenshot({ path: '/tmp/policies-desktop-disabled-row.png' });
    await mouseClick(page, tester.getByRole('button', { name: 'Test' }));
    await expect(result).toHaveAttribute('data-action', 'confirm');
    await expect(result.getByTestId('tester-rule')).toHaveText(`Rule ${await placeOf(page, ios)}: ${ios}`);

    // other specs share this server: the rule goes again (Delete, confirmed)
    await mouseClick(page, row.getByRole('button', { name: `Delete ${name}` }));
    const dialog = page.getByRole('dialog', { name: `Delete the rule “${name}”?` });
    await mouseClick(page, dialog.getByRole('button', { name: 'Delete rule' }));
    await expect(row).toHaveCount(0);
    await expect(page.getByTestId('policies-notice')).toHaveText(`Rule “${name}” deleted.`);
  });
});

test('at 390×844, dark and in Chinese: no sideways scrolling, the Add rule form opens', async ({
  browser,
}) => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    colorScheme: 'dark',
    locale: 'zh-CN',
  });
  try {
    const page = await context.newPage();
    await signIn(page, 'admin', E2E.adminPassword);
    await expect(page.getByTestId('current-user')).toBeVisible();
    await page.goto('/admin/policies');
    await expect(page.locator('html')).toHaveClass(/\bdark\b/);
    await expect(page.getByRole('heading', { level: 1, name: '命令防护规则' })).toBeVisible();
    await expect(page.getByTestId('rule-list').locator('li[data-rule]').first()).toBeVisible();
    await expectNoOverflow(page);

    await mouseClick(page, page.getByTestId('add-rule'));
    const form = page.getByRole('form', { name: '添加规则' });
    await expect(form).toBeVisible();
    await expect(form.getByLabel('名称', { exact: true })).toBeVisible();
    await expect(form.getByRole('group', { name: '命令行模式' })).toContainText('config');
    await expectNoOverflow(page);

    // the tester answers in Chinese too
    const tester = page.getByTestId('policy-tester');
    await tester.getByLabel('命令行').fill('display version | include uptime');
    await mouseClick(page, tester.getByRole('button', { name: '测试' }));
    await expect(tester.getByTestId('tester-result')).toHaveAttribute('data-action', 'allow');
    await expectNoOverflow(page);
    await page.screenshot({ path: '/tmp/policies-phone-dark.png', fullPage: true });
  } finally {
    await context.close();
  }
});
