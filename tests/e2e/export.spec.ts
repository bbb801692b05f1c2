// The CSV export: every matching row, built in the browser, safe in a spreadsheet.
import * as fs from 'node:fs';
import { Page } from '@playwright/test';
import { test, expect, signIn, parseCsv } from './fixtures';

const listUrl = /\/api\/v1\/sync-errors\?/;

async function openTab(page: Page, query = '') {
  await signIn(page, 'admin');
  await page.goto(`/${query}`);
  await expect(page.locator('tbody tr').first()).toBeVisible();
}

async function totalShown(page: Page): Promise<number> {
  const text = await page.locator('.se-status').textContent();
  return Number(text!.match(/of ([\d,]+)/)![1].replace(/,/g, ''));
}

test('exports every filtered row: BOM, CRLF, header, total rows, neutralised formulas, accents', async ({ page }) => {
  // One message per page gets a formula, to prove it is neutralised in the file.
  await page.route(listUrl, async (route) => {
    const url = new URL(route.request().url());
    const response = await route.fetch();
    if (url.searchParams.get('limit') !== '1000') return route.fulfill({ response });
    const json = await response.json();
    if (json.items.length > 0) json.items[0].message = '=HYPERLINK("http://evil.example","click")';
    await route.fulfill({ response, json });
  });
  await openTab(page, '?level=record&sort=error_code');
  const total = await totalShown(page);
  expect(total).toBeGreaterThan(1000); // more than one export page
  const requests: URL[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/sync-errors?')) requests.push(new URL(r.url())); });
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^salesforce-sync-errors_\d{4}-\d\d-\d\dT\d\d-\d\dZ_\d{4}-\d\d-\d\dT\d\d-\d\dZ_record-level\.csv$/);
  await expect(page.getByText(`Exported ${total.toLocaleString('en-US')} errors to ${download.suggestedFilename()}.`)).toBeVisible();

  const bytes = fs.readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toContain('\n'); // records end with CRLF (no demo message holds a line break)
  const records = parseCsv(text);
  expect(records[0]).toEqual(['Error ID', 'Failed On', 'Date/Time (UTC)', 'Date/Time (local)', 'Error Type', 'Error Details', 'Object', 'Operation', 'Marketo ID', 'Salesforce ID', 'Fields']);
  const data = records.slice(1);
  expect(data.length).toBe(total);
  expect(new Set(data.map((r) => r.length))).toEqual(new Set([11]));
  expect(new Set(data.map((r) => r[0].slice(0, 3)))).toEqual(new Set(['se_']));
  expect(new Set(data.map((r) => r[0])).size).toBe(total);
  data.forEach((r) => r.shift()); // the rest as before: level, UTC, local, code, message…
  expect(new Set(data.map((r) => r[0]))).toEqual(new Set(['record']));
  // Times to the millisecond, in UTC and in the admin's zone.
  expect(data[0][1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(data[0][2]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+01:00$/);
  const codes = data.map((r) => r[3]);
  expect([...codes].sort()).toEqual(codes);
  // Paris in November: UTC+1, and the same instant as the UTC column.
  expect(data[0][2]).toMatch(/\+01:00$/);
  expect(Date.parse(data[0][2])).toEqual(Date.parse(data[0][1]));
  const neutralised = data.filter((r) => r[4].startsWith("'=HYPERLINK"));
  expect(neutralised.length).toBeGreaterThanOrEqual(2);
  expect(data.some((r) => r[4].startsWith('=') || r[4].startsWith('+') || r[4].startsWith('@'))).toBe(false);
  expect(text).toContain('Le champ « Région » est obligatoire');
  // Large pages, walked by cursor, with `to` pinned and the view's filters.
  const exportRequests = requests.filter((u) => u.searchParams.get('limit') === '1000');
  expect(exportRequests.length).toBe(Math.ceil(total / 1000));
  expect(new Set(exportRequests.map((u) => u.searchParams.get('to'))).size).toBe(1);
  expect(exportRequests.every((u) => u.searchParams.get('level') === 'record' && u.searchParams.get('sort') === 'error_code')).toBe(true);
  expect(exportRequests.slice(1).every((u) => u.searchParams.get('cursor'))).toBe(true);
});

test('a network error in the middle is retried and nothing is lost', async ({ page }) => {
  await openTab(page);
  let failures = 0;
  await page.route(listUrl, async (route) => {
    const url = new URL(route.request().url());
    if (url.searchParams.get('cursor') && failures < 2) {
      failures++;
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  // The progress says it is retrying rather than seem stalled on a count.
  await expect(page.locator('.se-export__retry')).toHaveText(/^A page failed; asking again \(retry [12] of 3\)…$/);
  const download = await downloadPromise;
  const text = fs.readFileSync((await download.path())!).toString('utf8');
  expect(parseCsv(text.slice(1)).length - 1).toBe(2000);
  expect(failures).toBe(2);
});

test('a backend that keeps failing: the export says so, saves nothing, offers Retry', async ({ page }) => {
  await openTab(page);
  let downloads = 0;
  page.on('download', () => downloads++);
  await page.route(listUrl, (route) =>
    new URL(route.request().url()).searchParams.get('cursor') ? route.fulfill({ status: 503, body: '' }) : route.continue());
  await page.getByRole('button', { name: 'Export' }).click();
  const alert = page.locator('.se-export--failed');
  await expect(alert).toContainText('The export failed and nothing was saved.', { timeout: 20_000 });
  await expect(alert).toContainText('HTTP 503');
  expect(downloads).toBe(0);
  await page.unroute(listUrl);
  const downloadPromise = page.waitForEvent('download');
  await alert.getByRole('button', { name: 'Retry export' }).click();
  await downloadPromise;
});

test('a page shorter than the total is reported, never saved', async ({ page }) => {
  await openTab(page);
  let downloads = 0;
  page.on('download', () => downloads++);
  await page.route(listUrl, async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    if (new URL(route.request().url()).searchParams.get('cursor')) json.items = json.items.slice(0, 10);
    await route.fulfill({ response, json });
  });
  await page.getByRole('button', { name: 'Export' }).click();
  await expect(page.locator('.se-export--failed')).toContainText('announced 2000');
  expect(downloads).toBe(0);
});

test('an export can be cancelled, with progress shown meanwhile', async ({ page }) => {
  await openTab(page);
  await page.route(listUrl, async (route) => {
    if (new URL(route.request().url()).searchParams.get('cursor')) await new Promise((r) => setTimeout(r, 3000));
    await route.continue().catch(() => {});
  });
  let downloads = 0;
  page.on('download', () => downloads++);
  await page.getByRole('button', { name: 'Export' }).click();
  await expect(page.getByText('Exporting 1,000 of 2,000 errors…')).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Export progress' })).toHaveAttribute('value', '1000');
  await page.getByRole('button', { name: 'Cancel export' }).click();
  await expect(page.getByText('Export cancelled. Nothing was saved.')).toBeVisible();
  await page.waitForTimeout(3500);
  expect(downloads).toBe(0);
});

test('progress updates in place: the focused Cancel button keeps focus while the count moves', async ({ page }) => {
  await openTab(page);
  // Four pages of 250 rows, made from one real page, each held until the test lets it go:
  // each count is shown until the test has seen it. (Held 400 ms each instead, a count
  // could come and go between two of the assertion's polls on a fast database.)
  let real: any = null;
  const gates: (() => void)[] = [];
  const opened = [0, 1, 2, 3].map(() => new Promise<void>((r) => gates.push(r)));
  await page.route(listUrl, async (route) => {
    const url = new URL(route.request().url());
    if (url.searchParams.get('limit') !== '1000') return route.continue();
    if (!real) real = await (await route.fetch()).json();
    const index = Number(url.searchParams.get('cursor')?.slice(1) ?? 0);
    await opened[index];
    const items = real.items.slice(0, 250).map((e: any) => ({ ...e, id: `${e.id}_${index}` }));
    await route.fulfill({ json: { ...real, items, total: 1000, next_cursor: index < 3 ? `p${index + 1}` : null } });
  });
  await page.getByRole('button', { name: 'Export' }).click();
  gates[0]();
  await expect(page.getByText('Exporting 250 of 1,000 errors…')).toBeVisible();
  const cancel = page.getByRole('button', { name: 'Cancel export' });
  await cancel.focus();
  gates[1]();
  await expect(page.getByText('Exporting 500 of 1,000 errors…')).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Export progress' })).toHaveAttribute('value', '500');
  await expect(cancel).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Export cancelled. Nothing was saved.')).toBeVisible();
  gates.forEach((open) => open());
});
