// <sync-errors-tab> as a host page uses it: one script tag, attributes, a token property,
// DOM events, removal, and the host example page.
import * as fs from 'node:fs';
import { test, expect, signIn, axeViolations } from './fixtures';

test('the standalone page loads the tab through the element and the stable loader, no inline script', async ({ page, request }) => {
  const html = await (await request.get('/')).text();
  expect(html).toContain('<script type="module" src="/sync-errors-tab.js"></script>');
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  const loader = await request.get('/sync-errors-tab.js');
  expect(loader.headers()['cache-control']).toBe('no-cache');
  await signIn(page, 'admin');
  await page.goto('/');
  await expect(page.locator('sync-errors-tab tbody tr').first()).toBeVisible();
  expect(await page.evaluate(() => !!customElements.get('sync-errors-tab'))).toBe(true);
});

test('attributes apply live; removal unmounts and stops requests; re-adding mounts again', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toBeVisible();
  await page.evaluate(() => document.querySelector('sync-errors-tab')!.setAttribute('navigation', 'none'));
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toHaveCount(0);
  await expect(page.locator('tbody tr').first()).toBeVisible();

  const requests: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/')) requests.push(r.url()); });
  await page.evaluate(() => {
    const el = document.querySelector('sync-errors-tab')!;
    (window as any).__tab = el;
    el.remove();
  });
  await expect(page.locator('.se-app')).toHaveCount(0);
  await page.waitForTimeout(500);
  expect(requests).toEqual([]);
  await page.evaluate(() => document.body.append((window as any).__tab));
  await expect(page.locator('tbody tr').first()).toBeVisible();
  // One list request, and one for the summary beside it.
  await expect.poll(() => requests.map((u) => new URL(u).pathname).sort()).toEqual(['/api/v1/sync-errors', '/api/v1/sync-errors/summary']);
});

test('a bearer token is a property kept in memory, never an attribute', async ({ page }) => {
  await page.goto('/'); // not signed in: no cookie
  await expect(page.getByRole('heading', { name: 'Sign in to see sync errors' })).toBeVisible();
  const sent: (string | undefined)[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/')) sent.push(r.headers()['authorization']); });
  await page.evaluate(() => { (document.querySelector('sync-errors-tab') as any).token = 'demo-admin-token'; });
  await expect(page.locator('tbody tr').first()).toBeVisible();
  expect(sent.at(-1)).toBe('Bearer demo-admin-token');
  expect(await page.evaluate(() => document.querySelector('sync-errors-tab')!.hasAttribute('token'))).toBe(false);
  expect(await page.evaluate(() => document.documentElement.outerHTML.includes('demo-admin-token'))).toBe(false);
});

test('the element tells its host about view changes and an ended session', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await page.evaluate(() => {
    (window as any).__events = [];
    document.querySelector('sync-errors-tab')!.addEventListener('sync-errors-tab:view-change', (e: any) => (window as any).__events.push(['view', e.detail.query]));
    document.addEventListener('sync-errors-tab:session-ended', (e: any) => (window as any).__events.push(['ended', e.detail.signInUrl]));
  });
  await page.getByRole('button', { name: 'Error Type' }).click();
  await expect.poll(() => page.evaluate(() => (window as any).__events)).toContainEqual(['view', 'sort=error_code']);
  await page.route(/\/api\/v1\/sync-errors\?/, (route) => route.fulfill({ status: 401, body: '' }));
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect.poll(() => page.evaluate(() => (window as any).__events)).toContainEqual(['ended', '/signin']);
});

