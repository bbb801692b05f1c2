// Triage (API 1.1): the top error types, the objects, the chart of errors over time, the
// search, the drawer's pickers and the advice per code, all filtering together, in both
// languages; and a 1.0 backend (no summary), where every 1.0 feature works as before.
import { Page, Response } from '@playwright/test';
import { test, expect, signIn, rows, status, listUrl, axeViolations, screenshotPath, holdRequests } from './fixtures';

const summaryUrl = /\/api\/v1\/sync-errors\/summary(\?|$)/;

type Summary = {
  window: { from: string; to: string };
  total: number;
  by_code: { error_code: string; count: number; record: number; job: number; last_failed_at: string }[];
  by_object: { object_type: string | null; count: number }[];
  histogram: { bucket_seconds: number; buckets: { start: string; record: number; job: number }[] };
};

const isSummary = (r: Response) => summaryUrl.test(new URL(r.url()).pathname + new URL(r.url()).search);

/** Opens the tab at `query` and returns the first summary it was given. */
async function openWithSummary(page: Page, query = '', lang?: string): Promise<Summary> {
  await signIn(page, 'admin');
  if (lang) {
    await page.route((u) => u.pathname === '/', async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('<sync-errors-tab ', `<sync-errors-tab lang="${lang}" `);
      await route.fulfill({ response, body });
    });
  }
  const answer = page.waitForResponse(isSummary);
  await page.goto(`/${query}`);
  const summary = (await (await answer).json()) as Summary;
  await expect(rows(page).first()).toBeVisible();
  return summary;
}

const search = (page: Page) => new URL(page.url()).searchParams;
const types = (page: Page) => page.getByRole('region', { name: 'Top error types' });
const objects = (page: Page) => page.getByRole('region', { name: 'Objects' });
const chart = (page: Page) => page.getByRole('slider', { name: 'Errors over time' });
const count = (n: number) => n.toLocaleString('en-US');

test('top error types: counts add up to the total, a type toggles its filter, "Show all" shows the rest', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const summary = await openWithSummary(page);
  expect(summary.by_code.length).toBeGreaterThan(6);
  await expect(types(page).locator('.se-top__meaning').first()).not.toBeEmpty();
  await page.screenshot({ path: screenshotPath('screenshot-triage.png') });
  expect(summary.by_code.reduce((n, c) => n + c.count, 0)).toBe(summary.total);
  const entries = types(page).locator('.se-top__item');
  await expect(entries).toHaveCount(3);
  const top = summary.by_code[0];
  const button = types(page).getByRole('button', { name: new RegExp(`^${top.error_code} ${count(top.count)}`) });
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  // The meaning comes from the guidance, asked for with the summary (the line kept for it
  // while it comes is blank and hidden from screen readers).
  await expect(button.locator('.se-top__meaning:not([aria-hidden])')).toHaveText(/\p{L}{3}/u);
  await expect(button.locator('time')).toHaveText(/^Latest: .*(ago|now)/);
  const filtered = page.waitForResponse(isSummary);
  await button.click();
  await filtered;
  await expect(page.locator('.se-chip')).toHaveText([`Error type: ${top.error_code}`]);
  // The types' counts ignore the type filter: the same button stays, with the focus.
  await expect(button).toBeFocused();
  expect(search(page).get('error_code')).toBe(top.error_code);
  await expect(status(page)).toHaveText(`Showing 1–${Math.min(100, top.count)} of ${count(top.count)}`);
  await expect(button).toHaveAttribute('aria-pressed', 'true');
  // Facets: the other types are still listed, to add one.
  await expect(entries).toHaveCount(3);
  await button.click();
  await expect(page.locator('.se-chip')).toHaveCount(0);
  // A chosen type outside the top three stays in view, pressed.
  const last = summary.by_code[summary.by_code.length - 1];
  await page.goto(`/?error_code=${last.error_code}`);
  await expect(types(page).locator('.se-top__item')).toHaveCount(4);
  await expect(types(page).getByRole('button', { name: new RegExp(`^${last.error_code} `) })).toHaveAttribute('aria-pressed', 'true');
  await page.goto('/');
  const more = types(page).getByRole('button', { name: `Show all ${summary.by_code.length} types` });
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  const gridTop = async () => (await page.locator('.se-grid').boundingBox())!.y;
  const before = await gridTop();
  await more.click();
  await expect(entries).toHaveCount(summary.by_code.length);
  // On a wide screen the whole list scrolls inside its card: the grid stays where it was.
  expect(Math.abs((await gridTop()) - before)).toBeLessThan(120);
  await entries.last().scrollIntoViewIfNeeded();
  await expect(entries.last()).toBeInViewport();
  await expect(types(page).getByRole('button', { name: 'Show fewer' })).toHaveAttribute('aria-expanded', 'true');
});

