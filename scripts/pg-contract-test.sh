#!/usr/bin/env bash
# The contract test (scripts/contract-test.sh: schemathesis, every check) against the server
# on PostgreSQL: a fresh database on the cluster that SYNC_ERRORS_TEST_PG names (make test-pg
# runs it inside scripts/pg-cluster.sh run).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${SYNC_ERRORS_TEST_PG:?run it through scripts/pg-cluster.sh run}"
psql="$(pg_config --bindir)/psql"
"$psql" "$SYNC_ERRORS_TEST_PG" -qc "DROP DATABASE IF EXISTS sync_errors_contract WITH (FORCE)" \
  -c "CREATE DATABASE sync_errors_contract"
CONTRACT_DB=${SYNC_ERRORS_TEST_PG%/*}/sync_errors_contract scripts/contract-test.sh
