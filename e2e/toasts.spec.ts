import { expect, test } from '@playwright/test';
import { E2E } from './env';
import { adminToken, mouseClick, signInAsAdmin, unique } from './helpers';

/*
 * Stacked toasts (a finished task each) over the page: a toast takes a mouse click, the gaps between
 * them do not (the pointer there is over the page beneath: a phone click on a task row once landed on
 * the gap), on a laptop and on a phone, light and dark, English and Chinese. Toasts leave by
 * themselves after 6 s: each check is made at once.
 */
const CASES = [
  { name: 'laptop-light-en', viewport: { width: 1440, height: 900 }, colorScheme: 'light', locale: 'en-US' },
  { name: 'phone-dark-zh', viewport: { width: 390, height: 844 }, colorScheme: 'dark', locale: 'zh-CN' },
] as const;

for (const c of CASES) {
  test(`toasts take clicks, the gaps between them do not (${c.name})`, async ({ browser }, info) => {
    const context = await browser.newContext({
      viewport: c.viewport,
      colorScheme: c.colorScheme,
      locale: c.locale,
    });
    // the token is made on the English account page (its labels are looked up in English)
    const setup = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await signInAsAdmin(setup);
    const token = await adminToken(setup);
    await setup.context().close();
    const page = await context.newPage();
    await signInAsAdmin(page);
    const lab = await page.request.get(`${E2E.baseURL}/api/v1/devices?q=lab-vrp-01`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const device = ((await lab.json()).items as { id: string; name: string }[]).find(
      (d) => d.name === 'lab-vrp-01',
    )!;
    for (let i = 0; i < 2; i++) {
      const r = await page.request.post(`${E2E.baseURL}/api/v1/tasks`, {
        headers: { authorization: `Bearer ${token}` },
        data: { name: unique(`toast-${i}`), devices: [device.id], commands: ['display clock'] },
      });
      expect(r.status(), await r.text()).toBe(201);
    }
    const toasts = page.locator('[data-toast]');
    await expect.poll(() => toasts.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: info.outputPath(`toasts-${c.name}.png`) });

    // the gap between two toasts belongs to the page beneath
    const [upper, lower] = [(await toasts.nth(0).boundingBox())!, (await toasts.nth(1).boundingBox())!];
    const gap = { x: upper.x + upper.width / 2, y: (upper.y + upper.height + lower.y) / 2 };
    expect(lower.y).toBeGreaterThan(upper.y + upper.height); // there is a gap
    const inToasts = await page.evaluate(
      ({ x, y }) => !!document.elementFromPoint(x, y)?.closest('[data-testid="toasts"]'),
      gap,
    );
    expect(inToasts).toBe(false);
    // a toast itself takes the click: its × dismisses it at once (toasts leave by themselves after 6 s)
    const first = toasts.first();
    const id = await first.getAttribute('data-toast');
    await mouseClick(page, first.getByRole('button').first());
    await expect(page.locator(`[data-toast="${id}"]`)).toHaveCount(0, { timeout: 1_000 });
    await context.close();
  });
}