test('on a wide screen the summary takes one row: the grid\'s first row is on the first screen at 1280×800', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWithSummary(page);
  await expect(page.getByRole('button', { name: 'Hide the summary' })).toHaveAttribute('aria-expanded', 'true');
  const [chartBox, typesBox, objectsBox] = await Promise.all([page.locator('.se-chart'), types(page), objects(page)].map(async (l) => (await l.boundingBox())!));
  // Side by side, tops aligned.
  expect(typesBox.x).toBeGreaterThan(chartBox.x + chartBox.width);
  expect(objectsBox.x).toBeGreaterThan(typesBox.x + typesBox.width);
  expect(Math.abs(typesBox.y - chartBox.y)).toBeLessThan(2);
  const row = (await rows(page).first().boundingBox())!;
  expect(row.y + row.height).toBeLessThanOrEqual(800);
});

test('the rows stay put while the summary and the meanings come: the guidance is asked with the summary, its lines kept', async ({ page }) => {
  // A row that jumps away as it is clicked opens nothing: the rows moved up 44 px when the
  // summary came, and back down when the meanings (asked for only then) followed.
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, 'admin');
  const summary = await holdRequests(page, summaryUrl);
  const guidance = await holdRequests(page, '**/guidance.json');
  await page.goto('/');
  await expect(rows(page).first()).toBeVisible();
  const rowTop = async () => (await rows(page).first().boundingBox())!.y;
  const before = await rowTop();
  // Asked while the summary is still on its way.
  await expect.poll(guidance.asked).toBe(true);
  summary.release();
  await expect(types(page).locator('.se-top__item').first()).toBeVisible();
  const blank = types(page).locator('.se-top__meaning[aria-hidden="true"]');
  await expect(blank).toHaveCount(3);
  await expect(blank.first()).toHaveText('\u00a0');
  expect(Math.abs((await rowTop()) - before)).toBeLessThan(1);
  guidance.release();
  await expect(blank).toHaveCount(0);
  await expect(types(page).locator('.se-top__meaning')).toHaveCount(3);
  expect(Math.abs((await rowTop()) - before)).toBeLessThan(1);
});

for (const [width, lang] of [[1280, 'fr'], [1100, 'en'], [1100, 'fr'], [1024, 'en'], [800, 'fr'], [700, 'en']] as const) {
  test(`the place kept for the first summary fits it at ${width} px in ${lang === 'fr' ? 'French' : 'English'}: the rows do not move`, async ({ page }) => {
    // Its lines wrap with the width and the language (53.6 px too short once at 1280 px in
    // French, 84 px at 700 px), so the height kept follows both.
    await page.setViewportSize({ width, height: 900 });
    await signIn(page, 'admin');
    await page.route((u) => u.pathname === '/', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: (await response.text()).replace('<sync-errors-tab ', `<sync-errors-tab lang="${lang}" `) });
    });
    const { release } = await holdRequests(page, summaryUrl);
    await page.goto('/');
    await expect(rows(page).first()).toBeVisible();
    const gridTop = () => page.locator('.se-grid').evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
    const before = await gridTop();
    release();
    await expect(page.locator('.se-top__meaning:not([aria-hidden])').first()).toBeVisible();
    expect(Math.abs((await gridTop()) - before)).toBeLessThan(1);
  });
}

test('hovering or focusing a top error type moves nothing; its latest time\'s exact value is the time\'s title', async ({ page }) => {
  // Shown inline on hover once, it made the meta line wrap and the grid move 18 px.
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWithSummary(page);
  const first = types(page).locator('.se-top__item').first();
  await expect(first.locator('time')).toHaveAttribute('title', /\d{4}/);
  const gridTop = async () => (await page.locator('.se-grid').boundingBox())!.y;
  const [grid, item] = [await gridTop(), (await first.boundingBox())!];
  await first.hover();
  expect(await gridTop()).toBe(grid);
  expect((await first.boundingBox())!.height).toBe(item.height);
  await first.focus();
  expect(await gridTop()).toBe(grid);
  expect((await first.boundingBox())!.height).toBe(item.height);
});

