//! The Sync Errors API, version 1.1: wire types and the query model.
//!
//! Shared by the tab (compiled to WebAssembly) and the reference server, so both sides
//! agree on every field and every query parameter. No web dependencies live here.
//! The contract itself is `openapi.yaml` beside this crate's `Cargo.toml`.

mod query;
mod salesforce;
mod types;

pub use query::{
    DEFAULT_LIMIT, Filters, InvalidParameter, ListQuery, MAX_FILTER_ITEMS, MAX_FILTER_NAME,
    MAX_LIMIT, MAX_TEXT, NO_OBJECT, Sort, SortField, decode_pairs, format_time, is_error_code,
    parse_time, salesforce_prefix, text_matches,
};
pub use salesforce::{is_salesforce_id, salesforce_id_checksum};
pub use types::{
    ApiErrorBody, ApiErrorDetail, Bucket, CodeCount, ErrorCode, ErrorPage, Histogram, IngestAnswer,
    IngestRequest, Level, ObjectCount, RejectCode, Rejected, Summary, SyncError, Window,
};

/// How far back the retention window reaches before the current sync, in hours.
pub const RETENTION_HOURS: i64 = 120;

/// The path of the list endpoint, below the API base.
pub const LIST_PATH: &str = "/v1/sync-errors";

/// The path of the summary endpoint (1.1), below the API base.
pub const SUMMARY_PATH: &str = "/v1/sync-errors/summary";

/// Ingestion: at most this many items in one `POST /v1/sync-errors`.
pub const MAX_INGEST_ITEMS: usize = 1000;

/// Ingestion: at most this many bytes in one request body (4 MiB).
pub const MAX_INGEST_BYTES: usize = 4 << 20;
