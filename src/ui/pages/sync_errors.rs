//! The Sync Errors tab: the window line, the toolbar, the grid with its states, the pager,
//! the filter drawer and the detail dialog, all driven by the view in the URL.

use leptos::prelude::*;
use sync_errors_api::Window;

use wasm_bindgen::JsValue;

use crate::client::{ApiClient, ApiError};
use crate::model::applied::{Applied, in_drawer, without};
use crate::model::settings::{Settings, UrlState};
use crate::model::view_query::ViewQuery;
use crate::shell::address::Address;
use crate::shell::app::InitialView;
use crate::shell::embed::{Host, TokenChanges};
use crate::shell::state::{History, TabState, ViewSource};
use crate::text::format::page_count;
use crate::text::i18n::fill;
use crate::text::time::{rfc3339, utc_exact};
use crate::ui::components::{
    AdminRequired, DataText, DetailModal, ErrorBanner, ErrorTable, FilterDrawer, Pager,
    SessionEnded, SignedOut, Toolbar, TriagePanel, sign_in_href,
};
use crate::ui::components::{lang, texts, time_format};

#[component]
pub fn SyncErrorsPage() -> impl IntoView {
    let settings = expect_context::<RwSignal<Settings>>();
    let (lang, t) = (lang(), texts());
    // The view the tab had before it was mounted anew (`url-state` changed, say).
    let carried = use_context::<InitialView>()
        .and_then(|v| v.0)
        .filter(|q| !q.is_empty());
    let in_url = settings.with_untracked(|s| s.url_state) == UrlState::Url;
    let source = if in_url {
        ViewSource::url(expect_context::<Address>())
    } else {
        ViewSource::memory(carried.clone().unwrap_or_default())
    };
    // The carried view wins over what the address held before (a view the admin changed
    // while the element kept it); on a first mount nothing is carried.
    let state = TabState::new(expect_context::<ApiClient>(), source);
    let carried = carried.map(|q| ViewQuery::from_query_string(&q).0);
    if let Some(view) = carried.filter(|v| in_url && *v != state.view.get_untracked()) {
        state.go(view, History::Replace);
    }
    provide_context(state);
    let list = state.list;
    let view = state.view;

    let page = Memo::new(move |_| list.with(|l| l.data().cloned()));
    let error = Memo::new(move |_| list.with(|l| l.error().cloned()));
    let busy = Signal::derive(move || list.with(|l| l.is_loading()));
    // The data is hidden (401, 403): one decision, `ApiError::hides_data`, for every part.
    let blocked = Memo::new(move |_| error.with(|e| e.as_ref().is_some_and(ApiError::hides_data)));
    let rows = Signal::derive(move || {
        page.with(|p| p.as_ref().map(|p| p.items.clone()).unwrap_or_default())
    });
    let sort = Signal::derive(move || view.with(|v| v.list.sort));
    let open_id = Memo::new(move |_| view.with(|v| v.open.clone()));
    let sign_in_url = move || settings.with(|s| s.sign_in_url.clone());

    tell_the_host(view, error, state.had_success);
    // A new token from the host: asked again only where the old one was refused.
    // A refusal that crossed the new token in flight is asked again too.
    if let Some(TokenChanges(changes)) = use_context::<TokenChanges>() {
        Effect::new(move |_| {
            let now = changes.get();
            if blocked.get() && state.asked_with_token.get_value() != now {
                state.reload(false);
            }
        });
    }

    let on_sort = Callback::new(move |sort| {
        let next = view.with_untracked(|v| v.list.with_sort(sort));
        state.go_to_list(next, History::Push);
    });
    let on_open = Callback::new(move |id: String| state.open_detail(id));

    let had_success = state.had_success;
    let signed_out = move || matches!(error.get(), Some(ApiError::Unauthenticated));
    let sign_out_url = move || settings.with(|s| s.sign_out_url.clone());
    // A failure from Previous or Next is said by the pager, where the admin acted.
    let failed_paging = move || state.failed.with(|f| f.as_ref().is_some_and(|f| f.paging));
    let banner = move |by_pager: bool| {
        move || match error.get() {
            Some(_) if blocked.get() => None,
            None => None,
            Some(e) if failed_paging() == by_pager => {
                let page = state
                    .failed
                    .with(|f| f.as_ref().filter(|f| f.paging).map(|f| f.view.page));
                Some(view! { <ErrorBanner error=e page=page on_retry=move |_| state.retry() /> })
            }
            Some(_) => None,
        }
    };

    view! {
        <section class="se-page" aria-labelledby="se-page-title">
            <div class="se-page__head">
                <h2 id="se-page-title" class="se-page__title">{move || t().sync_errors}</h2>
                {move || sign_out_url().filter(|_| !signed_out()).map(|url| view! {
                    <form class="se-sign-out" method="post" action=url>
                        <button type="submit" class="se-button se-button--small">{move || t().sign_out}</button>
                    </form>
                })}
            </div>
            {move || match error.get() {
                Some(ApiError::AdminRequired) => view! { <AdminRequired /> }.into_any(),
                Some(ApiError::Unauthenticated) if had_success.get() => view! { <SessionEnded sign_in_href=sign_in_href(sign_in_url().as_deref()) /> }.into_any(),
                Some(ApiError::Unauthenticated) => view! { <SignedOut sign_in_href=sign_in_href(sign_in_url().as_deref()) /> }.into_any(),
                _ => ().into_any(),
            }}
            {banner(false)}
            <IgnoredLinkParts />
            <Show when=move || !blocked.get()>
                {move || match page.with(|p| p.as_ref().map(|p| (p.window, p.total))) {
                    Some((window, total)) => view! { <WindowLine window total /> }.into_any(),
                    // While the first answer is on its way, its room: the same line for a
                    // window ending now and a four-digit count, unseen, so that what is below
                    // does not move down when it comes (it wraps to two lines at 1100 px, four
                    // on a phone). A first answer that failed leaves no blank in its place.
                    None => busy.get().then(|| view! {
                        <div class="se-window-room" aria-hidden="true">
                            <WindowLine window=window_ending_now() total=2000 />
                        </div>
                    })
                    .into_any(),
                }}
                <Toolbar />
                <OutsideWindow />
                <TriagePanel />
                <div class="se-status" role="status" aria-live="polite">
                    {move || {
                        // Borrowed, not cloned: a page holds up to 1,000 errors.
                        let shown = page.with(|p| p.as_ref().map(|p| (p.offset, p.items.len(), p.total)));
                        match (shown, busy.get()) {
                            (_, true) => view! { <span class="se-spinner" aria-hidden="true"></span> {move || t().loading} }.into_any(),
                            (Some((offset, count, total)), false) => {
                                let offset = offset.unwrap_or_else(|| view.with(|v| v.list.offset()));
                                fill(t().showing, &[&lang().range_of_total(offset, count, total)]).into_any()
                            }
                            (None, false) => ().into_any(),
                        }
                    }}
                </div>
                <Show
                    when=move || page.with(|p| p.as_ref().is_some_and(|p| p.items.is_empty()))
                    fallback=move || view! { <ErrorTable rows busy sort on_sort on_open /> }
                >
                    <EmptyState />
                </Show>
                {banner(true)}
                <Pager />
            </Show>
            {move || {
                // The window as the drawer opens: a newer answer underneath (Back, a
                // reload) does not mount it anew over the choices being made in it.
                (state.drawer_open.get() && !blocked.get())
                    .then(|| untrack(|| state.window()))
                    .flatten()
                    .map(|window| view! { <FilterDrawer window=window /> })
            }}
            {move || (!blocked.get()).then(|| open_id.get()).flatten().map(|id| view! { <DetailModal id=id /> })}
        </section>
    }
}

