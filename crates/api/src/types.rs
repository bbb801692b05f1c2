use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// "Failed On" in the UI: whether one record or a whole sync job failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Job,
    Record,
}

impl Level {
    pub const ALL: [Level; 2] = [Level::Job, Level::Record];

    /// The wire word (`job` or `record`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Job => "job",
            Level::Record => "record",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// One error that the sync with Salesforce met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncError {
    pub id: String,
    pub level: Level,
    pub failed_at: DateTime<Utc>,
    /// "Error Type": the Salesforce status code, e.g. `REQUIRED_FIELD_MISSING`.
    pub error_code: String,
    /// "Error Details": Salesforce's own return message, verbatim. May hold anything.
    pub message: String,
    #[serde(default)]
    pub object_type: Option<String>,
    #[serde(default)]
    pub operation: Option<String>,
    #[serde(default)]
    pub marketo_id: Option<String>,
    #[serde(default)]
    pub salesforce_id: Option<String>,
    #[serde(default)]
    pub fields: Vec<String>,
}

impl SyncError {
    /// The one fixture of the workspace's tests: a complete error of `level` with `message`
    /// (a Lead whose Company is missing, `REQUIRED_FIELD_MISSING`, failed at
    /// 2026-11-28T09:41:07Z, with both IDs). A test changes what it is about with struct
    /// update syntax.
    #[doc(hidden)]
    pub fn example(id: &str, level: Level, message: &str) -> SyncError {
        SyncError {
            id: id.into(),
            level,
            failed_at: DateTime::from_timestamp(1_795_858_867, 0).unwrap_or_default(),
            error_code: "REQUIRED_FIELD_MISSING".into(),
            message: message.into(),
            object_type: Some("Lead".into()),
            operation: Some("Push updates".into()),
            marketo_id: Some("1042".into()),
            salesforce_id: Some("00Q5e000004XyZ1EAK".into()),
            fields: vec!["Company".into()],
        }
    }
}

/// The retention window: from five days before the current sync up to the server's now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub current_sync_at: DateTime<Utc>,
}

/// The answer to `GET /v1/sync-errors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorPage {
    pub window: Window,
    /// Every error that matches the filters, not only this page.
    pub total: u64,
    /// Position of the first item; `None` when asked by cursor and the backend does not know.
    #[serde(default)]
    pub offset: Option<u64>,
    #[serde(default)]
    pub next_cursor: Option<String>,
    pub items: Vec<SyncError>,
}

/// The answer to `GET /v1/sync-errors/summary` (1.1): what the filtered errors are made of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub window: Window,
    /// Every filter applied: the list's `total` for the same filters.
    pub total: u64,
    /// Every filter but `error_code`; by `count` descending, then `error_code`.
    pub by_code: Vec<CodeCount>,
    /// Every filter but `object_type`; by `count` descending, then `object_type`, `null` last.
    pub by_object: Vec<ObjectCount>,
    /// Every filter but `from` and `to`: the whole window.
    pub histogram: Histogram,
}

/// How many errors one code has, split by level, and when it last happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeCount {
    pub error_code: String,
    pub count: u64,
    pub record: u64,
    pub job: u64,
    pub last_failed_at: DateTime<Utc>,
}

/// How many errors one object type has; `object_type` is `None` for "no object".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectCount {
    pub object_type: Option<String>,
    pub count: u64,
}

/// Errors per time bucket over the whole window, contiguous, empty buckets included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Histogram {
    /// 60 to 86,400; the buckets start at multiples of it since the Unix epoch.
    pub bucket_seconds: u32,
    pub buckets: Vec<Bucket>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    pub start: DateTime<Utc>,
    pub record: u64,
    pub job: u64,
}

impl Bucket {
    pub fn count(&self) -> u64 {
        self.record + self.job
    }
}

/// The body of `POST /v1/sync-errors`: a batch from a sync engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestRequest {
    /// Moves the window forward; ignored when earlier than the stored one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_sync_at: Option<DateTime<Utc>>,
    /// At most [`MAX_INGEST_ITEMS`](crate::MAX_INGEST_ITEMS); each is checked on its own.
    pub items: Vec<SyncError>,
}

/// The answer to `POST /v1/sync-errors`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestAnswer {
    /// Items stored by this request.
    pub accepted: u64,
    /// Items already stored with the same content (their `id` seen before).
    pub unchanged: u64,
    /// Items refused, each with its index in the request.
    pub rejected: Vec<Rejected>,
}

/// One refused item of an ingest batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    /// The item's position in `items`, from 0.
    pub index: u64,
    /// The item's `id`, when it had one that is a string.
    #[serde(default)]
    pub id: Option<String>,
    pub code: RejectCode,
    /// The field at fault, for `invalid_item` and `expired`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
}

