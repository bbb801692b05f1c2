// English and French: every visible string, numbers and dates, switched live; axe in French.
import * as fs from 'node:fs';
import { Page } from '@playwright/test';
import { test, expect, signIn, screenshotPath } from './fixtures';

const NNBSP = '\u202f';

async function french(page: Page) {
  await page.evaluate(() => document.querySelector('sync-errors-tab')!.setAttribute('lang', 'fr'));
  await expect(page.getByRole('heading', { name: 'Erreurs de synchronisation', level: 2 })).toBeVisible();
}

test('lang="fr" switches the whole tab live: texts, numbers, dates, drawer, detail, export', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/?level=record');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await french(page);
  await expect(page.locator('.se-app')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('navigation', { name: 'Fil d’Ariane' }).getByRole('listitem')).toHaveText(['Administration', 'Intégration', 'Salesforce']);
  const headers = await page.locator('thead th').allTextContents();
  expect(headers).toEqual(['Niveau de l’échec', 'Date et heure de l’échec', 'Type d’erreur', 'Détails de l’erreur', 'Objet']);
  await expect(page.locator('.se-status')).toHaveText(new RegExp(`^Affichage\\s: 1–100 sur 1${NNBSP}\\d{3}$`));
  await expect(page.locator('tbody tr').first().locator('time')).toContainText(/^\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d\sUTC\+1/);
  await expect(page.locator('.se-chip')).toHaveText(['Niveau : Enregistrement']);
  await expect(page.getByRole('button', { name: 'Page suivante' })).toBeVisible();
  await expect(page.getByLabel('Lignes par page')).toBeVisible();

  await page.getByRole('button', { name: 'Filtrer, 1 filtre appliqué' }).click();
  const drawer = page.getByRole('dialog', { name: 'Filtrer les erreurs de synchronisation' });
  await expect(drawer.getByText('Début', { exact: true })).toBeVisible();
  await drawer.locator('#se-from').fill('2020-01-01T00:00');
  await expect(drawer.locator('#se-from-problem')).toContainText('Les erreurs ne sont conservées qu’à partir du');
  await drawer.getByRole('button', { name: 'Réinitialiser' }).click();
  await page.keyboard.press('Escape');

  await page.locator('tbody tr').first().click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText('ID Marketo', { exact: true })).toBeVisible();
  await expect(dialog.getByRole('link', { name: 'Rechercher cette erreur sur le Web' })).toBeVisible();
  await page.keyboard.press('Escape');

  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exporter' }).click();
  const text = fs.readFileSync((await (await downloadPromise).path())!).toString('utf8');
  expect(text.split('\r\n')[0]).toBe('\ufeffID de l’erreur,Niveau de l’échec,Date et heure (UTC),Date et heure (locale),Type d’erreur,Détails de l’erreur,Objet,Opération,ID Marketo,ID Salesforce,Champs');
  expect(text.split('\r\n')[1]).toMatch(/^se_[^,]+,record,/); // values stay stable words
  await expect(page.getByText(/ erreurs exportées dans salesforce-sync-errors_/)).toBeVisible();
  await page.screenshot({ path: screenshotPath('screenshot-fr.png') });

  await page.evaluate(() => document.querySelector('sync-errors-tab')!.setAttribute('lang', 'en'));
  await expect(page.getByRole('heading', { name: 'Sync Errors', level: 2 })).toBeVisible();
});

test('without a lang attribute the page’s language is used', async ({ page }) => {
  await signIn(page, 'admin');
  await page.route((u) => u.pathname === '/', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: (await response.text()).replace('<html>', '<html lang="fr-FR">') });
  });
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Erreurs de synchronisation', level: 2 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr-FR');
});

test.describe('a browser in French', () => {
  test.use({ locale: 'fr-FR' });

  test('the standalone page speaks French and says so; a lang on the element still wins', async ({ page }) => {
    await signIn(page, 'admin');
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Erreurs de synchronisation', level: 2 })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page).toHaveTitle('Erreurs de synchronisation Salesforce · Administration');
    await page.evaluate(() => document.querySelector('sync-errors-tab')!.setAttribute('lang', 'en'));
    await expect(page.getByRole('heading', { name: 'Sync Errors', level: 2 })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page).toHaveTitle('Salesforce Sync Errors · Admin');
    await page.evaluate(() => document.querySelector('sync-errors-tab')!.removeAttribute('lang'));
    await expect(page.getByRole('heading', { name: 'Erreurs de synchronisation', level: 2 })).toBeVisible();
  });
});

test('errors and states are French too', async ({ page }) => {
  await signIn(page, 'viewer');
  await page.goto('/');
  await french(page);
  await expect(page.getByRole('heading', { name: 'Autorisations d’administrateur requises' })).toBeVisible();
});

