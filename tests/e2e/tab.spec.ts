// The Sync Errors tab against the reference server: grid, sorting, paging, the filter drawer,
// the detail dialog, the URL, and every failure state.
import { Page, Route } from '@playwright/test';
import { test, expect, signIn, screenshotPath, openTab, rows, status, listUrl, holdRequests } from './fixtures';

/** The list requests the page sends, as URLs. */
function listRequests(page: Page): URL[] {
  const seen: URL[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname === '/api/v1/sync-errors') seen.push(u);
  });
  return seen;
}

test.describe('grid', () => {
  test('sorts from the column headers with aria-sort, in the URL', async ({ page }) => {
    await openTab(page);
    const timeHeader = page.locator('th', { hasText: 'Date/Time of the failure' });
    await expect(timeHeader).toHaveAttribute('aria-sort', 'descending');
    await page.getByRole('button', { name: 'Error Type' }).click();
    const codeHeader = page.locator('th', { hasText: 'Error Type' });
    await expect(codeHeader).toHaveAttribute('aria-sort', 'ascending');
    await expect(timeHeader).not.toHaveAttribute('aria-sort', /.*/);
    await expect(page).toHaveURL(/sort=error_code/);
    await expect(rows(page).first().locator('code')).toHaveText('API_CURRENTLY_DISABLED');
    const codes = await page.locator('tbody code').allTextContents();
    expect([...codes].sort()).toEqual(codes);
    await page.getByRole('button', { name: 'Error Type' }).click();
    await expect(codeHeader).toHaveAttribute('aria-sort', 'descending');
    await expect(rows(page).first().locator('code')).toHaveText('UNABLE_TO_LOCK_ROW');
    await page.getByRole('button', { name: 'Failed On' }).click();
    await expect(page.locator('th', { hasText: 'Failed On' })).toHaveAttribute('aria-sort', 'ascending');
    await expect(rows(page).first().locator('.se-badge')).toHaveText('Job level');
  });

  test('pages with next/previous and page size, "to" pinned, cursor to walk forward', async ({ page }) => {
    const requests = listRequests(page);
    await openTab(page);
    await expect(status(page)).toHaveText('Showing 1–100 of 2,000');
    await expect(page.locator('.se-pager__page')).toHaveText('Page 1 of 20');
    const firstIds = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(status(page)).toHaveText('Showing 101–200 of 2,000');
    await expect(page).toHaveURL(/page=2/);
    const last = requests[requests.length - 1];
    expect(last.searchParams.get('cursor')).toBeTruthy();
    expect(last.searchParams.get('to')).toMatch(/Z$/);
    const secondIds = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect(status(page)).toHaveText('Showing 1–100 of 2,000');
    const back = requests[requests.length - 1];
    expect(back.searchParams.get('to')).toEqual(last.searchParams.get('to'));
    await expect(page.getByRole('button', { name: 'Previous page' })).toBeDisabled();

    await page.getByLabel('Rows per page').selectOption('250');
    await expect(rows(page)).toHaveCount(250);
    await expect(page).toHaveURL(/page_size=250/);
    await expect(page.locator('.se-pager__page')).toHaveText('Page 1 of 8');
    // Keyboard: the pager's buttons work with Enter.
    await page.getByRole('button', { name: 'Next page' }).focus();
    await page.keyboard.press('Enter');
    await expect(status(page)).toHaveText('Showing 251–500 of 2,000');
  });

  test('a deep link restores the view, and Back/Forward move between views', async ({ page }) => {
    await openTab(page, '?level=record&sort=failed_at&page=3&page_size=50');
    await expect(status(page)).toContainText('Showing 101–150 of');
    await expect(page.locator('th', { hasText: 'Date/Time' })).toHaveAttribute('aria-sort', 'ascending');
    const badges = await page.locator('tbody .se-badge').allTextContents();
    expect(new Set(badges)).toEqual(new Set(['Record level']));
    await expect(page.locator('.se-chip')).toHaveText(['Failed on: Record level']);
    await page.reload();
    await expect(status(page)).toContainText('Showing 101–150 of');
    await page.getByRole('button', { name: 'Remove filter: Failed on: Record level' }).click();
    await expect(page.locator('.se-chip')).toHaveCount(0);
    await expect(status(page)).toHaveText('Showing 1–50 of 2,000');
    await page.goBack();
    await expect(page.locator('.se-chip')).toHaveText(['Failed on: Record level']);
    await page.goForward();
    await expect(page.locator('.se-chip')).toHaveCount(0);
  });

  test('an unreadable link part is named and left out', async ({ page }) => {
    await openTab(page, '?level=sometimes&page_size=7');
    await expect(page.getByText('Part of this link could not be read and was left out: the level, the rows per page.')).toBeVisible();
    await expect(rows(page)).toHaveCount(100);
    // The unreadable parts leave the address, so a copied link does not carry them on.
    await expect(page).toHaveURL(/\/$/);
    // `level=JOB` is read as `job`.
    await page.goto('/?level=JOB');
    await expect(page.locator('.se-chip')).toHaveText(['Failed on: Job level']);
    await expect(page.getByText('Part of this link')).toHaveCount(0);
  });

  test('the exact UTC time shows on focus', async ({ page }) => {
    await openTab(page);
    const first = rows(page).first();
    await first.focus();
    await expect(first.locator('.se-time__utc')).toBeVisible();
    await expect(first.locator('.se-time__utc')).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  });
});

