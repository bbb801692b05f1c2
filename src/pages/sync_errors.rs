//! The Sync Errors tab: the view in the URL, one list request at a time, and the states.

use chrono::{DateTime, Utc};
use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;
use sync_errors_api::ErrorPage;

use crate::api::{ApiClient, ApiError};
use crate::components::{AdminRequired, ErrorBanner, ErrorTable, SessionEnded};
use crate::format::{count, range_of_total, utc_exact};
use crate::intl::local_time;
use crate::loader::Loader;
use crate::settings::Settings;
use crate::view_query::{Filters, ViewQuery};

#[component]
pub fn SyncErrorsPage() -> impl IntoView {
    let settings = expect_context::<Settings>();
    let client = expect_context::<ApiClient>();
    let location = use_location();
    let view_query = Memo::new(move |_| ViewQuery::from_query_string(&location.search.get()).0);

    let loader = RwSignal::new(Loader::<ErrorPage>::default());
    let retry = RwSignal::new(0u32);
    // The first answer's `window.to`, for the filters it was asked with: later pages keep it.
    let pin = StoredValue::new(None::<(Filters, DateTime<Utc>)>);
    let in_flight = StoredValue::new_local(None::<AbortHandle>);

    Effect::new(move |_| {
        let view = view_query.get();
        retry.track();
        let pinned_to = pin
            .get_value()
            .filter(|(filters, _)| *filters == view.filters())
            .map(|(_, to)| to);
        let query = view.list_query(pinned_to, None);
        if let Some(previous) = in_flight.get_value() {
            previous.abort();
        }
        let Some(ticket) = loader.try_update(|l| l.begin()) else {
            return;
        };
        let (handle, registration) = AbortHandle::new_pair();
        in_flight.set_value(Some(handle));
        let client = client.clone();
        spawn_local(async move {
            let Ok(result) = Abortable::new(client.list(&query), registration).await else {
                return;
            };
            if let Ok(page) = &result
                && pinned_to.is_none()
            {
                pin.set_value(Some((view.filters(), page.window.to)));
            }
            loader.try_update(|l| {
                if matches!(
                    result,
                    Err(ApiError::AdminRequired | ApiError::Unauthenticated)
                ) && l.is_current(ticket)
                {
                    l.clear();
                }
                l.settle(ticket, result);
            });
        });
    });
    on_cleanup(move || {
        if let Some(handle) = in_flight.get_value() {
            handle.abort();
        }
    });

    let page = move || loader.with(|l| l.data().cloned());
    let error = move || loader.with(|l| l.error().cloned());
    let busy = Signal::derive(move || loader.with(Loader::is_loading));
    let rows = Signal::derive(move || {
        loader.with(|l| l.data().map(|p| p.items.clone()).unwrap_or_default())
    });
    let sign_in_href = settings.sign_in_url.clone().map(|url| {
        let here = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        let sep = if url.contains('?') { '&' } else { '?' };
        let next: String = form_urlencoded::byte_serialize(relative(&here).as_bytes()).collect();
        format!("{url}{sep}next={next}")
    });

    let blocked = move || {
        matches!(
            error(),
            Some(ApiError::AdminRequired | ApiError::Unauthenticated)
        )
    };

    view! {
        <section class="se-page" aria-labelledby="se-page-title">
            <h2 id="se-page-title" class="se-page__title">"Sync Errors"</h2>
            {move || match error() {
                Some(ApiError::AdminRequired) => view! { <AdminRequired /> }.into_any(),
                Some(ApiError::Unauthenticated) => view! { <SessionEnded sign_in_href=sign_in_href.clone() /> }.into_any(),
                Some(e) => view! { <ErrorBanner error=e on_retry=move |_| retry.update(|n| *n += 1) /> }.into_any(),
                None => ().into_any(),
            }}
            <Show when=move || !blocked()>
                {move || page().map(|p| view! { <WindowLine page=p /> })}
                <div class="se-status" role="status" aria-live="polite">
                    {move || match (page(), busy.get()) {
                        (_, true) => "Loading sync errors…".to_string(),
                        (Some(p), false) => {
                            let offset = p.offset.unwrap_or(view_query.with(ViewQuery::offset));
                            format!("Showing {}", range_of_total(offset, p.items.len(), p.total))
                        }
                        (None, false) => String::new(),
                    }}
                </div>
                <Show
                    when=move || page().is_some_and(|p| p.items.is_empty())
                    fallback=move || view! { <ErrorTable rows=rows busy=busy /> }
                >
                    <div class="se-empty">
                        <h3>"No sync errors match"</h3>
                        <p>"Widen the date and time range, or show both levels, to see more errors."</p>
                    </div>
                </Show>
            </Show>
        </section>
    }
}

/// "Errors from … to …, five days before the current sync."
#[component]
fn WindowLine(page: ErrorPage) -> impl IntoView {
    let w = page.window;
    view! {
        <p class="se-window">
            "Errors from "
            <time datetime=crate::format::rfc3339(w.from) title=utc_exact(w.from)>{local_time(w.from)}</time>
            " to "
            <time datetime=crate::format::rfc3339(w.to) title=utc_exact(w.to)>{local_time(w.to)}</time>
            ", five days before the current sync ("
            <time datetime=crate::format::rfc3339(w.current_sync_at)>{local_time(w.current_sync_at)}</time>
            "). "
            {format!("{} in all.", count(page.total))}
        </p>
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