test('a search link\'s smaller summary keeps the room: the rows do not move up when it comes', async ({ page }) => {
  // Fewer types and objects than the demo's whole: the rows moved up 43.5 px at 1280 px.
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, 'admin');
  const summary = await holdRequests(page, summaryUrl);
  await page.goto('/?q=Campaign');
  await expect(rows(page).first()).toBeVisible();
  const gridTop = () => page.locator('.se-grid').evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
  const before = await gridTop();
  summary.release();
  await expect(types(page).locator('.se-top__item').first()).toBeVisible();
  expect(Math.abs((await gridTop()) - before)).toBeLessThan(1);
  // Folded, the summary gives its room back.
  await page.getByRole('button', { name: 'Hide the summary' }).click();
  expect(await gridTop()).toBeLessThan(before - 200);
});

for (const [width, lang] of [[1100, 'en'], [1280, 'fr'], [390, 'en'], [390, 'fr']] as const) {
  test(`nothing moves as the first rows, then the summary come, at ${width} px in ${lang === 'fr' ? 'French' : 'English'}`, async ({ page }) => {
    // The window line above everything came with the first rows and pushed the page down
    // 33 to 95 px; on a phone the summary's loading line was 20 px taller than the button
    // that replaces it.
    await page.setViewportSize({ width, height: 900 });
    await signIn(page, 'admin');
    await page.route((u) => u.pathname === '/', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: (await response.text()).replace('<sync-errors-tab ', `<sync-errors-tab lang="${lang}" `) });
    });
    const list = await holdRequests(page, listUrl);
    const summary = await holdRequests(page, summaryUrl);
    await page.goto('/');
    await expect(page.locator('.se-grid')).toBeVisible();
    const gridTop = () => page.locator('.se-grid').evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
    const before = await gridTop();
    list.release();
    await expect(rows(page).first()).toBeVisible();
    await expect(page.locator('.se-window')).toBeVisible();
    expect(Math.abs((await gridTop()) - before)).toBeLessThan(1);
    summary.release();
    await expect(page.locator('.se-top__item').first()).toBeAttached();
    expect(Math.abs((await gridTop()) - before)).toBeLessThan(1);
  });
}

test('objects: "No object" and a named object filter the list; the summary follows every filter', async ({ page }) => {
  const summary = await openWithSummary(page);
  const none = summary.by_object.find((o) => o.object_type === null)!;
  expect(none.count).toBeGreaterThan(0);
  // By count, most first (the contract's order; "No object" sorts last among equal counts).
  expect(summary.by_object.map((o) => o.count)).toEqual([...summary.by_object.map((o) => o.count)].sort((a, b) => b - a));
  const next = page.waitForResponse(isSummary);
  await objects(page).getByRole('button', { name: /^Show all \d+ objects$/ }).click();
  await objects(page).getByRole('button', { name: new RegExp(`^No object ${count(none.count)}`) }).click();
  const filtered = (await (await next).json()) as Summary;
  expect(search(page).get('object_type')).toBe('-');
  await expect(page.locator('.se-chip')).toHaveText(['Object: No object']);
  expect(filtered.total).toBe(none.count);
  await expect(status(page)).toHaveText(new RegExp(`of ${count(none.count)}$`));
  // by_object ignores its own filter: every object is still there to add.
  expect(filtered.by_object.length).toBe(summary.by_object.length);
  const lead = summary.by_object.find((o) => o.object_type === 'Lead')!;
  await objects(page).getByRole('button', { name: new RegExp(`^Lead ${count(lead.count)}`) }).click();
  expect(search(page).get('object_type')).toBe('-,Lead');
  await expect(status(page)).toHaveText(new RegExp(`of ${count(none.count + lead.count)}$`));
});

