//! The SQLite store: schema, indexes, and the list/detail queries of the contract.

use std::path::Path;

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, TimeZone, Utc};
use r2d2_sqlite::SqliteConnectionManager;
use r2d2_sqlite::rusqlite::{self, Connection, OptionalExtension, Row, ToSql, params_from_iter};
use serde::{Deserialize, Serialize};
use sync_errors_api::{
    ErrorPage, InvalidParameter, Level, ListQuery, RETENTION_HOURS, Sort, SortField, SyncError,
    Window,
};

pub type Pool = r2d2::Pool<SqliteConnectionManager>;

/// The schema. Times are Unix milliseconds; `id` breaks ties in every order.
/// Each index serves one family of list queries (filter + sort) without a sort step:
/// see `tests::every_list_query_uses_an_index`.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sync_errors (
    id            TEXT    NOT NULL PRIMARY KEY,
    level         TEXT    NOT NULL CHECK (level IN ('job', 'record')),
    failed_at_ms  INTEGER NOT NULL,
    error_code    TEXT    NOT NULL,
    message       TEXT    NOT NULL,
    object_type   TEXT,
    operation     TEXT,
    marketo_id    TEXT,
    salesforce_id TEXT,
    fields        TEXT    NOT NULL DEFAULT '[]'
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sync_errors_by_time       ON sync_errors (failed_at_ms, id);
CREATE INDEX IF NOT EXISTS sync_errors_by_level_time ON sync_errors (level, failed_at_ms, id);
CREATE INDEX IF NOT EXISTS sync_errors_by_level_id   ON sync_errors (level, id, failed_at_ms);
CREATE INDEX IF NOT EXISTS sync_errors_by_code       ON sync_errors (error_code, id, failed_at_ms, level);
CREATE INDEX IF NOT EXISTS sync_errors_by_level_code ON sync_errors (level, error_code, id, failed_at_ms);
CREATE TABLE IF NOT EXISTS meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);
-- Errors per minute and level, kept by triggers: `total` sums whole minutes here and counts
-- only the partial minutes at the range's edges in the table (see `count_matches`).
CREATE TABLE IF NOT EXISTS sync_error_counts (
    minute INTEGER NOT NULL,
    level  TEXT    NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (minute, level)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS sync_error_counts_insert AFTER INSERT ON sync_errors BEGIN
    INSERT INTO sync_error_counts (minute, level, n) VALUES (NEW.failed_at_ms / 60000, NEW.level, 1)
    ON CONFLICT (minute, level) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS sync_error_counts_delete AFTER DELETE ON sync_errors BEGIN
    UPDATE sync_error_counts SET n = n - 1
    WHERE minute = OLD.failed_at_ms / 60000 AND level = OLD.level;
END;
CREATE TRIGGER IF NOT EXISTS sync_error_counts_update AFTER UPDATE OF failed_at_ms, level ON sync_errors BEGIN
    UPDATE sync_error_counts SET n = n - 1
    WHERE minute = OLD.failed_at_ms / 60000 AND level = OLD.level;
    INSERT INTO sync_error_counts (minute, level, n) VALUES (NEW.failed_at_ms / 60000, NEW.level, 1)
    ON CONFLICT (minute, level) DO UPDATE SET n = n + 1;
END;
";

/// Drops the count triggers, for a bulk load that rebuilds the counts afterwards.
pub const DROP_COUNT_TRIGGERS: &str = "
DROP TRIGGER IF EXISTS sync_error_counts_insert;
DROP TRIGGER IF EXISTS sync_error_counts_delete;
DROP TRIGGER IF EXISTS sync_error_counts_update;
";

const COLUMNS: &str = "id, level, failed_at_ms, error_code, message, object_type, operation, \
                       marketo_id, salesforce_id, fields";

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

pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)?;
    // A database from before the count table: count what it holds once.
    if meta_get(conn, "counts")?.as_deref() != Some("1") {
        rebuild_counts(conn)?;
    }
    Ok(())
}

