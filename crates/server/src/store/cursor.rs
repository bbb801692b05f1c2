//! The keyset cursor handed out as `next_cursor`: the sort and the filters it belongs to,
//! the sort key and id of the last item of a page, and the position of the next item.
//! Opaque to clients: URL-safe base64 of a small JSON object.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use r2d2_sqlite::rusqlite::ToSql;
use r2d2_sqlite::rusqlite::types::ToSqlOutput;
use serde::{Deserialize, Serialize};
use sync_errors_api::{
    ErrorPage, Filters, InvalidParameter, Level, ListQuery, Sort, SortField, SyncError, Window,
};

use super::to_ms;

/// The value of the sorted column for one item, as the store holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    /// `failed_at`, in milliseconds.
    #[serde(rename = "t")]
    FailedAt(i64),
    #[serde(rename = "l")]
    Level(Level),
    #[serde(rename = "c")]
    ErrorCode(String),
}

impl SortKey {
    /// The key of `item` in an order by `field`.
    pub fn of(item: &SyncError, field: SortField) -> SortKey {
        match field {
            SortField::FailedAt => SortKey::FailedAt(to_ms(item.failed_at)),
            SortField::Level => SortKey::Level(item.level),
            SortField::ErrorCode => SortKey::ErrorCode(item.error_code.clone()),
        }
    }

    /// The field this is a key of.
    pub fn field(&self) -> SortField {
        match self {
            SortKey::FailedAt(_) => SortField::FailedAt,
            SortKey::Level(_) => SortField::Level,
            SortKey::ErrorCode(_) => SortField::ErrorCode,
        }
    }
}

/// Binds as the sorted column's own value.
impl ToSql for SortKey {
    fn to_sql(&self) -> r2d2_sqlite::rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            SortKey::FailedAt(ms) => ToSqlOutput::from(*ms),
            SortKey::Level(level) => ToSqlOutput::from(level.as_str()),
            SortKey::ErrorCode(code) => ToSqlOutput::from(code.as_str()),
        })
    }
}

/// The keyset position after the last item of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The sort's direction; its field is the key's.
    #[serde(rename = "d")]
    pub descending: bool,
    /// The sort key of the last item.
    #[serde(rename = "k")]
    pub key: SortKey,
    /// The id of the last item.
    #[serde(rename = "i")]
    pub id: String,
    /// The position of the next item in the whole result.
    #[serde(rename = "p")]
    pub position: u64,
    /// The filters it belongs to, but the range (the tab pins `to` after the first page):
    /// [`fingerprint`]; absent (0) for none, as in cursors from before the 1.1 filters.
    #[serde(rename = "f", default, skip_serializing_if = "is_zero")]
    pub filters: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A digest of the filters a cursor belongs to, but `from` and `to`: the level, the codes
