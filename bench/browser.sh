#!/usr/bin/env bash
# The browser benchmarks (bench/browser.mjs): the release server with $ROWS demo errors
# serving the release app in dist/, measured in headless Chromium beside plain-JS references.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
PORT=${BENCH_PORT:-18091}
. bench/serve.sh
# The plain-JS references go beside the app, served (and compressed) like it, so that the
# network emulation delays them as it delays the tab.
rm -rf target/bench/dist && mkdir -p target/bench && cp -r dist target/bench/dist
mkdir -p target/bench/dist/bench && cp -r bench/plain target/bench/dist/bench/plain
node scripts/precompress.mjs target/bench/dist/bench >/dev/null
serve "$PORT" target/bench/browser-server.log --dist target/bench/dist
node bench/browser.mjs "http://127.0.0.1:$PORT"
