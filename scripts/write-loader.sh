#!/bin/sh
# Trunk post_build hook: writes dist/sync-errors-tab.js, the one stable file a host page
# loads, then the brotli and gzip copies of every file. It imports the content-hashed module and starts it, which defines <sync-errors-tab>
# (the tab's styles travel in the module and live in each element's shadow root).
set -eu
cd "${TRUNK_STAGING_DIR:?run by trunk}"
js=$(ls sync-errors-*.js | grep -v -e '^sync-errors-tab\.js$' | head -n 1)
wasm=$(ls sync-errors-*_bg.wasm | head -n 1)
# The glue's snippets (js/element.js), as a JS list of quoted relative paths.
snippets=$(find snippets -name '*.js' 2>/dev/null | sort | sed "s/.*/'&'/" | paste -sd, -)
cat > sync-errors-tab.js <<LOADER
// The Sync Errors tab: load this module, then use <sync-errors-tab> (see the README).
// Written at build time; it names this build's content-hashed files. Everything the tab
// needs is asked for at once (the module, the glue and its snippets), so a host page pays
// one round trip for this file and one for the rest before the tab's first API request.
const here = new URL('.', import.meta.url);
const at = (name) => new URL(name, here);
const wasm = fetch(at('$wasm'));
// (A snippet that fails is reported by the glue's own import of it.)
for (const snippet of [$snippets]) import(at(snippet).href).catch(() => {});
const { default: init } = await import(at('$js').href);
await init({ module_or_path: wasm });
LOADER
echo "wrote sync-errors-tab.js (imports $js)"
# Brotli and gzip copies of everything, the loader included (scripts/precompress.mjs).
node "${TRUNK_SOURCE_DIR:?run by trunk}/scripts/precompress.mjs" .
