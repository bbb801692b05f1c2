// What a new admin meets (issue 11): the first screen signed out, and the rough edges found by
// using the tab by hand: failed paging, Apply without a change, daylight-saving gaps and
// overlaps, focus after removing a chip or closing a linked dialog, paging from the keyboard,
// unambiguous date chips, the last page, sign out, the favicon.
import { Page } from '@playwright/test';
import { test, expect, signIn, openTab, rows, status, listUrl } from './fixtures';

/** The focused element, inside the tab's shadow root too. */
function focused(page: Page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return a ? { tag: a.tagName, cls: a.className, name: a.getAttribute('aria-label'), id: a.getAttribute('data-id') } : null;
  });
}

/** An error id of the demo data, asked with a bearer token (the page's cookies untouched). */
async function someErrorId(page: Page, query: string): Promise<string> {
  const r = await page.request.get(`/api/v1/sync-errors?${query}&limit=5`, { headers: { Authorization: 'Bearer demo-admin-token' } });
  return (await r.json()).items[2].id;
}

/** A whole hour `hoursAgo` before now, as the contract writes it. */
function hourAgo(hoursAgo: number): string {
  const t = new Date(Date.now() - hoursAgo * 3600_000);
  t.setUTCMinutes(0, 0, 0);
  return t.toISOString().replace('.000Z', 'Z');
}

test.describe('signed out', () => {
  test('a visitor without a session is invited to sign in, and lands on the link they opened', async ({ page }) => {
    const id = await someErrorId(page, 'level=job');
    const events: string[] = [];
    await page.exposeFunction('__event', (name: string) => events.push(name));
    await page.addInitScript(() => {
      for (const name of ['signed-out', 'session-ended']) {
        document.addEventListener(`sync-errors-tab:${name}`, () => (window as any).__event(name));
      }
    });
    await page.goto(`/?level=job&error=${id}`);
    await expect(page.getByRole('heading', { name: 'Sign in to see sync errors' })).toBeVisible();
    await expect(page.getByText('Your session has ended')).toHaveCount(0);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
    await expect.poll(() => events).toEqual(['signed-out']);
    const signInLink = page.getByRole('link', { name: 'Sign in' });
    await expect(signInLink).toHaveClass(/se-button--primary/);
    await signInLink.click();
    await expect(page).toHaveURL(/\/signin\?next=/);
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill('admin');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(new RegExp(`/\\?level=job&error=${id}$`));
    await expect(page.getByRole('dialog')).toBeVisible();
    await expect(page.locator('.se-chip')).toHaveText(['Failed on: Job level']);
  });

  test.describe('in French, in the dark', () => {
    test.use({ locale: 'fr-FR', colorScheme: 'dark' });

    test('the sign-in page follows the tab: French words, dark colours, French refusals', async ({ page }) => {
      await page.goto('/?level=job');
      await expect(page.getByRole('heading', { name: 'Connectez-vous pour voir les erreurs de synchronisation' })).toBeVisible();
      await page.getByRole('link', { name: 'Se connecter' }).click();
      await expect(page).toHaveURL(/\/signin\?next=/);
      await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
      await expect(page).toHaveTitle('Connexion · Erreurs de synchronisation');
      await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
      const colours = await page.evaluate(() => ({
        page: getComputedStyle(document.body).backgroundColor,
        form: getComputedStyle(document.querySelector('.se-signin')!).backgroundColor,
        text: getComputedStyle(document.body).color,
      }));
      expect(colours).toEqual({ page: 'rgb(18, 22, 31)', form: 'rgb(27, 33, 48)', text: 'rgb(230, 234, 242)' });
      await page.getByLabel('Nom d’utilisateur').fill('admin');
      await page.getByLabel('Mot de passe').fill('not the password');
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await expect(page.getByRole('alert')).toHaveText('Nom d’utilisateur ou mot de passe incorrect.');
      await expect(page.getByLabel('Nom d’utilisateur')).toHaveValue('admin');
      await page.getByLabel('Mot de passe').fill('admin');
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await expect(page).toHaveURL(/\/\?level=job$/);
      await expect(page.locator('.se-chip')).toHaveText([/^Niveau\s:\sTraitement$/]);
    });
  });

  test('Sign out ends the session; the first screen then invites to sign in again', async ({ page }) => {
    await openTab(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Sign in to see sync errors' })).toBeVisible();
  });

  test('a viewer can sign out and come back as an admin', async ({ page }) => {
    await signIn(page, 'viewer');
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Admin permissions required' })).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin$/);
  });

  test('the favicon is served', async ({ page }) => {
    const r = await page.request.get('/favicon.ico');
    expect(r.status()).toBe(200);
    expect(r.headers()['content-type']).toMatch(/icon/);
  });
});

test.describe('paging that fails', () => {
  for (const [name, fail] of [
    ['a 500', (route: any) => route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"code":"internal","message":"boom"}}' })],
    ['a dropped connection', (route: any) => route.abort('connectionreset')],
  ] as const) {
    test(`${name} on Next: the pager and the address stay on the rows shown; Retry loads the page that failed`, async ({ page }) => {
      await openTab(page);
      await page.getByRole('button', { name: 'Next page' }).click();
      await expect(status(page)).toHaveText('Showing 101–200 of 2,000');
      const page2 = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));
      let failing = true;
      await page.route(listUrl, (route) => (failing ? fail(route) : route.continue()));
      const next = page.getByRole('button', { name: 'Next page' });
      await next.click();
      const alert = page.getByRole('alert');
      await expect(alert).toContainText('Page 3 could not be loaded.', { timeout: 15_000 });
      // What the pager and the address say matches the rows on screen.
      await expect(page.locator('.se-pager__page')).toHaveText('Page 2 of 20');
      await expect(page.locator('.se-pager__range')).toHaveText('101–200 of 2,000');
      await expect(page).toHaveURL(/[?&]page=2(&|$)/);
      expect(await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')))).toEqual(page2);
      // Said where the admin acted: next to the pager, in view.
      await expect(alert).toBeInViewport();
      expect(await alert.evaluate((a) => !!a.nextElementSibling?.matches('.se-pager'))).toBe(true);
      failing = false;
      await alert.getByRole('button', { name: 'Retry' }).click();
      await expect(status(page)).toHaveText('Showing 201–300 of 2,000');
      await expect(page.locator('.se-pager__page')).toHaveText('Page 3 of 20');
      await expect(page).toHaveURL(/[?&]page=3(&|$)/);
      await expect(page.getByRole('alert')).toHaveCount(0);
      // Focus, on Retry which went away with its message, moves to the new rows.
      await expect(rows(page).first()).toBeFocused();
    });
  }
});

