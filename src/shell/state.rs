//! The tab's state, shared through context: the view (from the URL), the list request and
//! its answer, and the drawer. Views change only through their source (the URL, or the
//! element's own state), which is the one truth.

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sync_errors_api::{ErrorPage, Summary, Window};

use crate::client::{ApiClient, ApiError};
use crate::model::loader::Loader;
use crate::model::planner::{FailedView, Planner};
use crate::model::view_query::{Filters, ListView, ViewQuery};
use crate::shell::address::Address;
use crate::shell::embed::TokenChanges;
use crate::shell::guidance::GuidanceStore;

/// How a view change enters the browser's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    /// A new entry: Back returns to the previous view (filters, sort, page size).
    Push,
    /// The same entry: paging does not flood the history.
    Replace,
    /// A new entry that opens an error's detail, marked so (its history state), so that
    /// closing the detail there goes back instead of adding an entry.
    Open,
    /// Back to the entry before this one, which showed the given view (the detail's
    /// opening pushed this one).
    Back,
}

/// Shows a view given as its query string.
type ShowView = Box<dyn Fn(String, History)>;

/// Where the view lives: the page's address, or (for a second tab on one page) the element.
pub struct ViewSource {
    search: Signal<String>,
    show: ShowView,
    /// Whether the entry shown was pushed by opening a detail (see [`History::Open`]).
    opened_here: Box<dyn Fn() -> bool>,
}

impl ViewSource {
    /// The address: reload, Back and shared links restore the view.
    pub fn url(address: Address) -> ViewSource {
        ViewSource {
            search: address.search.into(),
            show: Box::new(move |query, history| address.show(&query, history)),
            opened_here: Box::new(Address::opened_here),
        }
    }

