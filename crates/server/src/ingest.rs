//! Ingestion's rules, apart from SQL (`store::ingest`): the request's shape, each item
//! checked on its own (a refused item names its field and never stops the others), and
//! `ingest`, the one way errors are written — by `POST /v1/sync-errors`, the demo and the
//! `ingest` command alike.

use chrono::{DateTime, Duration, DurationRound, Utc};
use r2d2_sqlite::rusqlite::{self, Connection};
use serde_json::{Map, Value};
use sync_errors_api::{
    IngestAnswer, Level, MAX_INGEST_ITEMS, RejectCode, Rejected, SyncError, is_error_code,
    parse_time,
};

use crate::store;

pub const MAX_ID: usize = 64;
pub const MAX_CODE: usize = 80;
pub const MAX_MESSAGE_BYTES: usize = 32 * 1024;
pub const MAX_NAME: usize = 80;
pub const MAX_RECORD_ID: usize = 64;
pub const MAX_FIELDS: usize = 50;
/// How far in the future an error may have failed (the engine's clock may run ahead).
pub const MAX_AHEAD: Duration = Duration::minutes(5);

/// Why a request as a whole is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Not JSON, not an object, `items` missing or not a list, a bad `current_sync_at`.
    Invalid(String),
    /// More than [`MAX_INGEST_ITEMS`] items.
    TooMany(usize),
}

/// A request's body, read: `current_sync_at` and each item, checked or refused.
#[derive(Debug)]
pub struct Batch {
    pub current_sync_at: Option<DateTime<Utc>>,
    pub items: Vec<Result<SyncError, Rejected>>,
}

/// Reads a request's body: the batch, with each item checked at `now`.
pub fn parse(body: &[u8], now: DateTime<Utc>) -> Result<Batch, BodyError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| BodyError::Invalid(format!("the body is not JSON: {e}")))?;
    let Value::Object(mut object) = value else {
        return Err(BodyError::Invalid("the body is not a JSON object".into()));
    };
    let current_sync_at = match object.remove("current_sync_at") {
        None => None,
        Some(Value::String(s)) => Some(parse_time(&s).ok_or_else(|| {
            BodyError::Invalid("`current_sync_at` is not an RFC 3339 time".into())
        })?),
        Some(_) => {
            return Err(BodyError::Invalid(
                "`current_sync_at` is not an RFC 3339 time".into(),
            ));
        }
    };
    let Some(Value::Array(items)) = object.remove("items") else {
        return Err(BodyError::Invalid(
            "`items` is missing or not a list".into(),
        ));
    };
    if items.len() > MAX_INGEST_ITEMS {
        return Err(BodyError::TooMany(items.len()));
    }
    let items = items
        .into_iter()
        .enumerate()
        .map(|(index, item)| check_value(index as u64, item, now))
        .collect();
    Ok(Batch {
        current_sync_at,
        items,
    })
}

/// One item of a request, checked: the error it is, or why it is refused.
pub fn check_value(index: u64, item: Value, now: DateTime<Utc>) -> Result<SyncError, Rejected> {
    let Value::Object(map) = item else {
        return Err(invalid(index, None, None, "the item is not a JSON object"));
    };
    let id = map.get("id").and_then(Value::as_str).map(str::to_owned);
    from_map(&map, now)
        .map_err(|(field, message)| invalid(index, id.clone(), Some(field), &message))
}

/// An error's own checks (the ones that need no store): `Err((field, message))`.
pub fn check(e: &SyncError, now: DateTime<Utc>) -> Result<(), (&'static str, String)> {
    let id_ok = (1..=MAX_ID).contains(&e.id.len())
        && e.id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.:-".contains(&b));
    if !id_ok {
        return Err((
            "id",
            format!("id must be 1 to {MAX_ID} of A-Z a-z 0-9 _ . : -"),
        ));
    }
    if e.failed_at > now + MAX_AHEAD {
        return Err((
            "failed_at",
            "failed_at is more than 5 minutes in the future".into(),
        ));
    }
    if !is_error_code(&e.error_code) {
        return Err((
            "error_code",
            format!("error_code must be 1 to {MAX_CODE} of A-Z a-z 0-9 _"),
        ));
    }
    if e.message.len() > MAX_MESSAGE_BYTES {
        return Err(("message", "message is over 32 KiB".into()));
    }
    for (field, value, max) in [
        ("object_type", &e.object_type, MAX_NAME),
        ("operation", &e.operation, MAX_NAME),
        ("marketo_id", &e.marketo_id, MAX_RECORD_ID),
        ("salesforce_id", &e.salesforce_id, MAX_RECORD_ID),
    ] {
        if value.as_ref().is_some_and(|v| v.chars().count() > max) {
            return Err((field, format!("{field} is over {max} characters")));
        }
    }
    if e.fields.len() > MAX_FIELDS {
        return Err(("fields", format!("fields names over {MAX_FIELDS} fields")));
    }
    Ok(())
}

