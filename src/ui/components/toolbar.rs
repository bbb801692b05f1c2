//! Above the grid: the applied filters as removable chips, Refresh, and the Filter button
//! (far right) with the count of active filters.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::data_text::DataText;
use super::export_control::{ExportButton, ExportProgress, ExportRun};
use super::icons::{CloseIcon, FilterIcon, RefreshIcon};
use super::search_box::SearchBox;
use crate::model::applied::{Applied, applied, in_drawer, without};
use crate::model::view_query::Filters;
use crate::shell::state::{History, TabState};
use crate::text::i18n::{Texts, fill, level_label};
use crate::text::intl::TimeFormat;

#[component]
pub fn Toolbar() -> impl IntoView {
    let state = expect_context::<TabState>();
    let t = super::texts();
    let busy = move || state.list.with(|l| l.is_loading());
    let export = ExportRun::new();
    view! {
        <div class="se-toolbar">
            <SearchBox />
            <FilterChips />
            <div class="se-toolbar__actions">
                <button
                    type="button"
                    class="se-button"
                    // Not disabled while loading, which would drop its focus: it waits.
                    on:click=move |_| if !busy() { state.reload(true) }
                    aria-disabled=move || busy().to_string()
                    title=move || t().refresh_hint
                >
                    <RefreshIcon />
                    {move || t().refresh}
                </button>
                <ExportButton run=export />
                <FilterButton />
            </div>
        </div>
        <ExportProgress run=export />
    }
}

#[component]
fn FilterButton() -> impl IntoView {
    let state = expect_context::<TabState>();
    let t = super::texts();
    let count = move || state.view.with(|v| in_drawer(&v.list.filters));
    view! {
        <button
            type="button"
            class="se-button se-filter-button"
            // The visible count is part of the name (WCAG 2.5.3): "Filter, 1 applied".
            aria-label=move || t().filter_button(count())
            aria-haspopup="dialog"
            aria-expanded=move || state.drawer_open.get().to_string()
            // Only while the drawer is there: a reference to nothing is an error.
            aria-controls=move || state.drawer_open.get().then_some("se-filter-drawer")
            disabled=move || state.window().is_none()
            on:click=move |_| state.drawer_open.set(true)
        >
            <FilterIcon />
            <Show when=move || { count() > 0 }>
                <span class="se-filter-button__count">{count}</span>
            </Show>
        </button>
    }
}

/// One chip per applied filter; removing one shows the errors without it. Focus then goes
/// to the chip that took its place, else the previous one, else the Filter button.
#[component]
fn FilterChips() -> impl IntoView {
    let state = expect_context::<TabState>();
    let tf = super::time_format();
    let t = super::texts();
    let chips = Memo::new(move |_| {
        state.view.with(|v| {
            applied(&v.list.filters)
                .into_iter()
                .map(|one| (chip_label(t(), &tf(), &one), without(&v.list.filters, &one)))
                .collect::<Vec<(String, Filters)>>()
        })
    });
    let list = NodeRef::<leptos::html::Ul>::new();
    let refocus = StoredValue::new(None::<usize>);
    Effect::new(move |_| {
        let count = chips.with(Vec::len);
        let (Some(index), Some(list)) =
            (refocus.try_update_value(|r| r.take()).flatten(), list.get())
        else {
            return;
        };
        let target = if count == 0 {
            list.closest(".se-toolbar")
                .ok()
                .flatten()
                .and_then(|bar| bar.query_selector(".se-filter-button").ok().flatten())
        } else {
            list.query_selector_all(".se-chip__remove")
                .ok()
                .and_then(|buttons| buttons.item(index.min(count - 1) as u32))
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        };
        if let Some(el) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
    let remove = move |index: usize, without: Filters| {
        refocus.set_value(Some(index));
        let next = state.view.with_untracked(|v| v.with_filters(without));
        state.go(next, History::Push);
    };
    // With two filters or more, one button takes them all off (focus then goes to Filter).
    let clear_all = move |_| remove(0, Filters::default());
    view! {
        <div class="se-filters">
        <ul class="se-chips" aria-label=move || t().applied_filters node_ref=list>
            {move || {
                chips
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(index, (label, without))| {
                        let name = fill(t().remove_filter, &[&label]);
                        view! {
                            <li class="se-chip">
                                <span class="se-chip__label"><DataText text=label /></span>
                                <button
                                    type="button"
                                    class="se-chip__remove"
                                    aria-label=name
                                    on:click=move |_| remove(index, without.clone())
                                >
                                    <CloseIcon />
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
        <Show when=move || chips.with(|c| c.len() >= 2)>
            <button type="button" class="se-button se-button--small" on:click=clear_all>
                {move || t().clear_filters}
            </button>
        </Show>
        </div>
    }
}

/// What a chip says: "Error type: DUPLICATE_VALUE", "Object: No object", "Search: “1042”".
fn chip_label(t: &Texts, tf: &TimeFormat, one: &Applied) -> String {
    let bound = |at| match one.picked_minute() {
        Some(minute) => tf.minute(minute),
        None => tf.local(at),
    };
    match one {
        Applied::From(from) => fill(t.chip_from, &[&bound(*from)]),
        Applied::To(to) => fill(t.chip_to, &[&bound(*to)]),
        Applied::Level(level) => fill(t.chip_level, &[level_label(t, *level)]),
        Applied::Code(code) => fill(t.chip_code, &[code]),
        Applied::Object(object) => fill(t.chip_object, &[object_label(t, object.as_deref())]),
        Applied::Text(q) => fill(t.chip_text, &[&shortened(q, 40)]),
    }
}

/// An object type as the tab names it: its name, or "No object".
pub fn object_label<'a>(t: &'a Texts, object: Option<&'a str>) -> &'a str {
    object.unwrap_or(t.no_object)
}

/// `text` cut to `max` characters with an ellipsis: a long search stays a chip, not a block
/// (the search field still holds it whole).
fn shortened(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}
