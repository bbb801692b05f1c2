// Defines <sync-errors-tab>, the one way into the Sync Errors tab. The tab lives in the
// element's open shadow root, isolated from the host page's CSS both ways. The Rust side
// passes in `mount(element, container, token)`, which returns a handle with `unmount()`.
const ATTRIBUTES = ['api-base', 'base-path', 'sign-in-url', 'sign-out-url', 'salesforce-url', 'admin-url', 'navigation', 'time-zone', 'lang', 'url-state', 'request-timeout'];

export function defineSyncErrorsTab(mount) {
  if (customElements.get('sync-errors-tab')) return;
  class SyncErrorsTab extends HTMLElement {
    static get observedAttributes() { return ATTRIBUTES; }
    #handle = null;
    #token = null;
    connectedCallback() { this.#remount(); }
    disconnectedCallback() { this.#unmount(); }
    attributeChangedCallback(_name, before, after) {
      if (before !== after && this.isConnected && this.#handle) this.#remount();
    }
    /** A bearer token for the API, kept in memory only (never an attribute). */
    get token() { return this.#token; }
    set token(value) {
      const next = value == null || value === '' ? null : String(value);
      if (next === this.#token) return;
      this.#token = next;
      if (this.isConnected && this.#handle) this.#remount();
    }
    #remount() {
      this.#unmount();
      const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
      const container = document.createElement('div');
      root.replaceChildren(container);
      this.#handle = mount(this, container, this.#token);
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