/// Recounts the errors per minute and level from the table.
pub fn rebuild_counts(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DELETE FROM sync_error_counts;
         INSERT INTO sync_error_counts (minute, level, n)
             SELECT failed_at_ms / 60000, level, COUNT(*) FROM sync_errors GROUP BY 1, 2;",
    )?;
    meta_set(conn, "counts", "1")
}

const MINUTE_MS: i64 = 60_000;
/// Exact counts, for the partial minutes at a range's edges (through the time indexes).
pub const EXACT_COUNT: &str =
    "SELECT COUNT(*) FROM sync_errors WHERE failed_at_ms BETWEEN ?1 AND ?2";
pub const EXACT_COUNT_LEVEL: &str =
    "SELECT COUNT(*) FROM sync_errors WHERE level = ?3 AND failed_at_ms BETWEEN ?1 AND ?2";
/// Sums of whole minutes.
pub const MINUTES_SUM: &str =
    "SELECT COALESCE(SUM(n), 0) FROM sync_error_counts WHERE minute BETWEEN ?1 AND ?2";
pub const MINUTES_SUM_LEVEL: &str = "SELECT COALESCE(SUM(n), 0) FROM sync_error_counts WHERE minute BETWEEN ?1 AND ?2 AND level = ?3";

/// How many errors failed between `from` and `to` (milliseconds, inclusive), of `level` if
/// given: whole minutes from the count table, the edges' partial minutes from the errors.
/// The cost depends on the range's length in minutes, not on how many errors it holds.
pub fn count_matches(
    conn: &Connection,
    from: i64,
    to: i64,
    level: Option<Level>,
) -> rusqlite::Result<u64> {
    if from > to {
        return Ok(0);
    }
    let count = |sql_all: &str, sql_level: &str, a: i64, b: i64| -> rusqlite::Result<i64> {
        let mut stmt = conn.prepare_cached(if level.is_some() { sql_level } else { sql_all })?;
        match level {
            Some(l) => stmt.query_row(rusqlite::params![a, b, l.as_str()], |r| r.get(0)),
            None => stmt.query_row(rusqlite::params![a, b], |r| r.get(0)),
        }
    };
    // The first minute that starts at or after `from`, the last that ends at or before `to`.
    let first = from.div_euclid(MINUTE_MS) + i64::from(from.rem_euclid(MINUTE_MS) != 0);
    let last = (to + 1).div_euclid(MINUTE_MS) - 1;
    let total = if first > last {
        count(EXACT_COUNT, EXACT_COUNT_LEVEL, from, to)?
    } else {
        let mut n = count(MINUTES_SUM, MINUTES_SUM_LEVEL, first, last)?;
        if from < first * MINUTE_MS {
            n += count(EXACT_COUNT, EXACT_COUNT_LEVEL, from, first * MINUTE_MS - 1)?;
        }
        if (last + 1) * MINUTE_MS <= to {
            n += count(EXACT_COUNT, EXACT_COUNT_LEVEL, (last + 1) * MINUTE_MS, to)?;
        }
        n
    };
    Ok(total.max(0) as u64)
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

/// What went wrong with a list request: the caller's parameters or the store.
#[derive(Debug)]
pub enum QueryError {
    Invalid(InvalidParameter),
    Store(rusqlite::Error),
}

impl From<rusqlite::Error> for QueryError {
    fn from(e: rusqlite::Error) -> Self {
        QueryError::Store(e)
    }
}

/// The keyset position after the last item of a page, handed out as `next_cursor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Cursor {
    /// The sort it belongs to.
    s: String,
    /// The sort key of the last item: milliseconds for `failed_at`, text otherwise.
    k: serde_json::Value,
    /// The id of the last item.
    i: String,
    /// The position of the next item in the whole result.
    p: u64,
}

