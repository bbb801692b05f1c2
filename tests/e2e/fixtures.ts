// Shared helpers: sign in through the real form, and fail any test whose page throws or
// logs an error (other than the browser's own line for an expected 4xx/5xx answer).
import * as path from 'node:path';
import { test as base, expect, Page } from '@playwright/test';

export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
          errors.push(`console: ${m.text()}`);
        }
      });
      await use(errors);
      expect(errors, 'the page logged errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/**
 * Where a README screenshot goes: docs/ when SCREENSHOTS=1 (to refresh the README's
 * pictures), else the test results, so that a test run leaves the work tree as it was.
 */
export function screenshotPath(name: string): string {
  const dir = process.env.SCREENSHOTS === '1' ? path.join(__dirname, '../../docs') : path.join(__dirname, 'results');
  return path.join(dir, name);
}

/** Signs in through the server's form (the context keeps the session cookie). */
export async function signIn(page: Page, username: string, password = username) {
  const response = await page.request.post('/signin', {
    form: { username, password, next: '/' },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(303);
}
