#!/usr/bin/env bash
# Contract test: schemathesis checks the reference server against crates/api/openapi.yaml
# with every check it has. `make test-contract` builds the server first; this script
#   1. installs schemathesis (one pinned version) into target/venv-schemathesis, unless there;
#   2. starts target/release/sync-errors-server on a free port with a throwaway database
#      holding a little demo data, and always stops it;
#   3. runs schemathesis, seeded and bounded, prints a summary per check, and exits
#      non-zero when schemathesis finds a failure.
# Settings (auth, hooks): scripts/contract-test.toml. Knobs: CONTRACT_SEED, CONTRACT_MAX_EXAMPLES,
# CONTRACT_DB (the store: a PostgreSQL URL, as make test-pg gives; a throwaway SQLite file by default).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
VENV=target/venv-schemathesis
SERVER=target/release/sync-errors-server
SPEC=crates/api/openapi.yaml
# A fixed seed makes every run send the same requests: a failure is one to reproduce.
SEED=${CONTRACT_SEED:-1128}
# Test cases per operation and phase: about 15 s of testing on 2 cores.
MAX_EXAMPLES=${CONTRACT_MAX_EXAMPLES:-100}
# A hard stop, so that a hang cannot hold up `make test`.
TIME_LIMIT=120
DEMO_ROWS=300
# A fixed clock makes the demo data and the retention window the same on every run.
NOW=2026-11-28T10:15:00Z
TOKEN=demo-admin-token

# The hooks file is loaded from scripts/: no __pycache__ beside it.
export PYTHONDONTWRITEBYTECODE=1

log() { printf '\033[1;34m[contract]\033[0m %s\n' "$*"; }
started=$SECONDS

# --- 1. schemathesis in its own venv (never the system Python), one exact version.
installed=$("$VENV/bin/python" -c \
  'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null || true)
if [ "$installed" = "$SCHEMATHESIS_VERSION" ]; then
  log "schemathesis $SCHEMATHESIS_VERSION already in $VENV"
else
  log "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "schemathesis==$SCHEMATHESIS_VERSION"
fi

# --- 2. the server, on a free port, with its own database.
[ -x "$SERVER" ] || { echo "$SERVER is missing: run make server" >&2; exit 1; }
work=$(mktemp -d)
# The server's log and schemathesis' report stay after the run, for a look at a failure.
out=target/contract-test
mkdir -p "$out"
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
# The kernel picks a free port; nothing else on a test machine takes it in the moment
# before the server binds it.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$SERVER" --addr 127.0.0.1 --port "$port" --db "${CONTRACT_DB:-$work/contract.db}" --demo-rows "$DEMO_ROWS" \
  --now "$NOW" --auth config/demo-auth.json >"$out/server.log" 2>&1 &
server_pid=$!
# The spec's `servers` is /api: paths are /v1/..., so the base URL ends in /api.
base="http://127.0.0.1:$port/api"
ready() { curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "$base/v1/sync-errors?limit=1"; }
for _ in $(seq 100); do
  ready && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if ! ready; then
  echo "the server does not answer on $base:" >&2; cat "$out/server.log" >&2; exit 1
fi
log "server up at $base ($DEMO_ROWS demo errors, clock fixed at $NOW)"

# --- 3. schemathesis, every check (max_response_time included, at its 10 s default).
# One worker: the same seed then gives the same requests in the same order.
report=$out/events.ndjson
rm -f "$report"
cmd=("$VENV/bin/st" --config-file scripts/contract-test.toml run "$SPEC"
  --url "$base"
  --checks all
  --max-examples "$MAX_EXAMPLES"
  --seed "$SEED"
  --workers 1
  --generation-database none
  --report ndjson --report-ndjson-path "$report"
  --no-color)
log "${cmd[*]}"
status=0
timeout "$TIME_LIMIT" "${cmd[@]}" || status=$?

# A summary per check (the CLI of this version prints none): the test cases each check
# judged; then ignored_auth's probes, i.e. a request sent again as it was but with no
# credentials or wrong ones, by what they carried, with the statuses the server answered.
if [ -s "$report" ]; then
  echo
  log "checks summary (test cases judged by each check):"
  "$VENV/bin/python" - "$report" <<'EOF'
import collections, json, sys

judged = collections.defaultdict(collections.Counter)
probes = collections.Counter()
for line in open(sys.argv[1]):
    event = json.loads(line).get("ScenarioFinished")
    if not event:
        continue
    recorder = event["recorder"]
    for checks in (recorder.get("checks") or {}).values():
        for check in checks:
            judged[check["name"]][check["status"]] += 1
    cases = recorder.get("cases") or {}
    for case_id, case in cases.items():
        parent = cases.get(case.get("parent_id"), {}).get("value")
        request = case["value"]
        response = (recorder.get("interactions") or {}).get(case_id, {}).get("response")
        same = parent and all(request.get(k) == parent.get(k) for k in ("method", "path", "query"))
        if not same or not response:
            continue
        # Tokens are masked in the report; the admin token is never answered 401 or 403.
        if "Authorization" in (request.get("headers") or {}):
            if response["status_code"] not in (401, 403):
                continue
            carried = "a wrong bearer token"
        else:
            carried = "a wrong session cookie" if request.get("cookies") else "no credentials"
        probes[carried, response["status_code"]] += 1
for name in sorted(judged):
    counts = judged[name]
    others = ", ".join(f"{n} {s}" for s, n in counts.items() if s not in ("success", "failure"))
    print(f"  {name:30} {counts['success']:5} passed {counts['failure']:3} failed"
          + (f" ({others})" if others else ""))
print("  ignored_auth probes: "
      + ("; ".join(f"{n} with {carried} -> {status}" for (carried, status), n in sorted(probes.items()))
         or "none"))
EOF
fi

elapsed=$((SECONDS - started))
echo
if [ "$status" -eq 0 ]; then
  log "PASSED: the server follows $SPEC (schemathesis $SCHEMATHESIS_VERSION, all checks, seed $SEED, ${elapsed}s)"
else
  [ "$status" -eq 124 ] && log "schemathesis did not finish within ${TIME_LIMIT}s"
  log "FAILED (exit $status): schemathesis found where the server and $SPEC differ; see above (${elapsed}s)"
  log "the server's last log lines ($out/server.log):"
  tail -n 20 "$out/server.log" >&2
fi
exit "$status"