test('Apply without a change changes nothing: same address, no history entry, no request', async ({ page }) => {
  const from = hourAgo(5), to = hourAgo(2);
  await openTab(page, `?from=${from}&to=${to}`);
  const total = await status(page).textContent();
  const history = await page.evaluate(() => history.length);
  const requests: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/sync-errors')) requests.push(r.url()); });
  await page.locator('.se-filter-button').click();
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const url = new URL(page.url());
  expect(url.searchParams.get('from')).toBe(from);
  expect(url.searchParams.get('to')).toBe(to);
  expect(await page.evaluate(() => history.length)).toBe(history);
  await page.waitForTimeout(300);
  expect(requests).toEqual([]);
  await expect(status(page)).toHaveText(total!);
  // Changing only the level keeps the range exactly as it was.
  await page.locator('.se-filter-button').click();
  await page.getByLabel('Job level').check();
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/level=job/);
  const changed = new URL(page.url());
  expect([changed.searchParams.get('from'), changed.searchParams.get('to')]).toEqual([from, to]);
});

test.describe('daylight-saving changes, in America/New_York', () => {
  async function newYork(page: Page) {
    await openTab(page);
    await page.evaluate(() => document.querySelector('sync-errors-tab')!.setAttribute('time-zone', 'America/New_York'));
    await expect(rows(page).first()).toBeVisible();
    await page.locator('.se-filter-button').click();
    await expect(page.getByRole('dialog')).toBeVisible();
  }

  test('a time the clocks skip is explained next to its field, never shifted', async ({ page }) => {
    await newYork(page);
    await expect(page.locator('.se-drawer__zone')).toHaveText('Times are in America/New_York.');
    await page.getByLabel('From', { exact: true }).fill('2026-03-08T02:30');
    await page.getByLabel('To', { exact: true }).fill('2026-03-08T03:10');
    await expect(page.locator('#se-from-problem')).toHaveText(
      'This time does not exist here: that night the clocks go forward, from UTC−05:00 to UTC−04:00. Choose a time before or after the change.');
    await expect(page.locator('#se-from-problem')).not.toContainText('after the end');
    await expect(page.getByLabel('From', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('button', { name: 'Apply' })).toBeDisabled();
    // Apply stays in the Tab order and leads to the field to fix.
    await page.getByRole('button', { name: 'Apply' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog')).toBeVisible();
    await expect(page.getByLabel('From', { exact: true })).toBeFocused();
  });

  test('a time that happens twice says so and lets the admin choose which', async ({ page }) => {
    await newYork(page);
    await page.getByLabel('From', { exact: true }).fill('2026-11-01T01:30');
    const choice = page.getByRole('group', { name: 'This time happens twice here: that night the clocks go back. Which one?' });
    await expect(choice).toBeVisible();
    const first = choice.getByLabel('The first, at UTC−04:00');
    const second = choice.getByLabel('The second, at UTC−05:00');
    await expect(first).toBeChecked();
    await second.check();
    await expect(second).toBeChecked();
    await page.getByLabel('From', { exact: true }).fill('2026-11-02T01:30');
    await expect(choice).toHaveCount(0);
  });
});

test.describe('focus is never lost', () => {
  test('removing a chip with Enter moves focus to the next chip, then to the Filter button', async ({ page }) => {
    await openTab(page, `?from=${hourAgo(30)}&level=job`);
    const removes = page.locator('.se-chip__remove');
    await expect(removes).toHaveCount(2);
    await removes.first().focus();
    await page.keyboard.press('Enter');
    await expect(removes).toHaveCount(1);
    await expect(removes.first()).toBeFocused();
    await expect(removes.first()).toHaveAccessibleName('Remove filter: Failed on: Job level');
    await page.keyboard.press('Enter');
    await expect(removes).toHaveCount(0);
    await expect(page.locator('.se-filter-button')).toBeFocused();
  });

  test('with two filters or more, one button takes them all off; Back brings them back', async ({ page }) => {
    await openTab(page, '?level=job&error_code=INVALID_GRANT,API_CURRENTLY_DISABLED');
    await expect(page.locator('.se-chip')).toHaveCount(3);
    // A code may wrap between its words only: a break opportunity after each underscore.
    await expect(page.locator('.se-chip', { hasText: 'API_CURRENTLY_DISABLED' }).locator('wbr')).toHaveCount(2);
    await page.getByRole('button', { name: 'Clear all filters' }).click();
    await expect(page.locator('.se-chip')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Clear all filters' })).toHaveCount(0);
    await expect(page.locator('.se-filter-button')).toBeFocused();
    await expect(page).toHaveURL(/\/$/);
    await page.goBack();
    await expect(page.locator('.se-chip')).toHaveCount(3);
    // One filter: its own button is enough.
    for (const left of [2, 1]) {
      await page.locator('.se-chip__remove').first().click();
      await expect(page.locator('.se-chip')).toHaveCount(left);
    }
    await expect(page.getByRole('button', { name: 'Clear all filters' })).toHaveCount(0);
  });

  test('Escape on a dialog opened from a link focuses the row of its error', async ({ page }) => {
    await signIn(page, 'admin');
    const id = await someErrorId(page, 'level=record');
    await page.goto(`/?level=record&error=${id}`);
    await expect(page.getByRole('dialog')).toBeVisible();
    await expect(rows(page).first()).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.locator(`tbody tr[data-id="${id}"]`)).toBeFocused();
  });
});

test('Next from the keyboard shows the new rows from their top, focus on the first', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openTab(page);
  const next = page.getByRole('button', { name: 'Next page' });
  await next.focus();
  await expect(next).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(status(page)).toHaveText('Showing 101–200 of 2,000');
  const first = rows(page).first();
  await expect(first).toBeFocused();
  await expect(first).toBeInViewport();
  await expect(page.locator('thead')).toBeInViewport();
  await page.getByRole('button', { name: 'Previous page' }).focus();
  await page.keyboard.press('Enter');
  await expect(status(page)).toHaveText('Showing 1–100 of 2,000');
  await expect(rows(page).first()).toBeFocused();
});

test('Home, End, Page Up and Page Down move the focused row', async ({ page }) => {
  await openTab(page);
  await rows(page).first().focus();
  await page.keyboard.press('End');
  await expect(rows(page).last()).toBeFocused();
  await page.keyboard.press('Home');
  await expect(rows(page).first()).toBeFocused();
  const index = async () => {
    const id = (await focused(page))!.id;
    return rows(page).evaluateAll((trs, id) => trs.findIndex((tr) => tr.getAttribute('data-id') === id), id);
  };
  await page.keyboard.press('PageDown');
  const down = await index();
  expect(down).toBeGreaterThan(1);
  await page.keyboard.press('PageDown');
  const further = await index();
  expect(further).toBeGreaterThan(down);
  await page.keyboard.press('PageUp');
  expect(await index()).toBeLessThan(further);
  await page.keyboard.press('Home');
  await expect(rows(page).first()).toBeFocused();
});

test('date chips say the year, the zone, and the seconds unless the bound is a whole minute; a range outside the window says why it is empty', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:30Z');
  await expect(page.locator('.se-chip').first()).toHaveText('From Jan 1, 2020, 01:00 AM GMT+1');
  await expect(page.locator('.se-chip').nth(1)).toHaveText('To Jan 2, 2020, 01:00:30 AM GMT+1');
  await expect(page.getByText(/^No error can match: this range is outside the errors the server keeps, from /)).toBeVisible();
  // The drawer's "To 01:00" holds the whole minute: its chip says 01:00, not 01:00:59.
  await page.goto('/?from=2020-01-01T00:00:15Z&to=2020-01-02T00:00:59.999Z');
  await expect(page.locator('.se-chip')).toHaveText(['From Jan 1, 2020, 01:00:15 AM GMT+1', 'To Jan 2, 2020, 01:00 AM GMT+1']);
  await page.goto('/?from=2030-01-01T00:00:00Z');
  await expect(page.locator('.se-chip')).toHaveText(['From Jan 1, 2030, 01:00 AM GMT+1']);
  await expect(page.getByText(/^No error can match: this range is outside the errors the server keeps, from /)).toBeVisible();
});

test('past the last page: go to the last page or the first', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/?page=999');
  await expect(page.getByRole('heading', { name: 'This page is past the last one' })).toBeVisible();
  await page.getByRole('button', { name: 'Go to the last page' }).click();
  await expect(status(page)).toHaveText('Showing 1,901–2,000 of 2,000');
  await expect(page).toHaveURL(/page=20/);
});