test.describe('filter drawer', () => {
  test('opens from the Filter button, applies a level, shows chips and the count', async ({ page }) => {
    await openTab(page);
    const filter = page.locator('.se-filter-button');
    await expect(filter).toHaveAccessibleName('Filter');
    await filter.click();
    const drawer = page.getByRole('dialog', { name: 'Filter sync errors' });
    await expect(drawer).toBeVisible();
    await expect(page.getByLabel('From', { exact: true })).toBeFocused();
    await drawer.getByLabel('Job level').check();
    await page.screenshot({ path: screenshotPath('screenshot-drawer.png') });
    await drawer.getByRole('button', { name: 'Apply' }).click();
    await expect(drawer).toHaveCount(0);
    await expect(filter).toBeFocused();
    await expect(page).toHaveURL(/level=job/);
    await expect(page.locator('.se-chip')).toHaveText(['Failed on: Job level']);
    await expect(filter.locator('.se-filter-button__count')).toHaveText('1');
    // The visible count is in the name (WCAG 2.5.3 label in name).
    await expect(filter).toHaveAccessibleName('Filter, 1 applied');
    // The previous rows stay until the new answer replaces them.
    await expect.poll(async () => [...new Set(await page.locator('tbody .se-badge').allTextContents())]).toEqual(['Job level']);
  });

  test('a start after the end is explained and Apply is disabled', async ({ page }) => {
    await openTab(page);
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    const to = await page.evaluate(() => {
      const t = new Date(Date.now() - 3 * 3600_000);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}T${p(t.getHours())}:${p(t.getMinutes())}`;
    });
    const from = await page.evaluate(() => {
      const t = new Date(Date.now() - 1 * 3600_000);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}T${p(t.getHours())}:${p(t.getMinutes())}`;
    });
    await page.getByLabel('From', { exact: true }).fill(from);
    await page.getByLabel('To', { exact: true }).fill(to);
    await expect(page.locator('#se-from-problem')).toHaveText('The start is after the end.');
    await expect(page.getByLabel('From', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('button', { name: 'Apply' })).toBeDisabled();
    await page.getByLabel('From', { exact: true }).fill('2020-01-01T00:00');
    await expect(page.locator('#se-from-problem')).toContainText('Errors are kept from');
    await expect(page.getByRole('button', { name: 'Apply' })).toBeDisabled();
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect(page.getByLabel('From', { exact: true })).toHaveValue('');
    await expect(page.getByRole('button', { name: 'Apply' })).toBeEnabled();
  });

  test('Escape cancels the edits and gives focus back', async ({ page }) => {
    await openTab(page);
    const filter = page.getByRole('button', { name: 'Filter', exact: true });
    await filter.click();
    await page.getByLabel('Record level').check();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(filter).toBeFocused();
    await expect(page.locator('.se-chip')).toHaveCount(0);
    await filter.click();
    await expect(page.getByLabel('Both levels')).toBeChecked();
    await page.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
  });

  test('Back with the drawer open closes it: what it held was chosen for the filters before', async ({ page }) => {
    await openTab(page);
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByLabel('Job level').check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/\?level=job$/);
    await page.getByRole('button', { name: 'Filter, 1 applied' }).click();
    await page.getByLabel('Record level').check();
    await page.goBack();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.locator('.se-chip')).toHaveCount(0);
    await expect(page.locator('.se-filter-button')).toBeFocused();
    await page.locator('.se-filter-button').click();
    await expect(page.getByLabel('Both levels')).toBeChecked();
  });

  test('the last-hour preset filters by time; an empty result says how to widen it', async ({ page }) => {
    await openTab(page);
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByRole('button', { name: 'Last hour' }).click();
    await expect(page.getByLabel('From', { exact: true })).not.toHaveValue('');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.locator('.se-chip')).toHaveCount(1);
    await expect(page.locator('.se-chip').first()).toContainText('From');
    // The chip shows as soon as the URL changes; the rows are replaced when the new answer
    // comes, so wait for that rather than reading the previous list's rows.
    const cutoff = Date.now() - 3600_000 - 120_000;
    await expect
      .poll(async () => {
        if ((await page.locator('.se-grid').getAttribute('aria-busy')) !== 'false') return 'loading';
        const times = await page.locator('tbody time').evaluateAll((ts) => ts.map((t) => Date.parse(t.getAttribute('datetime')!)));
        return times.filter((t) => t <= cutoff).length;
      })
      .toBe(0);

    // A range with no errors at all (a minute that is long gone from the demo's data).
    await page.goto('/?from=2000-01-01T00:00:00Z&to=2000-01-01T00:01:00Z');
    await expect(page.getByRole('heading', { name: 'No sync errors match these filters' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Change filters' })).toBeVisible();
  });
});

