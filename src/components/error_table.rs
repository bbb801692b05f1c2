use leptos::prelude::*;
use sync_errors_api::{Sort, SortField, SyncError};
use wasm_bindgen::JsCast;
use web_sys::{EventTarget, FocusEvent, HtmlElement, KeyboardEvent, MouseEvent};

use super::icons::SortIcon;
use crate::grid_html::rows_html;
use crate::view_query::sort_by;

/// The grid of errors: a semantic table, one row per error, sortable from its headers, each
/// row opening its detail on click, Enter or Space.
#[component]
pub fn ErrorTable(
    #[prop(into)] rows: Signal<Vec<SyncError>>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] sort: Signal<Sort>,
    #[prop(into)] on_sort: Callback<Sort>,
    #[prop(into)] on_open: Callback<String>,
) -> impl IntoView {
    let t = super::texts();
    let tf = super::time_format();
    let body = NodeRef::<leptos::html::Tbody>::new();
    // Roving tab stop: one row is in the Tab order (the last focused, else the first), the
    // others are reached with the arrow keys, so Tab goes from the grid to the pager in one
    // step rather than one per row. Not reactive: moving focus changes two attributes, and
    // the next rows keep the stop on the same row if it is still there.
    let focused_row = StoredValue::new(None::<String>);
    let html = Memo::new(move |_| {
        rows.with(|r| focused_row.with_value(|id| rows_html(r, t, tf.local_many(), id.as_deref())))
    });
    // The rows are one HTML string (see `grid_html`), set in one write. A focused row keeps
    // focus across the swap when the new rows still have it.
    Effect::new(move || {
        let html = html.get();
        let Some(body) = body.get() else {
            return;
        };
        let had_focus = body.matches(":focus-within").unwrap_or(false);
        body.set_inner_html(&html);
        if had_focus {
            let index = focused_row.with_value(|id| {
                rows.with_untracked(|r| r.iter().position(|e| Some(&e.id) == id.as_ref()))
            });
            if let Some(row) = index
                .and_then(|i| body.children().item(i as u32))
                .and_then(|el| el.dyn_into::<HtmlElement>().ok())
            {
                let _ = row.focus();
            }
        }
    });
    let on_focusin = move |ev: FocusEvent| {
        let Some(row) = row_of(ev.target()) else {
            return;
        };
        if row.get_attribute("tabindex").as_deref() != Some("0") {
            if let Some(Ok(Some(stop))) = body
                .get_untracked()
                .map(|b| b.query_selector("tr[tabindex='0']"))
            {
                let _ = stop.set_attribute("tabindex", "-1");
            }
            let _ = row.set_attribute("tabindex", "0");
        }
        focused_row.set_value(row.get_attribute("data-id"));
    };
    // One click and one keydown listener for the whole body rather than two per row: the
    // row is found from the event's target.
    let on_click = move |ev: MouseEvent| {
        if let Some(id) = row_of(ev.target()).and_then(|row| row.get_attribute("data-id")) {
            on_open.run(id);
        }
    };
    let on_keydown = move |ev: KeyboardEvent| {
        // Only a focused row itself, not something inside it.
        let Some(row) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlElement>().ok())
            .filter(|el| el.matches("tr.se-row").unwrap_or(false))
        else {
            return;
        };
        match ev.key().as_str() {
            "Enter" | " " => {
                ev.prevent_default();
                if let Some(id) = row.get_attribute("data-id") {
                    on_open.run(id);
                }
            }
            "ArrowDown" | "ArrowUp" => {
                ev.prevent_default();
                focus_sibling_row(&row, ev.key() == "ArrowDown");
            }
            _ => {}
        }
    };
    view! {
        <div class="se-grid" aria-busy=move || busy.get().to_string()>
            <table class="se-table">
                <caption class="se-visually-hidden">
                    {t.table_caption}
                </caption>
                <thead>
                    <tr>
                        <SortHeader label=t.col_level field=SortField::Level class="se-table__level" sort on_sort />
                        <SortHeader label=t.col_time field=SortField::FailedAt class="se-table__time" sort on_sort />
                        <SortHeader label=t.col_code field=SortField::ErrorCode class="se-table__code" sort on_sort />
                        <th scope="col" class="se-table__message">{t.col_message}</th>
                        <th scope="col" class="se-table__object">{t.col_object}</th>
                    </tr>
                </thead>
                <tbody node_ref=body on:click=on_click on:keydown=on_keydown on:focusin=on_focusin></tbody>
            </table>
        </div>
    }
}

#[component]
fn SortHeader(
    label: &'static str,
    field: SortField,
    class: &'static str,
    sort: Signal<Sort>,
    on_sort: Callback<Sort>,
) -> impl IntoView {
    let state = Signal::derive(move || {
        let s = sort.get();
        (s.field == field).then_some(if s.descending {
            "descending"
        } else {
            "ascending"
        })
    });
    view! {
        <th scope="col" class=class aria-sort=state>
            <button type="button" class="se-sort" on:click=move |_| on_sort.run(sort_by(sort.get_untracked(), field))>
                {label}
                <SortIcon state=state />
            </button>
        </th>
    }
}

/// The grid row an event happened in, if any.
fn row_of(target: Option<EventTarget>) -> Option<HtmlElement> {
    let el = target?.dyn_into::<web_sys::Element>().ok()?;
    el.closest("tr.se-row").ok()??.dyn_into().ok()
}

/// Moves focus to the previous or next row (Arrow keys), if there is one.
fn focus_sibling_row(row: &HtmlElement, forward: bool) {
    let sibling = if forward {
        row.next_element_sibling()
    } else {
        row.previous_element_sibling()
    };
    if let Some(el) = sibling.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = el.focus();
    }
}