test('a chosen type or object without errors under the other filters is still listed, with 0, and removes its filter', async ({ page }) => {
  // Job-level errors have no object, and no error has this type: no row matches.
  await signIn(page, 'admin');
  const answer = page.waitForResponse(isSummary);
  await page.goto('/?level=job&object_type=Lead&error_code=NEVER_SEEN_CODE');
  const summary = (await (await answer).json()) as Summary;
  await expect(status(page)).toHaveText(/0 of 0/);
  expect(summary.by_object.some((o) => o.object_type === 'Lead')).toBe(false);
  expect(summary.by_code.some((c) => c.error_code === 'NEVER_SEEN_CODE')).toBe(false);
  const lead = objects(page).getByRole('button', { name: /^Lead 0/ });
  await expect(lead).toHaveAttribute('aria-pressed', 'true');
  const code = types(page).getByRole('button', { name: /^NEVER_SEEN_CODE 0/ });
  await expect(code).toHaveAttribute('aria-pressed', 'true');
  // No "Latest" for a type that has no error here.
  await expect(code).not.toContainText('Latest');
  await lead.click();
  expect(search(page).get('object_type')).toBeNull();
  await expect(objects(page).getByRole('button', { name: /^Lead / })).toHaveCount(0);
  await code.click();
  expect(search(page).get('error_code')).toBeNull();
  await expect(types(page).getByRole('button', { name: /^NEVER_SEEN_CODE/ })).toHaveCount(0);
});

test('the chart: a click filters to its bucket, a drag to a span, and the keyboard does both', async ({ page }) => {
  const summary = await openWithSummary(page);
  const h = summary.histogram;
  await expect(chart(page)).toBeVisible();
  const peak = h.buckets.reduce((best, b) => (b.record + b.job > best.record + best.job ? b : best));
  await expect(page.locator('#se-chart-summary')).toHaveText(new RegExp(`^Peak: ${count(peak.record + peak.job)} errors? between .* \\(Europe/Paris\\)\\.$`));
  const box = (await chart(page).boundingBox())!;
  const x = (i: number) => box.x + ((i + 0.5) / h.buckets.length) * box.width;
  const y = box.y + box.height / 2;
  // A click on the peak's bar.
  const index = h.buckets.indexOf(peak);
  await page.mouse.click(x(index), y);
  const from = new Date(peak.start);
  await expect.poll(() => new Date(search(page).get('from')!).getTime()).toBe(Math.max(from.getTime(), new Date(summary.window.from).getTime()));
  await expect(status(page)).toHaveText(new RegExp(`of ${count(peak.record + peak.job)}$`));
  await expect(page.locator('.se-chip')).toHaveCount(2);
  // A drag across three bars (the range highlighted, the histogram still whole).
  await page.mouse.move(x(10), y);
  await page.mouse.down();
  await page.mouse.move(x(11), y);
  await page.mouse.move(x(12), y);
  await page.mouse.up();
  const span = h.buckets.slice(10, 13).reduce((n, b) => n + b.record + b.job, 0);
  await expect.poll(() => search(page).get('from')).toBe(new Date(h.buckets[10].start).toISOString().replace('.000Z', 'Z'));
  await expect(status(page)).toHaveText(span === 0 ? /0 of 0|^$/ : new RegExp(`of ${count(span)}$`));
  await expect(page.locator('.se-chart__range')).toHaveCount(1);
  // The keyboard: one Tab stop, arrows, Shift for a span, Enter.
  await chart(page).focus();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  const n = h.buckets.length;
  // A slider for assistive technology: its value is the bar under the cursor, said in words.
  await expect(chart(page)).toHaveAttribute('aria-valuemax', String(n - 1));
  await expect(chart(page)).toHaveAttribute('aria-valuenow', String(n - 2));
  await expect(chart(page)).toHaveAttribute('aria-valuetext', /errors?/);
  // A slider's Up and Down move as Right and Left.
  await page.keyboard.press('ArrowUp');
  await expect(chart(page)).toHaveAttribute('aria-valuenow', String(n - 1));
  await page.keyboard.press('ArrowDown');
  await expect(chart(page)).toHaveAttribute('aria-valuenow', String(n - 2));
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(chart(page)).toHaveAttribute('aria-valuetext', /^Selected: .* to .*\. Press Enter to filter\.$/);
  // The tooltip stays inside the chart at its right end.
  const tip = (await page.locator('.se-chart__tip').boundingBox())!;
  const card = (await page.locator('.se-chart').boundingBox())!;
  expect(tip.x).toBeGreaterThanOrEqual(card.x);
  expect(tip.x + tip.width).toBeLessThanOrEqual(card.x + card.width);
  await page.keyboard.press('Enter');
  await expect.poll(() => search(page).get('from')).toBe(new Date(h.buckets[n - 3].start).toISOString().replace('.000Z', 'Z'));
  await expect(chart(page)).toBeFocused();
});

