// axe-core (from npm, evaluated in the page) finds no violation in each state of the tab,
// in English and in French; and every task can be done with the keyboard alone.
import { Page } from '@playwright/test';
import { test, expect, signIn, axeViolations, holdRequests, listUrl } from './fixtures';

const LANGS = {
  en: { refresh: 'Refresh', filter: 'Filter', filterOne: 'Filter, 1 applied', adminRequired: 'Admin permissions required', signedOut: 'Sign in to see sync errors' },
  fr: { refresh: 'Actualiser', filter: 'Filtrer', filterOne: 'Filtrer, 1 filtre appliqué', adminRequired: 'Autorisations d’administrateur requises', signedOut: 'Connectez-vous pour voir les erreurs de synchronisation' },
} as const;

/** The standalone page with the tab in `lang` from the start. */
async function openIn(page: Page, lang: keyof typeof LANGS, user: string, query = '') {
  await page.route((u) => u.pathname === '/', async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('<sync-errors-tab ', `<sync-errors-tab lang="${lang}" `);
    await route.fulfill({ response, body });
  });
  await signIn(page, user);
  await page.goto(`/${query}`);
}

for (const lang of ['en', 'fr'] as const) {
  const t = LANGS[lang];
  test.describe(`axe, ${lang}`, () => {
    test('loaded', async ({ page }) => {
      await openIn(page, lang, 'admin');
      await expect(page.locator('tbody tr').first()).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
    });

    test('empty', async ({ page }) => {
      await openIn(page, lang, 'admin', '?from=2000-01-01T00:00:00Z&to=2000-01-01T00:01:00Z');
      await expect(page.locator('.se-empty')).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
    });

    test('error', async ({ page }) => {
      await openIn(page, lang, 'admin');
      await expect(page.locator('tbody tr').first()).toBeVisible();
      await page.route(/\/api\/v1\/sync-errors/, (route) => route.fulfill({ status: 500, body: '' }));
      await page.getByRole('button', { name: t.refresh }).click();
      await expect(page.getByRole('alert')).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
    });

    for (const scheme of ['light', 'dark'] as const) {
      test(`loading the next page, ${scheme}: the rows shown keep their contrast; a bar and the pager say it loads`, async ({ page }) => {
        // The state a slow server keeps longest; the rows were dimmed below 4.5:1 here once.
        await page.emulateMedia({ colorScheme: scheme });
        await openIn(page, lang, 'admin');
        await expect(page.locator('tbody tr').first()).toBeVisible();
        const bar = () => page.locator('.se-grid').evaluate((el) => {
          const s = getComputedStyle(el, '::before');
          return { content: s.content, animation: s.animationName, height: s.height };
        });
        expect((await bar()).content).toBe('none');
        const { release } = await holdRequests(page, listUrl);
        await page.locator('.se-pager button').last().click(); // Next page
        await expect(page.locator('.se-grid')).toHaveAttribute('aria-busy', 'true');
        expect(await bar()).toEqual({ content: '""', animation: 'se-progress', height: '3px' });
        await expect(page.locator('.se-pager__spinner')).toBeVisible();
        expect(await axeViolations(page)).toEqual([]);
        release();
        await expect(page.locator('.se-grid')).toHaveAttribute('aria-busy', 'false');
        expect((await bar()).content).toBe('none');
        await expect(page.locator('.se-pager__spinner')).toBeHidden();
      });
    }

    test('admin permissions required', async ({ page }) => {
      await openIn(page, lang, 'viewer');
      await expect(page.getByRole('heading', { name: t.adminRequired })).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
    });

    test('drawer open', async ({ page }) => {
      await openIn(page, lang, 'admin', '?level=job');
      await expect(page.locator('tbody tr').first()).toBeVisible();
      const filter = page.getByRole('button', { name: t.filterOne, exact: true });
      // It names the drawer it controls only while the drawer is there.
      await expect(filter).not.toHaveAttribute('aria-controls');
      await filter.click();
      await expect(page.getByRole('dialog')).toBeVisible();
      await expect(filter).toHaveAttribute('aria-controls', 'se-filter-drawer');
      await expect(page.locator('#se-filter-drawer')).toHaveCount(1);
      expect(await axeViolations(page)).toEqual([]);
    });

    test('modal open', async ({ page }) => {
      await openIn(page, lang, 'admin', '?level=record');
      await page.locator('tbody tr').first().click();
      await expect(page.getByRole('dialog')).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
    });

    test('a filter applied (the count in the button), then the detail open', async ({ page }) => {
      await openIn(page, lang, 'admin', '?level=job');
      await expect(page.locator('tbody tr').first()).toBeVisible();
      await expect(page.locator('.se-filter-button')).toHaveAccessibleName(t.filterOne);
      expect(await axeViolations(page)).toEqual([]);
      await page.locator('tbody tr').first().click();
      await expect(page.getByRole('dialog')).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
    });

    test('signed out', async ({ page }) => {
      await page.route((u) => u.pathname === '/', async (route) => {
        const response = await route.fetch();
        const body = (await response.text()).replace('<sync-errors-tab ', `<sync-errors-tab lang="${lang}" `);
        await route.fulfill({ response, body });
      });
      await page.goto('/');
      await expect(page.getByRole('heading', { name: t.signedOut })).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
    });
  });
}

