//! Errors per minute and level, kept by triggers, so that a list's `total` costs the range's
//! length in minutes rather than the number of errors it holds: whole minutes are summed
//! here, only the partial minutes at the range's edges are counted in `sync_errors`.

use r2d2_sqlite::rusqlite::{self, Connection};
use sync_errors_api::Level;

use super::{meta_get, meta_set};

const TABLE: &str = "
CREATE TABLE IF NOT EXISTS sync_error_counts (
    minute INTEGER NOT NULL,
    level  TEXT    NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (minute, level)
) WITHOUT ROWID;
";

/// The triggers that keep the count table, by name: what `create` creates and a bulk load
/// drops while it inserts.
const TRIGGERS: [(&str, &str); 3] = [
    (
        "sync_error_counts_insert",
        "AFTER INSERT ON sync_errors BEGIN
    INSERT INTO sync_error_counts (minute, level, n) VALUES (NEW.failed_at_ms / 60000, NEW.level, 1)
    ON CONFLICT (minute, level) DO UPDATE SET n = n + 1;
END",
    ),
    (
        "sync_error_counts_delete",
        "AFTER DELETE ON sync_errors BEGIN
    UPDATE sync_error_counts SET n = n - 1
    WHERE minute = OLD.failed_at_ms / 60000 AND level = OLD.level;
END",
    ),
    (
        "sync_error_counts_update",
        "AFTER UPDATE OF failed_at_ms, level ON sync_errors BEGIN
    UPDATE sync_error_counts SET n = n - 1
    WHERE minute = OLD.failed_at_ms / 60000 AND level = OLD.level;
    INSERT INTO sync_error_counts (minute, level, n) VALUES (NEW.failed_at_ms / 60000, NEW.level, 1)
    ON CONFLICT (minute, level) DO UPDATE SET n = n + 1;
END",
    ),
];

/// Creates the count table and its triggers when missing; a database from before the count
/// table has what it holds counted once.
pub fn create(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(TABLE)?;
    for (name, body) in TRIGGERS {
        conn.execute_batch(&format!("CREATE TRIGGER IF NOT EXISTS {name} {body};"))?;
    }
    if meta_get(conn, "counts")?.as_deref() != Some("1") {
        rebuild(conn)?;
    }
    Ok(())
}

/// Drops the triggers, for a bulk load that rebuilds the counts afterwards.
pub fn drop_triggers(conn: &Connection) -> rusqlite::Result<()> {
    for (name, _) in TRIGGERS {
        conn.execute_batch(&format!("DROP TRIGGER IF EXISTS {name};"))?;
    }
    Ok(())
}

/// Recounts the errors per minute and level from the table.
pub fn rebuild(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DELETE FROM sync_error_counts;
         INSERT INTO sync_error_counts (minute, level, n)
             SELECT failed_at_ms / 60000, level, COUNT(*) FROM sync_errors GROUP BY 1, 2;",
    )?;
    meta_set(conn, "counts", "1")
}

const MINUTE_MS: i64 = 60_000;
/// Exact counts, for the partial minutes at a range's edges (through the time indexes).
const EXACT_COUNT: &str = "SELECT COUNT(*) FROM sync_errors WHERE failed_at_ms BETWEEN ?1 AND ?2";
const EXACT_COUNT_LEVEL: &str =
    "SELECT COUNT(*) FROM sync_errors WHERE level = ?3 AND failed_at_ms BETWEEN ?1 AND ?2";
/// Sums of whole minutes.
const MINUTES_SUM: &str =
    "SELECT COALESCE(SUM(n), 0) FROM sync_error_counts WHERE minute BETWEEN ?1 AND ?2";
const MINUTES_SUM_LEVEL: &str = "SELECT COALESCE(SUM(n), 0) FROM sync_error_counts WHERE minute BETWEEN ?1 AND ?2 AND level = ?3";

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

/// Every error in the table, whatever its time.
pub fn count_all(conn: &Connection) -> rusqlite::Result<u64> {
    conn.query_row("SELECT COUNT(*) FROM sync_errors", [], |r| {
        r.get::<_, i64>(0)
    })
    .map(|n| n.max(0) as u64)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use r2d2_sqlite::rusqlite::ToSql;
    use sync_errors_api::SyncError;

    use super::*;
    use crate::store::testing::{now, query_plan, seeded};
    use crate::store::{insert_all, to_ms, window};

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
}
