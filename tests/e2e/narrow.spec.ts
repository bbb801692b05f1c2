// Narrow screens: a phone (390 × 844) and WCAG 1.4.10 Reflow (320 CSS px, as at 400 % zoom).
// Nothing scrolls sideways: each error is a card (level and time, type and object, message),
// the toolbar wraps; the detail dialog stacks labels above values; the drawer's Reset and
// Apply stay on screen.
import { Page } from '@playwright/test';
import { test, expect, signIn, screenshotPath } from './fixtures';

/** Elements of the tab that reach past the viewport's right edge. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width) out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${width})`);
    const root = document.querySelector('sync-errors-tab')!.shadowRoot!;
    for (const el of Array.from(root.querySelectorAll('*'))) {
      if (el.closest('.se-visually-hidden')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right > width + 1 || r.left < -1) out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}–${Math.round(r.right)}`);
    }
    return out.slice(0, 8);
  });
}

for (const [width, height] of [[390, 844], [320, 568]] as const) {
  test.describe(`${width} × ${height}`, () => {
    test.use({ viewport: { width, height } });

    test('loaded, with chips: nothing scrolls sideways, each error is a card', async ({ page }) => {
      await signIn(page, 'admin');
      await page.goto('/?level=record&from=' + new Date(Date.now() - 30 * 3600_000).toISOString());
      await expect(page.locator('tbody tr').first()).toBeVisible();
      expect(await overflowing(page)).toEqual([]);
      await expect(page.locator('.se-filter-button')).toBeInViewport({ ratio: 1 });
      // A chip is a pill on one or two lines, not a tall oval with one word a line.
      const chip = await page.locator('.se-chip').first().boundingBox();
      expect(chip!.height).toBeLessThan(60);
      expect(chip!.width).toBeGreaterThan(150);
      // The grid does not scroll sideways either: a row is a card, still a row of cells.
      const grid = await page.locator('.se-grid').evaluate((g) => ({ scroll: g.scrollWidth, client: g.clientWidth }));
      expect(grid.scroll).toBeLessThanOrEqual(grid.client);
      const cells = page.getByRole('row').nth(1).getByRole('cell');
      await expect(cells).toHaveCount(5);
      const [level, time, code, message, object] = await Promise.all([0, 1, 2, 3, 4].map((i) => cells.nth(i).boundingBox()));
      expect(time!.y).toBeLessThan(level!.y + level!.height);
      expect(code!.y).toBeGreaterThanOrEqual(level!.y + level!.height - 1);
      expect(object!.y).toBeLessThan(code!.y + code!.height);
      expect(message!.y).toBeGreaterThanOrEqual(code!.y + code!.height - 1);
      expect(message!.width).toBeGreaterThan(width - 80);
      // The three sorts are still there, across the screen's width.
      for (const name of [/Failed On/, /Date\/Time of the failure/, /Error Type/]) {
        const sort = await page.getByRole('columnheader', { name }).getByRole('button').boundingBox();
        expect(sort!.x).toBeGreaterThanOrEqual(0);
        expect(sort!.x + sort!.width).toBeLessThanOrEqual(width);
      }
      if (width === 390) await page.screenshot({ path: screenshotPath('screenshot-phone.png') });
    });

    test('the drawer: Reset and Apply stay on screen', async ({ page }) => {
      await signIn(page, 'admin');
      await page.goto('/');
      await expect(page.locator('tbody tr').first()).toBeVisible();
      await page.locator('.se-filter-button').click();
      const drawer = page.getByRole('dialog');
      await expect(drawer).toBeVisible();
      // Measured once its slide-in has ended.
      await drawer.evaluate((d) => Promise.all(d.getAnimations().map((a) => a.finished)));
      await expect(drawer.getByRole('button', { name: 'Apply' })).toBeInViewport({ ratio: 1 });
      await expect(drawer.getByRole('button', { name: 'Reset' })).toBeInViewport({ ratio: 1 });
      expect(await overflowing(page)).toEqual([]);
    });

    test('the detail dialog: labels above values, nothing cut off', async ({ page }) => {
      await signIn(page, 'admin');
      await page.goto('/?level=record');
      await page.locator('tbody tr').first().click();
      const dialog = page.getByRole('dialog');
      await expect(dialog.locator('.se-details')).toBeVisible();
      expect(await overflowing(page)).toEqual([]);
      const label = await dialog.locator('.se-details dt').first().boundingBox();
      const value = await dialog.locator('.se-details dd').first().boundingBox();
      expect(value!.y).toBeGreaterThanOrEqual(label!.y + label!.height - 1);
      for (const copy of await dialog.locator('.se-copy button').all()) {
        const box = await copy.boundingBox();
        expect(box!.x + box!.width).toBeLessThanOrEqual(width);
      }
      if (width === 390) await page.screenshot({ path: screenshotPath('screenshot-phone-detail.png') });
    });
  });
}
