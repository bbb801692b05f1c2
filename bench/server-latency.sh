#!/usr/bin/env bash
# Server latency at scale: seeds (once) a database of $ROWS demo errors, starts the release
# server on loopback, and prints the median of $RUNS timed requests for each list and
# summary query (API 1.1: the summary, the filters by code and object, the search `q`),
# beside its target. A benchmark: it prints figures; it asserts nothing.
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
json() { # url python-expression-on-d
  curl -fs -H "$auth" "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"
}
to=$(json "$api?limit=1" 'd["window"]["to"]')
ago() { date -u -d "$to - $1" +%Y-%m-%dT%H:%M:%SZ; }
deep_cursor() { # walk 500,000 rows deep by offset once, then time the cursor page after it
  json "$api?limit=1000&offset=499000&to=$to" 'd["next_cursor"]'
}
cursor=$(deep_cursor)
# IDs to search for: those of a record-level error that has a Salesforce ID.
read -r error_id marketo_id sf18 < <(json "$api?level=record&limit=50&to=$to" \
  '" ".join(next((e["id"], e["marketo_id"], e["salesforce_id"]) for e in d["items"] if e["salesforce_id"]))')
sf15=${sf18:0:15}
# Ranges whose edges fall inside hours, as a drag across the chart's bars gives them.
range36="from=$(ago '36 hours 17 minutes 23 seconds')&to=$(ago '2 hours 41 minutes 7 seconds')"
range6="from=$(ago '30 hours 9 minutes')&to=$(ago '24 hours 33 minutes')"
# Words of the messages and codes: in about a thousand errors, a fifth of them, and the
# most common word of the demo (in 43 % of the errors).
rare=RenewalScheduler
common=invalid
commonest=field

printf '%-64s %8s %8s\n' "request ($ROWS rows, median of $RUNS, loopback)" "ms" "target"
run() { # label|query|target, against $1 (the list or the summary)
  local base=$1 q label query target
  shift
  for q in "$@"; do
    IFS='|' read -r label query target <<<"$q"
    printf '%-64s %8s %8s\n' "$label" "$(median_ms "$base$query")" "$target"
  done
}
run "$api" \
  "first page (100, newest first)|?limit=100|≤ 20" \
  "filtered: level=job, last 24 h|?level=job&from=$(ago '24 hours')&to=$to|≤ 20" \
  "filtered: level=record, sort=error_code|?level=record&sort=error_code&to=$to|≤ 20" \
  "sort=-level (whole window)|?sort=-level&to=$to|≤ 20" \
  "page 500,000 rows deep by cursor|?cursor=$cursor&to=$to|≤ 20" \
  "page 500,000 rows deep by offset|?offset=500000&to=$to|-" \
  "1,000-row page|?limit=1000&to=$to|-" \
  "filtered: 2 codes|?error_code=UNABLE_TO_LOCK_ROW,DUPLICATE_VALUE&to=$to|-" \
  "filtered: object Lead or none, level=record|?object_type=Lead,-&level=record&to=$to|-" \
  "filtered: a rare code, last 36 h, sort=-failed_at|?error_code=FIELD_INTEGRITY_EXCEPTION&$range36|-"
run "$api/summary" \
  "summary, unfiltered|?to=$to|≤ 50" \
  "summary: level=job|?level=job&to=$to|≤ 50" \
  "summary: 2 codes|?error_code=UNABLE_TO_LOCK_ROW,DUPLICATE_VALUE&to=$to|≤ 50" \
  "summary: objects Lead and none|?object_type=Lead,-&to=$to|≤ 50" \
  "summary: range 36 h, edges mid-hour|?$range36|≤ 50" \
  "summary: level=record, 2 codes, 2 objects, range 36 h|?level=record&error_code=REQUIRED_FIELD_MISSING,FIELD_CUSTOM_VALIDATION_EXCEPTION&object_type=Lead,Contact&$range36|≤ 50" \
  "summary: level=job, a code, no object, range 6 h|?level=job&error_code=INVALID_GRANT&object_type=-&$range6|≤ 50"
for q in \
  "q = an error ID|q=$error_id|≤ 20" \
  "q = a Marketo ID|q=$marketo_id|≤ 20" \
  "q = a Salesforce ID, 18 characters|q=$sf18|≤ 20" \
  "q = a Salesforce ID, 15 characters|q=$sf15|≤ 20" \
  "q = a rare word ($rare)|q=$rare|≤ 300" \
  "q = a common word ($common, $(json "$api?q=$common&limit=1&to=$to" 'd["total"]') errors)|q=$common|≤ 300" \
  "q = the commonest word ($commonest, $(json "$api?q=$commonest&limit=1&to=$to" 'd["total"]') errors)|q=$commonest|≤ 300" \
  "q = 2 letters (no trigrams: every message read)|q=zq|-"; do
  IFS='|' read -r what search target <<<"$q"
  run "$api" "list, $what|?$search&to=$to|$target"
  run "$api/summary" "summary, $what|?$search&to=$to|$target"
done
