//! Below the grid: page size, "first–last of total", previous and next.

use leptos::prelude::*;

use crate::model::view_query::PAGE_SIZES;
use crate::shell::state::{History, TabState};
use crate::text::format::page_count;
use crate::text::i18n::fill;

#[component]
pub fn Pager() -> impl IntoView {
    let state = expect_context::<TabState>();
    let view = state.view;
    let (lang, t) = (super::lang(), super::texts());
    let shown = move || {
        state.list.with(|l| {
            l.data().map(|p| {
                let offset = p.offset.unwrap_or_else(|| view.with(|v| v.list.offset()));
                (offset, p.items.len(), p.total, p.next_cursor.is_some())
            })
        })
    };
    let page = move || view.with(|v| v.list.page);
    let page_size = move || view.with(|v| v.list.page_size);
    // The page of the rows on screen and the page count, as the range beside them: while
    // the next rows load (another page, another page size), the pager names what is shown
    // until they come, rather than mixing the new size with the old rows.
    let page_label = Memo::new(move |shown_before: Option<&Option<(u64, u64)>>| {
        match (shown_before, state.list.with(|l| l.is_loading())) {
            (Some(before), true) => *before,
            _ => shown().map(|(offset, _, total, _)| {
                let size = page_size();
                (offset / u64::from(size.max(1)) + 1, page_count(total, size))
            }),
        }
    });
    let has_next = move || {
        shown().is_some_and(|(offset, len, total, more)| more || offset + (len as u64) < total)
    };
    let on_size = move |ev: leptos::ev::Event| {
        if let Ok(size) = event_target_value(&ev).parse::<u32>() {
            let next = view.with_untracked(|v| v.list.with_page_size(size));
            state.go_to_list(next, History::Push);
        }
    };
    view! {
        <nav class="se-pager" aria-label=move || t().pages>
            <label class="se-pager__size">
                {move || t().rows_per_page}" "
                <select class="se-select" on:change=on_size prop:value=move || view.with(|v| v.list.page_size.to_string())>
                    {PAGE_SIZES
                        .iter()
                        .map(|s| view! { <option value=s.to_string()>{s.to_string()}</option> })
                        .collect_view()}
                </select>
            </label>
            <span class="se-pager__range">
                {move || shown().map(|(offset, len, total, _)| lang().range_of_total(offset, len, total))}
            </span>
            // Previous, the page and Next stay together when the pager wraps (on a phone).
            <span class="se-pager__nav">
                <button
                    type="button"
                    class="se-button"
                    aria-label=move || t().previous_page
                    disabled=move || page() <= 1
                    on:click=move |_| state.previous_page()
                >
                    {move || t().previous}
                </button>
                // Shown while the grid above is busy (see the style sheet).
                <span class="se-spinner se-pager__spinner" aria-hidden="true"></span>
                <span class="se-pager__page" aria-live="polite">
                    {move || {
                        let (shown, n) = page_label.get()?;
                        Some(fill(t().page_of, &[&lang().count(shown), &lang().count(n)]))
                    }}
                </span>
                <button
                    type="button"
                    class="se-button"
                    aria-label=move || t().next_page
                    disabled=move || !has_next()
                    on:click=move |_| state.next_page()
                >
                    {move || t().next}
                </button>
            </span>
        </nav>
    }
}
