//! The query model of `GET /v1/sync-errors`: one parser and one writer for both sides.

use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::{Level, SyncError};

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

/// At most this many items in the `error_code` and `object_type` lists.
pub const MAX_FILTER_ITEMS: usize = 20;
/// At most this many characters in one error code or object name of a filter.
pub const MAX_FILTER_NAME: usize = 80;
/// At most this many characters in the free text `q`, after trimming.
pub const MAX_TEXT: usize = 200;
/// `-` in the `object_type` list: errors without an object (`object_type` is `null`).
pub const NO_OBJECT: &str = "-";

/// Which errors a list asks for: the filters of `GET /v1/sync-errors` and of its summary,
/// shared by the wire query, the tab's view in the URL, its drawer, chips and export.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filters {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub level: Option<Level>,
    /// `error_code` (1.1): any of these codes; empty means every code.
    pub error_codes: Vec<String>,
    /// `object_type` (1.1): any of these objects, `None` standing for "no object"; empty
    /// means every object.
    pub object_types: Vec<Option<String>>,
    /// `q` (1.1): an ID, or text found in the message or the code; trimmed, never empty.
    pub q: Option<String>,
}

impl Filters {
    /// The filter parameters, as on the wire.
    pub const PARAMETERS: [&'static str; 6] =
        ["from", "to", "level", "error_code", "object_type", "q"];

    /// How many filters are set (the count on the tab's Filter button): each code and each
    /// object counts, as each shows as its own chip.
    pub fn active_count(&self) -> usize {
        usize::from(self.from.is_some())
            + usize::from(self.to.is_some())
            + usize::from(self.level.is_some())
            + self.error_codes.len()
            + self.object_types.len()
            + usize::from(self.q.is_some())
    }

    /// Whether this asks for anything a 1.0 backend ignores (the triage filters).
    pub fn uses_triage(&self) -> bool {
        !self.error_codes.is_empty() || !self.object_types.is_empty() || self.q.is_some()
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
        if !self.error_codes.is_empty() {
            out.append_pair("error_code", &self.error_codes.join(","));
        }
        if !self.object_types.is_empty() {
            let names: Vec<&str> = self
                .object_types
                .iter()
                .map(|o| o.as_deref().unwrap_or(NO_OBJECT))
                .collect();
            out.append_pair("object_type", &names.join(","));
        }
        if let Some(q) = &self.q {
            out.append_pair("q", q);
        }
        if sort != Sort::default() {
            out.append_pair("sort", sort.as_str());
        }
    }

    /// The query string of these filters alone (the summary's request).
    pub fn to_query_string(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        self.append_to(&mut out, Sort::default());
        out.finish()
    }

    /// Parses the filter parameters among decoded `(name, value)` pairs; every other name is
    /// ignored (the summary ignores paging and sort).
    pub fn from_pairs<'a, I>(pairs: I) -> Result<Filters, InvalidParameter>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let mut seen = [false; Filters::PARAMETERS.len()];
        let mut filters = Filters::default();
        for (name, value) in pairs {
            let Some(index) = Filters::PARAMETERS.iter().position(|k| *k == name) else {
                continue;
            };
            if std::mem::replace(&mut seen[index], true) {
                return Err(InvalidParameter::new(
                    Filters::PARAMETERS[index],
                    "is given more than once",
                ));
            }
            filters.set(Filters::PARAMETERS[index], value)?;
        }
        Ok(filters)
    }

