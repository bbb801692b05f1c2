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

/// Where to sign in again, coming back afterwards to the view shown when the session ended
/// (read from the address then, not when the page was first shown).
pub(crate) fn sign_in_href(sign_in_url: Option<&str>) -> Option<String> {
    sign_in_url.map(|url| {
        let here = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        let sep = if url.contains('?') { '&' } else { '?' };
        let next: String = form_urlencoded::byte_serialize(relative(&here).as_bytes()).collect();
        format!("{url}{sep}next={next}")
    })
}

/// Sign in again, where a request the admin made met an ended session (an export, the
/// detail): the host's sign-in page, coming back to this view.
#[component]
pub fn SignInLink() -> impl IntoView {
    let t = super::texts();
    let settings = use_context::<RwSignal<crate::model::settings::Settings>>();
    move || {
        let url = settings.and_then(|s| s.with(|s| s.sign_in_url.clone()));
        sign_in_href(url.as_deref()).map(|href| {
            view! { <a class="se-button se-button--small se-button--primary" href=href rel="external">{move || t().sign_in}</a> }
        })
    }
}

/// The path and query of an absolute URL, for a same-origin `next` parameter.
fn relative(href: &str) -> String {
    href.find("://")
        .and_then(|i| {
            href[i + 3..]
                .find('/')
                .map(|j| href[i + 3 + j..].to_owned())
        })
        .unwrap_or_else(|| "/".to_owned())
}
