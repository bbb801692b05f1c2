//! The Salesforce Sync Errors tab.
//!
//! Pure logic (the URL view model, the request reducer, formatting, the navigation model,
//! settings) lives in plain modules, tested natively; components and pages render it.

pub mod api;
pub mod app;
pub mod components;
pub mod csv;
pub mod export;
pub mod format;
pub mod intl;
pub mod links;
pub mod loader;
pub mod nav;
pub mod pages;
pub mod range;
pub mod settings;
pub mod state;
pub mod view_query;

use wasm_bindgen::JsCast;

use crate::settings::Settings;

/// The element the tab mounts into, in the standalone page and in a host page.
pub const ELEMENT: &str = "sync-errors-tab";

/// Mounts the tab into every `<sync-errors-tab>` element of the page, each with the
/// settings of its own attributes.
pub fn mount_all() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(elements) = document.query_selector_all(ELEMENT) else {
        return;
    };
    for i in 0..elements.length() {
        let Some(element) = elements
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            continue;
        };
        let settings = Settings::from_attributes(|name| element.get_attribute(name));
        element.set_inner_html("");
        let handle = leptos::mount::mount_to(element, move || {
            leptos::view! { <app::App settings=settings /> }
        });
        handle.forget();
    }
}
