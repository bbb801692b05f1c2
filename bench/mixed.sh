#!/usr/bin/env bash
# The mixed load (bench/mixed.mjs): 50 readers paging while an engine ingests 1,000 errors/s,
# against the release server with $ROWS demo errors: on a copy of the SQLite bench database
# (or of the database $BENCH_DB names, made by bench/postgres.sh), so the errors it adds never
# make the next `make bench` seed again.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
PORT=${BENCH_PORT:-18095}
if [ -z "${BENCH_DB:-}" ]; then
  mkdir -p target/bench
  copy=target/bench/mixed-$ROWS.db
  rm -f "$copy" "$copy-wal" "$copy-shm"
  if [ -f "target/bench/errors-$ROWS.db" ]; then
    cp "target/bench/errors-$ROWS.db" "$copy"
  fi
  export BENCH_DB=$copy
fi
. bench/serve.sh
serve "$PORT" target/bench/mixed-server.log
node bench/mixed.mjs "http://127.0.0.1:$PORT"
kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
[ -z "${copy:-}" ] || rm -f "$copy" "$copy-wal" "$copy-shm"