/// and objects (in any order) and the text; 0 when none is set. FNV-1a: fixed and small,
/// so a cursor stays valid across restarts and versions of the server.
pub fn fingerprint(filters: &Filters) -> u64 {
    let mut codes: Vec<&str> = filters.error_codes.iter().map(String::as_str).collect();
    let mut objects: Vec<Option<&str>> =
        filters.object_types.iter().map(Option::as_deref).collect();
    if filters.level.is_none() && codes.is_empty() && objects.is_empty() && filters.q.is_none() {
        return 0;
    }
    codes.sort_unstable();
    objects.sort_unstable();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes.iter().chain(&[0xffu8]) {
            hash = (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(filters.level.map_or("", Level::as_str).as_bytes());
    for code in codes {
        eat(code.as_bytes());
    }
    eat(b"objects");
    for object in objects {
        eat(object.map_or(&[0xfe][..], str::as_bytes));
    }
    eat(filters.q.as_deref().unwrap_or("").as_bytes());
    hash.max(1)
}

impl Cursor {
    /// The cursor after `item`, the last of a page in `sort` under `filters`, whose
    /// successor is at `position`.
    pub fn after(item: &SyncError, sort: Sort, filters: &Filters, position: u64) -> Cursor {
        Cursor {
            descending: sort.descending,
            key: SortKey::of(item, sort.field),
            id: item.id.clone(),
            position,
            filters: fingerprint(filters),
        }
    }

    /// The sort this cursor walks.
    pub fn sort(&self) -> Sort {
        Sort::new(self.key.field(), self.descending)
    }

    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// Reads a cursor that an earlier answer to `sort` and `filters` handed out; anything
    /// else is refused as an invalid `cursor` parameter.
    pub fn decode(s: &str, sort: Sort, filters: &Filters) -> Result<Cursor, InvalidParameter> {
        let invalid = || InvalidParameter {
            parameter: "cursor",
            message: "is not a cursor from an earlier answer to these filters and this sort".into(),
        };
        let bytes = URL_SAFE_NO_PAD.decode(s).map_err(|_| invalid())?;
        let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        if cursor.sort() != sort
            || cursor.position > i64::MAX as u64
            || cursor.filters != fingerprint(filters)
        {
            return Err(invalid());
        }
        Ok(cursor)
    }
}

/// A list's answer: `items` from position `start` of `total`, with the cursor after the
/// last of them when more follow. One assembly for both stores.
pub fn page(
    q: &ListQuery,
    window: Window,
    total: u64,
    start: u64,
    items: Vec<SyncError>,
) -> ErrorPage {
    let next = start + items.len() as u64;
    let next_cursor = match items.last() {
        Some(last) if next < total => Some(Cursor::after(last, q.sort, &q.filters, next).encode()),
        _ => None,
    };
    ErrorPage {
        window,
        total,
        offset: Some(start),
        next_cursor,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> SyncError {
        SyncError::example("se_1", Level::Job, "Session expired or invalid")
    }

    #[test]
    fn a_cursor_reads_back_in_its_own_sort_only() {
        let none = Filters::default();
        for sort in Sort::ALL {
            let cursor = Cursor::after(&item(), sort, &none, 100);
            assert_eq!(cursor.sort(), sort);
            let encoded = cursor.encode();
            assert_eq!(Cursor::decode(&encoded, sort, &none), Ok(cursor));
            for other in Sort::ALL.into_iter().filter(|s| *s != sort) {
                let e = Cursor::decode(&encoded, other, &none).unwrap_err();
                assert_eq!(e.parameter, "cursor", "{sort} read as {other}");
            }
        }
    }

    /// A cursor reads back under the same filters (in any order of the lists, any range),
    /// and is refused under others.
    #[test]
    fn a_cursor_belongs_to_its_filters_but_the_range() {
        let sort = Sort::default();
        let f = |q: &str| Filters::from_query_string(q).unwrap();
        let filters = f("level=job&error_code=A,B&object_type=Lead,-&q=lock");
        let encoded = Cursor::after(&item(), sort, &filters, 5).encode();
        for same in [
            "level=job&error_code=B,A&object_type=-,Lead&q=lock",
            "level=job&error_code=A,B&object_type=Lead,-&q=%20lock%20&from=2026-11-28T00:00:00Z",
        ] {
            assert!(Cursor::decode(&encoded, sort, &f(same)).is_ok(), "{same}");
        }
        for other in [
            "",
            "level=record&error_code=A,B&object_type=Lead,-&q=lock",
            "level=job&error_code=A&object_type=Lead,-&q=lock",
            "level=job&error_code=A,B&object_type=Lead&q=lock",
            "level=job&error_code=A,B&object_type=Lead,-&q=locks",
            "level=job&error_code=A,B&object_type=Lead,-",
        ] {
            let e = Cursor::decode(&encoded, sort, &f(other)).unwrap_err();
            assert_eq!(e.parameter, "cursor", "{other}");
        }
        assert_eq!(fingerprint(&Filters::default()), 0);
        // A cursor without filters has no `f`, as before the 1.1 filters.
        let plain = Cursor::after(&item(), sort, &Filters::default(), 5).encode();
        let json = String::from_utf8(URL_SAFE_NO_PAD.decode(plain).unwrap()).unwrap();
        assert!(!json.contains("\"f\""), "{json}");
    }

    #[test]
    fn keys_bind_as_their_column() {
        let e = item();
        assert_eq!(
            SortKey::of(&e, SortField::FailedAt),
            SortKey::FailedAt(to_ms(e.failed_at))
        );
        assert_eq!(
            SortKey::of(&e, SortField::Level),
            SortKey::Level(Level::Job)
        );
        assert_eq!(
            SortKey::of(&e, SortField::ErrorCode).to_sql().unwrap(),
            ToSqlOutput::from("REQUIRED_FIELD_MISSING")
        );
        assert_eq!(
            SortKey::Level(Level::Record).to_sql().unwrap(),
            ToSqlOutput::from("record")
        );
    }

    #[test]
    fn positions_past_i64_and_mismatched_keys_are_refused() {
        let sort = Sort::default();
        let forged =
            |json: &str| Cursor::decode(&URL_SAFE_NO_PAD.encode(json), sort, &Filters::default());
        assert!(forged(r#"{"d":true,"k":{"t":1},"i":"x","p":1}"#).is_ok());
        for bad in [
            r#"{"d":true,"k":{"t":1},"i":"x","p":9223372036854775808}"#,
            r#"{"d":true,"k":{"c":"1"},"i":"x","p":1}"#,
            r#"{"d":true,"k":{"t":"1"},"i":"x","p":1}"#,
            r#"{"d":false,"k":{"t":1},"i":"x","p":1}"#,
            r#"{"d":true,"k":{"t":1},"i":"x"}"#,
            r#"{"s":"-failed_at","k":1,"i":"x","p":1}"#,
        ] {
            assert_eq!(forged(bad).unwrap_err().parameter, "cursor", "{bad}");
        }
    }
}
