#!/usr/bin/env bash
# The tab end to end (Playwright, Chromium) against a server on PostgreSQL: a fresh
# database on the cluster that SYNC_ERRORS_TEST_PG names (make test-pg runs it inside
# scripts/pg-cluster.sh run). The whole suite, as on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${SYNC_ERRORS_TEST_PG:?run it through scripts/pg-cluster.sh run}"
psql="$(pg_config --bindir)/psql"
"$psql" "$SYNC_ERRORS_TEST_PG" -qc "DROP DATABASE IF EXISTS sync_errors_e2e WITH (FORCE)" \
  -c "CREATE DATABASE sync_errors_e2e"
E2E_DB=${SYNC_ERRORS_TEST_PG%/*}/sync_errors_e2e npx playwright test -c tests/e2e/playwright.config.ts "$@"
