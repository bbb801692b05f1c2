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
use crate::embed::TokenChanges;
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

    /// Whether the view's source holds no view yet (an address without a query).
    pub fn is_empty(&self) -> bool {
        self.search.with_untracked(|s| s.trim_start_matches('?').is_empty())
    }

    /// The element itself: the view is its own and leaves the address alone. `start` is
    /// the view's query to begin with (the view it had before it was mounted anew).
    pub fn memory(start: String) -> ViewSource {
        let query = RwSignal::new(start);
        ViewSource {
            search: query.into(),
            show: Box::new(move |q, _| query.set(q)),
        }
    }
}

/// A list request that failed while other rows were on screen. The address was taken back to
/// the view of those rows (so the pager, the chips and the address match what is shown), and
/// Retry asks for this view again.
#[derive(Debug, Clone, PartialEq)]
pub struct FailedView {
    pub view: ViewQuery,
    /// The failure came from paging (same filters and order): it is said by the pager.
    pub paging: bool,
}

/// What to do when the list request for `failed` fails while `shown` is on screen: the view
/// to take the address back to, if any (none when nothing is shown, or it is that view).
pub fn take_back(shown: Option<&ViewQuery>, failed: &ViewQuery) -> Option<FailedView> {
    let shown = shown?;
    (shown != failed).then(|| FailedView {
        view: failed.clone(),
        paging: shown.same_but_paging(failed),
    })
}

