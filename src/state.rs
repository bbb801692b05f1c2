//! The tab's state, shared through context: the view (from the URL), the list request and
//! its answer, and the drawer. Views change only through their source (the URL, or the
//! element's own state), which is the one truth.

use chrono::{DateTime, Utc};
use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use sync_errors_api::{ErrorPage, Window};

use crate::api::{ApiClient, ApiError};
use crate::loader::Loader;
use crate::view_query::{Filters, ViewQuery};

/// How a view change enters the browser's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    /// A new entry: Back returns to the previous view (filters, sort, page size).
    Push,
    /// The same entry: paging and the detail view do not flood the history.
    Replace,
}

/// Shows a view given as its query string.
type Show = Box<dyn Fn(String, History)>;

/// Where the view lives: the page's address, or (for a second tab on one page) the element.
pub struct ViewSource {
    search: Signal<String>,
    show: Show,
}

impl ViewSource {
    /// The address: reload, Back and shared links restore the view. Needs a `<Router>`.
    pub fn url() -> ViewSource {
        let location = use_location();
        let navigate = use_navigate();
        let pathname = location.pathname;
        ViewSource {
            search: location.search.into(),
            show: Box::new(move |query, history| {
                let path = pathname.get_untracked();
                let url = if query.is_empty() {
                    path
                } else {
                    format!("{path}?{query}")
                };
                let options = NavigateOptions {
                    // `url` is already the full path; resolving it against the base would repeat it.
                    resolve: false,
                    replace: history == History::Replace,
                    scroll: false,
                    ..NavigateOptions::default()
                };
                navigate(&url, options);
            }),
        }
    }

    /// The element itself: the view is its own and leaves the address alone.
    pub fn memory() -> ViewSource {
        let query = RwSignal::new(String::new());
        ViewSource {
            search: query.into(),
            show: Box::new(move |q, _| query.set(q)),
        }
    }
}

#[derive(Clone, Copy)]
pub struct TabState {
    pub view: Memo<ViewQuery>,
    /// URL parameters that could not be read and were left out.
    pub ignored: Memo<Vec<&'static str>>,
    pub list: RwSignal<Loader<ErrorPage>>,
    pub drawer_open: RwSignal<bool>,
    reload: RwSignal<u32>,
    /// The first answer's `window.to` for the filters it was asked with.
    pin: StoredValue<Option<(Filters, DateTime<Utc>)>>,
    /// A cursor that walks from the page on screen to the view it belongs to.
    cursor_hint: StoredValue<Option<(ViewQuery, String)>>,
    /// The view whose rows are on screen (they stay while another loads or fails).
    shown_view: StoredValue<Option<ViewQuery>>,
    in_flight: StoredValue<Option<AbortHandle>>,
    show: StoredValue<Show, LocalStorage>,
}

impl TabState {
    /// Creates the state and starts loading whatever view the URL names.
    pub fn new(client: ApiClient, source: ViewSource) -> TabState {
        let search = source.search;
        let parsed = Memo::new(move |_| ViewQuery::from_query_string(&search.get()));
        let state = TabState {
            view: Memo::new(move |_| parsed.with(|(v, _)| v.clone())),
            ignored: Memo::new(move |_| parsed.with(|(_, i)| i.clone())),
            list: RwSignal::new(Loader::default()),
            drawer_open: RwSignal::new(false),
            reload: RwSignal::new(0),
            pin: StoredValue::new(None),
            cursor_hint: StoredValue::new(None),
            shown_view: StoredValue::new(None),
            in_flight: StoredValue::new(None),
            show: StoredValue::new_local(source.show),
        };
        state.load_on_change(client);
        state
    }

    /// Runs the list request of the current view whenever it changes (the detail view
    /// aside), superseding and aborting any request still running.
    fn load_on_change(self, client: ApiClient) {
        let list_view = Memo::new(move |_| self.view.with(|v| v.with_error(None)));
        Effect::new(move |_| {
            let view = list_view.get();
            self.reload.track();
            let pinned_to = self
                .pin
                .get_value()
                .filter(|(filters, _)| *filters == view.filters())
                .map(|(_, to)| to);
            let cursor = self
                .cursor_hint
                .get_value()
                .filter(|(target, _)| *target == view)
                .map(|(_, c)| c);
            let query = view.list_query(pinned_to, cursor);
            self.abort_in_flight();
            let Some(ticket) = self.list.try_update(Loader::begin) else {
                return;
            };
            let (handle, registration) = AbortHandle::new_pair();
            self.in_flight.set_value(Some(handle));
            let client = client.clone();
            spawn_local(async move {
                let Ok(result) = Abortable::new(client.list(&query), registration).await else {
                    return;
                };
                let succeeded = result.is_ok();
                if let Ok(page) = &result
                    && pinned_to.is_none()
                {
                    self.pin.set_value(Some((view.filters(), page.window.to)));
                }
                let applied = self.list.try_update(|l| {
                    let forbidden = matches!(
                        result,
                        Err(ApiError::AdminRequired | ApiError::Unauthenticated)
                    );
                    if forbidden && l.is_current(ticket) {
                        l.clear();
                    }
                    l.settle(ticket, result)
                });
                if applied == Some(true) && succeeded {
                    self.shown_view.set_value(Some(view));
                }
            });
        });
        on_cleanup(move || self.abort_in_flight());
    }

    fn abort_in_flight(&self) {
        if let Some(previous) = self.in_flight.try_get_value().flatten() {
            previous.abort();
        }
    }

    /// Shows another view (by changing the URL, or the element's own state).
    pub fn go(&self, next: ViewQuery, history: History) {
        let query = next.to_query_string();
        self.show.with_value(|show| show(query, history));
    }

    /// The next page, walked to by the current answer's cursor when there is one.
    pub fn next_page(&self) {
        let view = self.view.get_untracked();
        let next = view.with_page(view.page + 1);
        // The cursor continues the rows on screen: use it only when they are this view's.
        let on_screen = self.shown_view.get_value().as_ref() == Some(&view.with_error(None));
        let cursor = self.list.with_untracked(|l| {
            (on_screen && !l.is_loading())
                .then(|| l.data().and_then(|p| p.next_cursor.clone()))
                .flatten()
        });
        self.cursor_hint
            .set_value(cursor.map(|c| (next.with_error(None), c)));
        self.go(next, History::Replace);
    }

    /// Asks again: Retry after a failure, or Refresh for errors that arrived since.
    pub fn reload(&self, fresh_window: bool) {
        if fresh_window {
            self.pin.set_value(None);
        }
        self.reload.update(|n| *n += 1);
    }

    /// The list request an export walks: the view's filters and sort, `to` pinned.
    pub fn export_query(&self) -> sync_errors_api::ListQuery {
        let view = self.view.get_untracked().with_error(None);
        let pinned_to = self
            .pin
            .get_value()
            .filter(|(filters, _)| *filters == view.filters())
            .map(|(_, to)| to);
        view.list_query(pinned_to, None)
    }

    /// The retention window of the latest answer.
    pub fn window(&self) -> Option<Window> {
        self.list.with(|l| l.data().map(|p| p.window))
    }
}
