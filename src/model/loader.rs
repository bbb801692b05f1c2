//! The request/response state of a view, as a pure reducer: which request is current,
//! what is shown, and what went wrong. A late answer to a superseded request is ignored;
//! the rows already shown stay while a new request runs and when it fails.

use crate::client::ApiError;

/// A ticket for one request; only the newest ticket's answer is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ticket(u64);

#[derive(Debug, Clone, PartialEq)]
pub struct Loader<T> {
    last_ticket: u64,
    pending: Option<Ticket>,
    /// The last good answer; kept through later loads and failures.
    data: Option<T>,
    /// The last request's failure, cleared by the next request.
    error: Option<ApiError>,
}

impl<T> Default for Loader<T> {
    fn default() -> Self {
        Loader {
            last_ticket: 0,
            pending: None,
            data: None,
            error: None,
        }
    }
}

impl<T> Loader<T> {
    /// Starts a request, superseding any pending one.
    pub fn begin(&mut self) -> Ticket {
        self.last_ticket += 1;
        let ticket = Ticket(self.last_ticket);
        self.pending = Some(ticket);
        self.error = None;
        ticket
    }

    /// Applies an answer if `ticket` is still the current request; returns whether it was.
    pub fn settle(&mut self, ticket: Ticket, result: Result<T, ApiError>) -> bool {
        if self.pending != Some(ticket) {
            return false;
        }
        self.pending = None;
        match result {
            Ok(data) => {
                self.data = Some(data);
                self.error = None;
            }
            Err(error) => self.error = Some(error),
        }
        true
    }

    /// Drops what is shown, e.g. when the user may no longer see it (401, 403).
    pub fn clear(&mut self) {
        self.data = None;
    }

    pub fn is_loading(&self) -> bool {
        self.pending.is_some()
    }

    pub fn is_current(&self, ticket: Ticket) -> bool {
        self.pending == Some(ticket)
    }

    pub fn data(&self) -> Option<&T> {
        self.data.as_ref()
    }

    pub fn error(&self) -> Option<&ApiError> {
        self.error.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net() -> ApiError {
        ApiError::Network("reset".into())
    }

    #[test]
    fn a_late_answer_to_a_superseded_request_is_ignored() {
        let mut l = Loader::default();
        let slow = l.begin();
        let fast = l.begin();
        assert!(l.settle(fast, Ok("fast")));
        assert!(!l.settle(slow, Ok("slow")));
        assert_eq!(l.data(), Some(&"fast"));
        assert!(!l.is_loading());
    }

    #[test]
    fn rows_stay_while_loading_and_after_a_failure() {
        let mut l = Loader::default();
        let t = l.begin();
        l.settle(t, Ok(1));
        let t = l.begin();
        assert!(l.is_loading());
        assert_eq!(l.data(), Some(&1));
        l.settle(t, Err(net()));
        assert_eq!(l.data(), Some(&1));
        assert_eq!(l.error(), Some(&net()));
        let t = l.begin();
        assert_eq!(l.error(), None, "a new request clears the old failure");
        l.settle(t, Ok(2));
        assert_eq!(l.data(), Some(&2));
    }

    /// Random interleavings of begins and settles: the data shown is always the answer of
    /// the newest request that had begun when it settled, never an older one.
    #[test]
    fn random_interleavings_never_show_a_superseded_answer() {
        let mut seed = 0x1234_5678_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..500 {
            let mut l: Loader<u64> = Loader::default();
            let mut open: Vec<Ticket> = Vec::new();
            let mut newest: Option<Ticket> = None;
            let mut shown: Option<u64> = None;
            for _ in 0..30 {
                if open.is_empty() || next() % 3 == 0 {
                    let t = l.begin();
                    newest = Some(t);
                    open.push(t);
                } else {
                    let t = open.remove((next() as usize) % open.len());
                    let applied = l.settle(t, Ok(t.0));
                    assert_eq!(applied, Some(t) == newest);
                    if applied {
                        shown = Some(t.0);
                    }
                    assert_eq!(l.data().copied(), shown);
                }
            }
        }
    }
}
