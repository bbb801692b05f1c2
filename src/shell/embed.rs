//! The custom element `<sync-errors-tab>`: defined when the module loads, it mounts the tab
//! into itself when connected and unmounts (releasing listeners, timers and requests) when
//! removed. Its `token` and most attributes apply live, in place; only `api-base`,
//! `base-path` and `url-state` (where the data and the view come from) mount it anew, with
//! the same view.

use std::any::Any;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, CustomEvent, CustomEventInit, HtmlElement, ShadowRoot};

use crate::client::ApiClient;
use crate::model::settings::Settings;
use crate::shell::app::App;
use crate::text::i18n::Lang;

#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = defineSyncErrorsTab)]
    fn define_sync_errors_tab(
        mount: &Closure<
            dyn Fn(HtmlElement, HtmlElement, Option<String>, Option<String>) -> MountedTab,
        >,
    );
}

/// A mounted tab; dropping or `unmount()` takes it down.
#[wasm_bindgen]
pub struct MountedTab {
    handle: Option<Box<dyn Any>>,
    element: HtmlElement,
    settings: ArcRwSignal<Settings>,
    client: ApiClient,
    token_changes: ArcRwSignal<u32>,
}

#[wasm_bindgen]
impl MountedTab {
    pub fn unmount(&mut self) {
        self.handle.take();
    }

    /// Reads the element's attributes again: texts, times, links and navigation change in
    /// place, nothing is asked of the server again and nothing the admin had is lost.
    pub fn update(&self) {
        let next = read_settings(&self.element);
        self.client.set_timeout(next.request_timeout_s);
        if self.settings.with_untracked(|s| *s != next) {
            self.settings.set(next);
        }
    }

    /// The bearer token for the requests that leave from now on (a running export's later
    /// pages included); nothing is reloaded.
    #[wasm_bindgen(js_name = setToken)]
    pub fn set_token(&self, token: Option<String>) {
        self.client.set_token(token);
        self.token_changes.update(|n| *n += 1);
    }
}

/// Counts the host's token changes: a tab that a 401 or 403 stopped asks again with the new
/// token; any other view stays as it is (the next request carries the token).
#[derive(Clone, Copy)]
pub struct TokenChanges(pub RwSignal<u32>);

/// The element the tab lives in, for telling its host what happened.
#[derive(Clone)]
pub struct Host(pub Option<HtmlElement>);

impl Host {
    /// Dispatches `sync-errors-tab:<name>` on the element (bubbling, across shadow roots).
    pub fn emit(&self, name: &str, detail: &JsValue) {
        let Some(element) = &self.0 else { return };
        let init = CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(detail);
        if let Ok(event) =
            CustomEvent::new_with_event_init_dict(&format!("sync-errors-tab:{name}"), &init)
        {
            let _ = element.dispatch_event(&event);
        }
    }
}

/// The tab's stylesheet, built once and adopted by every tab's shadow root (CSSOM, so no
/// inline `<style>` is needed under a strict Content-Security-Policy).
const STYLESHEET: &str = include_str!("../../style/sync-errors.css");

thread_local! {
    static SHEET: Option<CssStyleSheet> = CssStyleSheet::new().ok().inspect(|sheet| {
        let _ = sheet.replace_sync(STYLESHEET);
    });
}

/// Gives the shadow root that holds `container` the tab's stylesheet.
fn adopt_stylesheet(container: &HtmlElement) {
    let Ok(root) = container.get_root_node().dyn_into::<ShadowRoot>() else {
        return;
    };
    SHEET.with(|sheet| {
        if let Some(sheet) = sheet {
            let _ = js_sys::Reflect::set(
                &root,
                &"adoptedStyleSheets".into(),
                &js_sys::Array::of1(sheet),
            );
        }
    });
}

/// Marks a page's `lang` that the tab wrote (see `read_settings`): it is not the page's
/// own choice, so it never wins over the browser's languages.
const LANG_FROM_TAB: &str = "data-se-lang-from-tab";

/// The settings the element's attributes give.
fn read_settings(element: &HtmlElement) -> Settings {
    let mut settings = Settings::from_attributes(|name| element.get_attribute(name));
    // The element's own `lang`, else the page's (the nearest ancestor's), else the first of
    // the browser's languages that the tab speaks (`navigator.languages`: fr-FR, de, en…).
    let page_lang = element
        .closest("[lang]")
        .ok()
        .flatten()
        .filter(|e| !e.has_attribute(LANG_FROM_TAB))
        .and_then(|e| e.get_attribute("lang"));
    let browser_langs: Vec<String> = web_sys::window()
        .map(|w| {
            w.navigator()
                .languages()
                .iter()
                .filter_map(|l| l.as_string())
                .collect()
        })
        .unwrap_or_default();
    settings.lang = Lang::choose(
        std::iter::once(page_lang.as_deref()).chain(browser_langs.iter().map(|l| Some(l.as_str()))),
    );
    // A page that names no language (the standalone page: it is all tab) takes the tab's,
    // so that assistive technology reads it in the right one; and its title, when it is one
    // of the standalone page's own (a host's title is never touched).
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(root) = document
        .as_ref()
        .and_then(|d| d.document_element())
        .filter(|r| !r.has_attribute("lang") || r.has_attribute(LANG_FROM_TAB))
    {
        let _ = root.set_attribute("lang", settings.lang.tag());
        let _ = root.set_attribute(LANG_FROM_TAB, "");
        if let Some(d) = document.filter(|d| {
            let title = d.title();
            [Lang::En, Lang::Fr]
                .iter()
                .any(|l| l.texts().page_title == title)
        }) {
            d.set_title(settings.lang.texts().page_title);
        }
    }
    settings
}

/// Mounts a tab into `container`. `view` is the view to start from when the element keeps
/// its own (`url-state="none"`), carried over when the tab is mounted anew.
fn mount(
    element: HtmlElement,
    container: HtmlElement,
    token: Option<String>,
    view: Option<String>,
) -> MountedTab {
    let initial = read_settings(&element);
    // The token is the client's alone (a JS property, never a setting): see `set_token`.
    let client = ApiClient::new(&initial.api_base, token).with_timeout(initial.request_timeout_s);
    let settings = ArcRwSignal::new(initial);
    let token_changes = ArcRwSignal::new(0);
    adopt_stylesheet(&container);
    let host = Host(Some(element.clone()));
    let handle = leptos::mount::mount_to(container, {
        let (settings, client, changes) = (settings.clone(), client.clone(), token_changes.clone());
        move || {
            provide_context(StoredValue::new_local(host));
            provide_context(TokenChanges(RwSignal::from(changes)));
            view! { <App settings=RwSignal::from(settings) client=client initial_view=view /> }
        }
    });
    MountedTab {
        handle: Some(Box::new(handle)),
        element,
        settings,
        client,
        token_changes,
    }
}

/// Defines `<sync-errors-tab>`; every such element, now or later, mounts a tab.
pub fn define_element() {
    let mount = Closure::<
        dyn Fn(HtmlElement, HtmlElement, Option<String>, Option<String>) -> MountedTab,
    >::new(mount);
    define_sync_errors_tab(&mount);
    mount.forget();
}
