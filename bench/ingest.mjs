// `make bench`: ingestion at scale, against a running server (URL as the argument).
// - rate: BATCHES batches of 1,000 new errors (default 100: three of the text index's merge
//   cycles of 32 batches), posted one after the other as fast as the server answers, after
//   WARMUP (default 5) that are not counted (a server that has just opened its store reads
//   its pages from disk for the first batches); prints errors/s and each batch's latency.
//   Twice:
//   - as an engine reports them: each batch holds the errors that failed since the one
//     before, so times rise from batch to batch and each batch's are recent (the figure
//     against the target);
//   - spread: each batch's errors fail anywhere in the last hour, so every time index takes
//     them at a thousand places (the worst case for the store, printed beside it).
// - mixed: READERS clients (default 50) page through the list by cursor for MIXED_SECONDS
//   (default 30) while an engine posts 1,000 errors/s (a batch of 100 every 100 ms, as an
//   engine reports them); prints the readers' latency percentiles, every failed answer, and
//   whether the list's total grew by exactly what was accepted (nothing lost).
// A benchmark: it prints figures; it asserts nothing.
const base = process.argv[2];
const BATCHES = Number(process.env.BATCHES ?? 100);
const WARMUP = Number(process.env.WARMUP ?? 5);
const READERS = Number(process.env.READERS ?? 50);
const SECONDS = Number(process.env.MIXED_SECONDS ?? 30);
const api = `${base}/api/v1/sync-errors`;
const read = { Authorization: 'Bearer demo-admin-token' };
const write = { Authorization: 'Bearer demo-ingest-token', 'Content-Type': 'application/json' };
const run = `bench-${Date.now().toString(36)}`;

const codes = ['REQUIRED_FIELD_MISSING', 'DUPLICATE_VALUE', 'UNABLE_TO_LOCK_ROW', 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'INVALID_EMAIL_ADDRESS'];
const objects = ['Lead', 'Contact', 'Account', 'Opportunity', null];
let made = 0;
/** `n` new errors, unique to this run, each failing at `at(i)` (i counts every error made). */
function errors(n, at) {
  return Array.from({ length: n }, () => {
    const i = made++;
    const record = i % 10 !== 0;
    return {
      id: `${run}-${i}`,
      level: record ? 'record' : 'job',
      failed_at: new Date(at(i)).toISOString(),
      error_code: codes[i % codes.length],
      message: `Bench error ${i}: the value of field Email__c on ${objects[i % objects.length] ?? 'the job'} was refused (${run}).`,
      object_type: record ? objects[i % objects.length] : null,
      operation: record ? 'update' : null,
      marketo_id: record ? String(1_000_000 + i) : null,
      salesforce_id: record ? `00Q${String(i).padStart(15, '0')}` : null,
      fields: record ? ['Email__c'] : [],
    };
  });
}

/** A request body of `items`, as an engine sends it. */
const batch = (items) => JSON.stringify({ items });

async function post(payload) {
  const started = performance.now();
  const res = await fetch(api, { method: 'POST', headers: write, body: payload });
  const body = await res.json().catch(() => null);
  return { status: res.status, body, ms: performance.now() - started };
}

const total = async () => (await (await fetch(`${api}?limit=1`, { headers: read })).json()).total;
const now = async () => Date.parse((await (await fetch(`${api}?limit=1`, { headers: read })).json()).window.to);
const pct = (xs, q) => xs[Math.min(xs.length - 1, Math.floor(xs.length * q))].toFixed(1);

/** Posts BATCHES batches of 1,000 one after the other; prints the rate. The bodies are made
 * before the clock starts: making them is the engine's work (about 2 ms a batch here), not
 * the server's. */
