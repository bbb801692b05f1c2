// `make bench`: the mixed load. CLIENTS readers (default 50) page through the list, each
// walking forward by cursor, while a sync engine ingests RATE errors a second (default
// 1,000, one batch a second) for LOAD_SECONDS (default 30). Prints the readers' latency
// percentiles, every failed request, and whether every accepted error is there at the end
// (counted by their own error code, made for this run).
// A benchmark: it prints figures; it asserts nothing.
const base = process.argv[2];
const CLIENTS = Number(process.env.CLIENTS ?? 50);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const RATE = Number(process.env.RATE ?? 1000);
const admin = { Authorization: 'Bearer demo-admin-token' };
const engine = { Authorization: 'Bearer demo-ingest-token', 'Content-Type': 'application/json' };
const api = `${base}/api/v1/sync-errors`;
const code = `LOAD_TEST_${Date.now()}`;

const latencies = [];
const failures = new Map();
const fail = (k) => failures.set(k, (failures.get(k) ?? 0) + 1);
const deadline = performance.now() + SECONDS * 1000;

async function reader(n) {
  let cursor = null;
  const sorts = ['-failed_at', 'error_code', '-level'];
  while (performance.now() < deadline) {
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}&sort=${sorts[n % 3]}` : `?sort=${sorts[n % 3]}`;
    const started = performance.now();
    try {
      const res = await fetch(api + query, { headers: admin });
      if (res.status === 200) {
        const page = await res.json();
        cursor = page.next_cursor;
      } else {
        await res.arrayBuffer();
        fail(`GET ${res.status}`);
        cursor = null;
      }
    } catch (e) {
      fail(e.cause?.code ?? e.message);
      cursor = null;
    }
    latencies.push(performance.now() - started);
  }
}

let accepted = 0;
let sent = 0;
async function sync_engine() {
  for (let second = 0; performance.now() < deadline; second++) {
    const tick = performance.now();
    const now = new Date().toISOString();
    const items = Array.from({ length: RATE }, (_, i) => ({
      id: `${code}-${second}-${i}`, level: i % 5 ? 'record' : 'job', failed_at: now,
      error_code: code, message: `Mixed load ${second}/${i}: unable to obtain exclusive access`,
      object_type: 'Lead', operation: 'Push updates', marketo_id: String(i), salesforce_id: null,
      fields: [],
    }));
    sent += items.length;
    try {
      const res = await fetch(api, { method: 'POST', headers: engine, body: JSON.stringify({ items }) });
      if (res.status === 200) accepted += (await res.json()).accepted;
      else { await res.arrayBuffer(); fail(`POST ${res.status}`); }
    } catch (e) {
      fail(`POST ${e.cause?.code ?? e.message}`);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - tick))));
  }
}

const started = performance.now();
await Promise.all([sync_engine(), ...Array.from({ length: CLIENTS }, (_, n) => reader(n))]);
const elapsed = (performance.now() - started) / 1000;
const stored = (await (await fetch(`${api}/summary?error_code=${code}`, { headers: admin })).json()).total;
latencies.sort((a, b) => a - b);
const p = (q) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))].toFixed(1);
console.log(`${CLIENTS} readers paging for ${elapsed.toFixed(1)} s while an engine ingests ${RATE}/s: ` +
  `${latencies.length} reads, ${(latencies.length / elapsed).toFixed(0)} per second`);
console.log(`  read latency ms: p50 ${p(0.5)}, p95 ${p(0.95)}, p99 ${p(0.99)}, max ${latencies[latencies.length - 1].toFixed(1)}`);
console.log(`  ingested: ${sent} sent (${(sent / elapsed).toFixed(0)}/s: the engine waits for each answer), ` +
  `${accepted} accepted, ${stored} stored ` +
  `(${stored === accepted ? 'nothing lost' : 'MISMATCH'})`);
console.log(`  errors: ${failures.size === 0 ? 'none' : [...failures].map(([k, v]) => `${k} × ${v}`).join(', ')}`);