impl Cursor {
    fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    fn decode(s: &str, sort: Sort) -> Result<Cursor, InvalidParameter> {
        let invalid = || InvalidParameter {
            parameter: "cursor",
            message: "is not a cursor from an earlier answer to this sort".into(),
        };
        let bytes = URL_SAFE_NO_PAD.decode(s).map_err(|_| invalid())?;
        let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        let key_fits = match sort.field {
            SortField::FailedAt => cursor.k.is_i64(),
            SortField::Level | SortField::ErrorCode => cursor.k.is_string(),
        };
        if cursor.s != sort.as_str() || !key_fits || cursor.p > i64::MAX as u64 {
            return Err(invalid());
        }
        Ok(cursor)
    }

    fn after(item: &SyncError, sort: Sort, position: u64) -> Cursor {
        let k = match sort.field {
            SortField::FailedAt => serde_json::Value::from(to_ms(item.failed_at)),
            SortField::Level => serde_json::Value::from(item.level.as_str()),
            SortField::ErrorCode => serde_json::Value::from(item.error_code.clone()),
        };
        Cursor {
            s: sort.as_str().into(),
            k,
            i: item.id.clone(),
            p: position,
        }
    }
}

fn sort_column(field: SortField) -> &'static str {
    match field {
        SortField::FailedAt => "failed_at_ms",
        SortField::Level => "level",
        SortField::ErrorCode => "error_code",
    }
}

/// The SQL and its parameters for one list request (shared by the query and its plan test).
pub struct ListSql {
    pub page: String,
    pub filter_params: Vec<Box<dyn ToSql>>,
    pub page_params: Vec<Box<dyn ToSql>>,
}

/// Up to this many matches, sorting them in memory is cheaper than walking a sort index
/// and skipping the rows outside the time range; above it, the sort index is used.
pub const SMALL_RESULT: u64 = 20_000;

/// The index that serves a page: the order's own index, or the time range's when the
/// result is small enough to sort (the planner cannot know that from bound parameters).
fn page_index(q: &ListQuery, total: u64) -> &'static str {
    let by_time = if q.filters.level.is_some() {
        "sync_errors_by_level_time"
    } else {
        "sync_errors_by_time"
    };
    match q.sort.field {
        SortField::FailedAt => by_time,
        _ if total <= SMALL_RESULT => by_time,
        SortField::Level => "sync_errors_by_level_id",
        SortField::ErrorCode if q.filters.level.is_some() => "sync_errors_by_level_code",
        SortField::ErrorCode => "sync_errors_by_code",
    }
}

/// The query's time range clamped to the window, in milliseconds.
fn bounds(q: &ListQuery, window: &Window) -> (i64, i64) {
    let from = q.filters.from.map_or(window.from, |f| f.max(window.from));
    let to = q.filters.to.map_or(window.to, |t| t.min(window.to));
    (to_ms(from), to_ms(to))
}

/// Builds the SQL for a validated query clamped to `window`; `total` is the count of matches.
fn list_sql(
    q: &ListQuery,
    window: &Window,
    total: u64,
) -> Result<(ListSql, u64), InvalidParameter> {
    let cursor = q
        .cursor
        .as_deref()
        .map(|c| Cursor::decode(c, q.sort))
        .transpose()?;
    let (mut from, mut to) = bounds(q, window);
    // Walking by time, the cursor's time is also the range's near end. Said as a bound,
    // SQLite starts the index scan there; left to the row-value test alone, it started at
    // the range's end and skipped every row before the cursor (7 ms for the 1st page of a
    // 100,000-row export, 16 ms for the 10th, more each page).
    if let (Some(c), SortField::FailedAt) = (&cursor, q.sort.field)
        && let Some(k) = c.k.as_i64()
    {
        if q.sort.descending {
            to = to.min(k);
        } else {
            from = from.max(k);
        }
    }
    let mut filter = String::from("failed_at_ms BETWEEN ? AND ?");
    let mut filter_params: Vec<Box<dyn ToSql>> = vec![Box::new(from), Box::new(to)];
    if let Some(level) = q.filters.level {
        filter.push_str(" AND level = ?");
        filter_params.push(Box::new(level.as_str()));
    }
    let column = sort_column(q.sort.field);
    let (cmp, dir) = if q.sort.descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    let mut page_where = filter.clone();
    let mut page_params: Vec<Box<dyn ToSql>> = Vec::new();
    let mut start = q.offset;
    let mut offset = q.offset;
    if let Some(cursor) = cursor {
        page_where.push_str(&format!(" AND ({column}, id) {cmp} (?, ?)"));
        match cursor.k {
            serde_json::Value::Number(n) => page_params.push(Box::new(n.as_i64().unwrap_or(0))),
            other => page_params.push(Box::new(other.as_str().unwrap_or_default().to_owned())),
        }
        page_params.push(Box::new(cursor.i));
        start = cursor.p;
        offset = 0;
    }
    let index = page_index(q, total);
    let page = format!(
        "SELECT {COLUMNS} FROM sync_errors INDEXED BY {index} WHERE {page_where} \
         ORDER BY {column} {dir}, id {dir} LIMIT {} OFFSET {offset}",
        q.limit
    );
    Ok((
        ListSql {
            page,
            filter_params,
            page_params,
        },
        start,
    ))
}

