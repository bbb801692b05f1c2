//! What to ask the server next, decided without the browser: the list request for a view
//! (with `to` pinned and a cursor when one walks there), what paging and a failure mean for
//! the view, and the export's request. The tab's state only wires signals to it.

use chrono::{DateTime, Utc};
use sync_errors_api::{ErrorPage, ListQuery, MAX_LIMIT};

use crate::model::view_query::{Filters, ListView};

/// A list request that failed while other rows were on screen. The address was taken back to
/// the view of those rows (so the pager, the chips and the address match what is shown), and
/// Retry asks for this view again.
#[derive(Debug, Clone, PartialEq)]
pub struct FailedView {
    pub view: ListView,
    /// The failure came from paging (same filters and order): it is said by the pager.
    pub paging: bool,
}

/// What the tab knows when it plans a list request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Planner {
    /// The first answer's `window.to` for the filters it was asked with: later pages and the
    /// export see the same errors while new ones keep arriving.
    pin: Option<(Filters, DateTime<Utc>)>,
    /// A cursor that walks from the rows on screen to the page after them.
    cursor_hint: Option<(ListView, String)>,
    /// The list whose rows are on screen (they stay while another loads or fails).
    shown: Option<ListView>,
}

impl Planner {
    /// The `to` the first answer for these filters was pinned to, if any.
    pub fn pinned_to(&self, filters: &Filters) -> Option<DateTime<Utc>> {
        self.pin
            .as_ref()
            .filter(|(f, _)| f == filters)
            .map(|(_, to)| *to)
    }

    /// The list request for `view`: `to` pinned (an explicit `to` filter wins when earlier),
    /// and the cursor when the rows on screen lead to it, else its offset.
    pub fn request(&self, view: &ListView) -> ListQuery {
        let cursor = self
            .cursor_hint
            .as_ref()
            .filter(|(target, _)| target == view)
            .map(|(_, c)| c.clone());
        list_query(view, self.pinned_to(&view.filters), cursor)
    }

    /// The page after `view`'s; when `on_screen` is the answer shown for exactly `view`, its
    /// cursor is kept to walk there.
    pub fn next_page(&mut self, view: &ListView, on_screen: Option<&ErrorPage>) -> ListView {
        let next = view.with_page(view.page + 1);
        let cursor = on_screen
            .filter(|_| self.shown.as_ref() == Some(view))
            .and_then(|p| p.next_cursor.clone());
        self.cursor_hint = cursor.map(|c| (next.clone(), c));
        next
    }

    /// An answer for `view` is on screen; the first one for its filters pins `to`.
    pub fn answered(&mut self, view: &ListView, page: &ErrorPage) {
        if self.pinned_to(&view.filters).is_none() {
            self.pin = Some((view.filters.clone(), page.window.to));
        }
        self.shown = Some(view.clone());
    }

    /// Refresh: errors that arrived since are welcome; `to` is pinned anew.
    pub fn unpin(&mut self) {
        self.pin = None;
    }

    /// What a failure of `failed`'s request means: the view to take the address back to (the
    /// one on screen), unless nothing is on screen or it is that same view.
    pub fn take_back(&self, failed: &ListView) -> Option<FailedView> {
        let shown = self.shown.as_ref()?;
        (shown != failed).then(|| FailedView {
            view: failed.clone(),
            paging: shown.same_but_paging(failed),
        })
    }

    /// The list on screen.
    pub fn shown(&self) -> Option<&ListView> {
        self.shown.as_ref()
    }

    /// The request an export walks: the view's filters and sort, `to` pinned, pages of its own.
    pub fn export_request(&self, view: &ListView) -> ListQuery {
        list_query(view, self.pinned_to(&view.filters), None)
    }
}

