//! The keyset cursor handed out as `next_cursor`: the sort it belongs to, the sort key and
//! id of the last item of a page, and the position of the next item. Opaque to clients:
//! URL-safe base64 of a small JSON object.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use r2d2_sqlite::rusqlite::ToSql;
use r2d2_sqlite::rusqlite::types::ToSqlOutput;
use serde::{Deserialize, Serialize};
use sync_errors_api::{InvalidParameter, Level, Sort, SortField, SyncError};

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
}

impl Cursor {
    /// The cursor after `item`, the last of a page in `sort`, whose successor is at `position`.
    pub fn after(item: &SyncError, sort: Sort, position: u64) -> Cursor {
        Cursor {
            descending: sort.descending,
            key: SortKey::of(item, sort.field),
            id: item.id.clone(),
            position,
        }
    }

    /// The sort this cursor walks.
    pub fn sort(&self) -> Sort {
        Sort::new(self.key.field(), self.descending)
    }

    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// Reads a cursor that an earlier answer to `sort` handed out; anything else is refused
    /// as an invalid `cursor` parameter.
    pub fn decode(s: &str, sort: Sort) -> Result<Cursor, InvalidParameter> {
        let invalid = || InvalidParameter {
            parameter: "cursor",
            message: "is not a cursor from an earlier answer to this sort".into(),
        };
        let bytes = URL_SAFE_NO_PAD.decode(s).map_err(|_| invalid())?;
        let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        if cursor.sort() != sort || cursor.position > i64::MAX as u64 {
            return Err(invalid());
        }
        Ok(cursor)
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
        for sort in Sort::ALL {
            let cursor = Cursor::after(&item(), sort, 100);
            assert_eq!(cursor.sort(), sort);
            let encoded = cursor.encode();
            assert_eq!(Cursor::decode(&encoded, sort), Ok(cursor));
            for other in Sort::ALL.into_iter().filter(|s| *s != sort) {
                let e = Cursor::decode(&encoded, other).unwrap_err();
                assert_eq!(e.parameter, "cursor", "{sort} read as {other}");
            }
        }
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
        let forged = |json: &str| Cursor::decode(&URL_SAFE_NO_PAD.encode(json), sort);
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
