// Hostile data and a strict Content-Security-Policy: whatever Salesforce sends, and whatever
// the address holds, is text. Nothing from the data runs or becomes an element.
import * as fs from 'node:fs';
import { Page } from '@playwright/test';
import { test, expect, signIn, parseCsv } from './fixtures';

/** Each payload calls window.__xss(tag) if it ever runs. */
const PAYLOADS = [
  '<script>window.__xss("script")</script>',
  '<img src=x onerror="window.__xss(\'img\')">',
  '"><svg onload="window.__xss(\'svg\')"><circle r=9>',
  "javascript:window.__xss('js-url')",
  '<a href="javascript:window.__xss(\'a\')">click me</a>',
  '<iframe srcdoc="<script>parent.__xss(\'iframe\')</script>"></iframe>',
  '<b onmouseover=window.__xss("b")>broken <i',
  '</td></tr></tbody></table><div id="injected">out of the table</div>',
  "'; window.__xss('quote'); '",
  '<style>*{display:none!important}</style>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss("mxss")>',
  '{{constructor.constructor("window.__xss(\'template\')")()}}',
  '\u202Egnp.exe\u202C \u200F\u2066mixed \u05E9\u05DC\u05D5\u05DD',
  '=HYPERLINK("http://evil.example","x")',
  '+cmd|\' /C calc\'!A0',
  '@SUM(1+1)*cmd|\' /C calc\'!A0',
  '-2+3',
  '\tTAB=1',
  'line one\r\nline two, "quoted"',
  `<img src=x onerror=window.__xss("long")>${'A'.repeat(20_000)}`,
];

const ids = PAYLOADS.map((p, i) => `xss_${i}_${p.slice(0, 40)}`);

function hostileItem(p: string, i: number, failedAt: string) {
  return {
    id: ids[i],
    level: i % 2 ? 'job' : 'record',
    failed_at: failedAt,
    error_code: p.slice(0, 200),
    message: p,
    object_type: p,
    operation: p,
    marketo_id: p,
    salesforce_id: i === 3 ? "javascript:window.__xss('sfid')" : p,
    fields: [p, `${p} (2)`],
  };
}

/** The list and the single-error endpoints answer with hostile errors (the real window). */
async function serveHostileErrors(page: Page) {
  let items: ReturnType<typeof hostileItem>[] = [];
  await page.route(/\/api\/v1\/sync-errors(\?|$)/, async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    const t = Date.parse(json.window.to);
    items = PAYLOADS.map((p, i) => hostileItem(p, i, new Date(t - (i + 1) * 60_000).toISOString()));
    await route.fulfill({ response, json: { ...json, total: items.length, next_cursor: null, items } });
  });
  await page.route(/\/api\/v1\/sync-errors\/[^?]+/, async (route) => {
    const id = decodeURIComponent(new URL(route.request().url()).pathname.split('/').pop()!);
    const found = items.find((e) => e.id === id);
    await route.fulfill(found ? { json: found } : { status: 404, json: { error: { code: 'not_found', message: 'no' } } });
  });
}

async function trapScripts(page: Page) {
  await page.addInitScript(() => {
    (window as any).__ran = [];
    (window as any).__xss = (tag: string) => (window as any).__ran.push(tag);
    window.alert = (m?: unknown) => (window as any).__ran.push(`alert ${m}`);
  });
}

/** No element, attribute or URL that the data could have made, in the tab's shadow root. */
async function expectNoInjectedMarkup(page: Page) {
  const found = await page.evaluate(() => {
    const root = document.querySelector('sync-errors-tab')!.shadowRoot!;
    const all = [...root.querySelectorAll('*')];
    return {
      tags: all.map((e) => e.localName)
        .filter((t) => ['script', 'img', 'iframe', 'style', 'object', 'embed', 'math', 'b', 'i', 'circle', 'mglyph'].includes(t)),
      foreignSvg: all.filter((e) => e.localName === 'svg' && !e.classList.contains('se-icon') && !e.classList.contains('se-chart__svg')).length,
      handlers: all.flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on')),
      scriptUrls: all.flatMap((e) => [...e.attributes]).filter((a) => /^\s*javascript:/i.test(a.value)).map((a) => a.value),
      injected: root.querySelector('#injected') !== null || document.querySelector('#injected') !== null,
      ran: (window as any).__ran,
    };
  });
  expect(found).toEqual({ tags: [], foreignSvg: 0, handlers: [], scriptUrls: [], injected: false, ran: [] });
}

