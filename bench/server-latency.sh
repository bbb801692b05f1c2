#!/usr/bin/env bash
# Server latency at scale: seeds (once) a database of $ROWS demo errors, starts the release
# server on loopback, and prints the median of $RUNS timed requests for each list query.
# A benchmark: it prints figures; it asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-9}
PORT=${BENCH_PORT:-18090}
. bench/serve.sh
serve "$PORT" target/bench/server.log
grep -E "seeded|already holds" target/bench/server.log | sed 's/^.*INFO /  /' || true
api="http://127.0.0.1:$PORT/api/v1/sync-errors"
auth="Authorization: Bearer demo-admin-token"
median_ms() { # url
  for _ in $(seq 1 "$RUNS"); do
    curl -fs -o /dev/null -H "$auth" -w '%{time_total}\n' "$1"
  done | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'
}
to=$(curl -fs -H "$auth" "$api?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["window"]["to"])')
deep_cursor() { # walk 500,000 rows deep by offset once, then time the cursor page after it
  curl -fs -H "$auth" "$api?limit=1000&offset=499000&to=$to" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"])'
}
cursor=$(deep_cursor)
printf '%-58s %10s\n' "request ($ROWS rows, median of $RUNS, loopback)" "ms"
for q in \
  "first page (100, newest first)|?limit=100" \
  "filtered: level=job, last 24 h|?level=job&from=$(date -u -d "$to - 24 hours" +%Y-%m-%dT%H:%M:%SZ)&to=$to" \
  "filtered: level=record, sort=error_code|?level=record&sort=error_code&to=$to" \
  "sort=-level (whole window)|?sort=-level&to=$to" \
  "page 500,000 rows deep by cursor|?cursor=$cursor&to=$to" \
  "page 500,000 rows deep by offset|?offset=500000&to=$to" \
  "1,000-row page|?limit=1000&to=$to"; do
  printf '%-58s %10s\n' "${q%%|*}" "$(median_ms "$api${q#*|}")"
done
