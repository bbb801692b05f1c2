//! The page's address, for a tab whose view lives in it (`url-state="url"`): its path and
//! query in signals, moved by the History API (`pushState`/`replaceState`, no reload, no
//! scroll) and by Back and Forward (`popstate`). The tab has one route, so this is all the
//! routing it needs (a router crate cost the module far more than these lines).

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::shell::state::History;

#[derive(Clone, Copy)]
pub struct Address {
    pub path: RwSignal<String>,
    /// The query, without its `?`.
    pub search: RwSignal<String>,
    /// A Back the tab asked for (`history.back()` comes later, by `popstate`).
    back: StoredValue<PendingBack>,
}

/// A Back on its way, and what the tab showed meanwhile (an error opened at once after
/// closing one): written to the history once the Back has come, not before, or the Back
/// would leave that entry instead.
#[derive(Default)]
struct PendingBack {
    pending: bool,
    then: Option<(String, History)>,
}

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

fn read() -> (String, String) {
    let location = location();
    let path = location
        .as_ref()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_else(|| "/".into());
    let search = location
        .and_then(|l| l.search().ok())
        .unwrap_or_default()
        .trim_start_matches('?')
        .to_owned();
    (path, search)
}

/// The history state of an entry that opening an error's detail pushed.
const OPENED: &str = "sync-errors-tab:opened";

impl Address {
    /// The address now, following Back and Forward until the tab unmounts.
    pub fn new() -> Address {
        let (path, search) = read();
        let address = Address {
            path: RwSignal::new(path),
            search: RwSignal::new(search),
            back: StoredValue::new(PendingBack::default()),
        };
        let handle = window_event_listener(leptos::ev::popstate, move |_| address.came());
        on_cleanup(move || handle.remove());
        address
    }

    /// Back or Forward has come (the tab's own Back too): what was waiting for it is
    /// written, then the signals follow the address.
    fn came(&self) {
        let then = self
            .back
            .try_update_value(|b| {
                b.pending = false;
                b.then.take()
            })
            .flatten();
        if let Some((query, history)) = then {
            self.write(&query, history);
        }
        self.sync();
    }

    fn sync(&self) {
        let (path, search) = read();
        if self.path.get_untracked() != path {
            self.path.set(path);
        }
        if self.search.get_untracked() != search {
            self.search.set(search);
        }
    }

    /// Whether the entry shown was pushed by opening an error's detail.
    pub fn opened_here() -> bool {
        web_sys::window()
            .and_then(|w| w.history().ok())
            .and_then(|h| h.state().ok())
            .and_then(|state| state.as_string())
            .is_some_and(|state| state == OPENED)
    }

    /// Shows `query` on the same path: as a new history entry, in place of this one, or as
    /// the entry before this one. The view follows at once; while a Back is on its way, the
    /// history is written when it has come.
    pub fn show(&self, query: &str, history: History) {
        let waiting = self.back.with_value(|b| b.pending);
        if waiting || history == History::Back {
            if waiting {
                self.back
                    .update_value(|b| b.then = Some((query.to_owned(), history)));
            } else if web_sys::window()
                .and_then(|w| w.history().ok())
                .is_some_and(|h| h.back().is_ok())
            {
                self.back.update_value(|b| b.pending = true);
            }
            if self.search.get_untracked() != query {
                self.search.set(query.to_owned());
            }
            return;
        }
        self.write(query, history);
        self.sync();
    }

    fn write(&self, query: &str, history: History) {
        let path = self.path.get_untracked();
        let url = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        let Some(h) = web_sys::window().and_then(|w| w.history().ok()) else {
            return;
        };
        let _ = match history {
            History::Push => h.push_state_with_url(&JsValue::NULL, "", Some(&url)),
            History::Open => h.push_state_with_url(&OPENED.into(), "", Some(&url)),
            History::Replace => h.replace_state_with_url(&JsValue::NULL, "", Some(&url)),
            // Only asked through `show`, which waits for it.
            History::Back => Ok(()),
        };
    }
}
