//! What the store's tests share: the fixed clock, a seeded in-memory store, query plans.

use chrono::{DateTime, Utc};
use r2d2_sqlite::rusqlite::{self, Connection, ToSql, params_from_iter};

use sync_errors_api::{Sort, SortField, SyncError};

use super::migrate;
use crate::demo;

pub fn now() -> DateTime<Utc> {
    sync_errors_api::parse_time("2026-11-28T10:15:00Z").unwrap()
}

/// An in-memory store holding `rows` demo errors for a window ending at `now()`.
pub fn seeded(rows: u64) -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    migrate(&mut conn).unwrap();
    demo::seed(&mut conn, rows, now()).unwrap();
    conn
}

/// SQLite's `EXPLAIN QUERY PLAN` for `sql`, one step a line.
pub fn query_plan(conn: &Connection, sql: &str, params: &[&dyn ToSql]) -> String {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    stmt.query_map(params_from_iter(params.iter()), |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap()
        .join("\n")
}

/// The contract's order for `sort`: its field, ties broken by `id`, both in its direction.
pub fn contract_order(sort: Sort) -> impl Fn(&SyncError, &SyncError) -> std::cmp::Ordering {
    move |a, b| {
        let ord = match sort.field {
            SortField::FailedAt => a.failed_at.cmp(&b.failed_at),
            SortField::Level => a.level.as_str().cmp(b.level.as_str()),
            SortField::ErrorCode => a.error_code.cmp(&b.error_code),
        }
        .then_with(|| a.id.cmp(&b.id));
        if sort.descending { ord.reverse() } else { ord }
    }
}
