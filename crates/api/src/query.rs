//! The query model of `GET /v1/sync-errors`: one parser and one writer for both sides.

use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::Level;

pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1000;

/// What a list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortField {
    FailedAt,
    Level,
    ErrorCode,
}

impl SortField {
    pub fn as_str(self) -> &'static str {
        match self {
            SortField::FailedAt => "failed_at",
            SortField::Level => "level",
            SortField::ErrorCode => "error_code",
        }
    }
}

/// A sort order; ties are always broken by `id` in the same direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sort {
    pub field: SortField,
    pub descending: bool,
}

impl Default for Sort {
    /// Newest first, as the contract's default `-failed_at`.
    fn default() -> Self {
        Sort {
            field: SortField::FailedAt,
            descending: true,
        }
    }
}

impl Sort {
    pub const ALL: [Sort; 6] = [
        Sort::new(SortField::FailedAt, true),
        Sort::new(SortField::FailedAt, false),
        Sort::new(SortField::Level, false),
        Sort::new(SortField::Level, true),
        Sort::new(SortField::ErrorCode, false),
        Sort::new(SortField::ErrorCode, true),
    ];

    pub const fn new(field: SortField, descending: bool) -> Self {
        Sort { field, descending }
    }

    /// The wire form: `failed_at`, `-failed_at`, `level`, …
    pub fn as_str(self) -> &'static str {
        match (self.field, self.descending) {
            (SortField::FailedAt, false) => "failed_at",
            (SortField::FailedAt, true) => "-failed_at",
            (SortField::Level, false) => "level",
            (SortField::Level, true) => "-level",
            (SortField::ErrorCode, false) => "error_code",
            (SortField::ErrorCode, true) => "-error_code",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|sort| sort.as_str() == s)
    }
}

impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A query parameter that is not acceptable; `parameter` names it as on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidParameter {
    pub parameter: &'static str,
    pub message: String,
}

impl InvalidParameter {
    fn new(parameter: &'static str, message: impl Into<String>) -> Self {
        InvalidParameter {
            parameter,
            message: message.into(),
        }
    }
}

impl fmt::Display for InvalidParameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.parameter, self.message)
    }
}

impl std::error::Error for InvalidParameter {}

/// Which errors a list asks for: the filters of `GET /v1/sync-errors`, shared by the wire
/// query, the tab's view in the URL and its drawer and chips.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Filters {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub level: Option<Level>,
}

impl Filters {
    /// How many filters are set (the count on the tab's Filter button).
    pub fn active_count(&self) -> usize {
        usize::from(self.from.is_some())
            + usize::from(self.to.is_some())
            + usize::from(self.level.is_some())
    }

    /// Appends the filters and `sort` under the API's own names, leaving out defaults.
    pub fn append_to(&self, out: &mut form_urlencoded::Serializer<'_, String>, sort: Sort) {
        if let Some(from) = self.from {
            out.append_pair("from", &format_time(from));
        }
        if let Some(to) = self.to {
            out.append_pair("to", &format_time(to));
        }
        if let Some(level) = self.level {
            out.append_pair("level", level.as_str());
        }
        if sort != Sort::default() {
            out.append_pair("sort", sort.as_str());
        }
    }
}

/// The filters, sort and page of a list request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub filters: Filters,
    pub sort: Sort,
    pub offset: u64,
    pub limit: u32,
    pub cursor: Option<String>,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            filters: Filters::default(),
            sort: Sort::default(),
            offset: 0,
            limit: DEFAULT_LIMIT,
            cursor: None,
        }
    }
}

/// Parses an RFC 3339 time with any offset and returns it in UTC.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Formats a time as the contract writes it: RFC 3339, UTC, `Z`, no needless fraction.
pub fn format_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The decoded `(name, value)` pairs of a raw query string (no leading `?`).
pub fn decode_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

impl ListQuery {
    /// Every query parameter of `GET /v1/sync-errors`, as on the wire.
    pub const PARAMETERS: [&'static str; 7] =
        ["from", "to", "level", "sort", "offset", "limit", "cursor"];

    /// Parses and validates decoded `(name, value)` pairs. Unknown names are ignored;
    /// a known name given twice, or with a bad value, is an [`InvalidParameter`].
    pub fn from_pairs<'a, I>(pairs: I) -> Result<ListQuery, InvalidParameter>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        const KNOWN: [&str; 7] = ListQuery::PARAMETERS;
        let mut seen = [false; KNOWN.len()];
        let mut q = ListQuery::default();
        for (name, value) in pairs {
            let Some(index) = KNOWN.iter().position(|k| *k == name) else {
                continue;
            };
            let parameter = KNOWN[index];
            if std::mem::replace(&mut seen[index], true) {
                return Err(InvalidParameter::new(parameter, "is given more than once"));
            }
            match parameter {
                "from" | "to" => {
                    let t = parse_time(value).ok_or_else(|| {
                        InvalidParameter::new(
                            parameter,
                            "must be an RFC 3339 date-time, e.g. 2026-11-28T09:41:07Z",
                        )
                    })?;
                    if parameter == "from" {
                        q.filters.from = Some(t);
                    } else {
                        q.filters.to = Some(t);
                    }
                }
                "level" => {
                    q.filters.level = Some(Level::parse(value).ok_or_else(|| {
                        InvalidParameter::new("level", "must be `record` or `job`")
                    })?)
                }
                "sort" => {
                    q.sort = Sort::parse(value).ok_or_else(|| {
                        InvalidParameter::new(
                            "sort",
                            "must be one of -failed_at, failed_at, level, -level, error_code, -error_code",
                        )
                    })?
                }
                "offset" => {
                    // Any whole number ≥ 0 is valid (the contract sets no maximum). Past the
                    // end every page is empty, so a larger offset than SQLite can skip
                    // (i64::MAX) is held at that: the same empty page.
                    q.offset = match value.parse::<u64>() {
                        Ok(o) => o.min(i64::MAX as u64),
                        Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => {
                            i64::MAX as u64
                        }
                        Err(_) => {
                            return Err(InvalidParameter::new(
                                "offset",
                                "must be a whole number, 0 or more",
                            ));
                        }
                    }
                }
                "limit" => {
                    q.limit = value
                        .parse::<u32>()
                        .ok()
                        .filter(|l| (1..=MAX_LIMIT).contains(l))
                        .ok_or_else(|| {
                            InvalidParameter::new(
                                "limit",
                                format!("must be a whole number from 1 to {MAX_LIMIT}"),
                            )
                        })?
                }
                _ => {
                    if value.is_empty() || value.len() > 512 {
                        return Err(InvalidParameter::new("cursor", "is not a valid cursor"));
                    }
                    q.cursor = Some(value.to_owned());
                }
            }
        }
        // `from` after `to` is no error in the contract (both are valid RFC 3339 times):
        // nothing fails in such a range, so the answer is an empty page.
        Ok(q)
    }