/// The SQL a query would run when it matches `total` errors, for plan checks.
pub fn explain_sql(
    q: &ListQuery,
    window: &Window,
    total: u64,
) -> Result<ListSql, InvalidParameter> {
    list_sql(q, window, total).map(|(sql, _)| sql)
}

fn row_to_error(row: &Row<'_>) -> rusqlite::Result<SyncError> {
    let level: String = row.get(1)?;
    let fields: String = row.get(9)?;
    Ok(SyncError {
        id: row.get(0)?,
        level: Level::parse(&level).unwrap_or(Level::Record),
        failed_at: from_ms(row.get(2)?),
        error_code: row.get(3)?,
        message: row.get(4)?,
        object_type: row.get(5)?,
        operation: row.get(6)?,
        marketo_id: row.get(7)?,
        salesforce_id: row.get(8)?,
        fields: serde_json::from_str(&fields).unwrap_or_default(),
    })
}

/// Runs a list request at `now`.
pub fn list(conn: &Connection, q: &ListQuery, now: DateTime<Utc>) -> Result<ErrorPage, QueryError> {
    let window = window(conn, now)?;
    let (from, to) = bounds(q, &window);
    let total = count_matches(conn, from, to, q.filters.level)?;
    let (sql, start) = list_sql(q, &window, total).map_err(QueryError::Invalid)?;
    let mut stmt = conn.prepare_cached(&sql.page)?;
    let items = stmt
        .query_map(
            params_from_iter(sql.filter_params.iter().chain(sql.page_params.iter())),
            row_to_error,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let next = start + items.len() as u64;
    let next_cursor = match items.last() {
        Some(last) if next < total => Some(Cursor::after(last, q.sort, next).encode()),
        _ => None,
    };
    Ok(ErrorPage {
        window,
        total,
        offset: Some(start),
        next_cursor,
        items,
    })
}

/// One error by id, when it is inside the window at `now`.
pub fn get(conn: &Connection, id: &str, now: DateTime<Utc>) -> rusqlite::Result<Option<SyncError>> {
    let window = window(conn, now)?;
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM sync_errors WHERE id = ?1 AND failed_at_ms BETWEEN ?2 AND ?3"
        ),
        rusqlite::params![id, to_ms(window.from), to_ms(window.to)],
        row_to_error,
    )
    .optional()
}