    /// The element itself: the view is its own and leaves the address alone. `start` is
    /// the view's query to begin with (the view it had before it was mounted anew).
    pub fn memory(start: String) -> ViewSource {
        let query = RwSignal::new(start);
        ViewSource {
            search: query.into(),
            show: Box::new(move |q, _| query.set(q)),
            opened_here: Box::new(|| false),
        }
    }
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
    /// The summary of the list's filters (API 1.1), asked alongside the list.
    pub summary: RwSignal<Loader<Summary>>,
    /// The server answered 404 on the summary: it follows API 1.0 and is not asked again.
    pub summary_missing: RwSignal<bool>,
    /// The view's type, object and text filters were taken out because the server (1.0)
    /// cannot apply them; said until the admin's next change.
    pub triage_dropped: RwSignal<bool>,
    summary_reload: RwSignal<u32>,
    summary_in_flight: StoredValue<Option<AbortHandle>>,
    /// Decides each list request (see [`Planner`]).
    planner: StoredValue<Planner>,
    /// A list the address was taken back to: its rows are on screen, so it is not asked for.
    taken_back: StoredValue<Option<ListView>>,
    /// Set by Previous and Next: the new rows' top is brought into view.
    paged: StoredValue<bool>,
    /// Which of the host's tokens the last list request was sent with (see `TokenChanges`).
    pub asked_with_token: StoredValue<u32>,
    in_flight: StoredValue<Option<AbortHandle>>,
    show: StoredValue<ShowView, LocalStorage>,
    opened_here: StoredValue<Box<dyn Fn() -> bool>, LocalStorage>,
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
            summary: RwSignal::new(Loader::default()),
            summary_missing: RwSignal::new(false),
            triage_dropped: RwSignal::new(false),
            summary_reload: RwSignal::new(0),
            summary_in_flight: StoredValue::new(None),
            planner: StoredValue::new(Planner::default()),
            taken_back: StoredValue::new(None),
            paged: StoredValue::new(false),
            asked_with_token: StoredValue::new(0),
            in_flight: StoredValue::new(None),
            show: StoredValue::new_local(source.show),
            opened_here: StoredValue::new_local(source.opened_here),
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
        state.load_on_change(client.clone());
        state.load_summary_on_change(client);
        // A 1.0 server ignores the type, object and text filters: they are taken out of the
        // view (and the address) rather than shown as if they applied.
        Effect::new(move |_| {
            if state.summary_missing.get() && state.view.with(|v| v.list.filters.uses_triage()) {
                let next = state.view.with_untracked(|v| {
                    v.with_list(v.list.with_filters(Filters {
                        error_codes: Vec::new(),
                        object_types: Vec::new(),
                        q: None,
                        ..v.list.filters.clone()
                    }))
                });
                state.triage_dropped.set(true);
                state.show(next.to_query_string(), History::Replace);
            }
        });
        state
    }

    /// Asks for the summary of the list's filters whenever they change (not on paging,
    /// sorting or opening an error), after the list's own request has left: the grid never
    /// waits for it. A server without a summary (404) is not asked again.
    fn load_summary_on_change(self, client: ApiClient) {
        let filters = Memo::new(move |_| self.view.with(|v| v.list.filters.clone()));
        Effect::new(move |_| {
            let filters = filters.get();
            self.reload.track();
            self.summary_reload.track();
            if self.summary_missing.get_untracked() {
                return;
            }
            // The same `to` as the list's pages, so the totals agree.
            let list = ListView {
                filters,
                ..ListView::default()
            };
            let filters = self.planner.with_value(|p| p.request(&list)).filters;
            if let Some(previous) = self.summary_in_flight.try_get_value().flatten() {
                previous.abort();
            }
            let Some(ticket) = self.summary.try_update(Loader::begin) else {
                return;
            };
            // The top types' meanings come from the guidance: asked with the summary, so
            // that they are usually here when it is drawn.
            if let Some(guidance) = use_context::<GuidanceStore>() {
                guidance.want();
            }
            let (handle, registration) = AbortHandle::new_pair();
            self.summary_in_flight.set_value(Some(handle));
            let client = client.clone();
            spawn_local(async move {
                let Ok(result) = Abortable::new(client.summary(&filters), registration).await
                else {
                    return;
                };
                if matches!(result, Err(ApiError::NotFound)) {
                    self.summary_missing.try_set(true);
                }
                // The grid first: when both answers come together (the loader asks for
                // them at once), the rows are painted before the summary is drawn.
                after_next_paint().await;
                self.summary.try_update(|s| s.settle(ticket, result));
            });
        });
        on_cleanup(move || {
            if let Some(previous) = self.summary_in_flight.try_get_value().flatten() {
                previous.abort();
            }
        });
    }

    /// Asks for the summary again (its own Retry), the list left as it is.
    pub fn retry_summary(&self) {
        self.summary_reload.update(|n| *n += 1);
    }

    /// Runs the list request of the current list whenever it changes (opening an error is
    /// no change), superseding and aborting any request still running.
    fn load_on_change(self, client: ApiClient) {
        let list_view = Memo::new(move |_| self.view.with(|v| v.list.clone()));
        Effect::new(move |_| {
            let view = list_view.get();
            self.reload.track();
            let taken_back = self.taken_back.try_update_value(Option::take).flatten();
            if taken_back.as_ref() == Some(&view) {
                return;
            }
            let query = self.planner.with_value(|p| p.request(&view));
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
                if let Ok(page) = &result {
                    self.planner.update_value(|p| p.answered(&view, page));
                }
                let hides = result.as_ref().err().is_some_and(ApiError::hides_data);
                let succeeded = result.is_ok();
                let applied = self.list.try_update(|l| {
                    if hides && l.is_current(ticket) {
                        l.clear();
                    }
                    l.settle(ticket, result)
                });
                if applied != Some(true) {
                    return;
                }
                if succeeded {
                    self.had_success.set(true);
                } else {
                    self.paged.set_value(false);
                    self.take_back(&view, hides);
                }
            });
        });
        on_cleanup(move || self.abort_in_flight());
    }

    /// After `failed`'s request failed: the address goes back to the rows on screen, and
    /// Retry will ask for `failed` (not when the failure hides the data anyway).
    fn take_back(&self, failed: &ListView, hides_data: bool) {
        let Some(back) = self
            .planner
            .with_value(|p| p.take_back(failed).zip(p.shown().cloned()))
            .filter(|_| !hides_data)
        else {
            return;
        };
        let (failed, shown) = back;
        self.taken_back.set_value(Some(shown.clone()));
        self.failed.set(Some(failed));
        let back = self.view.with_untracked(|v| v.with_list(shown));
        self.show(back.to_query_string(), History::Replace);
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
        self.triage_dropped.set(false);
        self.show(next.to_query_string(), history);
    }

    /// Opens an error's detail as a new history entry, so that Back closes it.
    pub fn open_detail(&self, id: String) {
        let next = self.view.with_untracked(|v| v.with_open(Some(id)));
        self.go(next, History::Open);
    }

    /// Closes the detail: back to the entry it was opened from when this entry is one that
    /// an opening pushed (reached again by Forward too); in place for a link opened on an
    /// error.
    pub fn close_detail(&self) {
        let next = self.view.with_untracked(|v| v.with_open(None));
        if self.opened_here.with_value(|opened| opened()) {
            self.show(next.to_query_string(), History::Back);
        } else {
            self.go(next, History::Replace);
        }
    }

    /// Shows another list, the open error kept.
    pub fn go_to_list(&self, list: ListView, history: History) {
        let next = self.view.with_untracked(|v| v.with_list(list));
        self.go(next, history);
    }

    /// The next page, walked to by the current answer's cursor when its rows are on screen.
    pub fn next_page(&self) {
        let view = self.view.with_untracked(|v| v.list.clone());
        let next = self.list.with_untracked(|l| {
            let on_screen = l.data().filter(|_| !l.is_loading());
            self.planner
                .try_update_value(|p| p.next_page(&view, on_screen))
        });
        let Some(next) = next else { return };
        self.paged.set_value(true);
        self.go_to_list(next, History::Replace);
    }

    /// The previous page.
    pub fn previous_page(&self) {
        let prev = self
            .view
            .with_untracked(|v| v.list.with_page(v.list.page.saturating_sub(1)));
        self.paged.set_value(true);
        self.go_to_list(prev, History::Replace);
    }

    /// Whether the rows just shown came from Previous or Next (asked once).
    pub fn take_paged(&self) -> bool {
        self.paged.try_update_value(std::mem::take).unwrap_or(false)
    }

    /// Asks again: Retry after a failure, or Refresh for errors that arrived since.
    pub fn reload(&self, fresh_window: bool) {
        if fresh_window {
            self.planner.update_value(Planner::unpin);
        }
        self.reload.update(|n| *n += 1);
    }

    /// Retry: the view that failed when the address was taken back, else the same again.
    pub fn retry(&self) {
        match self.failed.get_untracked() {
            Some(failed) => {
                self.paged.set_value(failed.paging);
                self.go_to_list(failed.view, History::Replace);
            }
            None => {
                // Focus, on Retry which goes with its message, moves to the new rows.
                self.paged.set_value(true);
                self.reload(false);
            }
        }
    }

    /// The list request an export walks: the view's filters and sort, `to` pinned.
    pub fn export_query(&self) -> sync_errors_api::ListQuery {
        let view = self.view.with_untracked(|v| v.list.clone());
        self.planner.with_value(|p| p.export_request(&view))
    }

    /// The retention window of the latest answer.
    pub fn window(&self) -> Option<Window> {
        self.list.with(|l| l.data().map(|p| p.window))
    }
}

/// Resolves once the browser has had a frame to paint: an animation frame, then a task.
async fn after_next_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        request_animation_frame(move || {
            set_timeout(
                move || {
                    let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
                },
                std::time::Duration::ZERO,
            );
        });
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
