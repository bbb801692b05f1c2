// Shared helpers: sign in through the real form, and fail any test whose page throws or
// logs an error (other than the browser's own line for an expected 4xx/5xx answer).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test as base, expect, Page } from '@playwright/test';

export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      // A Content-Security-Policy violation fails the test too (Chromium also logs one).
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
        }, true);
      });
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
          errors.push(`console: ${m.text()}`);
        }
      });
      await use(errors);
      // A route handler still rewriting an answer when the test ends (the page asked again
      // after the last check) would fail a passed test with "Response has been disposed".
      await page.unrouteAll({ behavior: 'ignoreErrors' });
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

/**
 * Signs in through the server's form, as a browser would: GET the form (its CSRF token
 * comes in a field and a cookie), then POST it. The context keeps the session cookie.
 */
export async function signIn(page: Page, username: string, password = username) {
  const form = await (await page.request.get('/signin')).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
  const response = await page.request.post('/signin', {
    form: { username, password, next: '/', csrf },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(303);
}

/** The grid's rows, and the status line that announces them. */
export const rows = (page: Page) => page.locator('tbody tr');
export const status = (page: Page) => page.locator('.se-status');
/** The list endpoint, as a route pattern. */
export const listUrl = /\/api\/v1\/sync-errors(\?|$)/;

/**
 * Holds every request to `url` until the returned function is called, then lets them go
 * to the server: a slow server, under the test's control. `asked()` says whether one came.
 */
export async function holdRequests(page: Page, url: Parameters<Page['route']>[0]) {
  let release!: () => void;
  const held = new Promise<void>((r) => { release = r; });
  let asked = false;
  await page.route(url, async (route) => {
    asked = true;
    await held;
    await route.continue();
  });
  return { release, asked: () => asked };
}

/** Signs in as the demo admin and opens the standalone tab at `query`, its rows shown. */
export async function openTab(page: Page, query = '') {
  await signIn(page, 'admin');
  await page.goto(`/${query}`);
  await expect(rows(page).first()).toBeVisible();
}

/** RFC 4180 records of a CSV text (quotes, doubled quotes and CRLF inside quotes). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '', record: string[] = [], quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { record.push(field); records.push(record); record = []; field = ''; i++; }
    else field += c;
  }
  return records;
}

const axeSource = fs.readFileSync(path.join(__dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's violations on the page (shadow roots included): ids, impact and a few targets.
 * Evaluated rather than added as a <script>, which the page's CSP would refuse.
 */
export async function axeViolations(page: Page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n: any) => n.target.join(' ')).slice(0, 5) }));
  });
}
