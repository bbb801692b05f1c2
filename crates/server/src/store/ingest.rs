//! Ingestion's SQL: one batch of checked errors written in one transaction, `id` as the
//! idempotency key, and the window moved forward by the batch's `current_sync_at`. The
//! count tables and the text index follow through their triggers, as for any insert.
//!
//! The writer is one connection (the read pool is `query_only`), behind a mutex: SQLite
//! takes one writer at a time anyway, and a queue in front of the lock is cheaper than
//! `SQLITE_BUSY` retries.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use r2d2_sqlite::rusqlite::{self, Connection};
use sync_errors_api::{RejectCode, Rejected, SyncError, format_time};

use super::queries::{self, COLUMNS, row_to_error};
use super::{meta_get, meta_set, to_ms, window};

/// The one connection that writes: ingestion and retention. It is opened at the first
/// write (and again after a failed open), so a server that only reads never holds the file
/// for writing.
pub struct Writer {
    path: PathBuf,
    conn: Mutex<Option<Connection>>,
}

/// The writer's connection, held for one write at a time.
pub struct Held<'a>(MutexGuard<'a, Option<Connection>>);

impl Held<'_> {
    pub fn conn(&mut self) -> &mut Connection {
        self.0.as_mut().expect("opened by Writer::lock")
    }
}

impl Writer {
    /// The writer of the store's file at `path`. `synchronous = FULL` in WAL mode syncs the
    /// log at every commit, so an answered batch survives a power cut, not only a crash of
    /// the process (with NORMAL the last commits are synced only at the next checkpoint).
    /// One fsync per batch of 1,000 costs little next to the batch's own work.
    pub fn new(path: &Path) -> Writer {
        Writer {
            path: path.to_owned(),
            conn: Mutex::new(None),
        }
    }

    /// The connection, once the write before has finished.
    pub fn lock(&self) -> rusqlite::Result<Held<'_>> {
        let mut guard = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        if guard.is_none() {
            let conn = Connection::open(&self.path)?;
            configure(&conn)?;
            *guard = Some(conn);
        }
        Ok(Held(guard))
    }
}

/// The writer's settings: WAL, synced commits, and a wait for a lock held elsewhere (a
/// second process, a checkpoint) rather than an immediate failure. Temporary data in
/// memory: an insert into a table with triggers keeps a statement journal (to undo the
/// statement alone if a trigger fails), which SQLite otherwise writes to a temporary file
/// for every error; in memory, ingestion ran about 30% faster. A larger page cache keeps
/// the indexes' inner pages of a large store at hand.
///
/// The log is copied into the database (a checkpoint, in the commit that fills it) every
/// 10,000 pages rather than SQLite's 1,000: consecutive batches rewrite the same pages (the
/// indexes' last ones, the count tables, the text index's), and each is then copied once
/// for about ten batches instead of once for each. Ingestion in time order into a million
/// errors went from 15,700–16,200 to 17,300–17,800 errors/s. The log file is cut back to
/// 64 MiB when it starts over.
pub fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "busy_timeout", 5000)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", WRITER_CACHE_KIB)?;
    conn.pragma_update(None, "wal_autocheckpoint", CHECKPOINT_PAGES)?;
    conn.pragma_update(None, "journal_size_limit", LOG_LIMIT_BYTES)?;
    Ok(())
}

/// The writer's page cache, in KiB (as a negative `cache_size`): 64 MiB.
const WRITER_CACHE_KIB: i64 = -65_536;
/// The log's length, in pages of 4 KiB, at which the writer copies it into the database.
const CHECKPOINT_PAGES: i64 = 10_000;
/// What the log file is cut back to when it starts over: 64 MiB.
const LOG_LIMIT_BYTES: i64 = 64 << 20;

/// What a batch did: counts of accepted and unchanged items, and the refused ones.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub accepted: u64,
    pub unchanged: u64,
    pub rejected: Vec<Rejected>,
}

impl Outcome {
    /// The item at `index`, whose id is stored (or earlier in the batch) as `stored`:
    /// `unchanged` with the same content, a `conflict` with other.
    fn judge(&mut self, index: u64, e: &SyncError, stored: &SyncError) {
        if stored == e {
            self.unchanged += 1;
        } else {
            self.rejected.push(conflict(index, e));
        }
    }
}

/// A refusal of the item at `index`, as either store words it.
pub fn rejected(
    index: u64,
    e: &SyncError,
    code: RejectCode,
    field: Option<&str>,
    message: &str,
) -> Rejected {
    Rejected {
        index,
        id: Some(e.id.clone()),
        code,
        field: field.map(str::to_owned),
        message: message.to_owned(),
    }
}