fn invalid(index: u64, id: Option<String>, field: Option<&str>, message: &str) -> Rejected {
    Rejected {
        index,
        id,
        code: RejectCode::InvalidItem,
        field: field.map(str::to_owned),
        message: message.to_owned(),
    }
}

type Problem = (&'static str, String);

fn string(map: &Map<String, Value>, field: &'static str) -> Result<String, Problem> {
    match map.get(field) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err((field, format!("{field} is not a string"))),
        None => Err((field, format!("{field} is missing"))),
    }
}

fn optional(map: &Map<String, Value>, field: &'static str) -> Result<Option<String>, Problem> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err((field, format!("{field} is neither a string nor null"))),
    }
}

/// Reads an item field by field, so that a refusal names the first field at fault.
fn from_map(map: &Map<String, Value>, now: DateTime<Utc>) -> Result<SyncError, Problem> {
    let id = string(map, "id")?;
    let level = Level::parse(&string(map, "level")?)
        .ok_or(("level", "level is neither `record` nor `job`".to_owned()))?;
    let failed_at = parse_time(&string(map, "failed_at")?)
        .ok_or(("failed_at", "failed_at is not an RFC 3339 time".to_owned()))?;
    // The store keeps milliseconds: an item is compared with what it will read back.
    let failed_at = failed_at
        .duration_trunc(Duration::milliseconds(1))
        .map_err(|_| ("failed_at", "failed_at is out of range".to_owned()))?;
    let fields = match map.get("fields") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(names)) => names
            .iter()
            .map(|n| n.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or(("fields", "fields is not a list of strings".to_owned()))?,
        Some(_) => return Err(("fields", "fields is not a list of strings".into())),
    };
    let e = SyncError {
        id,
        level,
        failed_at,
        error_code: string(map, "error_code")?,
        message: string(map, "message")?,
        object_type: optional(map, "object_type")?,
        operation: optional(map, "operation")?,
        marketo_id: optional(map, "marketo_id")?,
        salesforce_id: optional(map, "salesforce_id")?,
        fields,
    };
    check(&e, now)?;
    Ok(e)
}

/// The items' own checks, again (an item built in this process skipped `parse`): the
/// checked items with their indexes, and the refused ones.
fn split(
    items: Vec<Result<SyncError, Rejected>>,
    now: DateTime<Utc>,
) -> (Vec<(u64, SyncError)>, Vec<Rejected>) {
    let mut rejected = Vec::new();
    let mut checked = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let index = index as u64;
        match item {
            Ok(e) => match check(&e, now) {
                Ok(()) => checked.push((index, e)),
                Err((field, message)) => {
                    rejected.push(invalid(index, Some(e.id.clone()), Some(field), &message))
                }
            },
            Err(r) => rejected.push(r),
        }
    }
    (checked, rejected)
}

/// The answer: the store's outcome with the items refused before it, in index order.
fn answer(outcome: store::ingest::Outcome, mut rejected: Vec<Rejected>) -> IngestAnswer {
    rejected.extend(outcome.rejected);
    rejected.sort_by_key(|r| r.index);
    IngestAnswer {
        accepted: outcome.accepted,
        unchanged: outcome.unchanged,
        rejected,
    }
}

/// Ingests one batch into a SQLite connection: the items' own checks, then one transaction.
/// The answer lists the refused items in the order of their indexes.
pub fn ingest(
    conn: &mut Connection,
    current_sync_at: Option<DateTime<Utc>>,
    items: Vec<Result<SyncError, Rejected>>,
    now: DateTime<Utc>,
) -> rusqlite::Result<IngestAnswer> {
    let (checked, rejected) = split(items, now);
    let outcome = store::ingest::write_batch(conn, current_sync_at, &checked, now)?;
    Ok(answer(outcome, rejected))
}

/// Ingests one batch into the server's store (either kind), as `ingest` does.
pub async fn ingest_into(
    store: &dyn store::Store,
    current_sync_at: Option<DateTime<Utc>>,
    items: Vec<Result<SyncError, Rejected>>,
    now: DateTime<Utc>,
) -> Result<IngestAnswer, store::StoreError> {
    let (checked, rejected) = split(items, now);
    let outcome = store.write_batch(current_sync_at, checked, now).await?;
    Ok(answer(outcome, rejected))
}