test.describe('detail dialog', () => {
  test('a row opens the record-level detail; Escape closes; focus returns to the row', async ({ page }) => {
    await openTab(page, '?level=record');
    const row = rows(page).nth(2);
    const id = await row.getAttribute('data-id');
    const code = await row.locator('code').textContent();
    await row.click();
    const dialog = page.getByRole('dialog', { name: code! });
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAttribute('aria-modal', 'true');
    await expect(page).toHaveURL(new RegExp(`error=${id}`));
    await expect(dialog.getByText('Marketo ID')).toBeVisible();
    await expect(dialog.getByText('Salesforce ID', { exact: true })).toBeVisible();
    await expect(dialog.locator('.se-details__utc')).toHaveText(/UTC$/);
    await expect(dialog.getByRole('link', { name: 'Search the web for this error' })).toHaveAttribute('href', /^https:\/\/www\.google\.com\/search\?q=Salesforce\+/);
    await expect(dialog.getByRole('link', { name: 'Open in Salesforce' })).toHaveCount(0);
    await page.screenshot({ path: screenshotPath('screenshot-detail.png') });
    // Tab stays inside.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const inside = await page.evaluate(() => {
        const root = document.querySelector('sync-errors-tab')!.shadowRoot!;
        return !!root.activeElement?.closest('[role=dialog]');
      });
      expect(inside).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(row).toBeFocused();
    await expect(page).not.toHaveURL(/error=/);
    // Enter on a focused row opens it too; Space as well.
    await page.keyboard.press('ArrowDown');
    await expect(rows(page).nth(3)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.getByRole('button', { name: 'Close' }).click();
    await page.keyboard.press(' ');
    await expect(page.getByRole('dialog')).toBeVisible();
  });

  test('Back closes an open detail and Forward opens it again; closing leaves no entry behind', async ({ page }) => {
    await openTab(page, '?level=record');
    const row = rows(page).nth(1);
    const id = await row.getAttribute('data-id');
    await row.click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`\\?level=record&error=${id}$`));
    const opened = await page.evaluate(() => history.length);
    await page.goBack();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page).toHaveURL(/\?level=record$/);
    await expect(row).toBeFocused();
    await page.goForward();
    await expect(page.getByRole('dialog')).toBeVisible();
    // Escape goes back to the entry the detail was opened from: opening another row then
    // takes the place of the closed one instead of adding to the history.
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page).toHaveURL(/\?level=record$/);
    await expect(row).toBeFocused();
    await rows(page).nth(2).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    expect(await page.evaluate(() => history.length)).toBe(opened);
    await page.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    // Forward brings the detail back as often as wanted; each close goes back again.
    for (let i = 0; i < 2; i++) {
      await page.goForward();
      await expect(page.getByRole('dialog')).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog')).toHaveCount(0);
      await expect(page).toHaveURL(/\?level=record$/);
    }
    expect(await page.evaluate(() => history.length)).toBe(opened);
    // Closing one and opening another at once: the second waits for the first's Back, then
    // takes its own entry, which Back closes.
    await rows(page).nth(1).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    const second = await rows(page).nth(3).getAttribute('data-id');
    await page.keyboard.press('Escape');
    await rows(page).nth(3).click();
    await expect(page).toHaveURL(new RegExp(`error=${second}$`));
    await expect(page.getByRole('dialog')).toBeVisible();
    expect(await page.evaluate(() => history.length)).toBe(opened);
    await page.goBack();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page).toHaveURL(/\?level=record$/);

    // A link that opens an error: closing it stays on the tab, in place.
    await page.goto(`/?level=record&error=${id}`);
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page).toHaveURL(/\/\?level=record$/);
    await expect(rows(page).first()).toBeVisible();
  });

  test('copy buttons put the IDs and the message on the clipboard', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await openTab(page, '?level=record');
    await rows(page).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Copy Marketo ID' }).click();
    await expect(dialog.getByText('Marketo ID copied')).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    await expect(dialog.locator('.se-id').first()).toHaveText(copied);
    await dialog.getByRole('button', { name: 'Copy message' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toEqual(await dialog.locator('.se-message-full').textContent());
  });

  test('a job-level error shows what applies, without record IDs', async ({ page }) => {
    await openTab(page, '?level=job');
    await rows(page).first().click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByText('A whole sync job failed; no single record is involved.')).toBeVisible();
    await expect(dialog.getByText('Marketo ID')).toHaveCount(0);
  });

  test('?error= opens the detail directly, fetched by id; an unknown one no longer exists', async ({ page }) => {
    const first = await (async () => {
      await openTab(page, '?level=job');
      return rows(page).first().getAttribute('data-id');
    })();
    const fetched: string[] = [];
    page.on('request', (r) => { if (r.url().includes(`/api/v1/sync-errors/${first}`)) fetched.push(r.url()); });
    await page.goto(`/?level=record&page=5&error=${first}`);
    await expect(page.getByRole('dialog')).toBeVisible();
    await expect(page.getByRole('dialog').getByText('A whole sync job failed')).toBeVisible();
    expect(fetched.length).toBe(1);
    await page.goto('/?error=se_does_not_exist');
    await expect(page.getByRole('dialog').getByText('This sync error no longer exists.')).toBeVisible();
  });

  test('a Salesforce link appears only for a checked instance URL and ID', async ({ page }) => {
    await signIn(page, 'admin');
    const withInstance = (url: string) => async (route: Route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('<sync-errors-tab ', `<sync-errors-tab salesforce-url="${url}" `);
      await route.fulfill({ response, body });
    };
    await page.route((u) => u.pathname === '/', withInstance('https://acme.my.salesforce.com'));
    await page.goto('/?level=record');
    await expect(rows(page).first()).toBeVisible();
    // The first row whose record exists in Salesforce (errors on "Push new" may have none).
    let sfId: string | null = null;
    for (let i = 0; i < 20 && !sfId; i++) {
      await rows(page).nth(i).click();
      const ids = page.getByRole('dialog').locator('.se-id');
      await expect(ids.first()).toBeVisible();
      if ((await ids.count()) === 2) sfId = await ids.nth(1).textContent();
      else await page.keyboard.press('Escape');
    }
    expect(sfId).toMatch(/^[A-Za-z0-9]{18}$/);
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('link', { name: 'Open in Salesforce' })).toHaveAttribute('href', `https://acme.my.salesforce.com/${sfId}`);
    await page.unroute((u) => u.pathname === '/');
    await page.route((u) => u.pathname === '/', withInstance('javascript:alert(1)//'));
    await page.goto('/?level=record');
    await rows(page).first().click();
    await expect(page.getByRole('dialog').getByText('Salesforce ID', { exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Open in Salesforce' })).toHaveCount(0);
  });
});