/// Why an item was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectCode {
    /// A field is missing, of the wrong type or out of its bounds.
    InvalidItem,
    /// Its `id` is stored with other content.
    Conflict,
    /// It failed before the window's start.
    Expired,
}

impl RejectCode {
    pub const ALL: [RejectCode; 3] = [
        RejectCode::InvalidItem,
        RejectCode::Conflict,
        RejectCode::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RejectCode::InvalidItem => "invalid_item",
            RejectCode::Conflict => "conflict",
            RejectCode::Expired => "expired",
        }
    }
}

/// The machine-readable code of a non-2xx answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidParameter,
    Unauthenticated,
    AdminRequired,
    NotFound,
    /// Ingestion: the caller may not ingest (an admin's session or token).
    IngestRequired,
    /// Ingestion: over 1,000 items or 4 MiB.
    PayloadTooLarge,
    /// Ingestion: the body is not JSON of the request's shape.
    InvalidBody,
    /// Any other code a backend may send (e.g. for a 5xx); kept verbatim.
    #[serde(untagged)]
    Other(String),
}

/// Every non-2xx answer: `{"error": {"code", "message", "parameter"?}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorDetail {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

impl ApiErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiErrorBody {
            error: ApiErrorDetail {
                code,
                message: message.into(),
                parameter: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTRACT_EXAMPLE: &str = r#"{
      "window": {"from": "2026-11-23T08:00:00Z", "to": "2026-11-28T10:15:00Z", "current_sync_at": "2026-11-28T08:00:00Z"},
      "total": 1234,
      "offset": 0,
      "next_cursor": "eyJ0IjoiMjAyNi0xMS0yOFQwOTo0MTowN1oiLCJpZCI6InNlXzAxSFpYMyJ9",
      "items": [
        {
          "id": "se_01HZX3",
          "level": "record",
          "failed_at": "2026-11-28T09:41:07Z",
          "error_code": "REQUIRED_FIELD_MISSING",
          "message": "Required fields are missing: [Company]",
          "object_type": "Lead",
          "operation": "Push updates",
          "marketo_id": "1042",
          "salesforce_id": "00Q5e000004XyZ1EAK",
          "fields": ["Company"],
          "a_future_field": true
        }
      ],
      "another_future_field": {}
    }"#;

    #[test]
    fn parses_the_contract_example_and_ignores_unknown_fields() {
        let page: ErrorPage = serde_json::from_str(CONTRACT_EXAMPLE).unwrap();
        assert_eq!(page.total, 1234);
        assert_eq!(page.offset, Some(0));
        assert_eq!(page.items[0].level, Level::Record);
        assert_eq!(page.items[0].fields, vec!["Company".to_string()]);
        assert_eq!(
            page.window
                .to
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "2026-11-28T10:15:00Z"
        );
    }

    #[test]
    fn job_level_items_may_omit_or_null_record_fields() {
        let json = r#"{"id":"se_1","level":"job","failed_at":"2026-11-28T09:41:07Z",
            "error_code":"REQUEST_LIMIT_EXCEEDED","message":"TotalRequests Limit exceeded.",
            "object_type":null,"marketo_id":null}"#;
        let e: SyncError = serde_json::from_str(json).unwrap();
        assert_eq!(e.level, Level::Job);
        assert!(e.salesforce_id.is_none() && e.fields.is_empty());
    }

    #[test]
    fn times_serialize_in_utc_with_z() {
        let page: ErrorPage = serde_json::from_str(CONTRACT_EXAMPLE).unwrap();
        let out = serde_json::to_string(&page.items[0]).unwrap();
        assert!(
            out.contains(r#""failed_at":"2026-11-28T09:41:07Z""#),
            "{out}"
        );
    }

    #[test]
    fn error_bodies_round_trip_known_and_unknown_codes() {
        let b: ApiErrorBody = serde_json::from_str(
            r#"{"error":{"code":"invalid_parameter","message":"bad","parameter":"from"}}"#,
        )
        .unwrap();
        assert_eq!(b.error.code, ErrorCode::InvalidParameter);
        assert_eq!(b.error.parameter.as_deref(), Some("from"));
        let b: ApiErrorBody =
            serde_json::from_str(r#"{"error":{"code":"db_down","message":"x"}}"#).unwrap();
        assert_eq!(b.error.code, ErrorCode::Other("db_down".into()));
        let s = serde_json::to_string(&ApiErrorBody::new(ErrorCode::AdminRequired, "no")).unwrap();
        assert_eq!(s, r#"{"error":{"code":"admin_required","message":"no"}}"#);
    }
}