    /// Parses a raw (percent-encoded) query string, without the leading `?`.
    pub fn from_query_string(query: &str) -> Result<Filters, InvalidParameter> {
        let pairs = decode_pairs(query);
        Filters::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// Sets the filter `parameter` (one of [`Filters::PARAMETERS`]; any other name is read
    /// as `q`) from its wire value, checked as the contract says.
    pub fn set(&mut self, parameter: &'static str, value: &str) -> Result<(), InvalidParameter> {
        match parameter {
            "from" | "to" => {
                let t = parse_time(value).ok_or_else(|| {
                    InvalidParameter::new(
                        parameter,
                        "must be an RFC 3339 date-time, e.g. 2026-11-28T09:41:07Z",
                    )
                })?;
                if parameter == "from" {
                    self.from = Some(t);
                } else {
                    self.to = Some(t);
                }
            }
            "level" => {
                self.level =
                    Some(Level::parse(value).ok_or_else(|| {
                        InvalidParameter::new("level", "must be `record` or `job`")
                    })?)
            }
            "error_code" => {
                self.error_codes = parse_list(parameter, value, |code| {
                    if is_error_code(code) {
                        Ok(code.to_owned())
                    } else {
                        Err("holds a code that is not 1 to 80 of A-Z, a-z, 0-9 and _")
                    }
                })?
            }
            "object_type" => {
                self.object_types = parse_list(parameter, value, |name| {
                    if name == NO_OBJECT {
                        Ok(None)
                    } else if name.chars().count() > MAX_FILTER_NAME
                        || name.chars().any(char::is_control)
                    {
                        Err("holds a name over 80 characters or with a control character")
                    } else {
                        Ok(Some(name.to_owned()))
                    }
                })?
            }
            _ => {
                let text = value.trim();
                if text.chars().count() > MAX_TEXT {
                    return Err(InvalidParameter::new(
                        "q",
                        format!("must be at most {MAX_TEXT} characters"),
                    ));
                }
                self.q = (!text.is_empty()).then(|| text.to_owned());
            }
        }
        Ok(())
    }

    /// Whether `error` is one these filters ask for: the contract's rules written once, the
    /// yardstick of the server's SQL in tests.
    pub fn matches(&self, error: &SyncError) -> bool {
        self.from.is_none_or(|from| error.failed_at >= from)
            && self.to.is_none_or(|to| error.failed_at <= to)
            && self.level.is_none_or(|level| error.level == level)
            && (self.error_codes.is_empty() || self.error_codes.contains(&error.error_code))
            && (self.object_types.is_empty() || self.object_types.contains(&error.object_type))
            && self.q.as_deref().is_none_or(|q| text_matches(q, error))
    }
}

/// Whether the free text `q` finds `error`: an equal ID, a Salesforce ID equal in its first
/// 15 characters, or the message or code containing it, ignoring ASCII case.
pub fn text_matches(q: &str, error: &SyncError) -> bool {
    let equals = |field: &Option<String>| field.as_deref() == Some(q);
    error.id == q
        || equals(&error.marketo_id)
        || equals(&error.salesforce_id)
        || salesforce_prefix(q).is_some_and(|prefix| {
            error.salesforce_id.as_deref().and_then(salesforce_prefix) == Some(prefix)
        })
        || contains_ignoring_case(&error.message, q)
        || contains_ignoring_case(&error.error_code, q)
}

/// The first 15 characters of a 15- or 18-character Salesforce ID (letters and digits).
pub fn salesforce_prefix(s: &str) -> Option<&str> {
    (matches!(s.len(), 15 | 18) && s.bytes().all(|b| b.is_ascii_alphanumeric())).then(|| &s[..15])
}

fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    haystack
        .to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

/// An error code as the contract allows it in a filter: 1 to 80 of `A-Z a-z 0-9 _`.
pub fn is_error_code(code: &str) -> bool {
    (1..=MAX_FILTER_NAME).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A comma-separated list of at most [`MAX_FILTER_ITEMS`] non-empty items, each checked by
/// `item`; an item given twice counts once.
fn parse_list<T: PartialEq>(
    parameter: &'static str,
    value: &str,
    item: impl Fn(&str) -> Result<T, &'static str>,
) -> Result<Vec<T>, InvalidParameter> {
    let mut out = Vec::new();
    for (n, raw) in value.split(',').enumerate() {
        if n >= MAX_FILTER_ITEMS {
            return Err(InvalidParameter::new(
                parameter,
                format!("must list at most {MAX_FILTER_ITEMS} items"),
            ));
        }
        if raw.is_empty() {
            return Err(InvalidParameter::new(parameter, "holds an empty item"));
        }
        let parsed = item(raw).map_err(|m| InvalidParameter::new(parameter, m))?;
        if !out.contains(&parsed) {
            out.push(parsed);
        }
    }
    Ok(out)
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
    pub const PARAMETERS: [&'static str; 10] = [
        "from",
        "to",
        "level",
        "error_code",
        "object_type",
        "q",
        "sort",
        "offset",
        "limit",
        "cursor",
    ];

    /// Parses and validates decoded `(name, value)` pairs. Unknown names are ignored;
    /// a known name given twice, or with a bad value, is an [`InvalidParameter`].
    pub fn from_pairs<'a, I>(pairs: I) -> Result<ListQuery, InvalidParameter>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        const KNOWN: [&str; 10] = ListQuery::PARAMETERS;
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
                "from" | "to" | "level" | "error_code" | "object_type" | "q" => {
                    q.filters.set(parameter, value)?
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
                ..Filters::default()
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

    #[test]
    fn round_trips_the_triage_filters() {
        let q = ListQuery {
            filters: Filters {
                level: Some(Level::Record),
                error_codes: vec!["REQUIRED_FIELD_MISSING".into(), "DUPLICATE_VALUE".into()],
                object_types: vec![Some("Campaign Member".into()), None],
                q: Some("Company & co".into()),
                ..Filters::default()
            },
            ..ListQuery::default()
        };
        let s = q.to_query_string();
        assert_eq!(
            s,
            "level=record&error_code=REQUIRED_FIELD_MISSING%2CDUPLICATE_VALUE&object_type=Campaign+Member%2C-&q=Company+%26+co"
        );
        assert_eq!(ListQuery::from_query_string(&s).unwrap(), q);
        assert_eq!(q.filters.active_count(), 6);
        assert!(q.filters.uses_triage());
        assert_eq!(
            Filters::from_query_string(&q.filters.to_query_string()).unwrap(),
            q.filters
        );
    }

    #[test]
    fn triage_filters_are_checked_as_the_contract_says() {
        assert_eq!(err("error_code=A,,B").parameter, "error_code");
        assert_eq!(err("error_code=").parameter, "error_code");
        assert_eq!(err("error_code=BAD-CODE").parameter, "error_code");
        assert_eq!(
            err(&format!("error_code={}", "A".repeat(81))).parameter,
            "error_code"
        );
        assert!(ListQuery::from_query_string(&format!("error_code={}", "A".repeat(80))).is_ok());
        let codes = |n: usize| {
            (0..n)
                .map(|i| format!("C{i}"))
                .collect::<Vec<_>>()
                .join(",")
        };
        assert!(ListQuery::from_query_string(&format!("error_code={}", codes(20))).is_ok());
        assert_eq!(
            err(&format!("error_code={}", codes(21))).parameter,
            "error_code"
        );
        assert_eq!(err("object_type=Lead,").parameter, "object_type");
        assert_eq!(err("object_type=Le%0Aad").parameter, "object_type");
        assert_eq!(
            err(&format!("object_type={}", "é".repeat(81))).parameter,
            "object_type"
        );
        assert!(ListQuery::from_query_string(&format!("object_type={}", "é".repeat(80))).is_ok());
        assert_eq!(err(&format!("q={}", "x".repeat(201))).parameter, "q");
        // Trimmed first: 200 characters with spaces around are fine, blanks mean absent.
        let q = ListQuery::from_query_string(&format!("q=%20{}%20", "x".repeat(200))).unwrap();
        assert_eq!(q.filters.q.map(|t| t.len()), Some(200));
        assert_eq!(
            ListQuery::from_query_string("q=%20%20").unwrap(),
            ListQuery::default()
        );
        assert_eq!(err("q=a&q=b").parameter, "q");
    }

    #[test]
    fn the_summary_reads_only_the_filters() {
        let f = Filters::from_query_string("limit=0&sort=nope&cursor=&level=job").unwrap();
        assert_eq!(f.level, Some(Level::Job));
        assert_eq!(
            Filters::from_query_string("level=all")
                .unwrap_err()
                .parameter,
            "level"
        );
    }

    #[test]
    fn filters_match_as_the_contract_says() {
        let e = SyncError::example(
            "se_1",
            Level::Record,
            "Required fields are missing: [Company]",
        );
        let with = |query: &str| Filters::from_query_string(query).unwrap().matches(&e);
        assert!(with(""));
        assert!(with("error_code=DUPLICATE_VALUE,REQUIRED_FIELD_MISSING"));
        assert!(!with("error_code=required_field_missing"));
        assert!(with("object_type=Contact,Lead"));
        assert!(!with("object_type=-"));
        assert!(
            Filters::from_query_string("object_type=-")
                .unwrap()
                .matches(&SyncError {
                    object_type: None,
                    ..e.clone()
                })
        );
        for q in [
            "se_1",
            "1042",
            "00Q5e000004XyZ1EAK",
            "00Q5e000004XyZ1",
            "00Q5e000004XyZ1xxx",
        ] {
            assert!(with(&format!("q={q}")), "{q}");
        }
        for q in ["se_", "104", "00q5e000004xyz1", "00Q5e000004XyZ2"] {
            assert!(!with(&format!("q={q}")), "{q}");
        }
        assert!(with("q=COMPANY"));
        assert!(with("q=field_missing"));
        assert!(with("q=fields%20are"));
        assert!(!with("q=Company&level=job"));
    }
}
