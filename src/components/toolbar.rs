//! Above the grid: the applied filters as removable chips, Refresh, and the Filter button
//! (far right) with the count of active filters.

use leptos::prelude::*;
use sync_errors_api::Level;

use super::export_control::{ExportButton, ExportProgress, ExportRun};
use super::icons::{CloseIcon, FilterIcon, RefreshIcon};
use crate::i18n::fill;
use crate::i18n::level_label;
use crate::state::{History, TabState};
use crate::view_query::Filters;

#[component]
pub fn Toolbar() -> impl IntoView {
    let state = expect_context::<TabState>();
    let t = super::texts();
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
                    title=t.refresh_hint
                >
                    <RefreshIcon />
                    {t.refresh}
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
    let count = move || state.view.with(|v| v.filters().active_count());
    let description = move || match count() {
        0 => t.no_filters.to_string(),
        1 => t.one_filter.to_string(),
        n => fill(t.filters_applied, &[&n.to_string()]),
    };
    view! {
        <button
            type="button"
            class="se-button se-filter-button"
            aria-label=t.filter
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
    let t = super::texts();
    let chips = move || {
        let f = state.view.with(|v| v.filters());
        let mut chips: Vec<(String, Filters)> = Vec::new();
        if let Some(from) = f.from {
            chips.push((
                fill(t.chip_from, &[&tf.short(from)]),
                Filters { from: None, ..f },
            ));
        }
        if let Some(to) = f.to {
            chips.push((fill(t.chip_to, &[&tf.short(to)]), Filters { to: None, ..f }));
        }
        if let Some(level) = f.level {
            chips.push((
                fill(t.chip_level, &[level_label(t, level)]),
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
        <ul class="se-chips" aria-label=t.applied_filters>
            {move || {
                chips()
                    .into_iter()
                    .map(|(label, without)| {
                        let name = fill(t.remove_filter, &[&label]);
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