test('the search: Enter at once, typing after a pause, Escape clears; IDs, Salesforce 15/18 and words', async ({ page }) => {
  await openWithSummary(page, '?level=record');
  const some = await page.request.get('/api/v1/sync-errors?level=record&limit=100');
  const error = (await some.json()).items.find((e: any) => e.salesforce_id?.length === 18 && e.marketo_id);
  const box = page.getByRole('searchbox', { name: 'Search' });
  await box.fill(error.marketo_id);
  await box.press('Enter');
  expect(search(page).get('q')).toBe(error.marketo_id);
  await expect(page.locator('.se-chip')).toContainText([`Search: “${error.marketo_id}”`]);
  await expect(rows(page).first()).toBeVisible();
  // A Salesforce ID's 15-character form finds the 18-character one, after a pause.
  await box.fill(error.salesforce_id.slice(0, 15));
  await expect.poll(() => search(page).get('q')).toBe(error.salesforce_id.slice(0, 15));
  await expect(status(page)).toHaveText(/^Showing 1–\d+ of \d+/);
  await expect(rows(page).first()).toContainText(error.error_code);
  // Words of the message, any case.
  await box.fill('required FIELDS');
  await box.press('Enter');
  await expect(status(page)).toHaveText(/^Showing 1–/);
  await expect(rows(page).first()).toContainText(/Required fields/i);
  await box.press('Escape');
  await expect(box).toHaveValue('');
  expect(search(page).get('q')).toBeNull();
  // Nothing found: the way out is to clear the search.
  await box.fill('zzqxjvwq');
  await box.press('Enter');
  await expect(page.getByRole('heading', { name: 'No sync error matches “zzqxjvwq” with these filters' })).toBeVisible();
  await expect(page.locator('#se-chart-summary')).toHaveText('No error matches these filters in the window.');
  await page.getByRole('button', { name: 'Clear the search' }).click();
  await expect(box).toHaveValue('');
  await expect(rows(page).first()).toBeVisible();
  await page.goBack();
  await expect.poll(() => search(page).get('q')).toBe('zzqxjvwq');
  await page.goBack();
  // Back returns to the search before.
  await page.goBack();
  await expect.poll(() => search(page).get('q')).toBe('required FIELDS');
  await expect(box).toHaveValue('required FIELDS');
});

test('a search alone that finds nothing speaks of the search; the Filter button counts only what the drawer holds', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/?q=zzqxjvwq');
  await expect(page.getByRole('heading', { name: 'No sync error matches “zzqxjvwq”', exact: true })).toBeVisible();
  await expect(page.getByText(/^Check the spelling, or search for an error ID/)).toBeVisible();
  await expect(page.locator('.se-filter-button')).toHaveAccessibleName('Filter');
  await expect(page.locator('.se-chip')).toHaveText(['Search: “zzqxjvwq”']);
  // With the level too, either may be the cause.
  await page.goto('/?level=job&q=zzqxjvwq');
  await expect(page.getByRole('heading', { name: 'No sync error matches “zzqxjvwq” with these filters' })).toBeVisible();
  await expect(page.getByText('Remove a filter, or widen the date and time range, to see more errors.')).toBeVisible();
  await expect(page.locator('.se-filter-button')).toHaveAccessibleName('Filter, 1 applied');
});

