// `make bench`: a bounded load test on loopback. CLIENTS concurrent clients (default 50)
// ask the list endpoint for LOAD_SECONDS (default 30), each request one of the tab's usual
// queries; prints throughput, latency percentiles and every non-200 answer.
// A benchmark: it prints figures; it asserts nothing.
const base = process.argv[2];
const CLIENTS = Number(process.env.CLIENTS ?? 50);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const headers = { Authorization: 'Bearer demo-admin-token' };
const api = `${base}/api/v1/sync-errors`;

const first = await (await fetch(`${api}?limit=1000`, { headers })).json();
const to = encodeURIComponent(first.window.to);
const from24h = encodeURIComponent(new Date(Date.parse(first.window.to) - 86_400_000).toISOString());
const queries = [
  `?to=${to}`,
  `?level=job&from=${from24h}&to=${to}`,
  `?level=record&sort=error_code&to=${to}`,
  `?sort=-level&to=${to}`,
  `?cursor=${encodeURIComponent(first.next_cursor)}&to=${to}`,
  `?limit=25&sort=failed_at&to=${to}`,
];

const latencies = [];
const failures = new Map();
const deadline = performance.now() + SECONDS * 1000;
async function client(n) {
  for (let i = n; performance.now() < deadline; i++) {
    const started = performance.now();
    try {
      const res = await fetch(api + queries[i % queries.length], { headers });
      await res.arrayBuffer();
      if (res.status !== 200) failures.set(res.status, (failures.get(res.status) ?? 0) + 1);
    } catch (e) {
      failures.set(e.cause?.code ?? e.message, (failures.get(e.cause?.code ?? e.message) ?? 0) + 1);
    }
    latencies.push(performance.now() - started);
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const p = (q) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))].toFixed(1);
console.log(`${CLIENTS} clients for ${elapsed.toFixed(1)} s, list endpoint, ${queries.length} kinds of query: ` +
  `${latencies.length} requests, ${(latencies.length / elapsed).toFixed(0)} per second`);
console.log(`  latency ms: p50 ${p(0.5)}, p95 ${p(0.95)}, p99 ${p(0.99)}, max ${latencies[latencies.length - 1].toFixed(1)}`);
console.log(`  errors: ${failures.size === 0 ? 'none' : [...failures].map(([k, v]) => `${k} × ${v}`).join(', ')}`);
