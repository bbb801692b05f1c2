use leptos::prelude::*;

use crate::api::ApiError;

/// A failed request: what went wrong, announced, with Retry. The rows already shown stay.
#[component]
pub fn ErrorBanner(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let t = super::texts();
    let detail = match &error {
        ApiError::Server {
            message: Some(m), ..
        } => Some(m.clone()),
        _ => None,
    };
    view! {
        <div class="se-banner se-banner--error" role="alert">
            <p class="se-banner__text">
                {error.describe(t)}
                {detail.map(|d| view! { <span class="se-banner__detail">{d}</span> })}
            </p>
            <button type="button" class="se-button" on:click=move |_| on_retry.run(())>
                {t.retry}
            </button>
        </div>
    }
}

/// 401: the session has ended; a sign-in link when the host gives one.
#[component]
pub fn SessionEnded(sign_in_href: Option<String>) -> impl IntoView {
    let t = super::texts();
    view! {
        <section class="se-state se-state--session" role="alert">
            <h2 class="se-state__title">{t.session_ended}</h2>
            <p>{t.session_ended_hint}</p>
            {sign_in_href.map(|href| view! { <a class="se-button se-button--primary" href=href rel="external">{t.sign_in}</a> })}
        </section>
    }
}

/// 403: the user is not an admin. No data, no toolbar.
#[component]
pub fn AdminRequired() -> impl IntoView {
    let t = super::texts();
    view! {
        <section class="se-state se-state--forbidden" role="alert">
            <h2 class="se-state__title">{t.admin_required}</h2>
            <p>{t.admin_required_hint}</p>
        </section>
    }
}