test('the drawer picks error types and objects with their counts; everything filters together and survives reload and Back', async ({ page }) => {
  const summary = await openWithSummary(page);
  await page.locator('.se-filter-button').click();
  const drawer = page.getByRole('dialog', { name: 'Filter sync errors' });
  const code = summary.by_code[1];
  await expect(drawer.getByRole('group', { name: 'Error type' }).locator('.se-check')).toHaveCount(summary.by_code.length);
  await drawer.getByRole('checkbox', { name: new RegExp(`^${code.error_code} ${count(code.count)}$`) }).check();
  await drawer.getByRole('checkbox', { name: /^Lead / }).check();
  await drawer.getByLabel('Record level').check();
  await drawer.getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('.se-chip')).toHaveText(['Failed on: Record level', `Error type: ${code.error_code}`, 'Object: Lead']);
  await expect(page.locator('.se-filter-button')).toHaveAccessibleName('Filter, 3 applied');
  const q = search(page);
  expect([q.get('level'), q.get('error_code'), q.get('object_type')]).toEqual(['record', code.error_code, 'Lead']);
  // The summary and the export ask with the same filters.
  const asked = page.waitForRequest(listUrl);
  await page.reload();
  const listRequest = new URL((await asked).url());
  expect(listRequest.searchParams.get('error_code')).toBe(code.error_code);
  await expect(page.locator('.se-chip')).toHaveCount(3);
  const exportAsked = page.waitForRequest((r) => listUrl.test(new URL(r.url()).pathname + new URL(r.url()).search) && new URL(r.url()).searchParams.get('limit') === '1000');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const exportUrl = new URL((await exportAsked).url());
  expect([exportUrl.searchParams.get('error_code'), exportUrl.searchParams.get('object_type'), exportUrl.searchParams.get('level')]).toEqual([code.error_code, 'Lead', 'record']);
  // The file's name says what it holds.
  expect((await download).suggestedFilename()).toMatch(new RegExp(`_record-level_${code.error_code}_Lead\\.csv$`));
  await page.goBack();
  await expect(page.locator('.se-chip')).toHaveCount(0);
});

test('the detail says what to do: meaning, 2 to 4 steps, whether it clears by itself; in French too', async ({ page }) => {
  await openWithSummary(page, '?error_code=UNABLE_TO_LOCK_ROW');
  await rows(page).first().click();
  const dialog = page.getByRole('dialog');
  const advice = dialog.getByRole('region', { name: 'What to do' });
  // The guidance file loads on the first opening; its text is the sign it came.
  await expect(advice).toContainText('This usually clears by itself');
  const steps = advice.getByRole('listitem');
  expect(await steps.count()).toBeGreaterThanOrEqual(2);
  expect(await steps.count()).toBeLessThanOrEqual(4);
  await advice.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('screenshot-guidance.png') });
  await page.keyboard.press('Escape');
  await page.evaluate(() => document.querySelector('sync-errors-tab')!.setAttribute('lang', 'fr'));
  await rows(page).first().click();
  await expect(page.getByRole('dialog').getByRole('region', { name: 'Que faire' })).toContainText('disparaît en général d’elle-même');
});

test('an unknown code says so and keeps the web search; a console\'s guidance-url wins, a failing one falls back', async ({ page }) => {
  await signIn(page, 'admin');
  await page.route(listUrl, async (route) => {
    const response = await route.fetch();
    const page1 = await response.json();
    page1.items[0].error_code = 'ACME_QUOTA_BLOWN';
    page1.items[1].error_code = 'DUPLICATE_VALUE';
    await route.fulfill({ response, json: page1 });
  });
  await page.route('**/console-guidance.json', (route) => route.fulfill({
    json: { version: 1, codes: { DUPLICATE_VALUE: { resolution: 'configuration', en: { summary: 'Acme says.', meaning: 'Ask the Acme desk about duplicates.', steps: ['Call the desk.', 'Wait.'] }, fr: { summary: 'Acme dit.', meaning: 'Demandez au support Acme.', steps: ['Appelez.', 'Attendez.'] } } } },
  }));
  await page.route((u) => u.pathname === '/', async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('<sync-errors-tab ', '<sync-errors-tab guidance-url="/console-guidance.json" ');
    await route.fulfill({ response, body });
  });
  await page.goto('/');
  await rows(page).first().click();
  let advice = page.getByRole('dialog').getByRole('region', { name: 'What to do' });
  await expect(advice).toContainText('We have no advice for ACME_QUOTA_BLOWN yet.');
  await expect(page.getByRole('dialog').getByRole('link', { name: 'Search the web for this error' })).toBeVisible();
  await page.keyboard.press('Escape');
  await rows(page).nth(1).click();
  advice = page.getByRole('dialog').getByRole('region', { name: 'What to do' });
  await expect(advice).toContainText('Ask the Acme desk about duplicates.');
  await page.keyboard.press('Escape');
  // A console URL that fails: ours, silently for the admin, a warning in the console.
  const warnings: string[] = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.evaluate(() => document.querySelector('sync-errors-tab')!.setAttribute('guidance-url', '/missing-guidance.json'));
  await rows(page).nth(1).click();
  advice = page.getByRole('dialog').getByRole('region', { name: 'What to do' });
  await expect(advice).not.toContainText('Acme');
  await expect(advice.getByRole('listitem').first()).toBeVisible();
  await expect.poll(() => warnings.some((w) => w.includes('/missing-guidance.json'))).toBe(true);
});

