//! Reusable pieces of the tab.

mod admin_nav;
mod chart;
mod data_text;
mod detail_modal;
mod dialog;
mod error_table;
mod export_control;
mod filter_drawer;
mod icons;
mod pager;
mod search_box;
mod status;
mod toolbar;
mod triage;

pub use admin_nav::AdminNav;
pub use data_text::DataText;
pub use detail_modal::DetailModal;
pub use dialog::DialogFrame;
pub use error_table::ErrorTable;
pub use filter_drawer::FilterDrawer;
pub use pager::Pager;
pub(crate) use status::sign_in_href;
pub use status::{AdminRequired, ErrorBanner, SessionEnded, SignInLink, SignedOut};
pub use toolbar::Toolbar;
pub use triage::TriagePanel;

use leptos::prelude::*;

use crate::text::i18n::{Lang, Texts};
use crate::text::intl::TimeFormat;

/// The tab's language, followed live (`lang` may change while the tab runs); English
/// outside a tab. Call the returned function where the text is used, inside the view's
/// closures, so that a change of language updates the text in place.
pub fn lang() -> impl Fn() -> Lang + Copy + Send + Sync + 'static {
    let lang = use_context::<Signal<Lang>>();
    move || lang.map_or_else(Lang::default, |l| l.get())
}

/// The tab's texts, in its language, followed live (see [`lang`]).
pub fn texts() -> impl Fn() -> &'static Texts + Copy + Send + Sync + 'static {
    let lang = lang();
    move || lang().texts()
}

/// How this tab writes times (its `time-zone` and language), followed live; the browser's
/// zone outside a tab.
pub fn time_format() -> impl Fn() -> TimeFormat + Copy + Send + Sync + 'static {
    let tf = use_context::<Memo<TimeFormat>>();
    move || tf.map_or_else(TimeFormat::default, |tf| tf.get())
}

/// The focused element in `node`'s tree: its shadow root's, when it lives in one (the
/// document's `activeElement` is then only the host element).
pub(crate) fn active_element(node: &web_sys::Element) -> Option<web_sys::Element> {
    use wasm_bindgen::JsCast;
    match node.get_root_node().dyn_into::<web_sys::ShadowRoot>() {
        Ok(root) => root.active_element(),
        Err(_) => web_sys::window()?.document()?.active_element(),
    }
}

/// Whether keyboard focus has been lost to the page's body, as when the focused control
/// was removed or disabled (checked from any element of the tab).
pub(crate) fn focus_lost(inside: &web_sys::Element) -> bool {
    if active_element(inside).is_some_and(|a| a.tag_name() != "BODY") {
        return false;
    }
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_none_or(|a| a.tag_name() == "BODY")
}

/// Focuses the first element under `container` that matches `selector`, if any.
pub(crate) fn focus_first(container: &web_sys::Element, selector: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = container
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
