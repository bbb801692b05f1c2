use leptos::prelude::*;
use sync_errors_api::{Sort, SortField, SyncError};
use wasm_bindgen::JsCast;
use web_sys::{EventTarget, FocusEvent, HtmlElement, KeyboardEvent, MouseEvent};

use super::icons::SortIcon;
use crate::model::view_query::sort_by;
use crate::shell::state::TabState;
use crate::text::i18n::Texts;
use crate::ui::grid_html::rows_html;

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
        rows.with(|r| {
            focused_row.with_value(|id| rows_html(r, t(), tf().local_many(), id.as_deref()))
        })
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
        // After Previous or Next: the new rows' top comes into view, and focus, if it was on
        // the pager (now out of view), moves to the first row.
        if use_context::<TabState>().is_some_and(|s| s.take_paged()) {
            show_top(&body);
            return;
        }
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
            key @ ("ArrowDown" | "ArrowUp" | "Home" | "End" | "PageDown" | "PageUp") => {
                ev.prevent_default();
                let rows = body.get_untracked().map(|b| b.children());
                let Some(rows) = rows else { return };
                let count = rows.length();
                let at = (0..count)
                    .find(|&i| rows.item(i).is_some_and(|r| r.is_same_node(Some(&row))))
                    .unwrap_or(0);
                let target = row_to_focus(key, at, count, rows_per_screen(&row));
                if let Some(el) = rows
                    .item(target)
                    .and_then(|e| e.dyn_into::<HtmlElement>().ok())
                {
                    let _ = el.focus();
                }
            }
            _ => {}
        }
    };
    view! {
        <div class="se-grid" aria-busy=move || busy.get().to_string()>
            // The roles are explicit: in a grid narrower than 61rem the rows are cards (see grid_html).
            <table class="se-table" role="table">
                <caption class="se-visually-hidden">
                    {move || t().table_caption}
                </caption>
                <thead role="rowgroup">
                    <tr role="row">
                        <SortHeader label=|t| t.col_level field=SortField::Level class="se-table__level" sort on_sort />
                        <SortHeader label=|t| t.col_time field=SortField::FailedAt class="se-table__time" sort on_sort />
                        <SortHeader label=|t| t.col_code field=SortField::ErrorCode class="se-table__code" sort on_sort />
                        <th scope="col" role="columnheader" class="se-table__message">{move || t().col_message}</th>
                        <th scope="col" role="columnheader" class="se-table__object">{move || t().col_object}</th>
                    </tr>
                </thead>
                <tbody role="rowgroup" node_ref=body on:click=on_click on:keydown=on_keydown on:focusin=on_focusin></tbody>
            </table>
        </div>
    }
}

#[component]
fn SortHeader(
    label: fn(&Texts) -> &'static str,
    field: SortField,
    class: &'static str,
    sort: Signal<Sort>,
    on_sort: Callback<Sort>,
) -> impl IntoView {
    let texts = super::texts();
    let state = Signal::derive(move || {
        let s = sort.get();
        (s.field == field).then_some(if s.descending {
            "descending"
        } else {
            "ascending"
        })
    });
    view! {
        <th scope="col" role="columnheader" class=class aria-sort=state>
            <button type="button" class="se-sort" on:click=move |_| on_sort.run(sort_by(sort.get_untracked(), field))>
                {move || label(texts())}
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

/// The row a navigation key moves to from row `at` of `count`: one up or down with the
/// arrows, the first or last with Home and End, a screenful with Page Up and Page Down.
pub fn row_to_focus(key: &str, at: u32, count: u32, per_screen: u32) -> u32 {
    let last = count.saturating_sub(1);
    let step = per_screen.max(1);
    match key {
        "ArrowDown" => (at + 1).min(last),
        "ArrowUp" => at.saturating_sub(1),
        "Home" => 0,
        "End" => last,
        "PageDown" => at.saturating_add(step).min(last),
        "PageUp" => at.saturating_sub(step),
        _ => at,
    }
}

/// How many rows like `row` fit in the viewport (at least one).
fn rows_per_screen(row: &HtmlElement) -> u32 {
    let height = row.get_bounding_client_rect().height();
    let viewport = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(600.0);
    if height > 0.0 {
        ((viewport / height).floor() as u32)
            .saturating_sub(1)
            .max(1)
    } else {
        10
    }
}

/// Brings the grid's top into view when it is above the viewport, and moves focus from the
/// pager (which the new rows push out of view) to the first row.
fn show_top(body: &web_sys::HtmlElement) {
    let Some(grid) = body.closest(".se-grid").ok().flatten() else {
        return;
    };
    if grid.get_bounding_client_rect().top() < 0.0 {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Start);
        grid.scroll_into_view_with_scroll_into_view_options(&options);
    }
    // On the pager, or lost (a Retry button that went away with its message).
    let on_pager = super::active_element(body)
        .is_some_and(|a| a.closest(".se-pager").ok().flatten().is_some());
    if (on_pager || super::focus_lost(body))
        && let Some(first) = body
            .first_element_child()
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        let _ = first.focus();
    }
}

#[cfg(test)]
mod tests {
    use super::row_to_focus;

    #[test]
    fn navigation_keys_move_within_the_rows() {
        assert_eq!(row_to_focus("ArrowDown", 0, 100, 10), 1);
        assert_eq!(row_to_focus("ArrowDown", 99, 100, 10), 99);
        assert_eq!(row_to_focus("ArrowUp", 0, 100, 10), 0);
        assert_eq!(row_to_focus("Home", 42, 100, 10), 0);
        assert_eq!(row_to_focus("End", 42, 100, 10), 99);
        assert_eq!(row_to_focus("PageDown", 42, 100, 10), 52);
        assert_eq!(row_to_focus("PageDown", 95, 100, 10), 99);
        assert_eq!(row_to_focus("PageUp", 5, 100, 10), 0);
        assert_eq!(row_to_focus("End", 0, 0, 10), 0);
    }
}