test('the summary never delays the grid, and its failure is said quietly with Retry', async ({ page }) => {
  await signIn(page, 'admin');
  let fail = true;
  // The summary is held until the test lets it go, so the grid must come without it.
  let release!: () => void;
  const held = new Promise<void>((r) => { release = r; });
  await page.route(summaryUrl, async (route) => {
    await held;
    if (fail) await route.fulfill({ status: 500, json: { error: { code: 'internal', message: 'boom' } } });
    else await route.continue();
  });
  await page.goto('/');
  await expect(rows(page)).toHaveCount(100);
  await expect(page.getByText('Loading the summary…')).toBeVisible();
  // Its place is kept while it loads: the rows do not move when it comes.
  const top = await rows(page).first().evaluate((r) => r.getBoundingClientRect().top);
  release();
  await expect(page.getByText('The summary could not be loaded. The list is not affected.')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(rows(page)).toHaveCount(100);
  fail = false;
  await page.locator('.se-triage__failed').getByRole('button', { name: 'Retry' }).click();
  await expect(chart(page)).toBeVisible();
  const moved = (await rows(page).first().evaluate((r) => r.getBoundingClientRect().top)) - top;
  expect(Math.abs(moved)).toBeLessThan(160);
});

test('when the list fails too, the summary\'s notice does not say the list is fine', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/');
  await expect(rows(page)).toHaveCount(100);
  const boom = { status: 500, json: { error: { code: 'internal', message: 'boom' } } };
  await page.route(summaryUrl, (route) => route.fulfill(boom));
  await page.route(listUrl, (route) => route.fulfill(boom));
  await types(page).getByRole('button').first().click();
  await expect(page.locator('.se-triage__failed')).toContainText('The summary could not be loaded.');
  await expect(page.locator('.se-triage__failed')).not.toContainText('The list is not affected');
  // The rows the admin had stay.
  await expect(rows(page)).toHaveCount(100);
});

test('another backend\'s choices: 15-minute buckets draw and pick 15-minute ranges', async ({ page }) => {
  await signIn(page, 'admin');
  await page.route(summaryUrl, async (route) => {
    const response = await route.fetch();
    const s = (await response.json()) as Summary;
    // Each hour split in four quarter-hour buckets, the counts on the first; as the contract
    // says, the last bucket is the one that contains the window's end.
    const end = new Date(s.window.to).getTime();
    s.histogram = {
      bucket_seconds: 900,
      buckets: s.histogram.buckets.flatMap((b) => [0, 1, 2, 3].map((q) => ({
        start: new Date(new Date(b.start).getTime() + q * 900_000).toISOString().replace('.000Z', 'Z'),
        record: q === 0 ? b.record : 0,
        job: q === 0 ? b.job : 0,
      }))).filter((b) => new Date(b.start).getTime() <= end),
    };
    await route.fulfill({ response, json: s });
  });
  await page.goto('/');
  await expect(chart(page)).toBeVisible();
  const bars = await page.locator('.se-chart__record').count();
  expect(bars).toBeGreaterThan(0);
  await chart(page).focus();
  await page.keyboard.press('End');
  const picked = page.waitForResponse(isSummary);
  await page.keyboard.press('Enter');
  const from = new Date(search(page).get('from')!);
  const to = new Date(search(page).get('to')!);
  expect(to.getTime() - from.getTime()).toBeLessThan(900_000);
  expect(to.getTime()).toBeGreaterThanOrEqual(from.getTime());
  // The summary of the picked quarter hour comes from the same rewriting backend.
  expect(new URL((await picked).url()).searchParams.get('from')).toBe(search(page).get('from'));
  await expect(chart(page)).toBeVisible();
});

