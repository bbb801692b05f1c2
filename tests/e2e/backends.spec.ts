// Failing backends: each failure has its own clear message, the rows already shown stay,
// and a GET is retried on its own only where that can help (a failed network, 408, 429,
// 502–504, after Retry-After when the server gives one), never after other answers.
import { Page, Route } from '@playwright/test';
import { test, expect, signIn } from './fixtures';

const listUrl = /\/api\/v1\/sync-errors(\?|$)/;
const rows = (page: Page) => page.locator('tbody tr');

async function openTab(page: Page, timeoutSeconds?: number) {
  if (timeoutSeconds) {
    await page.route((u) => u.pathname === '/', async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('<sync-errors-tab ', `<sync-errors-tab request-timeout="${timeoutSeconds}" `);
      await route.fulfill({ response, body });
    });
  }
  await signIn(page, 'admin');
  await page.goto('/');
  await expect(rows(page)).toHaveCount(100);
}

/** Answers the list with `fail` for the first `failures` requests, then lets them through; counts them. */
async function failing(page: Page, failures: number, fail: (route: Route) => Promise<void>) {
  const seen: number[] = [];
  await page.route(listUrl, async (route) => {
    seen.push(Date.now());
    if (seen.length <= failures) await fail(route);
    else await route.continue();
  });
  return seen;
}

const json = (status: number, headers: Record<string, string> = {}, code = 'unavailable') => (route: Route) =>
  route.fulfill({ status, headers, contentType: 'application/json', body: JSON.stringify({ error: { code, message: 'Down for maintenance' } }) });

test.describe('retried where it helps', () => {
  for (const status of [502, 503, 504, 429, 408]) {
    test(`${status}, then an answer: retried with backoff, the new rows shown`, async ({ page }) => {
      await openTab(page);
      const seen = await failing(page, 1, json(status));
      await page.getByRole('button', { name: 'Next page' }).click();
      await expect(page.locator('.se-status')).toHaveText('Showing 101–200 of 2,000');
      expect(seen).toHaveLength(2);
      expect(seen[1] - seen[0]).toBeGreaterThanOrEqual(450);
      await expect(page.getByRole('alert')).toHaveCount(0);
    });
  }

  test('503 with Retry-After: 2 waits that long before asking again', async ({ page }) => {
    await openTab(page);
    const seen = await failing(page, 1, json(503, { 'Retry-After': '2' }));
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page.locator('.se-status')).toHaveText('Showing 101–200 of 2,000');
    expect(seen).toHaveLength(2);
    expect(seen[1] - seen[0]).toBeGreaterThanOrEqual(1900);
  });

  test('503 with a long Retry-After is not waited out: the admin is told when to try', async ({ page }) => {
    await openTab(page);
    const seen = await failing(page, 99, json(503, { 'Retry-After': '120' }));
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page.getByRole('alert')).toContainText('The server is busy or down for maintenance (HTTP 503). Try again in 120 seconds.');
    await expect(page.getByRole('alert')).toContainText('Down for maintenance');
    await expect(rows(page)).toHaveCount(100);
    expect(seen).toHaveLength(1);
  });

  test('a 502 that persists: three retries, then the message; the rows stay', async ({ page }) => {
    await openTab(page);
    const seen = await failing(page, 99, (route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<html><h1>Bad Gateway</h1></html>' }));
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page.getByRole('alert')).toContainText('HTTP 502', { timeout: 15_000 });
    expect(seen).toHaveLength(4);
    await expect(rows(page)).toHaveCount(100);
    await expect(page.locator('.se-status')).toHaveText('Showing 1–100 of 2,000');
  });

  test('a dropped connection: retried, then "could not be reached"; the rows stay', async ({ page }) => {
    await openTab(page);
    const seen = await failing(page, 99, (route) => route.abort('connectionreset'));
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page.getByRole('alert')).toContainText('The server could not be reached', { timeout: 15_000 });
    expect(seen).toHaveLength(4);
    await expect(rows(page)).toHaveCount(100);
  });
});

test.describe('reported at once', () => {
  const cases: [string, (route: Route) => Promise<void>, string][] = [
    ['500', json(500), 'HTTP 500'],
    ['501', json(501), 'HTTP 501'],
    ['400 without the contract body', (r) => r.fulfill({ status: 400, body: 'nope' }), 'The server did not accept the request.'],
    ['404', json(404, {}, 'not_found'), ''],
    ['418', json(418), 'HTTP 418'],
    ['a 200 that is not JSON', (r) => r.fulfill({ status: 200, contentType: 'text/html', body: '<html>login</html>' }), "The server's answer could not be read"],
    ['a 200 of the wrong shape', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: '{"window":null,"items":[{"id":1}]}' }), "The server's answer could not be read"],
    ['a 200 cut short', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: '{"window":{"from":"2026-' }), "The server's answer could not be read"],
  ];
  for (const [name, fail, message] of cases) {
    test(`${name}: one request, its message, the rows kept`, async ({ page }) => {
      await openTab(page);
      const seen = await failing(page, 99, fail);
      await page.getByRole('button', { name: 'Next page' }).click();
      await expect(page.getByRole('alert')).toBeVisible();
      if (message) await expect(page.getByRole('alert')).toContainText(message);
      await page.waitForTimeout(800); // longer than the first backoff: no retry came
      expect(seen).toHaveLength(1);
      await expect(rows(page)).toHaveCount(100);
    });
  }

  test('a server slower than request-timeout: aborted and reported, rows kept, Retry works', async ({ page }) => {
    await openTab(page, 2);
    let slow = true;
    const seen: string[] = [];
    page.on('requestfailed', (r) => seen.push(r.failure()?.errorText ?? ''));
    await page.route(listUrl, async (route) => {
      if (!slow) return route.continue();
      await new Promise((r) => setTimeout(r, 4000));
      await route.continue().catch(() => {}); // the tab has given up by now
    });
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page.getByRole('alert')).toContainText('The server did not answer within 2 seconds');
    await expect(rows(page)).toHaveCount(100);
    await expect.poll(() => seen).toContain('net::ERR_ABORTED');
    slow = false;
    await page.getByRole('alert').getByRole('button', { name: 'Retry' }).click();
    await expect(page.locator('.se-status')).toHaveText('Showing 101–200 of 2,000');
  });

  test('a 403 mid-session hides the data: admin rights were withdrawn', async ({ page }) => {
    await openTab(page);
    await failing(page, 99, json(403, {}, 'admin_required'));
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByRole('heading', { name: 'Admin permissions required' })).toBeVisible();
    await expect(page.locator('table')).toHaveCount(0);
  });
});