#[derive(Clone, Copy)]
pub struct TabState {
    pub view: Memo<ViewQuery>,
    /// URL parameters that could not be read: left out of the address, named until the
    /// admin's next change.
    pub ignored: RwSignal<Vec<&'static str>>,
    pub list: RwSignal<Loader<ErrorPage>>,
    pub drawer_open: RwSignal<bool>,
    /// Whether a list request has ever succeeded here: a 401 then means the session ended,
    /// and before, that the visitor has not signed in.
    pub had_success: RwSignal<bool>,
    /// The failed view that Retry asks for again (see [`FailedView`]).
    pub failed: RwSignal<Option<FailedView>>,
    reload: RwSignal<u32>,
    /// The first answer's `window.to` for the filters it was asked with.
    pin: StoredValue<Option<(Filters, DateTime<Utc>)>>,
    /// A cursor that walks from the page on screen to the view it belongs to.
    cursor_hint: StoredValue<Option<(ViewQuery, String)>>,
    /// The view whose rows are on screen (they stay while another loads or fails).
    shown_view: StoredValue<Option<ViewQuery>>,
    /// A view the address was taken back to: its rows are on screen, so it is not asked for.
    taken_back: StoredValue<Option<ViewQuery>>,
    /// Set by Previous and Next: the new rows' top is brought into view.
    paged: StoredValue<bool>,
    /// Which of the host's tokens the last list request was sent with (see `TokenChanges`).
    pub asked_with_token: StoredValue<u32>,
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
            ignored: RwSignal::new(Vec::new()),
            list: RwSignal::new(Loader::default()),
            drawer_open: RwSignal::new(false),
            had_success: RwSignal::new(false),
            failed: RwSignal::new(None),
            reload: RwSignal::new(0),
            pin: StoredValue::new(None),
            cursor_hint: StoredValue::new(None),
            shown_view: StoredValue::new(None),
            taken_back: StoredValue::new(None),
            paged: StoredValue::new(false),
            asked_with_token: StoredValue::new(0),
            in_flight: StoredValue::new(None),
            show: StoredValue::new_local(source.show),
        };
        // Unreadable parts of a link are named, and taken out of the address so they do
        // not travel on in shared links.
        Effect::new(move |_| {
            let (view, ignored) = parsed.get();
            if !ignored.is_empty() {
                state.ignored.set(ignored);
                state.show(view.to_query_string(), History::Replace);
            }
        });
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
            let taken_back = self
                .taken_back
                .try_update_value(|t| t.take())
                .flatten();
            if taken_back.as_ref() == Some(&view) {
                return;
            }
            let pinned_to = self.pinned_to(&view);
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
            self.failed.set(None);
            if let Some(TokenChanges(changes)) = use_context::<TokenChanges>() {
                self.asked_with_token.set_value(changes.get_untracked());
            }
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
                let forbidden = matches!(
                    result,
                    Err(ApiError::AdminRequired | ApiError::Unauthenticated)
                );
                let applied = self.list.try_update(|l| {
                    if forbidden && l.is_current(ticket) {
                        l.clear();
                    }
                    l.settle(ticket, result)
                });
                if applied != Some(true) {
                    return;
                }
                if succeeded {
                    self.shown_view.set_value(Some(view));
                    self.had_success.set(true);
                } else {
                    self.paged.set_value(false);
                    let shown = self.shown_view.get_value();
                    if let Some(failed) = take_back(shown.as_ref(), &view).filter(|_| !forbidden)
                        && let Some(shown) = shown
                    {
                        let open = self.view.with_untracked(|v| v.error.clone());
                        self.taken_back.set_value(Some(shown.clone()));
                        self.failed.set(Some(failed));
                        self.show(shown.with_error(open).to_query_string(), History::Replace);
                    }
                }
            });
        });
        on_cleanup(move || self.abort_in_flight());
    }

    fn pinned_to(&self, view: &ViewQuery) -> Option<DateTime<Utc>> {
        self.pin
            .get_value()
            .filter(|(filters, _)| *filters == view.filters())
            .map(|(_, to)| to)
    }

    fn abort_in_flight(&self) {
        if let Some(previous) = self.in_flight.try_get_value().flatten() {
            previous.abort();
        }
    }

    fn show(&self, query: String, history: History) {
        self.show.with_value(|show| show(query, history));
    }

    /// Shows another view (by changing the URL, or the element's own state).
    pub fn go(&self, next: ViewQuery, history: History) {
        self.ignored.set(Vec::new());
        self.show(next.to_query_string(), history);
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
        self.paged.set_value(true);
        self.go(next, History::Replace);
    }

    /// The previous page.
    pub fn previous_page(&self) {
        let prev = self
            .view
            .with_untracked(|v| v.with_page(v.page.saturating_sub(1)));
        self.paged.set_value(true);
        self.go(prev, History::Replace);
    }

    /// Whether the rows just shown came from Previous or Next (asked once).
    pub fn take_paged(&self) -> bool {
        self.paged
            .try_update_value(std::mem::take)
            .unwrap_or(false)
    }

    /// Asks again: Retry after a failure, or Refresh for errors that arrived since.
    pub fn reload(&self, fresh_window: bool) {
        if fresh_window {
            self.pin.set_value(None);
        }
        self.reload.update(|n| *n += 1);
    }

    /// Retry: the view that failed when the address was taken back, else the same again.
    pub fn retry(&self) {
        match self.failed.get_untracked() {
            Some(failed) => {
                let open = self.view.with_untracked(|v| v.error.clone());
                self.paged.set_value(failed.paging);
                self.go(failed.view.with_error(open), History::Replace);
            }
            None => self.reload(false),
        }
    }

    /// The list request an export walks: the view's filters and sort, `to` pinned.
    pub fn export_query(&self) -> sync_errors_api::ListQuery {
        let view = self.view.get_untracked().with_error(None);
        view.list_query(self.pinned_to(&view), None)
    }

    /// The retention window of the latest answer.
    pub fn window(&self) -> Option<Window> {
        self.list.with(|l| l.data().map(|p| p.window))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sync_errors_api::Level;

    #[test]
    fn a_failed_page_takes_the_address_back_to_the_rows_on_screen() {
        let shown = ViewQuery::default().with_page(2);
        let failed = take_back(Some(&shown), &shown.with_page(3)).unwrap();
        assert_eq!(failed.view.page, 3);
        assert!(failed.paging);
        let filtered = shown.with_filters(Filters {
            level: Some(Level::Job),
            ..Filters::default()
        });
        let failed = take_back(Some(&shown), &filtered).unwrap();
        assert!(!failed.paging);
        assert_eq!(failed.view, filtered);
        assert_eq!(take_back(None, &filtered), None, "nothing on screen to go back to");
        assert_eq!(take_back(Some(&shown), &shown), None, "Retry of the view on screen");
    }
}