test('the window line says what its count is', async ({ page }) => {
  await openTab(page);
  await expect(page.locator('.se-window')).toContainText('(the five days before the current sync). 2,000 errors in all.');
  await openTab(page, '?level=job');
  await expect(page.locator('.se-window')).toContainText(/\d errors? match the filters\.$/);
});

test('the web search leaves the record and the people out', async ({ page }) => {
  await openTab(page, '?level=record');
  for (let i = 0; i < 5; i++) {
    await rows(page).nth(i).click();
    const dialog = page.getByRole('dialog');
    const link = dialog.getByRole('link', { name: 'Search the web for this error' });
    const href = decodeURIComponent((await link.getAttribute('href'))!.replace(/\+/g, ' '));
    const ids = await dialog.locator('.se-id').allTextContents();
    for (const id of ids) expect(href).not.toContain(id);
    expect(href).not.toMatch(/@/);
    // The record's value after Salesforce's last ": " stays home too.
    const message = (await dialog.locator('.se-message-full').textContent())!;
    const value = message.slice(message.lastIndexOf(': ') + 2);
    if (message.includes(': ') && !value.startsWith('[')) expect(href).not.toContain(value.slice(0, 12));
    await page.keyboard.press('Escape');
  }
});

test('focus stays on a control: Refresh and Export keep it while they run; Dismiss hands it back to Export', async ({ page }) => {
  await openTab(page, '?level=job');
  const refresh = page.getByRole('button', { name: 'Refresh' });
  await refresh.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.se-grid')).toHaveAttribute('aria-busy', 'false');
  await expect(refresh).toBeFocused();
  const exportButton = page.getByRole('button', { name: 'Export' });
  await exportButton.focus();
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  await download;
  await expect(exportButton).toBeFocused();
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  await dismiss.focus();
  await page.keyboard.press('Enter');
  await expect(dismiss).toHaveCount(0);
  await expect(exportButton).toBeFocused();
});

