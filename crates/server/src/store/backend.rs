//! The store as the server uses it: one trait, [`Store`], with two implementations, SQLite
//! (`super::sqlite`, the embedded default) and PostgreSQL (`super::postgres`, for several
//! servers on one database). Handlers, ingestion, retention, sessions and the demo call
//! these operations only, so both stores give the same answers to the same requests (the
//! shared suite in `tests/store_suite.rs` runs against both).
//!
//! The trait is async: PostgreSQL's driver is, and SQLite's calls run on the blocking
//! threads (`spawn_blocking`), on the same pool and the same one writer as before, so its
//! behaviour and speed are those of the synchronous code it wraps.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use r2d2_sqlite::rusqlite;
use sync_errors_api::{ErrorPage, Filters, ListQuery, Summary, SyncError};

use super::QueryError;
use super::ingest::Outcome;
use crate::auth::Principal;

/// Why the store could not answer: the request was fine, the store is not (503).
#[derive(Debug)]
pub enum StoreError {
    Sqlite(rusqlite::Error),
    SqlitePool(r2d2::Error),
    Postgres(tokio_postgres::Error),
    PostgresPool(deadpool_postgres::PoolError),
    /// The blocking call panicked or was cancelled.
    Task(tokio::task::JoinError),
    /// The store holds something this server cannot read (a newer schema, a bad row).
    Data(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Sqlite(e) => write!(f, "sqlite: {e}"),
            StoreError::SqlitePool(e) => write!(f, "sqlite pool: {e}"),
            StoreError::Postgres(e) => match e.as_db_error() {
                Some(db) => write!(f, "postgres: {db}"),
                None => write!(f, "postgres: {}", with_causes(e)),
            },
            StoreError::PostgresPool(e) => write!(f, "postgres pool: {}", with_causes(e)),
            StoreError::Task(e) => write!(f, "store task: {e}"),
            StoreError::Data(e) => write!(f, "store data: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// `e` and what caused it, as far as the chain goes ("error performing TLS handshake:
/// invalid peer certificate: UnknownIssuer"): tokio-postgres says what failed, its source
/// says why. A cause that the message already holds is not repeated.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let said = c.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        cause = c.source();
    }
    text
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e)
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(e: r2d2::Error) -> Self {
        StoreError::SqlitePool(e)
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        StoreError::Postgres(e)
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        StoreError::PostgresPool(e)
    }
}

impl From<tokio::task::JoinError> for StoreError {
    fn from(e: tokio::task::JoinError) -> Self {
        StoreError::Task(e)
    }
}

/// Every operation of the server on its store. `now` is the server's clock (fixed in
/// tests); every read is clamped to the retention window at `now`.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// "sqlite" or "postgres", for the log.
    fn kind(&self) -> &'static str;

    /// `GET /v1/sync-errors`.
    async fn list(&self, q: ListQuery, now: DateTime<Utc>) -> Result<ErrorPage, QueryError>;

    /// `GET /v1/sync-errors/summary`.
    async fn summary(&self, filters: Filters, now: DateTime<Utc>) -> Result<Summary, StoreError>;

    /// `GET /v1/sync-errors/{id}`: the error when it is inside the window.
    async fn get(&self, id: String, now: DateTime<Utc>) -> Result<Option<SyncError>, StoreError>;

    /// Writes a batch of checked items (each with its index in the request) in one
    /// transaction; see `store::ingest::write_batch` for the rules.
    async fn write_batch(
        &self,
        current_sync_at: Option<DateTime<Utc>>,
        items: Vec<(u64, SyncError)>,
        now: DateTime<Utc>,
    ) -> Result<Outcome, StoreError>;

    /// Deletes up to `limit` errors older than the window at `now`, in one transaction;
    /// fewer than `limit` deleted means none is left.
    async fn purge_chunk(&self, now: DateTime<Utc>, limit: usize) -> Result<usize, StoreError>;

    /// Every stored error, whatever its time.
    async fn count_all(&self) -> Result<u64, StoreError>;

    /// A value of the store's small key-value table (the window's current sync, demo marks).
    async fn meta_get(&self, key: String) -> Result<Option<String>, StoreError>;
    async fn meta_set(&self, key: String, value: String) -> Result<(), StoreError>;

    /// After a bulk load (the demo): refreshes what the query planner knows of the tables
    /// (SQLite: `ANALYZE`; PostgreSQL: `VACUUM (ANALYZE)`, which also lets the covering
    /// indexes be read alone at once rather than after autovacuum's next pass).
    async fn optimize(&self) -> Result<(), StoreError>;

    /// Deletes every error with its counts, and the current sync (before the demo is
    /// seeded again).
    async fn clear_all(&self) -> Result<(), StoreError>;

    /// Keeps a signed-in session, known by the SHA-256 of its secret (the secret itself is
    /// only in the browser's cookie), from `now` until `expires_at`.
    async fn open_session(
        &self,
        secret_sha256: String,
        principal: Principal,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// The session's caller, when it is open and not expired at `now`.
    async fn session(
        &self,
        secret_sha256: String,
        now: DateTime<Utc>,
    ) -> Result<Option<Principal>, StoreError>;

    async fn close_session(&self, secret_sha256: String) -> Result<(), StoreError>;
}