/** Presses Tab until `target` has focus (inside the tab's shadow root too); fails after 80. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>, shift = false) {
  for (let i = 0; i < 80; i++) {
    const focused = await target.evaluate((el) => {
      let active = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      return active === el;
    }).catch(() => false);
    if (focused) return;
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`could not reach ${target} with the keyboard`);
}

test('keyboard only: filter, sort, page, open and close the detail, export', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/');
  await expect(page.locator('tbody tr')).toHaveCount(100);
  const status = page.getByRole('status').filter({ hasText: 'Showing' });
  await expect(status).toHaveAttribute('aria-live', 'polite');

  // Filter: open the drawer, choose Job level with the arrow keys, Apply.
  await tabTo(page, page.getByRole('button', { name: 'Filter', exact: true }));
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog');
  await expect(drawer).toBeVisible();
  await tabTo(page, drawer.getByLabel('Both levels'));
  await page.keyboard.press('ArrowDown');
  await expect(drawer.getByLabel('Job level')).toBeChecked();
  await tabTo(page, drawer.getByRole('button', { name: 'Apply' }));
  await page.keyboard.press('Enter');
  await expect(drawer).toBeHidden();
  await expect(page).toHaveURL(/level=job/);
  await expect(page.locator('tbody .se-badge').first()).toHaveText('Job level');

  // Sort by Error Type from its header button.
  await tabTo(page, page.getByRole('button', { name: 'Error Type' }));
  await page.keyboard.press('Enter');
  await expect(page.locator('th', { hasText: 'Error Type' })).toHaveAttribute('aria-sort', 'ascending');

  // Page forward; the status announces the new range.
  await tabTo(page, page.getByRole('button', { name: 'Next page' }));
  await page.keyboard.press('Enter');
  await expect(status).toContainText('Showing 101–');
  // And back (the second page may hold a single row).
  await tabTo(page, page.getByRole('button', { name: 'Previous page' }));
  await page.keyboard.press('Enter');
  await expect(status).toContainText('Showing 1–100');

  // Open a row's detail with Enter, move with the arrows, close with Escape.
  await tabTo(page, page.locator('tbody tr').first(), true);
  await page.keyboard.press('ArrowDown');
  const second = page.locator('tbody tr').nth(1);
  await expect(second).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(second).toBeFocused();

  // Export with Enter; the result is announced.
  const download = page.waitForEvent('download');
  await tabTo(page, page.getByRole('button', { name: 'Export' }), true);
  await page.keyboard.press('Enter');
  await download;
  await expect(page.getByRole('status').filter({ hasText: 'Exported' })).toBeVisible();
});
