// axe-core (from npm, injected here) finds no violation in each state of the tab.
import * as path from 'node:path';
import { Page } from '@playwright/test';
import { test, expect, signIn } from './fixtures';

const axePath = path.join(__dirname, '../../node_modules/axe-core/axe.min.js');

async function violations(page: Page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    const axe = (window as any).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n: any) => n.target.join(' ')).slice(0, 5) }));
  });
  return result;
}

test('loaded', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('empty', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/?from=2000-01-01T00:00:00Z&to=2000-01-01T00:01:00Z');
  await expect(page.locator('.se-empty')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('error', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await page.route(/\/api\/v1\/sync-errors/, (route) => route.fulfill({ status: 503, body: '' }));
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('admin permissions required', async ({ page }) => {
  await signIn(page, 'viewer');
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Admin permissions required' })).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('drawer open', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/?level=job');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('modal open', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/?level=record');
  await page.locator('tbody tr').first().click();
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});
