# Sourced by the bench scripts: starts the release server on loopback with $ROWS demo errors
# (seeded once into target/bench, or into $BENCH_DB: a PostgreSQL URL), stops it on exit.
# Usage: serve PORT LOG [server flags…]
serve() {
  local port=$1 log=$2
  shift 2
  mkdir -p target/bench
  target/release/sync-errors-server --port "$port" --db "${BENCH_DB:-target/bench/errors-$ROWS.db}" \
    --demo-rows "$ROWS" "$@" >"$log" 2>&1 &
  server_pid=$!
  trap 'kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$port/signin" >/dev/null 2>&1 && return 0
    kill -0 $server_pid 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.5
  done
  echo "the server did not start: see $log" >&2
  exit 1
}