/// DOM events on the element for its host: `sync-errors-tab:view-change` (detail: `query`,
/// the URL query of the view), `sync-errors-tab:signed-out` and
/// `sync-errors-tab:session-ended` (detail: `signInUrl`).
fn tell_the_host(
    view: Memo<crate::model::view_query::ViewQuery>,
    error: Memo<Option<ApiError>>,
    had_success: RwSignal<bool>,
) {
    let Some(host) = use_context::<StoredValue<Host, LocalStorage>>() else {
        return;
    };
    let settings = expect_context::<RwSignal<Settings>>();
    let detail = |key: &str, value: &JsValue| {
        let o = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&o, &key.into(), value);
        o
    };
    Effect::new(move |_| {
        let query = view.with(|v| v.to_query_string());
        host.with_value(|h| h.emit("view-change", &detail("query", &query.into())));
    });
    // `session-ended` when a session that worked ends; `signed-out` when the first request
    // finds no session at all.
    Effect::new(move |was_ended: Option<bool>| {
        let ended = matches!(error.get(), Some(ApiError::Unauthenticated));
        if ended && was_ended != Some(true) {
            let url = settings
                .with_untracked(|s| s.sign_in_url.clone())
                .map_or(JsValue::NULL, JsValue::from);
            let name = if had_success.get_untracked() {
                "session-ended"
            } else {
                "signed-out"
            };
            host.with_value(|h| h.emit(name, &detail("signInUrl", &url)));
        }
        ended
    });
}

