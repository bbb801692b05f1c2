// Writes a brotli (quality 11) and a gzip (level 9) copy beside every compressible file of
// a built dist/ folder: `x.wasm` -> `x.wasm.br`, `x.wasm.gz`. Run by the Trunk post-build
// hook, once per build, so that the reference server (or a console's own server) sends
// them as they are, without compressing on each request. Small files are left alone.
// Usage: node scripts/precompress.mjs <dir>
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const COMPRESSIBLE = /\.(wasm|js|mjs|css|html|json|svg|ico|txt)$/;
const MIN_BYTES = 512;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (COMPRESSIBLE.test(name)) yield path;
  }
}

const dir = process.argv[2] ?? '.';
let raw = 0, br = 0, count = 0;
for (const path of files(dir)) {
  const bytes = readFileSync(path);
  if (bytes.length < MIN_BYTES) continue;
  const b = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  writeFileSync(`${path}.br`, b);
  writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
  raw += bytes.length; br += b.length; count += 1;
}
console.log(`precompressed ${count} files: ${(raw / 1000).toFixed(1)} KB -> ${(br / 1000).toFixed(1)} KB brotli`);
