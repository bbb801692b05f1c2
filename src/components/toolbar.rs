//! Above the grid: the applied filters as removable chips, Refresh, and the Filter button
//! (far right) with the count of active filters.

use leptos::prelude::*;
use sync_errors_api::Level;

use super::error_table::level_label;
use super::export_control::{ExportButton, ExportProgress, ExportRun};
use super::icons::{CloseIcon, FilterIcon, RefreshIcon};
use crate::state::{History, TabState};
use crate::view_query::Filters;

#[component]
pub fn Toolbar() -> impl IntoView {
    let state = expect_context::<TabState>();
    let busy = move || state.list.with(|l| l.is_loading());
    let export = ExportRun::new();
    view! {
        <div class="se-toolbar">
            <FilterChips />
            <div class="se-toolbar__actions">
                <button
                    type="button"
                    class="se-button"
                    on:click=move |_| state.reload(true)
                    disabled=busy
                    title="Load errors that arrived since"
                >
                    <RefreshIcon />
                    "Refresh"
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
    let count = move || state.view.with(|v| v.filters().active_count());
    let description = move || match count() {
        0 => "No filters applied".to_string(),
        1 => "1 filter applied".to_string(),
        n => format!("{n} filters applied"),
    };
    view! {
        <button
            type="button"
            class="se-button se-filter-button"
            aria-label="Filter"
            aria-describedby="se-filter-count"
            aria-haspopup="dialog"
            aria-expanded=move || state.drawer_open.get().to_string()
            aria-controls="se-filter-drawer"
            disabled=move || state.window().is_none()
            on:click=move |_| state.drawer_open.set(true)
        >
            <FilterIcon />
            <Show when=move || { count() > 0 }>
                <span class="se-filter-button__count" aria-hidden="true">{count}</span>
            </Show>
        </button>
        <span id="se-filter-count" hidden>{description}</span>
    }
}

/// One chip per applied filter; removing one shows the errors without it.
#[component]
fn FilterChips() -> impl IntoView {
    let state = expect_context::<TabState>();
    let tf = super::time_format();
    let chips = move || {
        let f = state.view.with(|v| v.filters());
        let mut chips: Vec<(String, Filters)> = Vec::new();
        if let Some(from) = f.from {
            chips.push((
                format!("From {}", tf.short(from)),
                Filters { from: None, ..f },
            ));
        }
        if let Some(to) = f.to {
            chips.push((format!("To {}", tf.short(to)), Filters { to: None, ..f }));
        }
        if let Some(level) = f.level {
            chips.push((
                format!("Failed on: {}", level_label(level)),
                Filters {
                    level: None::<Level>,
                    ..f
                },
            ));
        }
        chips
    };
    let remove = move |without: Filters| {
        let next = state.view.with_untracked(|v| v.with_filters(without));
        state.go(next, History::Push);
    };
    view! {
        <ul class="se-chips" aria-label="Applied filters">
            {move || {
                chips()
                    .into_iter()
                    .map(|(label, without)| {
                        let name = format!("Remove filter: {label}");
                        view! {
                            <li class="se-chip">
                                <span class="se-chip__label">{label}</span>
                                <button
                                    type="button"
                                    class="se-chip__remove"
                                    aria-label=name
                                    on:click=move |_| remove(without)
                                >
                                    <CloseIcon />
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}
