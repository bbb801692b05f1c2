//! The SQLite store: the schema and its indexes (`schema`), the count tables that make
//! totals and the summary cheap (`counts`), the full-text index and the search of `q`
//! (`text`), the keyset cursor of the list pages (`cursor`), the list and detail queries of
//! the contract (`queries`) and its summary (`summary`), the writes of ingestion (`ingest`) and
//! the deletes of retention (`retention`). Here: opening the store, the
//! retention window, emptying the store for the demo, and the small `meta` table.
//!
//! The server sees the store through one trait, [`Store`] (`backend`), implemented for this
//! SQLite store (`sqlite`) and for PostgreSQL (`postgres`); [`open_store`] picks one from
//! the `--db` setting.

mod backend;
mod counts;
mod cursor;
mod derived;
pub mod ingest;
mod pg_tls;
mod postgres;
mod queries;
pub mod retention;
mod schema;
mod sqlite;
mod summary;
#[cfg(test)]
mod testing;
mod text;
#[cfg(test)]
mod yardstick;

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Duration, TimeZone, Utc};
use r2d2_sqlite::SqliteConnectionManager;
use r2d2_sqlite::rusqlite::{self, Connection, OptionalExtension};
use sync_errors_api::{Filters, InvalidParameter, RETENTION_HOURS, Window};

pub use backend::{Store, StoreError};
pub use counts::{count_all, count_matches};
pub use postgres::PgStore;
#[cfg(test)]
pub use queries::insert_all;
pub use queries::{Counted, ListSql, SMALL_RESULT, explain_sql, get, list};
pub use schema::Index;
pub use sqlite::SqliteStore;
pub use summary::{BUCKET_SECONDS, summary};

pub type Pool = r2d2::Pool<SqliteConnectionManager>;

/// Whether `--db` names a PostgreSQL database (a `postgres://` or `postgresql://` URL)
/// rather than a SQLite file.
pub fn is_postgres(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// The store `db` names: a PostgreSQL URL, or else a SQLite file (created when missing).
/// `connections`: SQLite's read connections, or PostgreSQL's pool size.
pub async fn open_store(db: &str, connections: u32) -> anyhow::Result<Arc<dyn Store>> {
    if is_postgres(db) {
        Ok(Arc::new(PgStore::connect(db, connections).await?))
    } else {
        let path = Path::new(db).to_owned();
        let store =
            tokio::task::spawn_blocking(move || SqliteStore::open(&path, connections)).await??;
        Ok(Arc::new(store))
    }
}

/// Opens (creating when missing) the database, applies the schema and returns a read pool.
pub fn open(path: &Path, readers: u32) -> anyhow::Result<Pool> {
    let mut conn = Connection::open(path)
        .with_context(|| format!("cannot open the database {}", path.display()))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    migrate(&mut conn)?;
    drop(conn);
    let manager = SqliteConnectionManager::file(path).with_init(|c| {
        // A locked store answers 503 after 2 s rather than hanging; the API only reads.
        c.pragma_update(None, "busy_timeout", 2000)?;
        c.pragma_update(None, "query_only", true)?;
        // Read the file through the page cache of the OS, not a copy per connection: the
        // summary and the search read many pages of a large store.
        c.pragma_update(None, "mmap_size", MMAP_BYTES)?;
        Ok(())
    });
    let pool = r2d2::Pool::builder()
        .max_size(readers.max(1))
        // No check-out probe: against a locked store, r2d2 discarded each connection
        // whose probe timed out and opened another, forever; the request hung. The
        // query itself fails after busy_timeout instead, and the API answers 503.
        .test_on_check_out(false)
        .connection_timeout(std::time::Duration::from_secs(5))
        .build(manager)?;
    Ok(pool)
}

/// How much of the database file each read connection maps into memory.
const MMAP_BYTES: i64 = 4 << 30;

/// Creates what is missing (tables, indexes, the count tables, the text index and their
/// triggers) and upgrades what is old.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    schema::create(conn)?;
    counts::DERIVED.create(conn)?;
    text::DERIVED.create(conn)
}

/// Deletes every error, with its counts and its text (before the demo is seeded again):
/// the tables are emptied whole, without the triggers' work per error. Errors are only ever
/// written by ingestion (`crate::ingest`).
pub fn clear_all(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    counts::DERIVED.drop_triggers(&tx)?;
    text::DERIVED.drop_triggers(&tx)?;
    text::clear(&tx)?;
    tx.execute_batch(
        "DELETE FROM sync_errors;
         DELETE FROM sync_error_counts;
         DELETE FROM sync_error_cells;",
    )?;
    tx.commit()?;
    migrate(conn)
}

pub fn meta_get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

pub fn meta_set(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
    .map(drop)
}

pub fn to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub fn from_ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The retention window at `now`: from `current_sync_at` minus 120 hours to now.
pub fn window(conn: &Connection, now: DateTime<Utc>) -> rusqlite::Result<Window> {
    let current_sync_at = meta_get(conn, "current_sync_at")?
        .and_then(|s| sync_errors_api::parse_time(&s))
        .filter(|t| *t <= now)
        .unwrap_or(now);
    Ok(Window {
        from: current_sync_at - Duration::hours(RETENTION_HOURS),
        to: now,
        current_sync_at,
    })
}

/// The range of `filters` clamped to the window, in milliseconds (empty when `from` > `to`).
pub fn bounds(filters: &Filters, window: &Window) -> (i64, i64) {
    let from = filters.from.map_or(window.from, |f| f.max(window.from));
    let to = filters.to.map_or(window.to, |t| t.min(window.to));
    (to_ms(from), to_ms(to))
}

/// What went wrong with a list request: the caller's parameters or the store.
#[derive(Debug)]
pub enum QueryError {
    Invalid(InvalidParameter),
    Store(StoreError),
}

impl From<rusqlite::Error> for QueryError {
    fn from(e: rusqlite::Error) -> Self {
        QueryError::Store(e.into())
    }
}

impl From<StoreError> for QueryError {
    fn from(e: StoreError) -> Self {
        QueryError::Store(e)
    }
}

impl From<InvalidParameter> for QueryError {
    fn from(e: InvalidParameter) -> Self {
        QueryError::Invalid(e)
    }
}