    /// Parses a raw (percent-encoded) query string, without the leading `?`.
    pub fn from_query_string(query: &str) -> Result<ListQuery, InvalidParameter> {
        let pairs = decode_pairs(query);
        ListQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The query string that asks for this query, leaving out defaults.
    pub fn to_query_string(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        self.filters.append_to(&mut out, self.sort);
        match &self.cursor {
            Some(cursor) => {
                out.append_pair("cursor", cursor);
            }
            None if self.offset != 0 => {
                out.append_pair("offset", &self.offset.to_string());
            }
            None => {}
        }
        if self.limit != DEFAULT_LIMIT {
            out.append_pair("limit", &self.limit.to_string());
        }
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(q: &str) -> InvalidParameter {
        ListQuery::from_query_string(q).unwrap_err()
    }

    #[test]
    fn empty_query_is_the_default() {
        assert_eq!(
            ListQuery::from_query_string("").unwrap(),
            ListQuery::default()
        );
        assert_eq!(ListQuery::default().to_query_string(), "");
    }

    #[test]
    fn round_trips_every_parameter() {
        let q = ListQuery {
            filters: Filters {
                from: parse_time("2026-11-23T08:00:00Z"),
                to: parse_time("2026-11-28T10:15:00.250Z"),
                level: Some(Level::Job),
            },
            sort: Sort::new(SortField::ErrorCode, true),
            offset: 300,
            limit: 1000,
            cursor: None,
        };
        let s = q.to_query_string();
        assert_eq!(
            s,
            "from=2026-11-23T08%3A00%3A00Z&to=2026-11-28T10%3A15%3A00.250Z&level=job&sort=-error_code&offset=300&limit=1000"
        );
        assert_eq!(ListQuery::from_query_string(&s).unwrap(), q);
        for sort in Sort::ALL {
            assert_eq!(Sort::parse(sort.as_str()), Some(sort));
        }
    }

    #[test]
    fn offsets_in_other_time_zones_become_utc() {
        let q = ListQuery::from_query_string("from=2026-11-28T10:00:00%2B01:00").unwrap();
        assert_eq!(q.filters.from, parse_time("2026-11-28T09:00:00Z"));
    }

    #[test]
    fn names_the_wrong_parameter() {
        assert_eq!(err("from=yesterday").parameter, "from");
        assert_eq!(err("to=2026-13-01T00:00:00Z").parameter, "to");
        assert_eq!(err("level=both").parameter, "level");
        assert_eq!(err("sort=message").parameter, "sort");
        assert_eq!(err("offset=-1").parameter, "offset");
        assert_eq!(err("offset=1e3").parameter, "offset");
        assert_eq!(err("limit=0").parameter, "limit");
        assert_eq!(err("limit=1001").parameter, "limit");
        assert_eq!(err("limit=").parameter, "limit");
        assert_eq!(err("cursor=").parameter, "cursor");
        assert_eq!(err("level=job&level=record").parameter, "level");
    }

    #[test]
    fn any_whole_offset_is_valid() {
        let q = ListQuery::from_query_string("offset=241223968345607830214017024").unwrap();
        assert_eq!(q.offset, i64::MAX as u64);
        let q = ListQuery::from_query_string("offset=18446744073709551615").unwrap();
        assert_eq!(q.offset, i64::MAX as u64);
    }

    #[test]
    fn from_after_to_is_a_valid_empty_range() {
        let q = ListQuery::from_query_string("from=2026-11-28T00:00:00Z&to=2026-11-27T00:00:00Z")
            .unwrap();
        assert!(q.filters.from > q.filters.to);
    }

    #[test]
    fn unknown_parameters_are_ignored() {
        let q = ListQuery::from_query_string("utm=1&level=record&x=%ZZ").unwrap();
        assert_eq!(q.filters.level, Some(Level::Record));
    }

    #[test]
    fn cursor_replaces_offset_on_the_wire() {
        let q = ListQuery {
            offset: 200,
            cursor: Some("abc+/=".into()),
            ..ListQuery::default()
        };
        assert_eq!(q.to_query_string(), "cursor=abc%2B%2F%3D");
    }
}
