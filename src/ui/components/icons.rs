//! Inline SVG icons; decorative (`aria-hidden`), the controls carry the names.

use leptos::prelude::*;

#[component]
pub fn FilterIcon() -> impl IntoView {
    view! {
        <svg class="se-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M3 5h18l-7 8.5V19l-4 2v-7.5z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />
        </svg>
    }
}

#[component]
pub fn CloseIcon() -> impl IntoView {
    view! {
        <svg class="se-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6 6l12 12M18 6L6 18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
        </svg>
    }
}

#[component]
pub fn RefreshIcon() -> impl IntoView {
    view! {
        <svg class="se-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M20 12a8 8 0 1 1-2.3-5.7M20 4v5h-5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
    }
}

#[component]
pub fn ExternalIcon() -> impl IntoView {
    view! {
        <svg class="se-icon se-icon--small" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M14 4h6v6M20 4l-9 9M18 14v6H4V6h6" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
    }
}

/// ▲ / ▼ / ⇅ for a sortable column header.
#[component]
pub fn SortIcon(#[prop(into)] state: Signal<Option<&'static str>>) -> impl IntoView {
    let path = move || match state.get() {
        Some("ascending") => "M12 6l6 8H6z",
        Some(_) => "M12 18l6-8H6z",
        None => "M12 4l5 6H7zM12 20l5-6H7z",
    };
    view! {
        <svg class="se-icon se-icon--small se-sort__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=path fill="currentColor" />
        </svg>
    }
}

#[component]
pub fn SearchIcon() -> impl IntoView {
    view! {
        <svg class="se-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M10.5 4a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13z" fill="none" stroke="currentColor" stroke-width="2" />
            <path d="M15.5 15.5L21 21" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
        </svg>
    }
}