test('a 1.0 backend: no summary, said quietly; list, sort, paging, drawer, detail and export work', async ({ page }) => {
  await signIn(page, 'admin');
  await page.route(summaryUrl, (route) => route.fulfill({ status: 404, json: { error: { code: 'not_found', message: 'No such path' } } }));
  // A 1.0 backend ignores the parameters it does not know.
  await page.route(listUrl, async (route) => {
    const url = new URL(route.request().url());
    for (const name of ['error_code', 'object_type', 'q']) url.searchParams.delete(name);
    await route.continue({ url: url.toString() });
  });
  await page.goto('/?error_code=DUPLICATE_VALUE&q=lock&level=record');
  await expect(rows(page)).toHaveCount(100);
  await expect(page.getByText(/^This server has no summary \(it follows API 1\.0\)/)).toBeVisible();
  // The filters it cannot apply are taken out, and said so, rather than shown as applied.
  await expect(page.getByText(/^This server cannot filter by error type, object or search/)).toBeVisible();
  await expect(page.locator('.se-chip')).toHaveText(['Failed on: Record level']);
  await expect.poll(() => [search(page).get('error_code'), search(page).get('q'), search(page).get('level')]).toEqual([null, null, 'record']);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('searchbox')).toHaveCount(0);
  await page.locator('.se-chip__remove').click();
  await expect(page.getByText(/^This server cannot filter/)).toHaveCount(0);
  await page.getByRole('button', { name: /^Error Type/ }).click();
  await expect(page.locator('th[aria-sort="ascending"]')).toHaveCount(1);
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(status(page)).toHaveText('Showing 101–200 of 2,000');
  await page.locator('.se-filter-button').click();
  const drawer = page.getByRole('dialog', { name: 'Filter sync errors' });
  await expect(drawer.getByText('This server has no summary, so error types and objects cannot be listed here.').first()).toBeVisible();
  await drawer.getByLabel('Job level').check();
  await drawer.getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('.se-chip')).toHaveText(['Failed on: Job level']);
  await rows(page).first().click();
  await expect(page.getByRole('dialog').getByRole('region', { name: 'What to do' })).toBeVisible();
  await page.keyboard.press('Escape');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  await download;
  await expect(page.getByText(/^Exported [\d,]+ errors? to /)).toBeVisible();
});

test('in French: the triage area, the search and the chart speak French; axe finds nothing', async ({ page }) => {
  const summary = await openWithSummary(page, '', 'fr');
  await expect(page.getByRole('region', { name: 'Principaux types d’erreur' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Objets' })).toBeVisible();
  await expect(page.getByRole('slider', { name: 'Erreurs au fil du temps' })).toBeVisible();
  await expect(page.getByRole('searchbox', { name: 'Rechercher' })).toBeVisible();
  await expect(page.locator('#se-chart-summary')).toHaveText(/^Pic\s: /);
  const top = summary.by_code[0];
  await page.getByRole('button', { name: new RegExp(`^${top.error_code} `) }).click();
  await expect(page.locator('.se-chip')).toHaveText([`Type d’erreur : ${top.error_code}`]);
  expect(await axeViolations(page)).toEqual([]);
  await page.locator('.se-filter-button').click();
  await expect(page.getByRole('group', { name: 'Type d’erreur' })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
});

test('axe finds nothing on the triage area, the drawer with its pickers, and the detail with its advice', async ({ page }) => {
  await openWithSummary(page, '?object_type=-');
  await expect(chart(page)).toBeVisible();
  await chart(page).focus();
  await page.keyboard.press('ArrowLeft');
  expect(await axeViolations(page)).toEqual([]);
  await page.locator('.se-filter-button').click();
  await expect(page.getByRole('group', { name: 'Object' })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await rows(page).first().click();
  await expect(page.getByRole('region', { name: 'What to do' })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
});

test('on a phone the grid comes first: the summary is one tap away, and nothing scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openWithSummary(page);
  const toggle = page.getByRole('button', { name: 'Show the summary' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(chart(page)).toBeHidden();
  await expect(rows(page).first()).toBeInViewport();
  await toggle.click();
  await expect(chart(page)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Hide the summary' })).toHaveAttribute('aria-expanded', 'true');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  // The meanings wrap whole here: no place is kept for the folded summary, and a title
  // does nothing under a finger.
  const meanings = types(page).locator('.se-top__meaning');
  await expect(meanings.first()).not.toHaveAttribute('aria-hidden');
  expect(await meanings.evaluateAll((ms) => ms.filter((m) => m.scrollWidth > m.clientWidth).length)).toBe(0);
  expect(await meanings.evaluateAll((ms) => ms.some((m) => m.getBoundingClientRect().height > 20))).toBe(true);
});
