#!/usr/bin/env bash
# Export benchmark: a release server with $ROWS demo errors, the release app, headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-100000}
PORT=${BENCH_PORT:-18091}
DB=target/bench/errors-$ROWS.db
mkdir -p target/bench
target/release/sync-errors-server --port "$PORT" --db "$DB" --demo-rows "$ROWS" --dist dist >target/bench/export-server.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$PORT/signin" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat target/bench/export-server.log; exit 1; }
  sleep 0.5
done
node bench/export.mjs "http://127.0.0.1:$PORT"
