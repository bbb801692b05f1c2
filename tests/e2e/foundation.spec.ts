import { test, expect, signIn, screenshotPath } from './fixtures';

test('a signed-out visitor is invited to sign in, then sees the demo errors', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in to see sync errors' })).toBeVisible();
  await expect(page.getByText('Your session has ended')).toHaveCount(0);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/signin\?next=/);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('admin');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('tbody tr')).toHaveCount(100);
  await expect(page.getByRole('status')).toHaveText('Showing 1–100 of 2,000');
  await expect(page.locator('.se-window')).toContainText('five days before the current sync');
  const headers = await page.locator('thead th').allTextContents();
  expect(headers).toEqual(['Failed On', 'Date/Time of the failure', 'Error Type', 'Error Details', 'Object']);
  const first = page.locator('tbody tr').first();
  await expect(first.locator('.se-badge')).toHaveText(/^(Record|Job) level$/);
  await expect(first.locator('code')).toHaveText(/^[A-Z_]+$/);
  // Newest first: the rows' times never increase.
  const times = await page.locator('tbody time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')!));
  expect([...times].sort().reverse()).toEqual(times);
});

test('the admin navigation places the tab under Admin > Integration > Salesforce', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/');
  const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('listitem');
  await expect(crumbs).toHaveText(['Admin', 'Integration', 'Salesforce']);
  const tab = page.getByRole('navigation', { name: 'Salesforce pages' }).getByRole('link', { name: 'Sync Errors' });
  await expect(tab).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Salesforce');
  await expect(page.locator('tbody tr')).toHaveCount(100);
  await page.screenshot({ path: screenshotPath('screenshot.png'), fullPage: false });
});

test('a non-admin sees "Admin permissions required" and no data', async ({ page }) => {
  await signIn(page, 'viewer');
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Admin permissions required' })).toBeVisible();
  await expect(page.locator('table')).toHaveCount(0);
  await expect(page.locator('.se-window')).toHaveCount(0);
});

test('a deep link loads the app with its filters', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/?level=job');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  const badges = await page.locator('tbody .se-badge').allTextContents();
  expect(badges.length).toBeGreaterThan(0);
  expect(new Set(badges)).toEqual(new Set(['Job level']));
});

test('an unknown route inside the tab says so and links back', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'This page does not exist' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to Salesforce sync errors' }).click();
  await expect(page.locator('tbody tr')).toHaveCount(100);
});

test('the router works under a configured base path', async ({ page }) => {
  await signIn(page, 'admin');
  const base = '/console/integration/salesforce/sync-errors';
  await page.route((u) => u.pathname.startsWith(base), async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('<sync-errors-tab ', `<sync-errors-tab base-path="${base}" `);
    await route.fulfill({ response, body });
  });
  await page.goto(`${base}?level=job`);
  await expect(page.locator('tbody tr').first()).toBeVisible();
  expect(new Set(await page.locator('tbody .se-badge').allTextContents())).toEqual(new Set(['Job level']));
  await expect(page.getByRole('link', { name: 'Sync Errors' })).toHaveAttribute('href', base);
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page).toHaveURL(new RegExp(`${base}\\?level=job&page=2$`));
  await expect(page.locator('.se-status')).toHaveText(/^Showing 101–\d+ of \d+$/);
  await expect(page.locator('tbody tr').first()).toBeVisible();
});
