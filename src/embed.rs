//! The custom element `<sync-errors-tab>`: defined when the module loads, it mounts the tab
//! into itself when connected, remounts when an attribute or its `token` changes, and
//! unmounts (releasing listeners, timers and requests) when removed.

use std::any::Any;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, CustomEvent, CustomEventInit, HtmlElement, ShadowRoot};

use crate::app::App;
use crate::settings::Settings;

#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = defineSyncErrorsTab)]
    fn define_sync_errors_tab(
        mount: &Closure<dyn Fn(HtmlElement, HtmlElement, Option<String>) -> MountedTab>,
    );
}

/// A mounted tab; dropping or `unmount()` takes it down.
#[wasm_bindgen]
pub struct MountedTab {
    handle: Option<Box<dyn Any>>,
}

#[wasm_bindgen]
impl MountedTab {
    pub fn unmount(&mut self) {
        self.handle.take();
    }
}

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
const STYLESHEET: &str = include_str!("../style/sync-errors.css");

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

fn mount(element: HtmlElement, container: HtmlElement, token: Option<String>) -> MountedTab {
    let mut settings = Settings::from_attributes(|name| element.get_attribute(name));
    settings.token = token;
    // The element's own `lang`, else the page's (the nearest ancestor's), else the browser's.
    let page_lang = element
        .closest("[lang]")
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("lang"));
    let browser_lang = web_sys::window().and_then(|w| w.navigator().language());
    settings.lang = crate::i18n::Lang::choose([page_lang.as_deref(), browser_lang.as_deref()]);
    adopt_stylesheet(&container);
    let host = Host(Some(element));
    let handle = leptos::mount::mount_to(container, move || {
        provide_context(StoredValue::new_local(host));
        view! { <App settings=settings /> }
    });
    MountedTab {
        handle: Some(Box::new(handle)),
    }
}

/// Defines `<sync-errors-tab>`; every such element, now or later, mounts a tab.
pub fn define_element() {
    let mount =
        Closure::<dyn Fn(HtmlElement, HtmlElement, Option<String>) -> MountedTab>::new(mount);
    define_sync_errors_tab(&mount);
    mount.forget();
}