test('the host example: its own navigation and theme, the tab under its base path, host links left alone', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/host/');
  await expect(page.getByRole('heading', { level: 1, name: 'Salesforce sync errors' })).toBeVisible();
  await expect(page.locator('sync-errors-tab tbody tr').first()).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Failed On' }).click();
  await expect(page).toHaveURL(/\/host\/\?sort=level$/);
  await expect(page.locator('#events')).toHaveText('View: ?sort=level');
  // The accent comes from the host's custom property.
  const accent = await page.locator('th[aria-sort] .se-sort__icon').evaluate((e) => getComputedStyle(e).color);
  expect(accent).toBe('rgb(122, 63, 181)');
  await page.getByRole('button', { name: 'Dark theme' }).click();
  const surface = await page.locator('.se-grid').evaluate((e) => getComputedStyle(e).backgroundColor);
  expect(surface).toBe('rgb(26, 32, 39)');
  // The console's global rules on *, button, table and td do not reach into the tab.
  const refresh = page.getByRole('button', { name: 'Refresh' });
  expect(await refresh.evaluate((e) => getComputedStyle(e).textTransform)).toBe('none');
  expect(await refresh.evaluate((e) => getComputedStyle(e).letterSpacing)).toBe('normal');
  expect(await page.locator('table.se-table').evaluate((e) => getComputedStyle(e).borderTopWidth)).toBe('0px');
  expect(await page.locator('tbody td').first().evaluate((e) => getComputedStyle(e).paddingTop)).toBe('8px');
  // …while they still style the console itself.
  expect(await page.getByRole('button', { name: 'Dark theme' }).evaluate((e) => getComputedStyle(e).textTransform)).toBe('uppercase');
  // The tab's styles do not leak out either: the console's h1 keeps its own look.
  expect(await page.getByRole('heading', { level: 1 }).evaluate((e) => getComputedStyle(e).fontFamily)).toContain('Georgia');
  // A host link outside the tab's base path is a normal navigation.
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('two elements on one page work independently', async ({ page }) => {
  await signIn(page, 'admin');
  await page.route((u) => u.pathname === '/two-tabs', (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><html lang="en"><head><title>Two tabs</title>
      <script type="module" src="/sync-errors-tab.js"></script></head><body>
      <sync-errors-tab id="a" base-path="/two-tabs" navigation="none"></sync-errors-tab>
      <sync-errors-tab id="b" url-state="none" navigation="none" lang="fr"></sync-errors-tab>
      </body></html>`,
  }));
  await page.goto('/two-tabs');
  const a = page.locator('#a');
  const b = page.locator('#b');
  await expect(a.locator('tbody tr').first()).toBeVisible();
  await expect(b.locator('tbody tr').first()).toBeVisible();

  await b.getByRole('button', { name: 'Type d’erreur' }).click();
  await expect(b.locator('th[aria-sort]')).toContainText('Type d’erreur');
  await expect(a.locator('th[aria-sort]')).toContainText('Date/Time');
  expect(new URL(page.url()).search).toBe('');

  await a.getByRole('button', { name: 'Failed On' }).click();
  await expect(page).toHaveURL(/\/two-tabs\?sort=level$/);
  await expect(a.locator('th[aria-sort]')).toContainText('Failed On');
  await expect(b.locator('th[aria-sort]')).toContainText('Type d’erreur');

  // Each has its own drawer, ids and focus (in its own shadow root).
  await b.getByRole('button', { name: 'Filtrer', exact: true }).click();
  await expect(b.getByRole('dialog')).toBeVisible();
  await expect(a.getByRole('dialog')).toHaveCount(0);
  await b.getByLabel('Traitement').check();
  await b.getByRole('button', { name: 'Appliquer' }).click();
  await expect(b.locator('.se-chip')).toHaveText(['Niveau : Traitement']);
  await expect(a.locator('.se-chip')).toHaveCount(0);
  await expect(page).toHaveURL(/\/two-tabs\?sort=level$/);
});

test('on the host page too: French, a time zone, the detail dialog, the export and axe', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/host/');
  const tab = page.locator('sync-errors-tab');
  await expect(tab.locator('tbody tr').first()).toBeVisible();
  await page.evaluate(() => {
    const el = document.querySelector('sync-errors-tab')!;
    el.setAttribute('lang', 'fr');
    el.setAttribute('time-zone', 'Asia/Kathmandu');
  });
  await expect(tab.getByRole('heading', { name: 'Erreurs de synchronisation', level: 2 })).toBeVisible();
  await expect(tab.locator('tbody tr').first().locator('time')).toContainText('UTC+5:45');
  await tab.locator('tbody tr').first().click();
  await expect(tab.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(tab.getByRole('dialog')).toHaveCount(0);
  await expect(tab.locator('tbody tr').first()).toBeFocused();
  const downloadPromise = page.waitForEvent('download');
  await tab.getByRole('button', { name: 'Exporter' }).click();
  const text = fs.readFileSync((await (await downloadPromise).path())!).toString('utf8');
  const [header, first] = text.split('\r\n');
  expect(header).toContain('Type d’erreur');
  expect(first.split(',')[3]).toMatch(/\+05:45$/); // after the id, the level and the UTC time
  expect(await axeViolations(page)).toEqual([]);
});

const earlyLeft = (page: import('@playwright/test').Page) =>
  page.evaluate(() => {
    const early = (globalThis as any)[Symbol.for('sync-errors-tab.early')] as Map<string, unknown> | undefined;
    return early ? early.size : null;
  });
const apiPaths = (requests: string[]) => requests.map((u) => { const url = new URL(u); return url.pathname + url.search; }).sort();

test('the loader starts the default view\'s list and summary while the module loads; the tab takes them, asking nothing twice', async ({ page }) => {
  await signIn(page, 'admin');
  const requests: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/')) requests.push(r.url()); });
  await page.goto('/');
  await expect(page.locator('tbody tr')).toHaveCount(100);
  await expect(page.getByRole('slider', { name: 'Errors over time' })).toBeVisible();
  // Both were started by the loader and taken by the tab (a taken one leaves the map).
  expect(await earlyLeft(page)).toBe(0);
  expect(apiPaths(requests)).toEqual(['/api/v1/sync-errors', '/api/v1/sync-errors/summary']);
});

test('a view from the address, or a token set before the module, is not guessed: the tab asks for it itself', async ({ page }) => {
  await signIn(page, 'admin');
  const requests: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/')) requests.push(r.url()); });
  await page.goto('/?level=job');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await expect(page.getByRole('slider', { name: 'Errors over time' })).toBeVisible();
  expect(await earlyLeft(page)).toBeNull();
  expect(apiPaths(requests)).toEqual(['/api/v1/sync-errors/summary?level=job', '/api/v1/sync-errors?level=job']);

  // A console that sets a token before the module runs: the token's requests, not a guess.
  await page.context().clearCookies();
  const authorizations: (string | undefined)[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/')) authorizations.push(r.headers()['authorization']); });
  await page.addInitScript(() => {
    // As the parser adds the element, before any module runs.
    new MutationObserver((_, observer) => {
      const tab = document.querySelector('sync-errors-tab') as any;
      if (tab) { tab.token = 'demo-admin-token'; observer.disconnect(); }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto('/');
  await expect(page.locator('tbody tr')).toHaveCount(100);
  expect(await earlyLeft(page)).toBeNull();
  expect(authorizations.length).toBeGreaterThan(0);
  expect(authorizations.every((a) => a === 'Bearer demo-admin-token')).toBe(true);
});

test('a guess the tab does not take (not the tab\'s page) is let go after 10 s, quietly', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { level: 2 })).toBeVisible();
  await expect(page.locator('tbody tr')).toHaveCount(0);
  expect(await earlyLeft(page)).toBe(2);
  await expect.poll(() => earlyLeft(page), { timeout: 15_000 }).toBe(0);
});
