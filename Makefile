# Sync Errors: `make run` builds and serves the tab on demo data; `make test` runs every test.
# Both install what is missing first (scripts/install-tools.sh, idempotent).

SHELL := /bin/bash
PORT ?= 8080
DEMO_ROWS ?= 25000
DB ?= target/demo/sync-errors.db
SERVER := target/release/sync-errors-server
# wasm-opt from npm binaryen 132 (Debian's 108 produces modules that fail in Chromium).
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export CHROMEDRIVER := /usr/bin/chromedriver

.PHONY: run dev build server tools test-tools test test-native test-pg test-contract test-browser test-e2e bench bench-references fmt clean

## run: build the app (release) and the server, create the demo database, serve on $(PORT)
run: build server
	@mkdir -p $(dir $(DB))
	@echo
	@echo "  Sync Errors is at  http://127.0.0.1:$(PORT)/"
	@echo "  Sign in as         admin / admin    (an admin)"
	@echo "                     viewer / viewer  (not an admin: sees 'Admin permissions required')"
	@echo "  Bearer tokens      demo-admin-token, demo-viewer-token"
	@echo "  Ingest token       demo-ingest-token  (POST /api/v1/sync-errors; reads nothing)"
	@echo "  Demo errors        $(DEMO_ROWS) (DEMO_ROWS=... to change), database $(DB)"
	@echo
	$(SERVER) --port $(PORT) --dist dist --db $(DB) --demo-rows $(DEMO_ROWS) --auth config/demo-auth.json

## dev: trunk serve with hot rebuilds, proxying /api and /signin to a server on $(PORT)
dev: tools server
	@mkdir -p $(dir $(DB))
	@echo "  App with hot rebuilds: http://127.0.0.1:8081/  (API proxied to port $(PORT))"
	@echo "  Sign in first at http://127.0.0.1:$(PORT)/signin (admin/admin): the cookie holds on both ports."
	$(SERVER) --port $(PORT) --db $(DB) --demo-rows $(DEMO_ROWS) & \
	  trap "kill $$!" EXIT; \
	  trunk serve --port 8081 --proxy-backend=http://127.0.0.1:$(PORT)/api/ --proxy-rewrite=/api/

tools:
	@scripts/install-tools.sh build

test-tools:
	@scripts/install-tools.sh test

## build: the app, size-tuned (profile wasm-release, wasm-opt -Oz), into dist/
build: tools
	trunk build --release

server:
	cargo build --release -p sync-errors-server

## test: every layer: native (cargo test), the server on PostgreSQL, the server against the
## OpenAPI file (schemathesis), browser (wasm-bindgen-test), end to end (Playwright)
test: test-tools test-native test-pg test-contract test-browser test-e2e

test-native:
	cargo test --workspace

## test-pg: the server's tests again with a private PostgreSQL (scripts/pg-cluster.sh: Debian's
## postgresql installed when missing, a cluster in target/pg on a free port, always stopped):
## the shared store suite, the tests of several servers on one database and of PostgreSQL
## restarted under a server, and TLS to a cluster of its own with ssl=on (pg_tls.rs); then the
## HTTP, ingestion and robustness tests again with their fixtures on
## PostgreSQL, schemathesis against the release server on PostgreSQL, and the whole e2e suite
## (Playwright) against the tab on a server on PostgreSQL. (The robustness
## properties share one server between cases that each run on a runtime of their own: one
## test at a time, so no case uses a connection whose runtime another case is dropping.)
test-pg: build server test-tools
	SYNC_ERRORS_REQUIRE_PG=1 scripts/pg-cluster.sh run sh -c 'cargo test -p sync-errors-server \
	  && SYNC_ERRORS_FIXTURE_PG=1 cargo test -p sync-errors-server --test http --test compression --test ingest \
	  && SYNC_ERRORS_FIXTURE_PG=1 cargo test -p sync-errors-server --test robustness -- --test-threads=1 \
	  && scripts/pg-contract-test.sh \
	  && scripts/pg-e2e-test.sh'

## test-contract: schemathesis, every check, against the server and crates/api/openapi.yaml
## (installs schemathesis into target/venv-schemathesis; about 15 s)
test-contract: server test-tools
	scripts/contract-test.sh

test-browser: test-tools
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  WASM_BINDGEN_TEST_TIMEOUT=120 \
	  cargo test --target wasm32-unknown-unknown --test browser

test-e2e: build server
	npx playwright test -c tests/e2e/playwright.config.ts

## bench: prints every performance figure beside its reference and target (server latency
## at 1,000,000 rows, the tab against plain-JS pages in Chromium, the CSV writer, the export,
## a load test, and last the module size and its budget). Fails only when the module is over
## its budget, after printing everything else.
bench: test-tools build server bench-references
	@echo "== server latency =="
	@bench/server-latency.sh
	@echo "== CSV writer alone (native) =="
	@cargo run --quiet --release --example csv_throughput
	@echo "== in Chromium, 1,000,000 demo errors =="
	@bench/browser.sh
	@echo "== load: 50 clients for 30 s, 1,000,000 demo errors =="
	@bench/load.sh
	@echo "== ingest: rate in batches of 1,000, then 50 readers while an engine ingests 1,000/s, 1,000,000 demo errors =="
	@bench/ingest.sh
	@echo "== PostgreSQL (a private cluster): seeding through ingestion, latency, load, ingest =="
	@bench/postgres.sh
	@# Last, so that every other figure prints even when the module is over its budget.
	@echo "== module size (gzip -9, brotli q11) =="
	@node bench/sizes.mjs dist target/bench/leptos-minimal target/bench/aggrid/main.js

# The size references: a minimal Leptos app with the tab's dependencies, and React + AG Grid.
bench-references: tools
	cd bench/leptos-minimal && trunk build --release
	esbuild bench/aggrid/main.jsx --bundle --minify --format=esm --jsx=automatic \
	  --define:process.env.NODE_ENV='"production"' --outfile=target/bench/aggrid/main.js --log-level=warning

fmt:
	cargo fmt --all

clean:
	rm -rf dist target/demo tests/e2e/results
