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
// needs is asked for at once (the module, the glue and its snippets, and for a tab that
// starts on its default view its first API requests), so a host page pays one round trip
// for this file, then one for all the rest.
const here = new URL('.', import.meta.url);
const at = (name) => new URL(name, here);
const wasm = fetch(at('$wasm'));
// The tab's first API requests leave now too, while the module loads, when they can be
// told without the module: a tab whose view starts empty (its own view, or a page address
// without a query) and without a token asks for the bare list and summary. The tab takes
// an answer only for exactly the URL it asks (src/client/early.rs); the ones it does not
// take are let go after 10 s.
const tab = document.querySelector('sync-errors-tab');
const early = Symbol.for('sync-errors-tab.early');
if (tab && !globalThis[early] && tab.getAttribute('api-base') && !Object.prototype.hasOwnProperty.call(tab, 'token')
    && (tab.getAttribute('url-state') === 'none' || location.search === '')) {
  const api = tab.getAttribute('api-base').replace(/\/+\$/, '');
  const started = new Map();
  for (const path of ['/v1/sync-errors', '/v1/sync-errors/summary']) {
    const url = new URL(api + path, document.baseURI).href;
    const controller = new AbortController();
    const response = fetch(url, { credentials: 'include', headers: { Accept: 'application/json' }, signal: controller.signal });
    response.catch(() => {});
    started.set(url, [response, controller]);
  }
  globalThis[early] = started;
  setTimeout(() => { for (const [, controller] of started.values()) controller.abort(); started.clear(); }, 10_000);
}
// (A snippet that fails is reported by the glue's own import of it.)
for (const snippet of [$snippets]) import(at(snippet).href).catch(() => {});
const { default: init } = await import(at('$js').href);
await init({ module_or_path: wasm });
LOADER
echo "wrote sync-errors-tab.js (imports $js)"
# Brotli and gzip copies of everything, the loader included (scripts/precompress.mjs).
node "${TRUNK_SOURCE_DIR:?run by trunk}/scripts/precompress.mjs" .
