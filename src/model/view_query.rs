//! The view's state in the URL query: filters and sort under the API's own names (`from`,
//! `to`, `level`, `error_code`, `object_type`, `q`, `sort`), plus `page`, `page_size` and `error` (the open detail). Reload,
//! Back and a shared link all restore the same view. The view is two parts: the list (which
//! errors, in which order, which page), which decides the list request, and the open error.

use sync_errors_api::{Level, Sort, SortField, decode_pairs, parse_time};

pub use sync_errors_api::Filters;

pub const PAGE_SIZES: [u32; 6] = [25, 50, 100, 250, 500, 1000];
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// Which errors, in which order, and which page of them: what the list request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListView {
    pub filters: Filters,
    pub sort: Sort,
    /// 1-based.
    pub page: u64,
    pub page_size: u32,
}

impl Default for ListView {
    fn default() -> Self {
        ListView {
            filters: Filters::default(),
            sort: Sort::default(),
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
        }
    }
}

/// The whole view in the URL: the list, and the id of the error whose detail is open.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewQuery {
    pub list: ListView,
    pub open: Option<String>,
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

impl ListView {
    /// The same list with other filters, from its first page.
    pub fn with_filters(&self, filters: Filters) -> ListView {
        ListView {
            filters,
            page: 1,
            ..self.clone()
        }
    }

    /// The same list in another order, from its first page.
    pub fn with_sort(&self, sort: Sort) -> ListView {
        ListView {
            sort,
            page: 1,
            ..self.clone()
        }
    }

    /// The same list with another page size, keeping the first row shown on screen.
    pub fn with_page_size(&self, page_size: u32) -> ListView {
        let first_row = (self.page - 1) * u64::from(self.page_size);
        ListView {
            page_size,
            page: first_row / u64::from(page_size.max(1)) + 1,
            ..self.clone()
        }
    }

    pub fn with_page(&self, page: u64) -> ListView {
        ListView {
            page: page.max(1),
            ..self.clone()
        }
    }

    /// Position of the page's first row in the whole result.
    pub fn offset(&self) -> u64 {
        (self.page - 1) * u64::from(self.page_size)
    }

    /// Whether `other` is this list on another page (or with another page size): the same
    /// errors in the same order.
    pub fn same_but_paging(&self, other: &ListView) -> bool {
        self.filters == other.filters && self.sort == other.sort
    }
}

