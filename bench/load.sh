#!/usr/bin/env bash
# The load test (bench/load.mjs) against the release server with $ROWS demo errors.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
PORT=${BENCH_PORT:-18092}
. bench/serve.sh
serve "$PORT" target/bench/load-server.log
node bench/load.mjs "http://127.0.0.1:$PORT"
