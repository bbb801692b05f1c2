// Defines <sync-errors-tab>, the one way into the Sync Errors tab. The tab lives in the
// element's open shadow root, isolated from the host page's CSS both ways. The Rust side
// passes in `mount(element, container, token, view)`, which returns a handle with
// `update()` (read the attributes again, in place), `setToken(token)` and `unmount()`.
const ATTRIBUTES = ['api-base', 'base-path', 'sign-in-url', 'sign-out-url', 'salesforce-url', 'admin-url', 'navigation', 'time-zone', 'lang', 'url-state', 'request-timeout', 'guidance-url'];
// Where the data and the view come from: changing one mounts the tab anew, with its view.
const REMOUNT = new Set(['api-base', 'base-path', 'url-state']);

export function defineSyncErrorsTab(mount) {
  if (customElements.get('sync-errors-tab')) return;
  class SyncErrorsTab extends HTMLElement {
    static get observedAttributes() { return ATTRIBUTES; }
    #handle = null;
    #token = null;
    /** The view's query, as the tab last told it (kept across a new mount). */
    #view = null;
    constructor() {
      super();
      this.addEventListener('sync-errors-tab:view-change', (e) => { this.#view = e.detail?.query ?? null; });
      // A console that set `token` before this module loaded set a plain property on the
      // element, which would hide the setter: take it over.
      if (Object.prototype.hasOwnProperty.call(this, 'token')) {
        const early = this.token;
        delete this.token;
        this.#token = early == null || early === '' ? null : String(early);
      }
    }
    connectedCallback() { this.#remount(); }
    disconnectedCallback() { this.#unmount(); }
    attributeChangedCallback(name, before, after) {
      if (before === after || !this.isConnected || !this.#handle) return;
      if (REMOUNT.has(name)) this.#remount();
      else this.#handle.update();
    }
    /** A bearer token for the API, kept in memory only (never an attribute). */
    get token() { return this.#token; }
    set token(value) {
      const next = value == null || value === '' ? null : String(value);
      if (next === this.#token) return;
      this.#token = next;
      // The next request carries it; nothing reloads, a running export goes on.
      if (this.#handle) this.#handle.setToken(next);
    }
    #remount() {
      this.#unmount();
      const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
      const container = document.createElement('div');
      root.replaceChildren(container);
      this.#handle = mount(this, container, this.#token, this.#view);
    }
    #unmount() {
      if (this.#handle) {
        this.#handle.unmount();
        this.#handle.free();
        this.#handle = null;
      }
    }
  }
  customElements.define('sync-errors-tab', SyncErrorsTab);
}

/** Where a file shipped beside the module is (`guidance.json`): Trunk puts this snippet
 *  three folders below the module, in `snippets/<crate>/js/`. */
export function assetUrl(name) {
  return new URL(`../../../${name}`, import.meta.url).href;
}

/** The loader's early request for `url` (see scripts/write-loader.sh and
 *  src/client/early.rs): `[response promise, its AbortController]`, taken once, or null. */
export function takeEarly(url) {
  const early = globalThis[Symbol.for('sync-errors-tab.early')];
  const key = new URL(url, document.baseURI).href;
  const entry = early?.get(key) ?? null;
  early?.delete(key);
  return entry;
}