impl ViewQuery {
    /// Reads a view from decoded URL query pairs. A value that cannot be read is left out
    /// and its parameter's name returned, so the page can say which part of a link it ignored.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (ViewQuery, Vec<&'static str>) {
        let mut v = ViewQuery::default();
        let (list, f) = (&mut v.list, &mut Filters::default());
        let mut ignored = Vec::new();
        for (name, value) in pairs {
            match name {
                "from" => match parse_time(value) {
                    Some(t) => f.from = Some(t),
                    None => ignored.push("from"),
                },
                "to" => match parse_time(value) {
                    Some(t) => f.to = Some(t),
                    None => ignored.push("to"),
                },
                // `level=JOB` or `sort=Error_Code` in a hand-written link mean what they say.
                "level" => match Level::parse(&value.to_ascii_lowercase()) {
                    Some(l) => f.level = Some(l),
                    None => ignored.push("level"),
                },
                // Checked as the API checks them: a link the server would refuse is not sent.
                "error_code" | "object_type" | "q" => {
                    let name = Filters::PARAMETERS
                        .into_iter()
                        .find(|p| *p == name)
                        .unwrap_or("q");
                    if f.set(name, value).is_err() {
                        ignored.push(name);
                    }
                }
                "sort" => match Sort::parse(&value.to_ascii_lowercase()) {
                    Some(s) => list.sort = s,
                    None => ignored.push("sort"),
                },
                "page" => match value.parse::<u64>() {
                    Ok(p) if (1..=u64::from(u32::MAX)).contains(&p) => list.page = p,
                    _ => ignored.push("page"),
                },
                "page_size" => match value.parse::<u32>() {
                    Ok(s) if PAGE_SIZES.contains(&s) => list.page_size = s,
                    _ => ignored.push("page_size"),
                },
                "error" if !value.is_empty() && value.len() <= 200 => {
                    v.open = Some(value.to_owned())
                }
                "error" => ignored.push("error"),
                _ => {}
            }
        }
        if let (Some(from), Some(to)) = (f.from, f.to)
            && from > to
        {
            f.from = None;
            f.to = None;
            ignored.push("from");
        }
        v.list.filters = std::mem::take(f);
        (v, ignored)
    }

    pub fn from_query_string(query: &str) -> (ViewQuery, Vec<&'static str>) {
        let pairs = decode_pairs(query.strip_prefix('?').unwrap_or(query));
        ViewQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The URL query for this view, defaults left out; empty for the default view.
    pub fn to_query_string(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        self.list.filters.append_to(&mut out, self.list.sort);
        if self.list.page != 1 {
            out.append_pair("page", &self.list.page.to_string());
        }
        if self.list.page_size != DEFAULT_PAGE_SIZE {
            out.append_pair("page_size", &self.list.page_size.to_string());
        }
        if let Some(error) = &self.open {
            out.append_pair("error", error);
        }
        out.finish()
    }

    /// Another list with the same error open.
    pub fn with_list(&self, list: ListView) -> ViewQuery {
        ViewQuery {
            list,
            open: self.open.clone(),
        }
    }

    /// The same view with other filters: back to the first page, the detail closed.
    pub fn with_filters(&self, filters: Filters) -> ViewQuery {
        ViewQuery {
            list: self.list.with_filters(filters),
            open: None,
        }
    }

    /// The same list with another error open (or none).
    pub fn with_open(&self, open: Option<String>) -> ViewQuery {
        ViewQuery {
            list: self.list.clone(),
            open,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

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

    fn list(page: u64, page_size: u32) -> ListView {
        ListView {
            page,
            page_size,
            ..ListView::default()
        }
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
            list: ListView {
                filters: Filters {
                    from: Some(t("2026-11-27T10:00:00Z")),
                    to: Some(t("2026-11-28T10:00:00Z")),
                    level: Some(Level::Record),
                    error_codes: vec!["DUPLICATE_VALUE".into()],
                    object_types: vec![None, Some("Campaign Member".into())],
                    q: Some("00Q5e000004XyZ1".into()),
                },
                sort: Sort::new(SortField::ErrorCode, false),
                page: 3,
                page_size: 250,
            },
            open: Some("se_01 &x".into()),
        };
        let q = v.to_query_string();
        assert_eq!(ViewQuery::from_query_string(&format!("?{q}")), (v, vec![]));
        assert!(q.starts_with("from=2026-11-27T10%3A00%3A00Z&to="), "{q}");
    }

    #[test]
    fn level_and_sort_are_read_whatever_their_case() {
        let (v, ignored) = ViewQuery::from_query_string("level=JOB&sort=Error_Code");
        assert_eq!(ignored, Vec::<&str>::new());
        assert_eq!(v.list.filters.level, Some(Level::Job));
        assert_eq!(v.list.sort, Sort::new(SortField::ErrorCode, false));
        assert_eq!(v.to_query_string(), "level=job&sort=error_code");
    }

    #[test]
    fn paging_keeps_the_result_set() {
        let v = ListView::default();
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
        let f = v.list.filters;
        assert_eq!((f.from, f.to, f.level), (None, None, Some(Level::Job)));
        assert_eq!(ignored, vec!["from"]);
        let (v, ignored) = ViewQuery::from_query_string(
            "error_code=A-B&object_type=Lead,,Contact&q=%20&level=job",
        );
        assert_eq!(v.list.filters.active_count(), 1);
        assert_eq!(ignored, vec!["error_code", "object_type"]);
    }

    #[test]
    fn changing_filters_or_sort_returns_to_the_first_page() {
        let v = ViewQuery {
            list: list(4, DEFAULT_PAGE_SIZE),
            open: Some("se_1".into()),
        };
        let f = v.with_filters(Filters {
            level: Some(Level::Job),
            ..Filters::default()
        });
        assert_eq!(
            (f.list.page, f.open.as_deref(), f.list.filters.level),
            (1, None, Some(Level::Job))
        );
        assert_eq!(v.list.with_sort(Sort::new(SortField::Level, false)).page, 1);
        assert_eq!(f.list.filters.active_count(), 1);
    }

    #[test]
    fn page_size_changes_keep_the_first_row_in_view() {
        let v = list(5, 100);
        let w = v.with_page_size(250);
        assert_eq!((w.page, w.offset()), (2, 250));
        assert!(w.offset() <= v.offset() && v.offset() < w.offset() + 250);
        assert_eq!(v.with_page_size(25).offset(), v.offset());
    }

    #[test]
    fn another_list_keeps_the_open_error() {
        let v = ViewQuery::default().with_open(Some("se_9".into()));
        assert_eq!(
            v.with_list(v.list.with_page(2)).open.as_deref(),
            Some("se_9")
        );
        assert_eq!(v.with_open(None).list, v.list);
    }
}
