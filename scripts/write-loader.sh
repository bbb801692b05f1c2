#!/bin/sh
# Trunk post_build hook: writes dist/sync-errors-tab.js, the one stable file a host page
# loads, then the brotli and gzip copies of every file. It imports the content-hashed module and starts it, which defines <sync-errors-tab>
# (the tab's styles travel in the module and live in each element's shadow root).
set -eu
cd "${TRUNK_STAGING_DIR:?run by trunk}"
js=$(ls sync-errors-*.js | grep -v -e '^sync-errors-tab\.js$' | head -n 1)
wasm=$(ls sync-errors-*_bg.wasm | head -n 1)
cat > sync-errors-tab.js <<LOADER
// The Sync Errors tab: load this module, then use <sync-errors-tab> (see the README).
// Written at build time; it names this build's content-hashed files.
const here = new URL('.', import.meta.url);
const { default: init } = await import(new URL('$js', here).href);
await init({ module_or_path: new URL('$wasm', here) });
LOADER
echo "wrote sync-errors-tab.js (imports $js)"
# Brotli and gzip copies of everything, the loader included (scripts/precompress.mjs).
node "${TRUNK_SOURCE_DIR:?run by trunk}/scripts/precompress.mjs" .
