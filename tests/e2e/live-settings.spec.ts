// A console changes the element's settings while the admin works (issue 12): a refreshed
// token, the language menu, the time zone, links and navigation. Each applies in place:
// nothing reloads, an export goes on, the open dialog and drawer stay open, focus stays.
// Only `api-base` and `url-state` (where data and view come from) reload, keeping the view.
import * as fs from 'node:fs';
import { Page } from '@playwright/test';
import { test, expect, signIn, parseCsv } from './fixtures';

const listUrl = /\/api\/v1\/sync-errors(\?|$)/;
const tab = (page: Page) => page.locator('sync-errors-tab');

/** A console page with the tab under /console, its navigation and theme its own. */
async function consolePage(page: Page, attributes = '') {
  await page.route((u) => u.pathname.startsWith('/console'), (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><html lang="en"><head><title>Console</title>
      <script type="module" src="/sync-errors-tab.js"></script></head><body>
      <h1>Console</h1>
      <sync-errors-tab base-path="/console" sign-in-url="/signin" ${attributes}></sync-errors-tab>
      </body></html>`,
  }));
}

/** The list requests from now on. */
function listRequests(page: Page): URL[] {
  const seen: URL[] = [];
  page.on('request', (r) => { if (listUrl.test(new URL(r.url()).pathname + new URL(r.url()).search)) seen.push(new URL(r.url())); });
  return seen;
}

async function setAttribute(page: Page, name: string, value: string | null) {
  await page.evaluate(([n, v]) => {
    const el = document.querySelector('sync-errors-tab')!;
    if (v === null) el.removeAttribute(n!); else el.setAttribute(n!, v);
  }, [name, value]);
}

/** The focused element inside the tab, as `tag#id.class`. */
function focusedInTab(page: Page) {
  return page.evaluate(() => {
    const a = document.querySelector('sync-errors-tab')!.shadowRoot!.activeElement;
    return a ? `${a.tagName.toLowerCase()}#${a.id}.${a.className}` : null;
  });
}

test('a token rotated in the middle of a slow export: the file is saved with every row, later pages carry the new token', async ({ page }) => {
  test.setTimeout(60_000);
  await consolePage(page, 'navigation="none"');
  // The console's tokens: both stand for the demo admin on this server.
  const sent: string[] = [];
  await page.route(listUrl, async (route) => {
    const request = route.request();
    const auth = request.headers()['authorization'] ?? '';
    const url = new URL(request.url());
    if (url.searchParams.get('limit') === '1000') {
      sent.push(auth);
      // The export's first page is slow: the console refreshes its token meanwhile.
      if (!url.searchParams.get('cursor')) await new Promise((r) => setTimeout(r, 1500));
    }
    const known = auth === 'Bearer console-token-1' || auth === 'Bearer console-token-2';
    await route.continue({ headers: { ...request.headers(), authorization: known ? 'Bearer demo-admin-token' : auth } });
  });
  await page.goto('/console');
  await page.evaluate(() => { (document.querySelector('sync-errors-tab') as any).token = 'console-token-1'; });
  await expect(tab(page).locator('tbody tr').first()).toBeVisible();
  const requests = listRequests(page);
  const download = page.waitForEvent('download');
  await tab(page).getByRole('button', { name: 'Export' }).click();
  await expect.poll(() => sent.length).toBe(1);
  await page.evaluate(() => { (document.querySelector('sync-errors-tab') as any).token = 'console-token-2'; });
  const file = await download;
  const text = fs.readFileSync((await file.path())!).toString('utf8');
  expect(parseCsv(text.slice(1)).length - 1).toBe(2000);
  await expect(tab(page).getByText(/^Exported 2,000 errors to /)).toBeVisible();
  expect(sent[0]).toBe('Bearer console-token-1');
  expect(sent.at(-1)).toBe('Bearer console-token-2');
  // Nothing but the export asked the server anything.
  expect(requests.filter((u) => u.searchParams.get('limit') !== '1000')).toEqual([]);
});

test('a token refreshed while the detail is open: nothing reloads, the next request carries it', async ({ page }) => {
  await consolePage(page, 'navigation="none"');
  await page.goto('/console');
  await page.evaluate(() => { (document.querySelector('sync-errors-tab') as any).token = 'demo-admin-token'; });
  await expect(tab(page).locator('tbody tr').first()).toBeVisible();
  await tab(page).locator('tbody tr').first().click();
  const dialog = tab(page).getByRole('dialog');
  await expect(dialog).toBeVisible();
  const requests: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/')) requests.push(r.headers()['authorization'] ?? ''); });
  await page.evaluate(() => { (document.querySelector('sync-errors-tab') as any).token = 'demo-viewer-token'; });
  await page.waitForTimeout(500);
  expect(requests).toEqual([]);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await tab(page).getByRole('button', { name: 'Refresh' }).click();
  await expect(tab(page).getByRole('heading', { name: 'Admin permissions required' })).toBeVisible();
  // The list and its summary, both with the new token.
  await expect.poll(() => requests).toEqual(['Bearer demo-viewer-token', 'Bearer demo-viewer-token']);
});

test('url-state="none": switching lang keeps the filters, asks nothing, and keeps the drawer open with focus', async ({ page }) => {
  await signIn(page, 'admin');
  await consolePage(page, 'url-state="none" navigation="none"');
  await page.goto('/console');
  await expect(tab(page).locator('tbody tr').first()).toBeVisible();
  await tab(page).locator('.se-filter-button').click();
  await tab(page).getByLabel('Job level').check();
  // The chip shows before the job-level page arrives: wait for that answer, so that
  // only what the language switch might ask is counted below.
  const jobPage = page.waitForResponse((r) => listUrl.test(new URL(r.url()).pathname + new URL(r.url()).search)
    && new URL(r.url()).searchParams.get('level') === 'job');
  await tab(page).getByRole('button', { name: 'Apply' }).click();
  await jobPage;
  await expect(tab(page).locator('.se-chip')).toHaveText(['Failed on: Job level']);
  const requests = listRequests(page);
  // The drawer open, focus in its From field, then the console's language menu.
  await tab(page).locator('.se-filter-button').click();
  await expect(tab(page).locator('#se-from')).toBeFocused();
  await setAttribute(page, 'lang', 'fr');
  await expect(tab(page).getByRole('dialog', { name: 'Filtrer les erreurs de synchronisation' })).toBeVisible();
  await expect(tab(page).getByText('Début', { exact: true })).toBeVisible();
  expect(await focusedInTab(page)).toMatch(/^input#se-from\./);
  await page.keyboard.press('Escape');
  await expect(tab(page).locator('.se-chip')).toHaveText(['Niveau : Traitement']);
  await expect(tab(page).locator('.se-status')).toHaveText(/^Affichage\s: 1–\d+ sur /);
  expect(requests).toEqual([]);
  await tab(page).getByRole('button', { name: 'Actualiser' }).click();
  await expect.poll(() => requests.length).toBe(1);
  expect(requests[0].searchParams.get('level')).toBe('job');
});

test('time-zone, salesforce-url, sign-in-url, admin-url, navigation and request-timeout apply in place', async ({ page }) => {
  await signIn(page, 'admin');
  await consolePage(page);
  await page.goto('/console?level=record');
  await expect(tab(page).locator('tbody tr').first()).toBeVisible();
  const requests = listRequests(page);
  const others: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/sync-errors/')) others.push(r.url()); });
  // A record with a Salesforce ID, opened; focus on the dialog's Close button.
  const row = tab(page).locator('tbody tr').filter({ has: page.locator('td') }).first();
  await row.click();
  const dialog = tab(page).getByRole('dialog');
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  const time = dialog.locator('.se-details time');
  const before = await time.textContent();
  await setAttribute(page, 'time-zone', 'Asia/Kathmandu');
  await expect(time).toContainText('GMT+5:45');
  expect(await time.textContent()).not.toBe(before);
  await expect(tab(page).locator('tbody tr').first().locator('time')).toContainText('GMT+5:45');
  await expect(tab(page).locator('.se-window time').first()).toContainText('GMT+5:45');
  const hasSalesforceId = (await dialog.locator('.se-id').count()) === 2;
  await setAttribute(page, 'salesforce-url', 'https://acme.my.salesforce.com');
  if (hasSalesforceId) {
    await expect(dialog.getByRole('link', { name: 'Open in Salesforce' })).toHaveAttribute('href', /^https:\/\/acme\.my\.salesforce\.com\//);
  }
  await setAttribute(page, 'admin-url', '/console/admin');
  await expect(tab(page).getByRole('link', { name: 'Admin' })).toHaveAttribute('href', '/console/admin');
  await setAttribute(page, 'request-timeout', '5');
  await setAttribute(page, 'sign-in-url', '/console/login');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await setAttribute(page, 'navigation', 'none');
  await expect(tab(page).getByRole('navigation', { name: 'Breadcrumb' })).toHaveCount(0);
  await expect(tab(page).locator('.se-chip')).toHaveText(['Failed on: Record level']);
  await page.waitForTimeout(300);
  expect(requests).toEqual([]);
  expect(others).toEqual([]);
  // The new sign-in URL is the one offered when the session ends.
  await page.route(listUrl, (route) => route.fulfill({ status: 401, contentType: 'application/json', body: '{"error":{"code":"unauthenticated","message":"no"}}' }));
  await tab(page).getByRole('button', { name: 'Refresh' }).click();
  await expect(tab(page).getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', /^\/console\/login\?next=/);
});

test('api-base and url-state reload the data and keep the view', async ({ page }) => {
  await signIn(page, 'admin');
  await consolePage(page, 'navigation="none"');
  await page.goto('/console?level=job&sort=error_code&page_size=50');
  await expect(tab(page).locator('tbody tr').first()).toBeVisible();
  const requests = listRequests(page);
  await setAttribute(page, 'api-base', '/api/');
  await expect.poll(() => requests.length).toBe(1);
  for (const [k, v] of [['level', 'job'], ['sort', 'error_code'], ['limit', '50']]) expect(requests[0].searchParams.get(k)).toBe(v);
  await expect(tab(page).locator('.se-chip')).toHaveText(['Failed on: Job level']);
  // The view moves from the address into the element: the same view, asked again.
  await setAttribute(page, 'url-state', 'none');
  await expect.poll(() => requests.length).toBe(2);
  for (const [k, v] of [['level', 'job'], ['sort', 'error_code'], ['limit', '50']]) expect(requests[1].searchParams.get(k)).toBe(v);
  await expect(tab(page).locator('.se-chip')).toHaveText(['Failed on: Job level']);
  await expect(tab(page).locator('th[aria-sort]')).toContainText('Error Type');
  // A change made while the element kept the view goes back into the address with it.
  await tab(page).getByRole('button', { name: 'Failed On', exact: true }).click();
  await expect.poll(() => requests.length).toBe(3);
  await setAttribute(page, 'url-state', 'url');
  await expect(page).toHaveURL(/sort=level/);
  await expect(tab(page).locator('th[aria-sort]')).toContainText('Failed On');
});
