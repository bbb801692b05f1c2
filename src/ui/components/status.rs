use leptos::prelude::*;

use crate::client::ApiError;
use crate::text::i18n::fill;

/// A failed request: what went wrong, announced, with Retry. The rows already shown stay.
/// `page` names the page that could not be loaded, when paging failed.
#[component]
pub fn ErrorBanner(
    error: ApiError,
    #[prop(default = None)] page: Option<u64>,
    #[prop(into)] on_retry: Callback<()>,
) -> impl IntoView {
    let (lang, t) = (super::lang(), super::texts());
    let failed_page = move || page.map(|p| fill(t().page_failed, &[&lang().count(p)]) + " ");
    let detail = match &error {
        ApiError::Server {
            message: Some(m), ..
        } => Some(m.clone()),
        _ => None,
    };
    view! {
        <div class="se-banner se-banner--error" role="alert">
            <p class="se-banner__text">
                {failed_page}
                {move || error.describe(t())}
                {detail.map(|d| view! { <span class="se-banner__detail">{d}</span> })}
            </p>
            <button type="button" class="se-button" on:click=move |_| on_retry.run(())>
                {move || t().retry}
            </button>
        </div>
    }
}

/// 401 on the first request: the visitor has not signed in yet. An invitation, not an alarm.
#[component]
pub fn SignedOut(sign_in_href: Option<String>) -> impl IntoView {
    let t = super::texts();
    let no_link = sign_in_href.is_none();
    view! {
        <section class="se-state se-state--signed-out">
            <h3 class="se-state__title">{move || t().signed_out}</h3>
            <p>{move || t().signed_out_hint}</p>
            {no_link.then(|| view! { <p>{move || t().signed_out_no_link}</p> })}
            {sign_in_href.map(|href| view! { <a class="se-button se-button--primary se-button--large" href=href rel="external">{move || t().sign_in}</a> })}
        </section>
    }
}

/// 401 after a success: the session has ended; a sign-in link when the host gives one.
#[component]
pub fn SessionEnded(sign_in_href: Option<String>) -> impl IntoView {
    let t = super::texts();
    // The grid and the control the admin used went: focus goes to the way forward.
    let state = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if let Some(section) = state.get()
            && super::focus_lost(&section)
        {
            super::focus_first(&section, "a");
        }
    });
    view! {
        <section class="se-state se-state--session" role="alert" node_ref=state>
            <h3 class="se-state__title">{move || t().session_ended}</h3>
            <p>{move || t().session_ended_hint}</p>
            {sign_in_href.map(|href| view! { <a class="se-button se-button--primary" href=href rel="external">{move || t().sign_in}</a> })}
        </section>
    }
}

/// 403: the user is not an admin. No data, no toolbar.
#[component]
pub fn AdminRequired() -> impl IntoView {
    let t = super::texts();
    view! {
        <section class="se-state se-state--forbidden" role="alert">
            <h3 class="se-state__title">{move || t().admin_required}</h3>
            <p>{move || t().admin_required_hint}</p>
        </section>
    }
}