/// Inserts errors in one transaction (demo data and tests).
pub fn insert_all(conn: &mut Connection, errors: &[SyncError]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare_cached(&format!(
            "INSERT INTO sync_errors ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        ))?;
        for e in errors {
            stmt.execute(rusqlite::params![
                e.id,
                e.level.as_str(),
                to_ms(e.failed_at),
                e.error_code,
                e.message,
                e.object_type,
                e.operation,
                e.marketo_id,
                e.salesforce_id,
                serde_json::to_string(&e.fields).unwrap_or_else(|_| "[]".into()),
            ])?;
        }
    }
    tx.commit()
}

pub fn count_all(conn: &Connection) -> rusqlite::Result<u64> {
    conn.query_row("SELECT COUNT(*) FROM sync_errors", [], |r| {
        r.get::<_, i64>(0)
    })
    .map(|n| n.max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sync_errors_api::Filters;
    use crate::demo;

    fn now() -> DateTime<Utc> {
        sync_errors_api::parse_time("2026-11-28T10:15:00Z").unwrap()
    }

    fn seeded(rows: u64) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        demo::seed(&mut conn, rows, now()).unwrap();
        conn
    }

    fn all_pages(conn: &Connection, mut q: ListQuery) -> Vec<SyncError> {
        let mut out = Vec::new();
        loop {
            let page = list(conn, &q, now()).unwrap();
            out.extend(page.items);
            match page.next_cursor {
                Some(c) => q.cursor = Some(c),
                None => return out,
            }
        }
    }

    #[test]
    fn cursor_walk_equals_offset_pages_for_every_sort() {
        let conn = seeded(700);
        for sort in Sort::ALL {
            for level in [None, Some(Level::Job), Some(Level::Record)] {
                let q = ListQuery {
                    sort,
                    filters: Filters {
                        level,
                        ..Filters::default()
                    },
                    limit: 37,
                    ..ListQuery::default()
                };
                let walked = all_pages(&conn, q.clone());
                let whole = list(
                    &conn,
                    &ListQuery {
                        limit: 1000,
                        ..q.clone()
                    },
                    now(),
                )
                .unwrap();
                assert_eq!(walked.len() as u64, whole.total, "{sort} {level:?}");
                assert_eq!(walked, whole.items, "{sort} {level:?}");
                let mut sorted = whole.items.clone();
                sorted.sort_by(|a, b| {
                    let ord = match sort.field {
                        SortField::FailedAt => a.failed_at.cmp(&b.failed_at),
                        SortField::Level => a.level.as_str().cmp(b.level.as_str()),
                        SortField::ErrorCode => a.error_code.cmp(&b.error_code),
                    }
                    .then_with(|| a.id.cmp(&b.id));
                    if sort.descending { ord.reverse() } else { ord }
                });
                assert_eq!(sorted, whole.items, "total order for {sort}");
            }
        }
    }

    #[test]
    fn filters_clamp_to_the_window_and_count_every_match() {
        let conn = seeded(500);
        let w = window(&conn, now()).unwrap();
        assert_eq!(w.to, now());
        assert_eq!(w.from, w.current_sync_at - Duration::hours(120));
        let everything = list(&conn, &ListQuery::default(), now()).unwrap();
        assert_eq!(everything.total, 500);
        let wide = ListQuery {
            filters: Filters {
                from: Some(w.from - Duration::days(30)),
                to: Some(w.to + Duration::days(30)),
                level: None,
            },
            ..ListQuery::default()
        };
        assert_eq!(list(&conn, &wide, now()).unwrap().total, 500);
        let jobs = ListQuery {
            filters: Filters {
                level: Some(Level::Job),
                ..Filters::default()
            },
            limit: 1000,
            ..ListQuery::default()
        };
        let jobs = list(&conn, &jobs, now()).unwrap();
        assert!(jobs.total > 0 && jobs.total < 500);
        assert!(jobs.items.iter().all(|e| e.level == Level::Job));
        let last_day = ListQuery {
            filters: Filters {
                from: Some(now() - Duration::hours(24)),
                ..Filters::default()
            },
            limit: 1000,
            ..ListQuery::default()
        };
        let last_day = list(&conn, &last_day, now()).unwrap();
        assert!(last_day.total < 500);
        assert!(
            last_day
                .items
                .iter()
                .all(|e| e.failed_at >= now() - Duration::hours(24))
        );
    }

    #[test]
    fn offset_pages_report_their_position_and_the_last_has_no_cursor() {
        let conn = seeded(250);
        let q = ListQuery {
            offset: 200,
            ..ListQuery::default()
        };
        let page = list(&conn, &q, now()).unwrap();
        assert_eq!(page.offset, Some(200));
        assert_eq!(page.items.len(), 50);
        assert!(page.next_cursor.is_none());
        let first = list(&conn, &ListQuery::default(), now()).unwrap();
        let second = list(
            &conn,
            &ListQuery {
                cursor: first.next_cursor.clone(),
                ..ListQuery::default()
            },
            now(),
        )
        .unwrap();
        assert_eq!(second.offset, Some(100));
    }

    #[test]
    fn rejects_foreign_or_forged_cursors() {
        let conn = seeded(150);
        let first = list(&conn, &ListQuery::default(), now()).unwrap();
        let other_sort = ListQuery {
            sort: Sort::new(SortField::ErrorCode, false),
            cursor: first.next_cursor,
            ..ListQuery::default()
        };
        for q in [
            other_sort,
            ListQuery {
                cursor: Some("not-base64!".into()),
                ..ListQuery::default()
            },
            ListQuery {
                cursor: Some(URL_SAFE_NO_PAD.encode(b"{\"s\":\"-failed_at\"}")),
                ..ListQuery::default()
            },
        ] {
            match list(&conn, &q, now()) {
                Err(QueryError::Invalid(p)) => assert_eq!(p.parameter, "cursor"),
                other => panic!("expected a cursor error, got {other:?}"),
            }
        }
    }

    #[test]
    fn get_finds_errors_inside_the_window_only() {
        let conn = seeded(50);
        let first = list(&conn, &ListQuery::default(), now()).unwrap().items[0].clone();
        assert_eq!(get(&conn, &first.id, now()).unwrap(), Some(first.clone()));
        assert_eq!(get(&conn, "se_missing", now()).unwrap(), None);
        let before_it_failed = first.failed_at - Duration::seconds(1);
        assert_eq!(get(&conn, &first.id, before_it_failed).unwrap(), None);
    }

    /// Every list query (each sort, with and without a level filter, a time filter and a
    /// cursor) reads through an index; a large result is never sorted in a temporary B-tree.
    #[test]
    fn every_list_query_uses_an_index() {
        let conn = seeded(3000);
        conn.execute_batch("ANALYZE").unwrap();
        let w = window(&conn, now()).unwrap();
        for sort in Sort::ALL {
            let cursor = list(
                &conn,
                &ListQuery {
                    sort,
                    ..ListQuery::default()
                },
                now(),
            )
            .unwrap()
            .next_cursor;
            for level in [None, Some(Level::Job), Some(Level::Record)] {
                for from in [None, Some(now() - Duration::hours(1))] {
                    for (cursor, total) in [None, cursor.clone()]
                        .into_iter()
                        .flat_map(|c| [(c.clone(), 50), (c, 1_000_000)])
                    {
                        let q = ListQuery {
                            sort,
                            filters: Filters {
                                level,
                                from,
                                to: None,
                            },
                            cursor,
                            ..ListQuery::default()
                        };
                        let sql = explain_sql(&q, &w, total).unwrap();
                        let params: Vec<&dyn ToSql> = sql
                            .filter_params
                            .iter()
                            .chain(sql.page_params.iter())
                            .map(|p| p.as_ref())
                            .collect();
                        let plan = query_plan(&conn, &sql.page, &params);
                        assert!(
                            plan.contains("USING INDEX") || plan.contains("USING COVERING INDEX"),
                            "{sort} {level:?}: {}\n{plan}",
                            sql.page
                        );
                        assert!(
                            total <= SMALL_RESULT || !plan.contains("TEMP B-TREE"),
                            "{sort} {level:?} sorts in memory: {}\n{plan}",
                            sql.page
                        );
                    }
                }
            }
        }
    }

    /// The count statements read through indexes: the time indexes for the edges, the count
    /// table's key for whole minutes.
    #[test]
    fn count_statements_use_indexes() {
        let conn = seeded(2000);
        let args: [&dyn ToSql; 3] = [&0i64, &1i64, &"job"];
        for (sql, n) in [
            (EXACT_COUNT, 2),
            (EXACT_COUNT_LEVEL, 3),
            (MINUTES_SUM, 2),
            (MINUTES_SUM_LEVEL, 3),
        ] {
            let plan = query_plan(&conn, sql, &args[..n]);
            assert!(
                plan.contains("USING") && plan.contains("INDEX") || plan.contains("PRIMARY KEY"),
                "{sql}\n{plan}"
            );
            assert!(
                !plan.contains("SCAN sync_errors\n") && !plan.ends_with("SCAN sync_errors"),
                "{sql}\n{plan}"
            );
        }
    }

    /// `count_matches` equals a plain COUNT(*) for ranges of every shape (inside one minute,
    /// across minute edges, the whole window) and both levels, and stays equal as errors are
    /// inserted, moved and deleted (the triggers keep the count table).
    #[test]
    fn counts_by_minute_equal_plain_counts() {
        let mut conn = seeded(3000);
        let w = window(&conn, now()).unwrap();
        let (lo, hi) = (to_ms(w.from), to_ms(w.to));
        let brute = |conn: &Connection, a: i64, b: i64, level: Option<Level>| -> u64 {
            let n: i64 = match level {
                Some(l) => conn.query_row(
                    EXACT_COUNT_LEVEL,
                    rusqlite::params![a, b, l.as_str()],
                    |r| r.get(0),
                ),
                None => conn.query_row(EXACT_COUNT, rusqlite::params![a, b], |r| r.get(0)),
            }
            .unwrap();
            n as u64
        };
        let mut seed = 7u64;
        let mut next = move |m: i64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as i64).rem_euclid(m.max(1))
        };
        let check = |conn: &Connection, next: &mut dyn FnMut(i64) -> i64| {
            for _ in 0..300 {
                let a = lo + next(hi - lo);
                let len = match next(3) {
                    0 => next(60_000),
                    1 => next(3_600_000 * 6),
                    _ => hi - lo,
                };
                let b = a + len;
                for level in [None, Some(Level::Job), Some(Level::Record)] {
                    assert_eq!(
                        count_matches(conn, a, b, level).unwrap(),
                        brute(conn, a, b, level),
                        "{a}..{b} {level:?}"
                    );
                }
            }
            assert_eq!(
                count_matches(conn, lo, hi, None).unwrap(),
                brute(conn, lo, hi, None)
            );
            let everything = (i64::MIN / 4, i64::MAX / 4);
            assert_eq!(
                count_matches(conn, everything.0, everything.1, None).unwrap(),
                count_all(conn).unwrap()
            );
            assert_eq!(count_matches(conn, 10, 5, None).unwrap(), 0);
        };
        check(&conn, &mut next);
        // Inserts, moves and deletes through the triggers.
        let extra = crate::demo::generate(200, now() - Duration::hours(30));
        let extra: Vec<SyncError> = extra
            .into_iter()
            .map(|mut e| {
                e.id = format!("{}x", e.id);
                e
            })
            .collect();
        insert_all(&mut conn, &extra).unwrap();
        conn.execute("UPDATE sync_errors SET failed_at_ms = failed_at_ms + 90000, level = 'job' WHERE id IN (SELECT id FROM sync_errors ORDER BY id LIMIT 50)", []).unwrap();
        conn.execute("DELETE FROM sync_errors WHERE id IN (SELECT id FROM sync_errors ORDER BY id DESC LIMIT 70)", []).unwrap();
        check(&conn, &mut next);
    }

    fn query_plan(conn: &Connection, sql: &str, params: &[&dyn ToSql]) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        stmt.query_map(params_from_iter(params.iter()), |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap()
            .join("\n")
    }
}
