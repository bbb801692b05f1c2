#!/usr/bin/env bash
# The server's figures on PostgreSQL: a private cluster (scripts/pg-cluster.sh, data kept in
# target/pg-bench so that the 1,000,000 demo errors are seeded once), the same latency
# requests as bench/server-latency.sh, the same load test as bench/load.sh and the same
# ingestion figures as bench/ingest.sh. The seeding
# is ingestion (batches of 1,000 through the server's ingest path, count tables kept): its
# rate is the ingest figure. A benchmark: it prints figures; it asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PG_DIR=$PWD/target/pg-bench
# PostgreSQL's defaults are for a small machine (128 MB of shared buffers for a store of
# 1.5 GB, a checkpoint every GB of log); these suit this one (23 GB), as a deployment would.
export PG_OPTIONS=${PG_OPTIONS:-"-c shared_buffers=1GB -c effective_cache_size=8GB -c max_wal_size=4GB"}
url=$(scripts/pg-cluster.sh start 2>/dev/null)
trap 'scripts/pg-cluster.sh stop' EXIT
psql="$(pg_config --bindir)/psql"
export PGOPTIONS='-c client_min_messages=warning'
db=sync_errors_bench
if [ -z "$("$psql" "$url" -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
  "$psql" "$url" -qc "CREATE DATABASE $db"
fi
export BENCH_DB=${url%/*}/$db
echo "-- latency (PostgreSQL 15, same machine) --"
BENCH_PORT=18093 bench/server-latency.sh
echo "-- load: 50 clients for 30 s (PostgreSQL) --"
BENCH_PORT=18094 bench/load.sh
echo "-- ingest: rate in batches of 1,000, then 50 readers while an engine ingests 1,000/s (PostgreSQL) --"
# On a copy of the bench database (what it ingests never makes the next run seed again).
"$psql" "$url" -qc "DROP DATABASE IF EXISTS sync_errors_ingest"
"$psql" "$url" -qc "CREATE DATABASE sync_errors_ingest TEMPLATE $db"
BENCH_DB=${url%/*}/sync_errors_ingest BENCH_PORT=18096 bench/ingest.sh
"$psql" "$url" -qc "DROP DATABASE sync_errors_ingest"
