//! The view's state in the URL query: filters and sort under the API's own names (`from`,
//! `to`, `level`, `sort`), plus `page`, `page_size` and `error` (the open detail). Reload,
//! Back and a shared link all restore the same view.

use chrono::{DateTime, Utc};
use sync_errors_api::{
    Level, ListQuery, MAX_LIMIT, Sort, SortField, append_filters, decode_pairs, parse_time,
};

pub const PAGE_SIZES: [u32; 6] = [25, 50, 100, 250, 500, 1000];
pub const DEFAULT_PAGE_SIZE: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewQuery {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub level: Option<Level>,
    pub sort: Sort,
    /// 1-based.
    pub page: u64,
    pub page_size: u32,
    /// The id of the error whose detail is open.
    pub error: Option<String>,
}

impl Default for ViewQuery {
    fn default() -> Self {
        ViewQuery {
            from: None,
            to: None,
            level: None,
            sort: Sort::default(),
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
            error: None,
        }
    }
}

/// The order after clicking `field`'s column header: the other direction when the list is
/// already sorted by it, else newest first for times and A to Z for the rest.
pub fn sort_by(current: Sort, field: SortField) -> Sort {
    if current.field == field {
        Sort::new(field, !current.descending)
    } else {
        Sort::new(field, field == SortField::FailedAt)
    }
}

/// The filters alone: what the drawer edits and the chips show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Filters {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub level: Option<Level>,
}

impl Filters {
    /// How many filters are set (for the count on the filter button).
    pub fn active_count(&self) -> usize {
        usize::from(self.from.is_some())
            + usize::from(self.to.is_some())
            + usize::from(self.level.is_some())
    }
}

