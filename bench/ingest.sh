#!/usr/bin/env bash
# Ingestion at scale (bench/ingest.mjs): the release server on a copy of the $ROWS-error
# bench store (the copy grows; the cached store stays as it was).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
PORT=${BENCH_PORT:-18094}
. bench/serve.sh
if [ -n "${BENCH_DB:-}" ]; then
  # PostgreSQL (bench/postgres.sh): BENCH_DB is already a copy of its bench database.
  serve "$PORT" target/bench/ingest-server.log
  node bench/ingest.mjs "http://127.0.0.1:$PORT"
  exit 0
fi
# Seed the cached store if missing (the server does it on first start), then copy it.
if [ ! -f "target/bench/errors-$ROWS.db" ]; then
  (serve "$PORT" target/bench/ingest-server.log; kill $server_pid; wait $server_pid 2>/dev/null || true)
fi
rm -f target/bench/ingest-$ROWS.db*
cp "target/bench/errors-$ROWS.db" "target/bench/ingest-$ROWS.db"
for suffix in -wal -shm; do
  [ -f "target/bench/errors-$ROWS.db$suffix" ] && cp "target/bench/errors-$ROWS.db$suffix" "target/bench/ingest-$ROWS.db$suffix"
done
target/release/sync-errors-server --port "$PORT" --db "target/bench/ingest-$ROWS.db" \
  --demo-rows "$ROWS" >target/bench/ingest-server.log 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null || true; rm -f target/bench/ingest-$ROWS.db*' EXIT
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$PORT/signin" >/dev/null 2>&1 && break
  kill -0 $server_pid 2>/dev/null || { cat target/bench/ingest-server.log; exit 1; }
  sleep 0.5
done
node bench/ingest.mjs "http://127.0.0.1:$PORT"
