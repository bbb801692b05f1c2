// Times in the configured time zone, through the browser's Intl, across daylight-saving
// changes (the browser itself runs in Europe/Paris: see playwright.config.ts).
import * as fs from 'node:fs';
import { Page } from '@playwright/test';
import { test, expect, signIn } from './fixtures';

const listUrl = /\/api\/v1\/sync-errors(\?|$)/;

/** Answers the list with its first two items moved to the given instants. */
async function pinTimes(page: Page, times: string[]) {
  await page.route(listUrl, async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    times.forEach((t, i) => { json.items[i].failed_at = t; });
    await route.fulfill({ response, json });
  });
}

async function setZone(page: Page, zone: string) {
  await page.evaluate((z) => document.querySelector('sync-errors-tab')!.setAttribute('time-zone', z), zone);
}

const cell = (page: Page, i: number) => page.locator('tbody tr').nth(i).locator('time');

test('three zones across a daylight-saving change, switched live', async ({ page }) => {
  await signIn(page, 'admin');
  // New York falls back on Nov 1 06:00Z; Paris on Oct 25 01:00Z.
  await pinTimes(page, ['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z', '2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z']);
  await page.goto('/');
  await expect(cell(page, 0)).toContainText('Nov 1, 2026');

  await setZone(page, 'America/New_York');
  await expect(cell(page, 0)).toContainText('01:30:00 AM EDT');
  await expect(cell(page, 1)).toContainText('01:30:00 AM EST');

  await setZone(page, 'Europe/Paris');
  await expect(cell(page, 2)).toContainText('Oct 25, 2026, 02:30:00 AM GMT+2');
  await expect(cell(page, 3)).toContainText('Oct 25, 2026, 02:30:00 AM GMT+1');

  await setZone(page, 'Asia/Kathmandu');
  await expect(cell(page, 0)).toContainText('Nov 1, 2026, 11:15:00 AM GMT+5:45');
  // The exact UTC time stays one focus away.
  await page.locator('tbody tr').first().focus();
  await expect(page.locator('tbody tr').first().locator('.se-time__utc')).toHaveText('2026-11-01 05:30:00 UTC');
});

test('the drawer reads dates and times in the configured zone', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await setZone(page, 'Asia/Kathmandu');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  const t = new Date(Date.now() - 2 * 3600_000);
  t.setUTCSeconds(0, 0);
  const kathmanduWall = new Date(t.getTime() + 345 * 60_000).toISOString().slice(0, 16);
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await page.getByLabel('From', { exact: true }).fill(kathmanduWall);
  await page.getByRole('button', { name: 'Apply' }).click();
  const from = new URL(page.url()).searchParams.get('from');
  expect(from).toBe(t.toISOString().replace('.000Z', 'Z'));
  // Opening the drawer again shows the same wall-clock time.
  await page.getByRole('button', { name: 'Filter, 1 applied' }).click();
  await expect(page.locator('#se-from')).toHaveValue(kathmanduWall);
});

test('the export writes local times with the zone offset', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/?level=job');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await setZone(page, 'Asia/Kathmandu');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const text = fs.readFileSync((await (await downloadPromise).path())!).toString('utf8');
  const first = text.split('\r\n')[1].split(',');
  expect(first[3]).toMatch(/\+05:45$/);
  expect(Date.parse(first[3])).toBe(Date.parse(first[2]));
});

test('an unknown time zone is said, and the browser zone is used', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await setZone(page, 'Mars/Olympus_Mons');
  await expect(page.getByText('The time zone “Mars/Olympus_Mons” is not known to this browser')).toBeVisible();
  await expect(cell(page, 0)).toContainText(/AM\sGMT\+1|PM\sGMT\+1/);
});