impl ViewQuery {
    /// Reads a view from decoded URL query pairs. A value that cannot be read is left out
    /// and its parameter's name returned, so the page can say which part of a link it ignored.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (ViewQuery, Vec<&'static str>) {
        let mut v = ViewQuery::default();
        let mut ignored = Vec::new();
        for (name, value) in pairs {
            match name {
                "from" => match parse_time(value) {
                    Some(t) => v.from = Some(t),
                    None => ignored.push("from"),
                },
                "to" => match parse_time(value) {
                    Some(t) => v.to = Some(t),
                    None => ignored.push("to"),
                },
                // `level=JOB` or `sort=Error_Code` in a hand-written link mean what they say.
                "level" => match Level::parse(&value.to_ascii_lowercase()) {
                    Some(l) => v.level = Some(l),
                    None => ignored.push("level"),
                },
                "sort" => match Sort::parse(&value.to_ascii_lowercase()) {
                    Some(s) => v.sort = s,
                    None => ignored.push("sort"),
                },
                "page" => match value.parse::<u64>() {
                    Ok(p) if (1..=u64::from(u32::MAX)).contains(&p) => v.page = p,
                    _ => ignored.push("page"),
                },
                "page_size" => match value.parse::<u32>() {
                    Ok(s) if PAGE_SIZES.contains(&s) => v.page_size = s,
                    _ => ignored.push("page_size"),
                },
                "error" if !value.is_empty() && value.len() <= 200 => {
                    v.error = Some(value.to_owned())
                }
                "error" => ignored.push("error"),
                _ => {}
            }
        }
        if let (Some(from), Some(to)) = (v.from, v.to)
            && from > to
        {
            v.from = None;
            v.to = None;
            ignored.push("from");
        }
        (v, ignored)
    }

    pub fn from_query_string(query: &str) -> (ViewQuery, Vec<&'static str>) {
        let pairs = decode_pairs(query.strip_prefix('?').unwrap_or(query));
        ViewQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The URL query for this view, defaults left out; empty for the default view.
    pub fn to_query_string(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        append_filters(&mut out, self.from, self.to, self.level, self.sort);
        if self.page != 1 {
            out.append_pair("page", &self.page.to_string());
        }
        if self.page_size != DEFAULT_PAGE_SIZE {
            out.append_pair("page_size", &self.page_size.to_string());
        }
        if let Some(error) = &self.error {
            out.append_pair("error", error);
        }
        out.finish()
    }

    pub fn filters(&self) -> Filters {
        Filters {
            from: self.from,
            to: self.to,
            level: self.level,
        }
    }

    /// The same view with other filters: back to the first page, the detail closed.
    pub fn with_filters(&self, f: Filters) -> ViewQuery {
        ViewQuery {
            from: f.from,
            to: f.to,
            level: f.level,
            page: 1,
            error: None,
            ..self.clone()
        }
    }

    /// The same view in another order, from its first page.
    pub fn with_sort(&self, sort: Sort) -> ViewQuery {
        ViewQuery {
            sort,
            page: 1,
            ..self.clone()
        }
    }

    /// The same view with another page size, keeping the first row shown on screen.
    pub fn with_page_size(&self, page_size: u32) -> ViewQuery {
        let first_row = (self.page - 1) * u64::from(self.page_size);
        ViewQuery {
            page_size,
            page: first_row / u64::from(page_size.max(1)) + 1,
            ..self.clone()
        }
    }

    pub fn with_page(&self, page: u64) -> ViewQuery {
        ViewQuery {
            page: page.max(1),
            ..self.clone()
        }
    }

    pub fn with_error(&self, error: Option<String>) -> ViewQuery {
        ViewQuery {
            error,
            ..self.clone()
        }
    }

    /// Position of the page's first row in the whole result.
    pub fn offset(&self) -> u64 {
        (self.page - 1) * u64::from(self.page_size)
    }

    /// The list request for this view. `pinned_to` (the first answer's `window.to`) keeps
    /// later pages stable while errors keep arriving; an explicit `to` filter wins over it.
    /// `cursor`, when given, walks forward from the previous page instead of using `offset`.
    pub fn list_query(
        &self,
        pinned_to: Option<DateTime<Utc>>,
        cursor: Option<String>,
    ) -> ListQuery {
        let to = match (self.to, pinned_to) {
            (Some(to), Some(pin)) => Some(to.min(pin)),
            (to, pin) => to.or(pin),
        };
        ListQuery {
            from: self.from,
            to,
            level: self.level,
            sort: self.sort,
            offset: self.offset(),
            limit: self.page_size.min(MAX_LIMIT),
            cursor,
        }
    }

    /// Whether `other` is this view on another page (or with another page size): the same
    /// errors in the same order.
    pub fn same_but_paging(&self, other: &ViewQuery) -> bool {
        self.filters() == other.filters() && self.sort == other.sort
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_clicks_toggle_or_start_in_the_natural_direction() {
        let newest = Sort::default();
        assert_eq!(
            sort_by(newest, SortField::FailedAt),
            Sort::new(SortField::FailedAt, false)
        );
        assert_eq!(
            sort_by(newest, SortField::ErrorCode),
            Sort::new(SortField::ErrorCode, false)
        );
        let a_to_z = Sort::new(SortField::Level, false);
        assert_eq!(
            sort_by(a_to_z, SortField::Level),
            Sort::new(SortField::Level, true)
        );
        assert_eq!(sort_by(a_to_z, SortField::FailedAt), newest);
    }

    fn t(s: &str) -> DateTime<Utc> {
        parse_time(s).unwrap()
    }

    #[test]
    fn default_view_has_an_empty_query() {
        assert_eq!(ViewQuery::default().to_query_string(), "");
        assert_eq!(
            ViewQuery::from_query_string(""),
            (ViewQuery::default(), vec![])
        );
    }

    #[test]
    fn round_trips_through_the_url() {
        let v = ViewQuery {
            from: Some(t("2026-11-27T10:00:00Z")),
            to: Some(t("2026-11-28T10:00:00Z")),
            level: Some(Level::Record),
            sort: Sort::new(SortField::ErrorCode, false),
            page: 3,
            page_size: 250,
            error: Some("se_01 &x".into()),
        };
        let q = v.to_query_string();
        assert_eq!(ViewQuery::from_query_string(&format!("?{q}")), (v, vec![]));
        assert!(q.starts_with("from=2026-11-27T10%3A00%3A00Z&to="), "{q}");
    }

    #[test]
    fn level_and_sort_are_read_whatever_their_case() {
        let (v, ignored) = ViewQuery::from_query_string("level=JOB&sort=Error_Code");
        assert_eq!(ignored, Vec::<&str>::new());
        assert_eq!(v.level, Some(Level::Job));
        assert_eq!(v.sort, Sort::new(SortField::ErrorCode, false));
        assert_eq!(v.to_query_string(), "level=job&sort=error_code");
    }

    #[test]
    fn paging_keeps_the_result_set() {
        let v = ViewQuery::default();
        assert!(v.same_but_paging(&v.with_page(3)));
        assert!(v.same_but_paging(&v.with_page_size(250)));
        assert!(!v.same_but_paging(&v.with_sort(Sort::new(SortField::Level, false))));
        assert!(!v.same_but_paging(&v.with_filters(Filters {
            level: Some(Level::Job),
            ..Filters::default()
        })));
    }

    #[test]
    fn unreadable_values_are_ignored_and_named() {
        let (v, ignored) = ViewQuery::from_query_string(
            "level=both&sort=x&page=0&page_size=7&from=soon&utm_source=mail",
        );
        assert_eq!(v, ViewQuery::default());
        assert_eq!(ignored, vec!["level", "sort", "page", "page_size", "from"]);
        let (v, ignored) = ViewQuery::from_query_string(
            "from=2026-11-28T10:00:00Z&to=2026-11-27T10:00:00Z&level=job",
        );
        assert_eq!((v.from, v.to, v.level), (None, None, Some(Level::Job)));
        assert_eq!(ignored, vec!["from"]);
    }

    #[test]
    fn changing_filters_or_sort_returns_to_the_first_page() {
        let v = ViewQuery {
            page: 4,
            error: Some("se_1".into()),
            ..ViewQuery::default()
        };
        let f = v.with_filters(Filters {
            level: Some(Level::Job),
            ..Filters::default()
        });
        assert_eq!(
            (f.page, f.error.as_deref(), f.level),
            (1, None, Some(Level::Job))
        );
        assert_eq!(v.with_sort(Sort::new(SortField::Level, false)).page, 1);
        assert_eq!(f.filters().active_count(), 1);
    }

    #[test]
    fn page_size_changes_keep_the_first_row_in_view() {
        let v = ViewQuery {
            page: 5,
            page_size: 100,
            ..ViewQuery::default()
        };
        let w = v.with_page_size(250);
        assert_eq!((w.page, w.offset()), (2, 250));
        assert!(w.offset() <= v.offset() && v.offset() < w.offset() + 250);
        assert_eq!(v.with_page_size(25).offset(), v.offset());
    }

    #[test]
    fn list_query_pins_to_and_uses_offset_or_cursor() {
        let pin = t("2026-11-28T10:15:00Z");
        let v = ViewQuery {
            page: 3,
            page_size: 50,
            ..ViewQuery::default()
        };
        let q = v.list_query(Some(pin), None);
        assert_eq!((q.to, q.offset, q.limit), (Some(pin), 100, 50));
        let q = v.list_query(Some(pin), Some("c".into()));
        assert_eq!(
            q.to_query_string(),
            "to=2026-11-28T10%3A15%3A00Z&cursor=c&limit=50"
        );
        let earlier = ViewQuery {
            to: Some(t("2026-11-27T00:00:00Z")),
            ..v.clone()
        };
        assert_eq!(earlier.list_query(Some(pin), None).to, earlier.to);
        let later = ViewQuery {
            to: Some(t("2026-12-27T00:00:00Z")),
            ..v
        };
        assert_eq!(later.list_query(Some(pin), None).to, Some(pin));
    }
}
