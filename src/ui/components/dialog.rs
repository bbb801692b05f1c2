//! A modal panel (the filter drawer, the detail dialog): focus moves in, Tab stays inside,
//! Escape or the backdrop closes, and focus returns where it was.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent, Node};

use super::active_element;

const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), \
                         textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

fn focusables(panel: &Element) -> Vec<HtmlElement> {
    let Ok(list) = panel.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .filter(|e| e.offset_parent().is_some() || e.get_client_rects().length() > 0)
        .collect()
}

#[component]
pub fn DialogFrame(
    /// The id of the element holding the dialog's title.
    #[prop(into)]
    labelled_by: String,
    /// `se-drawer` or `se-modal`.
    #[prop(into)]
    class: String,
    #[prop(into, optional)] id: Option<String>,
    #[prop(into)] on_close: Callback<()>,
    /// Where focus goes on closing when the dialog was not opened from a control of the tab
    /// (a shared link opened it): given the tab's root, it focuses something there.
    #[prop(optional)]
    return_focus: Option<fn(&Node, &str)>,
    /// Passed to `return_focus` (the open error's id, say).
    #[prop(into, optional)]
    return_key: String,
    children: Children,
) -> impl IntoView {
    let panel = NodeRef::<Div>::new();
    let opener = StoredValue::new_local(None::<Element>);
    let root = StoredValue::new_local(None::<Node>);
    Effect::new(move |_| {
        if let Some(panel) = panel.get() {
            // Focus is still where the dialog was opened from: remember it, then move in.
            opener.set_value(active_element(&panel));
            root.set_value(Some(panel.get_root_node()));
            let target = panel
                .query_selector("[data-autofocus]")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<HtmlElement>().ok())
                .or_else(|| focusables(&panel).into_iter().next());
            match target {
                Some(t) => drop(t.focus()),
                None => drop(panel.focus()),
            }
        }
    });
    on_cleanup(move || {
        let opener = opener
            .try_get_value()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
            .filter(|el| el.is_connected() && el.tag_name() != "BODY");
        match (opener, return_focus, root.try_get_value().flatten()) {
            (Some(el), _, _) => drop(el.focus()),
            (None, Some(fallback), Some(root)) => fallback(&root, &return_key),
            _ => {}
        }
    });
    let on_keydown = move |ev: KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            ev.stop_propagation();
            on_close.run(());
        }
        "Tab" => {
            let Some(panel) = panel.get_untracked() else {
                return;
            };
            let items = focusables(&panel);
            let (Some(first), Some(last)) = (items.first(), items.last()) else {
                ev.prevent_default();
                return;
            };
            let active = active_element(&panel);
            let inside = active.as_ref().is_some_and(|a| panel.contains(Some(a)));
            let at = |e: &HtmlElement| active.as_ref().is_some_and(|a| a.is_same_node(Some(e)));
            if ev.shift_key() && (at(first) || !inside) {
                ev.prevent_default();
                let _ = last.focus();
            } else if !ev.shift_key() && (at(last) || !inside) {
                ev.prevent_default();
                let _ = first.focus();
            }
        }
        _ => {}
    };
    view! {
        <div class="se-backdrop" on:click=move |_| on_close.run(())></div>
        <div
            class=class
            id=id
            role="dialog"
            aria-modal="true"
            aria-labelledby=labelled_by
            tabindex="-1"
            node_ref=panel
            on:keydown=on_keydown
        >
            {children()}
        </div>
    }
}
