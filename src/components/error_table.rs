use leptos::prelude::*;
use sync_errors_api::{Level, Sort, SortField, SyncError};
use wasm_bindgen::JsCast;
use web_sys::{EventTarget, FocusEvent, HtmlElement, KeyboardEvent, MouseEvent};

use super::icons::SortIcon;
use crate::format::{rfc3339, utc_exact};
use crate::i18n::Texts;
use crate::intl::TimeFormat;
use crate::view_query::sort_by;

pub fn level_label(t: &Texts, level: Level) -> &'static str {
    match level {
        Level::Record => t.record_level,
        Level::Job => t.job_level,
    }
}

/// The grid of errors: a semantic table, one keyed row per error, sortable from its
/// headers, each row opening its detail on click, Enter or Space.
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
    // Roving tab stop: one row is in the Tab order (the last focused, else the first), the
    // others are reached with the arrow keys, so Tab goes from the grid to the pager in one
    // step rather than one per row.
    let focused_row = RwSignal::new(None::<String>);
    let tab_stop = Memo::new(move |_| {
        let wanted = focused_row.get();
        rows.with(|r| match wanted {
            Some(id) if r.iter().any(|e| e.id == id) => Some(id),
            _ => r.first().map(|e| e.id.clone()),
        })
    });
    let on_focusin = move |ev: FocusEvent| {
        if let Some(row) = row_of(ev.target()) {
            focused_row.set(row.get_attribute("data-id"));
        }
    };
    // One click and one keydown listener for the whole body rather than two per row: the
    // row is found from the event's target. A 1,000-row page saves 2,000 listeners.
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
                <tbody on:click=on_click on:keydown=on_keydown on:focusin=on_focusin>
                    <For each=move || rows.get() key=|e| e.id.clone() children=move |error| error_row(error, t, &tf, tab_stop) />
                </tbody>
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

/// One row. Its text is built once; the time's exact UTC value is a tooltip shown on hover
/// and focus (CSS), and the row opens through the body's listeners.
fn error_row(
    error: SyncError,
    t: &'static Texts,
    tf: &TimeFormat,
    tab_stop: Memo<Option<String>>,
) -> impl IntoView + use<> {
    let level_class = match error.level {
        Level::Record => "se-badge se-badge--record",
        Level::Job => "se-badge se-badge--job",
    };
    let id = error.id.clone();
    let tabindex = move || {
        if tab_stop.with(|s| s.as_deref() == Some(id.as_str())) {
            "0"
        } else {
            "-1"
        }
    };
    view! {
        <tr class="se-row" data-id=error.id tabindex=tabindex>
            <td><span class=level_class>{level_label(t, error.level)}</span></td>
            <td>
                <time class="se-time" datetime=rfc3339(error.failed_at)>
                    {tf.local(error.failed_at)}
                    <span class="se-time__utc" role="tooltip">{utc_exact(error.failed_at)}</span>
                </time>
            </td>
            <td><code class="se-code">{error.error_code}</code></td>
            <td><span class="se-message">{error.message}</span></td>
            <td>{error.object_type.unwrap_or_default()}</td>
        </tr>
    }
}