/// No rows: past the last page, or no error matches the filters.
#[component]
fn EmptyState() -> impl IntoView {
    let state = expect_context::<TabState>();
    let total = move || state.list.with(|l| l.data().map_or(0, |p| p.total));
    let filtered = move || state.view.with(|v| v.list.filters.active_count() > 0);
    let t = texts();
    view! {
        <div class="se-empty">
            {move || if total() > 0 {
                let go_to = move |last: bool| {
                    let next = state.view.with_untracked(|v| {
                        v.list.with_page(if last { page_count(total(), v.list.page_size) } else { 1 })
                    });
                    state.go_to_list(next, History::Replace);
                };
                view! {
                    <h3>{move || t().past_last_page}</h3>
                    <div class="se-empty__actions">
                        <button type="button" class="se-button se-button--primary" on:click=move |_| go_to(true)>{move || t().last_page}</button>
                        <button type="button" class="se-button" on:click=move |_| go_to(false)>{move || t().first_page}</button>
                    </div>
                }.into_any()
            } else if let Some(q) = state.view.with(|v| v.list.filters.q.clone()) {
                // A search found nothing: the way out is the search, not the drawer.
                let clear = move |_| {
                    let next = state.view.with_untracked(|v| {
                        v.with_filters(without(&v.list.filters, &Applied::Text(String::new())))
                    });
                    state.go(next, History::Push);
                };
                // Alone, it is what to change; with other filters, either may be.
                let alone = state.view.with(|v| in_drawer(&v.list.filters) == 0);
                let (title, hint) = if alone {
                    (t().no_match_search, t().no_match_search_hint)
                } else {
                    (t().no_match_text, t().no_match_hint)
                };
                view! {
                    <h3><DataText text=fill(title, &[&q]) /></h3>
                    <p>{hint}</p>
                    <button type="button" class="se-button" on:click=clear>{move || t().clear_search}</button>
                }.into_any()
            } else if filtered() {
                view! {
                    <h3>{move || t().no_match}</h3>
                    <p>{move || t().no_match_hint}</p>
                    <button type="button" class="se-button" on:click=move |_| state.drawer_open.set(true)>{move || t().change_filters}</button>
                }.into_any()
            } else {
                view! {
                    <h3>{move || t().no_errors}</h3>
                    <p>{move || t().no_errors_hint}</p>
                }.into_any()
            }}
        </div>
    }
}

/// Parts of a shared link that could not be read are named, not silently dropped.
#[component]
fn IgnoredLinkParts() -> impl IntoView {
    let state = expect_context::<TabState>();
    let t = texts();
    move || {
        let ignored = state.ignored.get();
        (!ignored.is_empty()).then(|| {
            let names = ignored
                .iter()
                .map(|n| t().link_part(n))
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <p class="se-banner se-banner--notice" role="status">
                    {fill(t().ignored_link_parts, &[&names])}
                </p>
            }
        })
    }
}

/// A range that lies wholly outside the window matches nothing: said outside the drawer too.
#[component]
fn OutsideWindow() -> impl IntoView {
    let state = expect_context::<TabState>();
    let (tf, t) = (time_format(), texts());
    move || {
        let window = state.window()?;
        let (from, to) = state
            .view
            .with(|v| (v.list.filters.from, v.list.filters.to));
        let outside =
            to.is_some_and(|to| to < window.from) || from.is_some_and(|from| from > window.to);
        outside.then(|| {
            let said = fill(
                t().outside_window,
                &[&tf().local(window.from), &tf().local(window.to)],
            );
            view! {
                <p class="se-banner se-banner--notice" role="status">{said}</p>
            }
        })
    }
}

/// A retention window that ends now: the shape of the first answer's, before it comes.
fn window_ending_now() -> Window {
    let now =
        chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default();
    Window {
        from: now - chrono::Duration::hours(sync_errors_api::RETENTION_HOURS),
        to: now,
        current_sync_at: now,
    }
}

/// "Errors from … to …, five days before the current sync."
#[component]
fn WindowLine(window: Window, total: u64) -> impl IntoView {
    let w = window;
    let (tf, t) = (time_format(), texts());
    let state = expect_context::<TabState>();
    let filtered = state
        .view
        .with_untracked(|v| v.list.filters.active_count() > 0);
    let count = move || {
        if filtered {
            t().matching(total)
        } else {
            fill(t().count_all, &[&t().errors(total)])
        }
    };
    view! {
        <p class="se-window">
            {move || t().window_from}
            <time datetime=rfc3339(w.from) title=utc_exact(w.from)>{move || tf().local(w.from)}</time>
            {move || t().window_to}
            <time datetime=rfc3339(w.to) title=utc_exact(w.to)>{move || tf().local(w.to)}</time>
            {move || t().window_tail}
            {count}
        </p>
    }
}
