// Defines <sync-errors-tab>, the one way into the Sync Errors tab. The Rust side passes in
// `mount(element, token)`, which returns a handle with `unmount()`.
const ATTRIBUTES = ['api-base', 'base-path', 'sign-in-url', 'salesforce-url', 'admin-url', 'navigation', 'time-zone', 'lang'];

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
      this.#handle = mount(this, this.#token);
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
