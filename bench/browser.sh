#!/usr/bin/env bash
# The browser benchmarks (bench/browser.mjs): the release server with $ROWS demo errors
# serving the release app in dist/, measured in headless Chromium beside plain-JS references.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
PORT=${BENCH_PORT:-18091}
. bench/serve.sh
serve "$PORT" target/bench/browser-server.log --dist dist
node bench/browser.mjs "http://127.0.0.1:$PORT"
