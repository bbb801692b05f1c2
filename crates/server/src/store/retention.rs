//! Retention's SQL: errors that failed before the window's start are deleted, oldest first,
//! a chunk per transaction, so that ingestion and readers wait for one chunk at most. The
//! readers never see them anyway (every query is clamped to the window); the count tables
//! and the text index follow through their delete triggers.

use chrono::{DateTime, Utc};
use r2d2_sqlite::rusqlite::{self, Connection};

use super::{to_ms, window};

/// How many errors one transaction of the purge deletes at most.
pub const CHUNK: usize = 5_000;

/// Deletes up to `limit` errors older than the window at `now`, in one transaction (through
/// the time index, oldest first). Returns how many it deleted: fewer than `limit` means none
/// is left.
pub fn purge_chunk(
    conn: &mut Connection,
    now: DateTime<Utc>,
    limit: usize,
) -> rusqlite::Result<usize> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let from = to_ms(window(&tx, now)?.from);
    let deleted = tx.execute(
        "DELETE FROM sync_errors WHERE seq IN (
             SELECT seq FROM sync_errors WHERE failed_at_ms < ?1 ORDER BY failed_at_ms LIMIT ?2)",
        rusqlite::params![from, limit as i64],
    )?;
    tx.commit()?;
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use sync_errors_api::{Filters, Level, format_time};

    use super::*;
    use crate::store::ingest::tests::assert_counts_exact;
    use crate::store::testing::{now, seeded};
    use crate::store::{BUCKET_SECONDS, count_all, meta_set, summary};

    /// `(key, count)` pairs of a plain `GROUP BY` over the errors at or after `from`.
    fn grouped(conn: &Connection, key: &str, from: i64) -> Vec<(String, u64)> {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT CAST({key} AS TEXT), COUNT(*) FROM sync_errors WHERE failed_at_ms >= ?1 \
                 GROUP BY 1 ORDER BY 1"
            ))
            .unwrap();
        stmt.query_map([from], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                r.get::<_, i64>(1)? as u64,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    /// The window moves 30 hours on: what fell out of it is gone from every answer before
    /// the purge, and from the table after it; the count tables equal a recount, and the
    /// summary's parts equal plain `COUNT(*)`s, before and after.
    #[test]
    fn purged_errors_leave_exact_counts() {
        let mut conn = seeded(6000);
        let later = now() + Duration::hours(30);
        meta_set(&conn, "current_sync_at", &format_time(later)).unwrap();
        let from = to_ms(window(&conn, later).unwrap().from);
        let kept: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM sync_errors WHERE failed_at_ms >= ?1",
                [from],
                |r| r.get(0),
            )
            .unwrap();
        assert!(kept > 0 && (kept as u64) < count_all(&conn).unwrap());
        let check = |conn: &Connection| {
            let s = summary(conn, &Filters::default(), later).unwrap();
            assert_eq!(s.total, kept as u64);
            let mut by_code: Vec<_> = s
                .by_code
                .iter()
                .map(|c| (c.error_code.clone(), c.count))
                .collect();
            by_code.sort();
            assert_eq!(by_code, grouped(conn, "error_code", from));
            let mut by_object: Vec<_> = s
                .by_object
                .iter()
                .map(|o| (o.object_type.clone().unwrap_or_default(), o.count))
                .collect();
            by_object.sort();
            assert_eq!(by_object, grouped(conn, "object_type", from));
            let mut hours: Vec<_> = s
                .histogram
                .buckets
                .iter()
                .filter(|b| b.count() > 0)
                .map(|b| {
                    (
                        (b.start.timestamp() / BUCKET_SECONDS as i64).to_string(),
                        b.count(),
                    )
                })
                .collect();
            hours.sort();
            assert_eq!(
                hours,
                grouped(
                    conn,
                    &format!("failed_at_ms / {}", BUCKET_SECONDS as i64 * 1000),
                    from
                )
            );
            let jobs = s.histogram.buckets.iter().map(|b| b.job).sum::<u64>();
            let plain: i64 = conn
                .query_row(
                    "SELECT COUNT(*) FROM sync_errors WHERE failed_at_ms >= ?1 AND level = ?2",
                    rusqlite::params![from, Level::Job.as_str()],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(jobs, plain as u64);
        };
        // Before the purge: clamped out of every answer already.
        check(&conn);
        let mut deleted = 0;
        loop {
            let n = purge_chunk(&mut conn, later, 1000).unwrap();
            deleted += n;
            if n < 1000 {
                break;
            }
        }
        assert_eq!(count_all(&conn).unwrap(), kept as u64);
        assert_eq!(deleted as u64 + kept as u64, 6000);
        check(&conn);
        assert_counts_exact(&conn);
        // Nothing more to delete.
        assert_eq!(purge_chunk(&mut conn, later, 1000).unwrap(), 0);
    }
}