async function rate(label, at) {
  for (let b = 0; b < WARMUP; b++) await post(batch(errors(1000, at)));
  const bodies = Array.from({ length: BATCHES }, () => batch(errors(1000, at)));
  const before = await total();
  const lat = [];
  let accepted = 0;
  const failed = [];
  const started = performance.now();
  for (const body of bodies) {
    const r = await post(body);
    lat.push(r.ms);
    if (r.status === 200) accepted += r.body.accepted;
    else failed.push(r.status);
  }
  const s = (performance.now() - started) / 1000;
  lat.sort((a, b) => a - b);
  const after = await total();
  console.log(`ingest, ${label}: ${BATCHES} batches of 1,000 (after ${WARMUP} not counted) into ${before.toLocaleString('en-US')} errors: ${(accepted / s).toFixed(0)} errors/s ` +
    `(batch p50 ${pct(lat, 0.5)} ms, p99 ${pct(lat, 0.99)} ms); failed batches: ${failed.length ? failed.join(', ') : 'none'}; ` +
    `total grew by ${(after - before).toLocaleString('en-US')} for ${accepted.toLocaleString('en-US')} accepted`);
}

// As an engine reports them: the run's errors fail 1 ms apart, the last one now.
{
  const end = await now();
  const first = made;
  await rate('as an engine reports them (times rising)', (i) => end - (first + (WARMUP + BATCHES) * 1000 - i));
}
// Spread over the last hour.
{
  const end = await now();
  await rate('spread over the last hour (worst case)', (i) => end - (i * 7919) % 3_600_000);
}

// mixed
{
  const before = await total();
  const deadline = performance.now() + SECONDS * 1000;
  const lat = [];
  const failures = new Map();
  const fail = (k) => failures.set(k, (failures.get(k) ?? 0) + 1);
  let accepted = 0;
  let batches = 0;
  // On schedule whatever the answers' pace (a slow answer does not delay the next batch).
  const sent = [];
  const start = await now();
  const began = performance.now();
  const engine = (async () => {
    for (let tick = 0; performance.now() < deadline; tick++) {
      const due = deadline - SECONDS * 1000 + tick * 100;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sent.push(post(batch(errors(100, () => start - 1000 + (performance.now() - began)))).then((r) => {
        batches++;
        if (r.status === 200) accepted += r.body.accepted;
        else fail(`ingest ${r.status}`);
      }, (e) => fail(`ingest ${e.cause?.code ?? e.message}`)));
    }
    await Promise.all(sent);
  })();
  const reader = async (n) => {
    // A cursor pages the query that gave it: the same filters go with it.
    const query = `${api}?limit=100${n % 2 ? '&level=record' : ''}`;
    let cursor = null;
    for (let i = n; performance.now() < deadline; i++) {
      const url = cursor ? `${query}&cursor=${encodeURIComponent(cursor)}` : query;
      const started = performance.now();
      try {
        const res = await fetch(url, { headers: read });
        const page = await res.json();
        if (res.status !== 200) { fail(`read ${res.status}`); cursor = null; }
        else cursor = i % 20 === 0 ? null : page.next_cursor;
      } catch (e) {
        fail(`read ${e.cause?.code ?? e.message}`);
        cursor = null;
      }
      lat.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all([engine, ...Array.from({ length: READERS }, (_, n) => reader(n))]);
  const s = (performance.now() - started) / 1000;
  lat.sort((a, b) => a - b);
  const after = await total();
  console.log(`mixed: ${READERS} readers paging by cursor for ${s.toFixed(1)} s while an engine ingests 1,000 errors/s: ` +
    `${lat.length} reads (${(lat.length / s).toFixed(0)}/s), read ms p50 ${pct(lat, 0.5)}, p95 ${pct(lat, 0.95)}, p99 ${pct(lat, 0.99)}, max ${lat.at(-1).toFixed(1)}`);
  console.log(`  ingested: ${batches} batches, ${accepted.toLocaleString('en-US')} accepted (${(accepted / s).toFixed(0)}/s); ` +
    `failures: ${failures.size === 0 ? 'none' : [...failures].map(([k, v]) => `${k} × ${v}`).join(', ')}; ` +
    `nothing lost: ${after - before === accepted ? 'yes' : `NO, the total grew by ${after - before}`}`);
}
