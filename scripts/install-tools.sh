#!/usr/bin/env bash
# Installs what building and testing the tab needs, skipping whatever is present.
# Idempotent: safe to run on every `make run` / `make test`.
#   scripts/install-tools.sh build   -> rust target, trunk, wasm-bindgen-cli, wasm-opt (npm binaryen)
#   scripts/install-tools.sh test    -> the above + chromium, chromedriver, openssl, npm test packages
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
want=${1:-build}

log() { printf '\033[1;34m[install]\033[0m %s\n' "$*"; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  log "trunk $TRUNK_VERSION (about 15 minutes on 2 cores)"
  cargo install --locked "trunk@$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ] \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  log "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Its lock file pins webpki-roots 1.0.11, which the registry mirror here lacks; when the
  # locked install cannot resolve, resolve afresh (same CLI version, compatible deps).
  cargo install --locked "wasm-bindgen-cli@$WASM_BINDGEN_VERSION" \
    || cargo install "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
fi

# npm packages (binaryen's wasm-opt, Playwright, axe-core) from the committed lock file.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/playwright ] \
  || [ ! -f node_modules/axe-core/axe.min.js ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm packages (npm ci)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

if [ "$want" = test ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    log "chromium and chromium-driver (apt)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  # The PostgreSQL TLS test makes its certificates with the openssl command.
  if ! command -v openssl >/dev/null; then
    log "openssl (apt)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq openssl >/dev/null
  fi
fi
log "tools ready"
