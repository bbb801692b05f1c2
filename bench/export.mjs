// `make bench`: export of 100,000 rows in headless Chromium (Debian's), click -> file ready,
// median of 5 runs, with the JS heap's peak (sampled every 100 ms). Prints figures; asserts nothing.
import { chromium } from '@playwright/test';

const base = process.argv[2];
const runs = Number(process.env.RUNS ?? 5);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'],
});
const context = await browser.newContext({ acceptDownloads: true });
const page = await context.newPage();
const signIn = await page.request.post(`${base}/signin`, { form: { username: 'admin', password: 'admin', next: '/' }, maxRedirects: 0 });
if (signIn.status() !== 303) throw new Error(`sign-in failed: ${signIn.status()}`);
await page.goto(`${base}/`);
await page.locator('tbody tr').first().waitFor();
const total = await page.locator('.se-status').textContent();
const times = [];
let size = 0;
let peakMb = 0;
for (let i = 0; i < runs; i++) {
  const sampler = setInterval(async () => {
    const mb = await page.evaluate(() => (performance.memory?.usedJSHeapSize ?? 0) / 1e6).catch(() => 0);
    peakMb = Math.max(peakMb, mb);
  }, 100);
  const started = performance.now();
  const download = page.waitForEvent('download', { timeout: 300_000 });
  await page.getByRole('button', { name: 'Export' }).click();
  const d = await download;
  times.push(performance.now() - started);
  clearInterval(sampler);
  size = (await import('node:fs')).statSync(await d.path()).size;
  await page.getByRole('button', { name: 'Dismiss' }).click();
}
times.sort((a, b) => a - b);
console.log(`Export ${total?.replace('Showing ', '')}: click -> file ready, median of ${runs}: ${(times[Math.floor(runs / 2)] / 1000).toFixed(2)} s ` +
  `(runs: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s), file ${(size / 1e6).toFixed(1)} MB, JS heap peak ${peakMb.toFixed(0)} MB`);
await browser.close();