/// The item failed before the window's start.
pub fn expired(index: u64, e: &SyncError) -> Rejected {
    rejected(
        index,
        e,
        RejectCode::Expired,
        Some("failed_at"),
        "failed_at is before the retention window's start",
    )
}

/// The item's id is stored (or earlier in the batch) with other content.
pub fn conflict(index: u64, e: &SyncError) -> Rejected {
    rejected(
        index,
        e,
        RejectCode::Conflict,
        None,
        "an error with this id is stored with other content",
    )
}

/// Writes `items` (each already checked on its own, with its index in the request) in one
/// transaction: first `current_sync_at` (when later than the stored one, and never later
/// than `now`), then each item: one that failed before the window's start is `expired`; an
/// `id` already stored is `unchanged` with the same content, a `conflict` with other.
/// Either every accepted item is committed or none is.
pub fn write_batch(
    conn: &mut Connection,
    current_sync_at: Option<DateTime<Utc>>,
    items: &[(u64, SyncError)],
    now: DateTime<Utc>,
) -> rusqlite::Result<Outcome> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    if let Some(at) = current_sync_at {
        let at = at.min(now);
        let stored =
            meta_get(&tx, "current_sync_at")?.and_then(|s| sync_errors_api::parse_time(&s));
        if stored.is_none_or(|s| at > s) {
            meta_set(&tx, "current_sync_at", &format_time(at))?;
        }
    }
    let from = to_ms(window(&tx, now)?.from);
    let mut out = Outcome::default();
    // Each id's first copy in the batch is written, together, at the end (see
    // `insert_many`); a later copy is compared with the stored error when the id was stored
    // before, else with that first copy.
    let mut firsts: Vec<(u64, &SyncError)> = Vec::with_capacity(items.len());
    let mut first_of: HashMap<&str, &SyncError> = HashMap::with_capacity(items.len());
    let mut copies: Vec<(u64, &SyncError, &SyncError)> = Vec::new();
    for (index, e) in items {
        if to_ms(e.failed_at) < from {
            out.rejected.push(expired(*index, e));
        } else if let Some(first) = first_of.get(e.id.as_str()) {
            copies.push((*index, e, *first));
        } else {
            first_of.insert(&e.id, e);
            firsts.push((*index, e));
        }
    }
    let written = queries::insert_many(&tx, &firsts.iter().map(|(_, e)| *e).collect::<Vec<_>>())?;
    out.accepted = written.len() as u64;
    let mut find =
        tx.prepare_cached(&format!("SELECT {COLUMNS} FROM sync_errors WHERE id = ?1"))?;
    let mut stored: HashMap<&str, SyncError> = HashMap::new();
    for (index, e) in firsts.iter().filter(|(_, e)| !written.contains(&e.id)) {
        // Not written: its id is stored (any other refusal is an error of the statement).
        let before = find.query_row([&e.id], row_to_error)?;
        out.judge(*index, e, &before);
        stored.insert(&e.id, before);
    }
    for (index, e, first) in copies {
        out.judge(index, e, stored.get(e.id.as_str()).unwrap_or(first));
    }
    drop(find);
    tx.commit()?;
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use r2d2_sqlite::rusqlite::Connection;
    use sync_errors_api::{Filters, SyncError};

    use super::*;
    use crate::store::testing::now;
    use crate::store::{counts, migrate, summary};

    /// Both count tables, row by row, in key order.
    pub(crate) fn count_tables(conn: &Connection) -> Vec<String> {
        let mut rows = Vec::new();
        for sql in [
            "SELECT minute, level, n FROM sync_error_counts WHERE n > 0 ORDER BY 1, 2",
            "SELECT hour, level, error_code, has_object, object_type, n, last_ms \
             FROM sync_error_cells WHERE n > 0 ORDER BY 1, 2, 3, 4, 5",
        ] {
            let mut stmt = conn.prepare(sql).unwrap();
            let width = stmt.column_count();
            let mut q = stmt.query([]).unwrap();
            while let Some(row) = q.next().unwrap() {
                let cells: Vec<String> = (0..width)
                    .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                    .collect();
                rows.push(cells.join("|"));
            }
        }
        rows
    }

    /// What the triggers keep equals what a recount from the table gives.
    pub(crate) fn assert_counts_exact(conn: &Connection) {
        let kept = count_tables(conn);
        conn.execute_batch("SAVEPOINT recount").unwrap();
        counts::DERIVED.rebuild(conn).unwrap();
        let recounted = count_tables(conn);
        conn.execute_batch("ROLLBACK TO recount; RELEASE recount")
            .unwrap();
        assert!(!recounted.is_empty());
        assert_eq!(kept, recounted);
    }

    fn ingested(errors: &[SyncError]) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let sync = crate::demo::current_sync_at(now());
        for (n, chunk) in errors.chunks(1000).enumerate() {
            let items: Vec<_> = chunk
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, e)| (i as u64, e))
                .collect();
            let out = write_batch(&mut conn, (n == 0).then_some(sync), &items, now()).unwrap();
            assert_eq!(out.accepted, chunk.len() as u64);
        }
        conn
    }

    /// Batches written through ingestion keep the count tables and the text index exact.
    #[test]
    fn ingested_batches_keep_the_counts_and_the_text_index() {
        let errors = crate::demo::generate(3500, now());
        let conn = ingested(&errors);
        assert_counts_exact(&conn);
        for query in [
            "q=exclusive%20access",
            "q=required",
            "error_code=UNABLE_TO_LOCK_ROW",
            "",
        ] {
            let filters = Filters::from_query_string(query).unwrap();
            let expected = errors.iter().filter(|e| filters.matches(e)).count() as u64;
            assert_eq!(
                summary(&conn, &filters, now()).unwrap().total,
                expected,
                "{query}"
            );
        }
    }

    /// `errors` with their indexes in the request.
    fn numbered<const N: usize>(errors: [SyncError; N]) -> Vec<(u64, SyncError)> {
        errors
            .into_iter()
            .enumerate()
            .map(|(i, e)| (i as u64, e))
            .collect()
    }

    fn stored_message(conn: &Connection, id: &str) -> String {
        conn.query_row("SELECT message FROM sync_errors WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
    }

    /// An id twice in one batch: the same content again is unchanged, other content a
    /// conflict, and only the first copy is written.
    #[test]
    fn an_id_twice_in_one_batch_is_compared_with_its_first_copy() {
        let mut conn = ingested(&crate::demo::generate(10, now()));
        let fresh = crate::demo::generate(12, now()).split_off(10);
        let (a, b) = (fresh[0].clone(), fresh[1].clone());
        let mut a_changed = a.clone();
        a_changed.message.push('!');
        let items = numbered([a.clone(), a.clone(), b.clone(), a_changed, b]);
        let out = write_batch(&mut conn, None, &items, now()).unwrap();
        assert_eq!((out.accepted, out.unchanged), (2, 2));
        assert_eq!(out.rejected.len(), 1);
        assert_eq!(
            (out.rejected[0].index, out.rejected[0].code),
            (3, RejectCode::Conflict)
        );
        assert_eq!(stored_message(&conn, &a.id), a.message);
        assert_counts_exact(&conn);
    }

    /// A stored id sent twice, first changed, then as stored: each copy is compared with
    /// the stored error (a conflict, then unchanged), and the stored error stays.
    #[test]
    fn a_stored_id_twice_in_one_batch_is_compared_with_the_stored_error() {
        let stored = crate::demo::generate(10, now());
        let mut conn = ingested(&stored);
        let a = stored[3].clone();
        let mut a_changed = a.clone();
        a_changed.message.push('!');
        let fresh = crate::demo::generate(11, now()).split_off(10).remove(0);
        let items = numbered([a_changed, fresh, a.clone()]);
        let out = write_batch(&mut conn, None, &items, now()).unwrap();
        assert_eq!((out.accepted, out.unchanged), (1, 1));
        let refused: Vec<_> = out.rejected.iter().map(|r| (r.index, r.code)).collect();
        assert_eq!(refused, [(0, RejectCode::Conflict)]);
        assert_eq!(stored_message(&conn, &a.id), a.message);
        assert_counts_exact(&conn);
    }

    /// The same batch again is unchanged; a changed copy is a conflict; nothing moves.
    #[test]
    fn a_batch_sent_twice_changes_nothing() {
        let errors = crate::demo::generate(1500, now());
        let mut conn = ingested(&errors);
        let before = count_tables(&conn);
        let items: Vec<_> = errors[..1000]
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, e)| (i as u64, e))
            .collect();
        let out = write_batch(&mut conn, None, &items, now()).unwrap();
        assert_eq!(
            (out.accepted, out.unchanged, out.rejected.len()),
            (0, 1000, 0)
        );
        let mut changed = errors[0].clone();
        changed.message.push('!');
        let out = write_batch(&mut conn, None, &[(0, changed)], now()).unwrap();
        assert_eq!(out.rejected[0].code, RejectCode::Conflict);
        assert_eq!(count_tables(&conn), before);
    }
}