test('hostile strings in every field stay text: grid, detail dialog and CSV', async ({ page }) => {
  test.setTimeout(120_000); // eight dialogs, an export and a DOM walk after each
  await trapScripts(page);
  await serveHostileErrors(page);
  await signIn(page, 'admin');
  await page.goto('/');
  const rows = page.locator('tbody tr');
  await expect(rows).toHaveCount(PAYLOADS.length);
  // The grid shows each message verbatim, as text.
  const messages = await page.locator('tbody .se-message').allTextContents();
  expect(messages).toEqual(PAYLOADS);
  await rows.nth(6).hover(); // the onmouseover payload's row
  await expectNoInjectedMarkup(page);

  // The detail dialog of each kind of payload, with mouse and keyboard.
  for (const i of [0, 1, 2, 3, 4, 10, 12, 19]) {
    await rows.nth(i).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.locator('dd').filter({ hasText: PAYLOADS[i].slice(0, 30) }).first()).toBeVisible();
    await expectNoInjectedMarkup(page);
    const hrefs = await dialog.locator('a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    for (const href of hrefs) expect(href).toMatch(/^https:\/\//);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  }
  // `?error=` with a hostile id opens that error's dialog and nothing else.
  await page.goto(`/?error=${encodeURIComponent(ids[1])}`);
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectNoInjectedMarkup(page);
  await page.keyboard.press('Escape');

  // The CSV holds every payload as one field, formulas neutralised, nothing lost.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const bytes = fs.readFileSync((await (await download).path())!);
  const records = parseCsv(bytes.subarray(3).toString('utf8'));
  expect(records).toHaveLength(PAYLOADS.length + 1);
  const neutral = (p: string) => (/^[=+\-@\t\r]/.test(p) ? `'${p}` : p);
  expect(records.slice(1).map((r) => r[5])).toEqual(PAYLOADS.map(neutral)); // Error Details
  expect(records.slice(1).map((r) => r[8])).toEqual(PAYLOADS.map(neutral)); // Marketo ID
  await expectNoInjectedMarkup(page);
});

test('hostile filters in the address are refused as text, and the chips stay clean', async ({ page }) => {
  await trapScripts(page);
  await signIn(page, 'admin');
  const hostile = '<img src=x onerror=window.__xss("query")>';
  await page.goto(`/?level=${encodeURIComponent(hostile)}&sort=${encodeURIComponent('"><svg onload=window.__xss(1)>')}` +
    `&from=${encodeURIComponent('javascript:window.__xss(2)')}&error=${encodeURIComponent('<script>window.__xss(3)</script>')}`);
  await expect(page.getByRole('alert').first()).toBeVisible();
  await expectNoInjectedMarkup(page);
  // A valid view after that works, with its chips.
  await page.goto('/?level=job');
  await expect(page.locator('.se-chip')).toContainText('Job level');
  await expectNoInjectedMarkup(page);
});

test('the server sends a strict CSP, and the page obeys it', async ({ page, pageErrors }) => {
  await signIn(page, 'admin');
  const response = await page.goto('/');
  const csp = response!.headers()['content-security-policy'];
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain("'unsafe-eval'");
  expect(response!.headers()['x-content-type-options']).toBe('nosniff');
  expect(response!.headers()['referrer-policy']).toBe('same-origin');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  // The tab runs under it (its module compiled, its styles applied); an injected inline
  // script and inline style do not, and the suite sees the violations.
  const injected = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true';
    document.body.append(s);
    const el = document.createElement('p');
    el.setAttribute('style', 'color: rgb(1, 2, 3)');
    document.body.append(el);
    return { ran: (window as any).__inline === true, styled: getComputedStyle(el).color === 'rgb(1, 2, 3)' };
  });
  expect(injected).toEqual({ ran: false, styled: false });
  await expect.poll(() => pageErrors.filter((e) => e.includes('CSP violation')).length).toBeGreaterThanOrEqual(2);
  pageErrors.length = 0; // expected here: the fixture fails on any other violation
});