/// The list request for a view. `pinned_to` keeps later pages stable while errors keep
/// arriving; an explicit `to` filter wins over it when earlier. `cursor`, when given, walks
/// forward from the previous page instead of using `offset`.
fn list_query(
    view: &ListView,
    pinned_to: Option<DateTime<Utc>>,
    cursor: Option<String>,
) -> ListQuery {
    let to = match (view.filters.to, pinned_to) {
        (Some(to), Some(pin)) => Some(to.min(pin)),
        (to, pin) => to.or(pin),
    };
    ListQuery {
        filters: Filters {
            to,
            ..view.filters.clone()
        },
        sort: view.sort,
        offset: view.offset(),
        limit: view.page_size.min(MAX_LIMIT),
        cursor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sync_errors_api::{Level, Window, parse_time};

    fn t(s: &str) -> DateTime<Utc> {
        parse_time(s).unwrap()
    }

    fn answer(to: &str, next_cursor: Option<&str>) -> ErrorPage {
        ErrorPage {
            window: Window {
                from: t("2026-11-23T08:00:00Z"),
                to: t(to),
                current_sync_at: t("2026-11-28T08:00:00Z"),
            },
            total: 2000,
            offset: Some(0),
            next_cursor: next_cursor.map(String::from),
            items: Vec::new(),
        }
    }

    fn page(page: u64, page_size: u32) -> ListView {
        ListView {
            page,
            page_size,
            ..ListView::default()
        }
    }

    #[test]
    fn list_query_pins_to_and_uses_offset_or_cursor() {
        let pin = t("2026-11-28T10:15:00Z");
        let v = page(3, 50);
        let q = list_query(&v, Some(pin), None);
        assert_eq!((q.filters.to, q.offset, q.limit), (Some(pin), 100, 50));
        let q = list_query(&v, Some(pin), Some("c".into()));
        assert_eq!(
            q.to_query_string(),
            "to=2026-11-28T10%3A15%3A00Z&cursor=c&limit=50"
        );
        let earlier = ListView {
            filters: Filters {
                to: Some(t("2026-11-27T00:00:00Z")),
                ..Filters::default()
            },
            ..v.clone()
        };
        assert_eq!(
            list_query(&earlier, Some(pin), None).filters.to,
            earlier.filters.to
        );
        let later = ListView {
            filters: Filters {
                to: Some(t("2026-12-27T00:00:00Z")),
                ..Filters::default()
            },
            ..v
        };
        assert_eq!(list_query(&later, Some(pin), None).filters.to, Some(pin));
    }

    #[test]
    fn the_first_answer_pins_to_for_its_filters_only() {
        let mut p = Planner::default();
        let first = page(1, 100);
        assert_eq!(p.request(&first).filters.to, None);
        p.answered(&first, &answer("2026-11-28T10:15:00Z", Some("c1")));
        // A later answer for the same filters keeps the first pin.
        p.answered(&first.with_page(2), &answer("2026-11-28T10:20:00Z", None));
        assert_eq!(
            p.request(&first.with_page(5)).filters.to,
            Some(t("2026-11-28T10:15:00Z"))
        );
        let jobs = first.with_filters(Filters {
            level: Some(Level::Job),
            ..Filters::default()
        });
        assert_eq!(p.request(&jobs).filters.to, None, "other filters, no pin");
        assert_eq!(
            p.export_request(&first).filters.to,
            Some(t("2026-11-28T10:15:00Z"))
        );
        p.unpin();
        assert_eq!(p.request(&first).filters.to, None);
    }

    #[test]
    fn next_walks_by_cursor_only_from_the_rows_of_that_view() {
        let mut p = Planner::default();
        let first = page(1, 100);
        let shown = answer("2026-11-28T10:15:00Z", Some("c1"));
        p.answered(&first, &shown);
        let next = p.next_page(&first, Some(&shown));
        assert_eq!(next.page, 2);
        assert_eq!(p.request(&next).cursor.as_deref(), Some("c1"));
        // Another view's request uses its offset.
        assert_eq!(p.request(&next.with_page_size(250)).cursor, None);
        // Next from a view whose rows are not on screen (still loading): by offset.
        let third = p.next_page(&next, Some(&shown));
        assert_eq!(p.request(&third).cursor, None);
        assert_eq!(p.request(&third).offset, 200);
    }

    #[test]
    fn a_failed_page_takes_the_address_back_to_the_rows_on_screen() {
        let mut p = Planner::default();
        let shown = page(2, 100);
        assert_eq!(
            p.take_back(&shown.with_page(3)),
            None,
            "nothing on screen to go back to"
        );
        p.answered(&shown, &answer("2026-11-28T10:15:00Z", None));
        let failed = p.take_back(&shown.with_page(3)).unwrap();
        assert_eq!(failed.view.page, 3);
        assert!(failed.paging);
        let filtered = shown.with_filters(Filters {
            level: Some(Level::Job),
            ..Filters::default()
        });
        let failed = p.take_back(&filtered).unwrap();
        assert!(!failed.paging);
        assert_eq!(failed.view, filtered);
        assert_eq!(p.take_back(&shown), None, "Retry of the view on screen");
    }
}
