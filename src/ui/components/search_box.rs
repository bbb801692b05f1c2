//! The search field at the left of the toolbar (`q`): an error ID, a Marketo or Salesforce
//! ID, or words of the message or code. Enter searches at once, typing searches after a
//! short pause, Escape clears. Hidden when the server has no summary (API 1.0), which
//! would ignore it.

use std::time::Duration;

use leptos::prelude::*;

use super::icons::SearchIcon;
use crate::model::applied::with_text;
use crate::shell::state::{History, TabState};

/// How long typing pauses before the search runs.
const PAUSE: Duration = Duration::from_millis(400);

#[component]
pub fn SearchBox() -> impl IntoView {
    let state = expect_context::<TabState>();
    let t = super::texts();
    let applied = Memo::new(move |_| state.view.with(|v| v.list.filters.q.clone()));
    let text = RwSignal::new(applied.get_untracked().unwrap_or_default());
    // What this field last searched for: a change of `q` from elsewhere (a chip removed,
    // Back, a link) shows in the field; its own search does not overwrite newer typing.
    let sent = StoredValue::new(applied.get_untracked());
    Effect::new(move |_| {
        let q = applied.get();
        if sent.get_value() != q {
            sent.set_value(q.clone());
            text.set(q.unwrap_or_default());
        }
    });
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let cancel = move || {
        if let Some(handle) = timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    on_cleanup(cancel);
    let search = move |typed: bool| {
        cancel();
        let value = text.get_untracked();
        let (next, had) = state.view.with_untracked(|v| {
            (
                v.with_filters(with_text(&v.list.filters, &value)),
                v.list.filters.q.is_some(),
            )
        });
        if next.list.filters.q == state.view.with_untracked(|v| v.list.filters.q.clone()) {
            return;
        }
        sent.set_value(next.list.filters.q.clone());
        // Refining a search while typing stays one history entry.
        let history = if typed && had {
            History::Replace
        } else {
            History::Push
        };
        state.go(next, history);
    };
    let on_input = move |ev: leptos::ev::Event| {
        text.set(event_target_value(&ev));
        cancel();
        let handle = set_timeout_with_handle(move || search(true), PAUSE).ok();
        timer.set_value(handle);
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && !text.get_untracked().is_empty() {
            // Cleared here rather than by the browser, and not passed on to a dialog.
            ev.prevent_default();
            ev.stop_propagation();
            text.set(String::new());
            search(false);
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        search(false);
    };
    view! {
        <Show when=move || !state.summary_missing.get()>
            <form class="se-search" role="search" on:submit=on_submit>
                <label class="se-visually-hidden" for="se-search">{move || t().search}</label>
                <SearchIcon />
                <input
                    id="se-search"
                    class="se-search__input"
                    type="search"
                    autocomplete="off"
                    spellcheck="false"
                    maxlength="200"
                    placeholder=move || t().search_placeholder
                    prop:value=move || text.get()
                    on:input=on_input
                    on:keydown=on_keydown
                />
            </form>
        </Show>
    }
}