test.describe('failures', () => {
  test('a 400 names the filter and keeps the rows', async ({ page }) => {
    await openTab(page);
    await page.route(listUrl, (route) =>
      route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: { code: 'invalid_parameter', message: '`level` must be `record` or `job`', parameter: 'level' } }) }));
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page.getByRole('alert')).toContainText('The filter `level` was not accepted');
    await expect(rows(page)).toHaveCount(100);
  });

  test('a 500 shows a banner with Retry; the rows stay; Retry recovers', async ({ page }) => {
    await openTab(page);
    await page.route(listUrl, (route) => route.fulfill({ status: 500, body: 'boom' }));
    await page.getByRole('button', { name: 'Refresh' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('HTTP 500');
    await expect(rows(page)).toHaveCount(100);
    await page.unroute(listUrl);
    await alert.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(status(page)).toHaveText('Showing 1–100 of 2,000');
  });

  test('a first answer that fails leaves no blank where the window line would be', async ({ page }) => {
    // Its room is kept only while the first answer is on its way.
    await signIn(page, 'admin');
    await page.route(listUrl, (route) => route.fulfill({ status: 500, body: '' }));
    await page.goto('/');
    await expect(page.getByRole('alert')).toBeVisible({ timeout: 15_000 });
    await expect(page.locator('.se-window-room')).toHaveCount(0);
    await expect(page.locator('.se-window')).toHaveCount(0);
  });

  test('a malformed body is reported, not shown', async ({ page }) => {
    await openTab(page);
    await page.route(listUrl, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"total": "lots", "items": 3}' }));
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByRole('alert')).toContainText("The server's answer could not be read");
    await expect(rows(page)).toHaveCount(100);
  });

  test('a 401 mid-session offers to sign in again, back to the same view', async ({ page }) => {
    await openTab(page, '?level=job');
    // The view changes after the first load: the link must bring the admin back to this one.
    await page.getByRole('button', { name: 'Error Type' }).click();
    await expect(page).toHaveURL(/sort=error_code/);
    await page.route(listUrl, (route) => route.fulfill({ status: 401, contentType: 'application/json', body: '{"error":{"code":"unauthenticated","message":"no"}}' }));
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByRole('heading', { name: 'Your session has ended' })).toBeVisible();
    await expect(page.locator('table')).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/signin?next=%2F%3Flevel%3Djob%26sort%3Derror_code');
  });

  test('while the next page loads, the pager names the page on screen, then the new one', async ({ page }) => {
    await openTab(page);
    const { release } = await holdRequests(page, listUrl);
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(status(page)).toHaveText('Loading sync errors…');
    await expect(page.locator('.se-pager__range')).toHaveText('1–100 of 2,000');
    await expect(page.locator('.se-pager__page')).toHaveText('Page 1 of 20');
    release();
    await expect(page.locator('.se-pager__range')).toHaveText('101–200 of 2,000');
    await expect(page.locator('.se-pager__page')).toHaveText('Page 2 of 20');
  });

  test('while another page size loads, the pager still counts the pages of the rows on screen', async ({ page }) => {
    await openTab(page);
    const { release } = await holdRequests(page, listUrl);
    await page.getByLabel('Rows per page').selectOption('25');
    await expect(status(page)).toHaveText('Loading sync errors…');
    // Not "Page 1 of 80" beside 100 rows, as once.
    await expect(page.locator('.se-pager__page')).toHaveText('Page 1 of 20');
    await expect(page.locator('.se-pager__range')).toHaveText('1–100 of 2,000');
    release();
    await expect(page.locator('.se-pager__range')).toHaveText('1–25 of 2,000');
    await expect(page.locator('.se-pager__page')).toHaveText('Page 1 of 80');
  });

  test('Previous stays put from page 9 to page 10', async ({ page }) => {
    await openTab(page, '?page=9');
    await expect(page.locator('.se-pager__page')).toHaveText('Page 9 of 20');
    const previous = page.getByRole('button', { name: 'Previous page' });
    const x = (await previous.boundingBox())!.x;
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page.locator('.se-pager__page')).toHaveText('Page 10 of 20');
    expect((await previous.boundingBox())!.x).toBe(x);
  });

  test('a slow answer overtaken by a newer one is never shown, and its request is aborted', async ({ page }) => {
    await openTab(page);
    const aborted: string[] = [];
    page.on('requestfailed', (r) => {
      if (r.url().includes('sort=level')) aborted.push(r.failure()?.errorText ?? '');
    });
    let first = true;
    await page.route(listUrl, async (route) => {
      if (first) {
        first = false;
        await new Promise((r) => setTimeout(r, 1500));
        const response = await route.fetch().catch(() => null);
        if (response) await route.fulfill({ response }).catch(() => {});
        return;
      }
      await route.continue();
    });
    await page.getByRole('button', { name: 'Failed On' }).click(); // slow: sort by level
    await page.getByRole('button', { name: 'Error Type' }).click(); // fast: sort by code
    await expect(rows(page).first().locator('code')).toHaveText('API_CURRENTLY_DISABLED');
    await expect.poll(() => aborted).toEqual(['net::ERR_ABORTED']);
    await page.waitForTimeout(2000);
    await expect(rows(page).first().locator('code')).toHaveText('API_CURRENTLY_DISABLED');
    await expect(page.locator('th', { hasText: 'Error Type' })).toHaveAttribute('aria-sort', 'ascending');
  });
});
