// `make bench`: the tab against its plain-JavaScript references in headless Chromium
// (Debian's), on the reference server with 1,000,000 demo errors. Each figure is the
// median of RUNS (default 5) runs and is printed beside its reference and target.
// A benchmark: it prints figures and asserts nothing.
//
// "Painted", for a navigation, is the end of the first frame drawn with the rows: a recorder
// installed in every page before its scripts (the same for the tab and the plain pages)
// watches the table body, and when rows arrive it waits for the next animation frame and
// then for a message posted from it, which runs once that frame's style, layout and paint
// are done. (Polling from Playwright instead missed the first frame in about half of the
// tab's runs and added a whole frame of layout, 100-300 ms on 1,000 rows, at random.)
import { chromium } from '@playwright/test';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const base = process.argv[2];
const RUNS = Number(process.env.RUNS ?? 5);
// ONLY=nav,actions,thousand,export runs some sections (all by default).
const want = (section) => !process.env.ONLY || process.env.ONLY.split(',').includes(section);
const here = dirname(fileURLToPath(import.meta.url));
const TOKEN = 'demo-admin-token';
const api = `${base}/api/v1/sync-errors`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0)} ms`;
const fmtRuns = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
function line(name, value, reference, target) {
  console.log(`${name.padEnd(46)} ${value.padStart(12)}   ${reference.padEnd(40)} ${target}`);
}

async function serverMs(url) { // the server's own time for a request, median of RUNS, from Node
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
    await r.arrayBuffer();
    times.push(performance.now() - t);
  }
  return median(times);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'],
});
const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 } });
// The references are served from bench/plain on the server's origin (same cookie, same API).
const servePlain = (route) => {
  const name = new URL(route.request().url()).pathname.split('/').pop();
  const file = name === 'papaparse.min.js'
    ? join(here, '../node_modules/papaparse/papaparse.min.js')
    : join(here, 'plain', name);
  const type = name.endsWith('.html') ? 'text/html' : name.endsWith('.css') ? 'text/css' : 'text/javascript';
  route.fulfill({ body: readFileSync(file), contentType: type });
};
await context.route('**/bench/plain/**', servePlain);
const form = await (await context.request.get(`${base}/signin`)).text();
const signIn = await context.request.post(`${base}/signin`, {
  form: { username: 'admin', password: 'admin', next: '/', csrf: /name="csrf" value="([^"]+)"/.exec(form)?.[1] ?? '' },
  maxRedirects: 0,
});
if (signIn.status() !== 303) throw new Error(`sign-in failed: ${signIn.status()}`);

// (The pages run under the server's CSP, so no code is built from strings in them.)

// The recorder (see the top): for each row count a table body reaches, when the first frame
// drawn with that many rows was done, in ms since the navigation started.
const recorder = () => {
  const painted = (window.__rowsPainted = []);
  const watch = (root) => {
    let waiting = false;
    new MutationObserver(() => {
      if (waiting || !root.querySelector('tbody tr')) return;
      waiting = true;
      requestAnimationFrame(() => {
        const rows = root.querySelectorAll('tbody tr').length;
        const after = new MessageChannel();
        after.port1.onmessage = () => {
          painted.push([rows, performance.now()]);
          waiting = false;
        };
        after.port2.postMessage(0);
      });
    }).observe(root, { childList: true, subtree: true });
  };
  watch(document);
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    watch(root);
    return root;
  };
};
await context.addInitScript(recorder);

/** Navigation start -> the end of the first frame drawn with `n` rows (ms since timeOrigin). */
async function navigateToRows(page, url, n) {
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction((want) => {
    const hit = (window.__rowsPainted ?? []).find(([rows]) => rows >= want);
    return hit ? hit[1] : false;
  }, n, { polling: 20, timeout: 60_000 });
  return handle.jsonValue();
}

/** Scrolls the document for ~2 s, one step per frame; returns the frame intervals. */
async function scrollFrames(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const gaps = [];
    let last = performance.now();
    let steps = 0;
    const step = (now) => {
      gaps.push(now - last);
      last = now;
      window.scrollBy(0, 120);
      if (++steps < 120) requestAnimationFrame(step); else resolve(gaps.slice(1));
    };
    requestAnimationFrame(step);
  }));
}

const page = await context.newPage();
// Warm the HTTP cache and the server once, as an admin's second visit would be.
await navigateToRows(page, `${base}/`, 100);
await navigateToRows(page, `${base}/bench/plain/grid.html?limit=100`, 100);

console.log(`${'figure'.padEnd(46)} ${'tab'.padStart(12)}   ${'reference'.padEnd(40)} target`);

// 0. Bytes on the wire to the first rows, cold cache (a first visit): everything the page
// fetched by then (the page, loader, glue, module, styles, the API's first answers and the
// guidance), as Chromium received it (transferSize, compressed), beside its decoded size.
if (want('wire')) {
  const wire = async (url) => {
    const cold = await browser.newContext({ storageState: await context.storageState() });
    await cold.route('**/bench/plain/**', servePlain);
    const p = await cold.newPage();
    await p.goto(url);
    await p.waitForFunction(() => {
      const host = document.querySelector('sync-errors-tab')?.shadowRoot ?? document;
      return host.querySelectorAll('tbody tr').length >= 100;
    }, null, { timeout: 60_000 });
    await p.waitForTimeout(1500); // the summary and the guidance, fetched beside the rows
    const sizes = await p.evaluate(() => {
      const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
      return entries.map((e) => ({ name: e.name, wire: e.transferSize, raw: e.decodedBodySize }));
    });
    await cold.close();
    return sizes;
  };
  const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
  const sum = (xs, k) => xs.reduce((n, x) => n + x[k], 0);
  const tab = await wire(`${base}/`);
  const plain = await wire(`${base}/bench/plain/grid.html?limit=100`);
  // (The plain page's own files come from the benchmark, uncompressed; its API answers
  // from the server, compressed like the tab's.)
  line('bytes on the wire to first rows (cold)', kb(sum(tab, 'wire')), `plain JS ${kb(sum(plain, 'wire'))}`, '≤ 160 KB');
  console.log(`    tab: ${kb(sum(tab, 'raw'))} decoded; ${tab.map((e) => `${new URL(e.name).pathname.split('/').pop() || '/'} ${kb(e.wire)}`).join(', ')}`);
}

// 0b. The start over a 100 ms round trip (Chromium's network emulation, no bandwidth
// limit), cold cache: a console page that embeds the tab with one script tag (the host
// example), the standalone page, and the plain-JS page, all served by the server.
if (want('rtt')) {
  const over = async (url, warm) => {
    const ctx = await browser.newContext({ storageState: await context.storageState(), viewport: { width: 1280, height: 800 } });
    await ctx.addInitScript(recorder);
    const p = await ctx.newPage();
    const cdp = await ctx.newCDPSession(p);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 100, downloadThroughput: -1, uploadThroughput: -1 });
    if (warm) await navigateToRows(p, url, 100);
    const t = await navigateToRows(p, url, 100);
    await ctx.close();
    return t;
  };
  for (const warm of [false, true]) {
    const host = [], alone = [], plain = [];
    for (let i = 0; i < RUNS; i++) {
      host.push(await over(`${base}/host/`, warm));
      alone.push(await over(`${base}/`, warm));
      plain.push(await over(`${base}/bench/plain/grid.html?limit=100`, warm));
    }
    const [h, a, p] = [median(host), median(alone), median(plain)];
    const cache = warm ? 'warm' : 'cold';
    line(`embedded start, 100 ms RTT, ${cache}`, ms(h), `plain JS ${ms(p)} (tab ${(h / p).toFixed(2)}x)`, '≤ 1.3x plain');
    line(`standalone start, 100 ms RTT, ${cache}`, ms(a), `plain JS ${ms(p)} (tab ${(a / p).toFixed(2)}x)`, '≤ 1.3x plain');
    console.log(`    runs: host ${fmtRuns(host)}; standalone ${fmtRuns(alone)}; plain ${fmtRuns(plain)}`);
  }
}

// 1. navigation -> first page of 100 rows painted.
if (want('nav')) {
  const tab = [], plain = [];
  for (let i = 0; i < RUNS; i++) {
    tab.push(await navigateToRows(page, `${base}/`, 100));
    plain.push(await navigateToRows(page, `${base}/bench/plain/grid.html?limit=100`, 100));
  }
  const [t, p] = [median(tab), median(plain)];
  line('navigation -> 100 rows painted', ms(t), `plain JS ${ms(p)} (tab ${(t / p).toFixed(2)}x)`, '≤ 500 ms and ≤ 2x plain');
  console.log(`    runs: tab ${fmtRuns(tab)}; plain ${fmtRuns(plain)}`);
}

// 2. next page, sort change, filter Apply -> new rows painted, beside the server's time.
if (want('actions')) {
  const results = { next: [], sort: [], apply: [] };
  const urls = { next: null, sort: null, apply: null };
  let action = null;
  page.on('request', (r) => {
    if (action && r.url().startsWith(api)) urls[action] = r.url();
  });
  /** Clicks in the page and waits for the frame in which the new rows are there. */
  const timed = (name) => {
    action = name;
    return page.evaluate((what) => new Promise((resolve, reject) => {
      const root = document.querySelector('sync-errors-tab').shadowRoot;
      const first = () => root.querySelector('tbody tr')?.dataset.id;
      const status = () => root.querySelector('.se-status')?.textContent;
      const busy = () => root.querySelector('[aria-busy="true"]') !== null;
      const before = { first: first(), status: status() };
      const button = {
        next: () => root.querySelector('button[aria-label="Next page"]'),
        sort: () => [...root.querySelectorAll('th button')].find((b) => b.textContent.includes('Error Type')),
        apply: () => [...root.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Apply'),
      }[what]();
      const done = {
        next: () => status() !== before.status && root.querySelectorAll('tbody tr').length === 100,
        sort: () => first() !== before.first,
        apply: () => status() !== before.status && root.querySelectorAll('tbody tr').length > 0,
      }[what];
      const t0 = performance.now();
      button.click();
      const poll = () => {
        if (performance.now() - t0 > 30_000) reject(new Error(`${what}: timed out`));
        else if (!busy() && done()) resolve(performance.now() - t0);
        else requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    }), name);
  };
  for (let i = 0; i < RUNS; i++) {
    await navigateToRows(page, `${base}/`, 100);
    results.next.push(await timed('next'));
    results.sort.push(await timed('sort'));
    // Open the drawer and pick "Job level" untimed; Apply is timed.
    await page.getByRole('button', { name: /^Filter/ }).click();
    await page.getByLabel('Job level').check();
    results.apply.push(await timed('apply'));
    action = null;
  }
  for (const [name, label] of [['next', 'next page'], ['sort', 'sort change (Error Type)'], ['apply', 'filter Apply (Job level)']]) {
    const server = await serverMs(urls[name]);
    line(`${label} -> rows painted`, ms(median(results[name])), `server alone ${server.toFixed(1)} ms`, '≤ 150 ms');
    console.log(`    runs: ${fmtRuns(results[name])}; request ${new URL(urls[name]).search}`);
  }
}

// 3. a 1,000-row page: navigation -> painted, then scrolling.
if (want('thousand')) {
  const tab = [], plain = [], tabFrames = [], plainFrames = [];
  for (let i = 0; i < RUNS; i++) {
    tab.push(await navigateToRows(page, `${base}/?page_size=1000`, 1000));
    tabFrames.push(...await scrollFrames(page));
    plain.push(await navigateToRows(page, `${base}/bench/plain/grid.html?limit=1000`, 1000));
    plainFrames.push(...await scrollFrames(page));
  }
  const [t, p] = [median(tab), median(plain)];
  line('1,000-row page: navigation -> painted', ms(t), `plain JS ${ms(p)} (tab ${(t / p).toFixed(2)}x)`, '≤ 1.3x plain');
  console.log(`    runs: tab ${fmtRuns(tab)}; plain ${fmtRuns(plain)}`);
  const frames = (xs) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return `p95 ${sorted[Math.floor(sorted.length * 0.95)].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms, ` +
      `${xs.filter((x) => x > 50).length} of ${xs.length} over 50 ms`;
  };
  line('1,000-row page: scrolling, frame intervals', '', '', 'no long frames (> 50 ms)');
  console.log(`    tab:   ${frames(tabFrames)}\n    plain: ${frames(plainFrames)}`);
}

// 4. export of ~100,000 rows: the newest 100,000 of the window, by a time range.
if (want('export')) {
  const probe = await (await fetch(`${api}?limit=1&offset=99999`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json();
  const from = probe.items[0].failed_at;
  const to = probe.window.to;
  const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const tab = [], plain = [], papa = [];
  let tabPeak = 0, wasmBytes = 0, plainPeak = 0, rows = '', size = 0, papaBytes = 0;
  const heap = (p) => p.evaluate(() => performance.memory?.usedJSHeapSize ?? 0).catch(() => 0);
  for (let i = 0; i < RUNS; i++) {
    // The tab: a fresh page each run, so each run's peak is its own.
    const p = await context.newPage();
    await navigateToRows(p, `${base}/?${range}`, 100);
    rows = await p.locator('.se-status').textContent();
    let peak = 0;
    const sampler = setInterval(async () => { peak = Math.max(peak, await heap(p)); }, 50);
    let t = performance.now();
    let download = p.waitForEvent('download', { timeout: 300_000 });
    await p.getByRole('button', { name: 'Export' }).click();
    let d = await download;
    tab.push(performance.now() - t);
    clearInterval(sampler);
    size = statSync(await d.path()).size;
    // wasm memory only grows, so its size now is its peak. The glue module, imported again,
    // returns the running instance's exports rather than starting a second one.
    wasmBytes = Math.max(wasmBytes, await p.evaluate(async () => {
      const glue = [...document.querySelectorAll('link[rel=modulepreload]')].map((l) => l.href)
        .concat(performance.getEntriesByType('resource').map((e) => e.name))
        .find((u) => /sync-errors-[0-9a-f]+\.js$/.test(u));
      const { default: init } = await import(glue);
      return (await init()).memory.buffer.byteLength;
    }));
    tabPeak = Math.max(tabPeak, peak);
    await p.close();

    // The reference: same fetches, Papa.unparse, a Blob.
    const q = await context.newPage();
    await q.goto(`${base}/bench/plain/export.html?${range}`);
    peak = 0;
    const sampler2 = setInterval(async () => { peak = Math.max(peak, await heap(q)); }, 50);
    t = performance.now();
    download = q.waitForEvent('download', { timeout: 300_000 });
    await q.click('#export');
    d = await download;
    plain.push(performance.now() - t);
    clearInterval(sampler2);
    plainPeak = Math.max(plainPeak, peak);
    papa.push(await q.evaluate(() => window.papaMs));
    papaBytes = await q.evaluate(() => window.papaBytes);
    await q.close();
  }
  const [t, p] = [median(tab), median(plain)];
  line(`export ${rows.replace(/^Showing 1–\d+ of /, '')} rows: click -> file`, `${(t / 1000).toFixed(2)} s`,
    `plain JS + Papa.unparse ${(p / 1000).toFixed(2)} s`, 'faster than the reference');
  console.log(`    runs: tab ${fmtRuns(tab)} ms; reference ${fmtRuns(plain)} ms; file ${(size / 1e6).toFixed(1)} MB`);
  const papaMs = median(papa);
  line('  Papa.unparse alone, same rows', `${(papaBytes / 1e6 / (papaMs / 1000)).toFixed(0)} MB/s`,
    `${ms(papaMs)} for ${(papaBytes / 1e6).toFixed(1)} MB`, '(the CSV writer: see above)');
  const mb = (b) => `${(b / 1e6).toFixed(0)} MB`;
  line('  export peak memory: JS heap + wasm memory', mb(tabPeak + wasmBytes),
    `JS heap ${mb(tabPeak)} + wasm ${mb(wasmBytes)}; reference heap ${mb(plainPeak)}`, '≤ 200 MB');
}
await browser.close();