test('a session that ends while paging: focus goes to Sign in', async ({ page }) => {
  await openTab(page);
  await page.route(listUrl, (route) => route.fulfill({ status: 401, contentType: 'application/json', body: '{"error":{"code":"unauthenticated","message":"no"}}' }));
  await page.getByRole('button', { name: 'Next page' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Your session has ended' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeFocused();
});

test('a session that ends during an export or in the detail offers Sign in, not a Retry that cannot work', async ({ page }) => {
  await openTab(page, '?level=record');
  const unauthenticated = { status: 401, contentType: 'application/json', body: '{"error":{"code":"unauthenticated","message":"no"}}' };
  await page.route(/\/api\/v1\/sync-errors\?.*cursor=/, (route) => route.fulfill(unauthenticated));
  await page.getByRole('button', { name: 'Export' }).click();
  const failed = page.locator('.se-export--failed');
  await expect(failed).toContainText('Your session has ended');
  await expect(failed.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', /^\/signin\?next=%2F%3Flevel%3Drecord/);
  await expect(failed.getByRole('button', { name: 'Retry export' })).toHaveCount(0);
  await page.route(/\/api\/v1\/sync-errors\/[^?]+$/, (route) => route.fulfill(unauthenticated));
  const id = await rows(page).first().getAttribute('data-id');
  await page.goto(`/?level=record&error=${id}-not-on-screen`);
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Retry' })).toHaveCount(0);
});
