// `make bench`: transfer sizes (gzip -9 and brotli q11) of the tab's module and its
// references, and the size budget. Usage: node bench/sizes.mjs <dist> <leptos-minimal dist> <ag-grid bundle>
// Exits 1 when the tab is over budget; prints figures otherwise.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const BUDGET_GZIP = 300_000;
const AIM_BROTLI = 150_000;
const [dist, minimal, aggrid] = process.argv.slice(2);

function measure(files) {
  let raw = 0, gz = 0, br = 0;
  for (const f of files) {
    const b = readFileSync(f);
    raw += b.length;
    gz += gzipSync(b, { level: 9 }).length;
    br += brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return { raw, gz, br };
}
// The module's files: the .wasm and .js at the top of a Trunk dist, and its JS snippets
// (not dist/host/, the embedding example).
const moduleFiles = (dir) => readdirSync(dir, { recursive: true })
  .filter((f) => /\.(wasm|js)$/.test(f) && (!f.includes('/') || f.startsWith('snippets/')))
  .map((f) => join(dir, f));

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const row = (name, m, note = '') =>
  console.log(`${name.padEnd(44)} ${kb(m.raw).padStart(10)} ${kb(m.gz).padStart(10)} ${kb(m.br).padStart(10)}  ${note}`);

console.log(`${'module (wasm + JS)'.padEnd(44)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)} ${'brotli'.padStart(10)}`);
const tab = measure(moduleFiles(dist));
row('Sync Errors tab', tab, `target ≤ ${kb(BUDGET_GZIP)} gzip, aim ≤ ${kb(AIM_BROTLI)} brotli`);
row('  reference: minimal Leptos app, same deps', measure(moduleFiles(minimal)));
row('  reference: React 19 + AG Grid Community', measure([aggrid]));
const within = tab.gz <= BUDGET_GZIP;
console.log(`budget: ${kb(tab.gz)} gzip of ${kb(BUDGET_GZIP)}: ${within ? 'within' : 'OVER BUDGET'}; ` +
  `brotli ${kb(tab.br)} against the aim of ${kb(AIM_BROTLI)}: ${tab.br <= AIM_BROTLI ? 'met' : `missed by ${kb(tab.br - AIM_BROTLI)}`}`);
if (!within) process.exit(1);
