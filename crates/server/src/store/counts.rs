//! The count tables, kept by the same triggers:
//! - errors per minute and level, so that a list's `total` costs the range's length in
//!   minutes rather than the number of errors it holds: whole minutes are summed here, only
//!   the partial minutes at the range's edges are counted in `sync_errors`;
//! - errors per hour, level, code and object ("cells"), with the time of the last one, so
//!   that the summary and the totals of code and object filters sum a few thousand cells:
//!   whole hours from the table, the partial hours at the edges from `sync_errors`
//!   (through the time indexes, which carry those columns).

use std::collections::HashMap;

use r2d2_sqlite::rusqlite::{self, CachedStatement, Connection, Row};
use sync_errors_api::Level;

use super::derived::Derived;

/// The count tables' version in `meta`: 2 added the hourly cells.
const VERSION: &str = "2";

const TABLES: &str = "
CREATE TABLE IF NOT EXISTS sync_error_counts (
    minute INTEGER NOT NULL,
    level  TEXT    NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (minute, level)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync_error_cells (
    hour        INTEGER NOT NULL,
    level       TEXT    NOT NULL,
    error_code  TEXT    NOT NULL,
    has_object  INTEGER NOT NULL,
    object_type TEXT    NOT NULL,
    n           INTEGER NOT NULL,
    last_ms     INTEGER NOT NULL,
    PRIMARY KEY (hour, level, error_code, has_object, object_type)
) WITHOUT ROWID;
";

/// The hourly cells are keyed by `has_object` and `object_type` ('' when there is none): a
/// key column cannot hold NULL, and an empty name stays apart from no object.
macro_rules! cell_key {
    ($row:literal) => {
        concat!(
            "hour = ",
            $row,
            ".failed_at_ms / 3600000 AND level = ",
            $row,
            ".level \
             AND error_code = ",
            $row,
            ".error_code \
             AND has_object = (",
            $row,
            ".object_type IS NOT NULL) \
             AND object_type = ifnull(",
            $row,
            ".object_type, '')"
        )
    };
}

macro_rules! count_in {
    ($row:literal) => {
        concat!(
            "INSERT INTO sync_error_counts (minute, level, n) VALUES (",
            $row,
            ".failed_at_ms / 60000, ",
            $row,
            ".level, 1)
    ON CONFLICT (minute, level) DO UPDATE SET n = n + 1;
    INSERT INTO sync_error_cells (hour, level, error_code, has_object, object_type, n, last_ms)
    VALUES (",
            $row,
            ".failed_at_ms / 3600000, ",
            $row,
            ".level, ",
            $row,
            ".error_code, ",
            $row,
            ".object_type IS NOT NULL,
            ifnull(",
            $row,
            ".object_type, ''), 1, ",
            $row,
            ".failed_at_ms)
    ON CONFLICT (hour, level, error_code, has_object, object_type)
    DO UPDATE SET n = n + 1, last_ms = max(last_ms, excluded.last_ms);"
        )
    };
}

/// Takes an error out of its minute and its cell. The cell's last time is looked up again
/// (one seek in the code's time index) only when the error was the cell's last.
macro_rules! count_out {
    ($row:literal) => {
        concat!(
            "UPDATE sync_error_counts SET n = n - 1
    WHERE minute = ",
            $row,
            ".failed_at_ms / 60000 AND level = ",
            $row,
            ".level;
    UPDATE sync_error_cells SET n = n - 1, last_ms = CASE WHEN last_ms > ",
            $row,
            ".failed_at_ms THEN last_ms
        ELSE ifnull((SELECT MAX(e.failed_at_ms) FROM sync_errors e
                     WHERE e.error_code = ",
            $row,
            ".error_code
                       AND e.failed_at_ms BETWEEN (",
            $row,
            ".failed_at_ms / 3600000) * 3600000
                                              AND (",
            $row,
            ".failed_at_ms / 3600000) * 3600000 + 3599999
                       AND e.level = ",
            $row,
            ".level AND e.object_type IS ",
            $row,
            ".object_type), 0) END
    WHERE ",
            cell_key!($row),
            ";
    DELETE FROM sync_error_cells WHERE ",
            cell_key!($row),
            " AND n <= 0;"
        )
    };
}

/// The triggers that keep the count tables, by name: what `create` creates and a bulk load
/// drops while it inserts.
const TRIGGERS: [(&str, &str); 3] = [
    (
        "sync_error_counts_insert",
        concat!(
            "AFTER INSERT ON sync_errors BEGIN\n    ",
            count_in!("NEW"),
            "\nEND"
        ),
    ),
    (
        "sync_error_counts_delete",
        concat!(
            "AFTER DELETE ON sync_errors BEGIN\n    ",
            count_out!("OLD"),
            "\nEND"
        ),
    ),
    (
        "sync_error_counts_update",
        concat!(
            "AFTER UPDATE OF failed_at_ms, level, error_code, object_type ON sync_errors BEGIN\n    ",
            count_out!("OLD"),
            "\n    ",
            count_in!("NEW"),
            "\nEND"
        ),
    ),
];

/// The count tables and their triggers: created when missing, filled once when new
/// or of an older version.
pub const DERIVED: Derived = Derived {
    meta_key: "counts",
    version: VERSION,
    tables: TABLES,
    triggers: &TRIGGERS,
    fill,
};

/// Recounts the errors per minute and level, and per cell, from the table.
fn fill(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DELETE FROM sync_error_counts;
         INSERT INTO sync_error_counts (minute, level, n)
             SELECT failed_at_ms / 60000, level, COUNT(*) FROM sync_errors GROUP BY 1, 2;
         DELETE FROM sync_error_cells;
         INSERT INTO sync_error_cells (hour, level, error_code, has_object, object_type, n, last_ms)
             SELECT failed_at_ms / 3600000, level, error_code, object_type IS NOT NULL,
                    ifnull(object_type, ''), COUNT(*), MAX(failed_at_ms)
             FROM sync_errors GROUP BY 1, 2, 3, 4, 5;",
    )
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

pub const HOUR_MS: i64 = 3_600_000;
/// Whole hours' cells, through the table's key.
const CELLS: &str = "SELECT hour, level, error_code, has_object, object_type, n, last_ms \
                     FROM sync_error_cells WHERE hour BETWEEN ?1 AND ?2";
const CELLS_LEVEL: &str = "SELECT hour, level, error_code, has_object, object_type, n, last_ms \
                           FROM sync_error_cells WHERE hour BETWEEN ?1 AND ?2 AND level = ?3";
/// The errors of a partial hour, read from a time index (which carries every column here)
/// and counted into cells here: cheaper than SQLite's GROUP BY, which sorts them first.
const EXACT_ROWS: &str = "SELECT failed_at_ms, level, error_code, object_type \
                          FROM sync_errors WHERE failed_at_ms BETWEEN ?1 AND ?2";
const EXACT_ROWS_LEVEL: &str = "SELECT failed_at_ms, level, error_code, object_type \
                                FROM sync_errors WHERE level = ?3 AND failed_at_ms BETWEEN ?1 AND ?2";

/// An error code or object name, interned: a summary meets a few dozen of them, in up to a
/// million errors.
pub type Name = u32;

/// FNV-1a: the names are short and trusted (they come from the store), so a fast hash.
#[derive(Default)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// The names met so far, each once.
#[derive(Debug, Default)]
pub struct Names {
    ids: FastMap<String, Name>,
    names: Vec<String>,
}

impl Names {
    pub fn intern(&mut self, name: &str) -> Name {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = self.names.len() as Name;
        self.names.push(name.to_owned());
        self.ids.insert(name.to_owned(), id);
        id
    }

    /// The id of `name`, if it was met.
    pub fn get(&self, name: &str) -> Option<Name> {
        self.ids.get(name).copied()
    }

    pub fn name(&self, id: Name) -> &str {
        &self.names[id as usize]
    }

    /// How many names were met: every id is below it.
    pub fn len(&self) -> usize {
        self.names.len()
    }
}

/// A level as the store writes it.
pub fn parse_level(s: &str) -> Level {
    if s == "job" {
        Level::Job
    } else {
        Level::Record
    }
}

/// The errors of one hour, level, code and object inside a range: `n` of them, the last at
/// `last_ms`. A single error is a cell of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub hour: i64,
    pub level: Level,
    pub code: Name,
    pub object: Option<Name>,
    pub n: u64,
    pub last_ms: i64,
}

fn read_cell(row: &Row<'_>, names: &mut Names) -> rusqlite::Result<Cell> {
    let has_object: bool = row.get(3)?;
    Ok(Cell {
        hour: row.get(0)?,
        level: parse_level(row.get_ref(1)?.as_str()?),
        code: names.intern(row.get_ref(2)?.as_str()?),
        object: if has_object {
            Some(names.intern(row.get_ref(4)?.as_str()?))
        } else {
            None
        },
        n: row.get::<_, i64>(5)?.max(0) as u64,
        last_ms: row.get(6)?,
    })
}

/// `sql_all`, or `sql_level` with the level, bound to the range `[a, b]`.
fn bound<'c>(
    conn: &'c Connection,
    (sql_all, sql_level): (&str, &str),
    (a, b): (i64, i64),
    level: Option<Level>,
) -> rusqlite::Result<CachedStatement<'c>> {
    let mut stmt = conn.prepare_cached(if level.is_some() { sql_level } else { sql_all })?;
    stmt.raw_bind_parameter(1, a)?;
    stmt.raw_bind_parameter(2, b)?;
    if let Some(l) = level {
        stmt.raw_bind_parameter(3, l.as_str())?;
    }
    Ok(stmt)
}

/// The cells of the whole hours `[a, b]`, as the table holds them.
fn whole_hours(
    conn: &Connection,
    hours: (i64, i64),
    level: Option<Level>,
    names: &mut Names,
    out: &mut Vec<Cell>,
) -> rusqlite::Result<()> {
    let mut stmt = bound(conn, (CELLS, CELLS_LEVEL), hours, level)?;
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next()? {
        out.push(read_cell(row, names)?);
    }
    Ok(())
}

/// The cells of the errors between `a` and `b` (milliseconds, inside one hour or a few),
/// counted here.
fn partial_hour(
    conn: &Connection,
    range: (i64, i64),
    level: Option<Level>,
    names: &mut Names,
    out: &mut Vec<Cell>,
) -> rusqlite::Result<()> {
    let mut stmt = bound(conn, (EXACT_ROWS, EXACT_ROWS_LEVEL), range, level)?;
    let mut rows = stmt.raw_query();
    let mut at: FastMap<(i64, Level, Name, Option<Name>), usize> = FastMap::default();
    while let Some(row) = rows.next()? {
        let ms: i64 = row.get(0)?;
        let key = (
            ms.div_euclid(HOUR_MS),
            parse_level(row.get_ref(1)?.as_str()?),
            names.intern(row.get_ref(2)?.as_str()?),
            row.get_ref(3)?.as_str_or_null()?.map(|o| names.intern(o)),
        );
        match at.get(&key) {
            Some(&i) => {
                out[i].n += 1;
                out[i].last_ms = out[i].last_ms.max(ms);
            }
            None => {
                at.insert(key, out.len());
                out.push(Cell {
                    hour: key.0,
                    level: key.1,
                    code: key.2,
                    object: key.3,
                    n: 1,
                    last_ms: ms,
                });
            }
        }
    }
    Ok(())
}

/// Appends to `out` the cells of the errors that failed between `from` and `to`
/// (milliseconds, inclusive, not before 1970), of `level` if given: whole hours from the
/// cell table, the edges' partial hours from the errors. Their counts are exact.
pub fn cells(
    conn: &Connection,
    from: i64,
    to: i64,
    level: Option<Level>,
    names: &mut Names,
    out: &mut Vec<Cell>,
) -> rusqlite::Result<()> {
    if from > to {
        return Ok(());
    }
    let first = from.div_euclid(HOUR_MS) + i64::from(from.rem_euclid(HOUR_MS) != 0);
    let last = (to + 1).div_euclid(HOUR_MS) - 1;
    if first > last {
        return partial_hour(conn, (from, to), level, names, out);
    }
    whole_hours(conn, (first, last), level, names, out)?;
    if from < first * HOUR_MS {
        partial_hour(conn, (from, first * HOUR_MS - 1), level, names, out)?;
    }
    if (last + 1) * HOUR_MS <= to {
        partial_hour(conn, ((last + 1) * HOUR_MS, to), level, names, out)?;
    }
    Ok(())
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

    /// The count statements read through indexes: the time indexes for the edges (covering
    /// every column the cells need), the count tables' keys for whole minutes and hours.
    #[test]
    fn count_statements_use_indexes() {
        let conn = seeded(2000);
        let args: [&dyn ToSql; 3] = [&0i64, &1i64, &"job"];
        for (sql, n) in [
            (EXACT_COUNT, 2),
            (EXACT_COUNT_LEVEL, 3),
            (MINUTES_SUM, 2),
            (MINUTES_SUM_LEVEL, 3),
            (CELLS, 2),
            (CELLS_LEVEL, 3),
            (EXACT_ROWS, 2),
            (EXACT_ROWS_LEVEL, 3),
        ] {
            let plan = query_plan(&conn, sql, &args[..n]);
            assert!(
                plan.starts_with("SEARCH")
                    && (plan.contains("USING COVERING INDEX") || plan.contains("PRIMARY KEY")),
                "{sql}\n{plan}"
            );
            assert!(!plan.contains("TEMP B-TREE"), "{sql}\n{plan}");
        }
    }

    /// The cells of any range equal a GROUP BY over its errors (counts and last times), as
    /// errors are inserted, moved between cells and deleted.
    #[test]
    fn cells_equal_a_group_by() {
        let mut conn = seeded(3000);
        let w = window(&conn, now()).unwrap();
        let (lo, hi) = (to_ms(w.from), to_ms(w.to));
        type Key = (i64, String, String, Option<String>);
        let grouped = |conn: &Connection, a: i64, b: i64, level: Option<Level>| {
            let mut stmt = conn
                .prepare(
                    "SELECT failed_at_ms / 3600000, level, error_code, object_type, COUNT(*), \
                     MAX(failed_at_ms) FROM sync_errors WHERE failed_at_ms BETWEEN ?1 AND ?2 \
                     AND (?3 IS NULL OR level = ?3) GROUP BY 1, 2, 3, 4",
                )
                .unwrap();
            stmt.query_map(rusqlite::params![a, b, level.map(Level::as_str)], |r| {
                Ok((
                    (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?),
                    (r.get::<_, i64>(4)? as u64, r.get(5)?),
                ))
            })
            .unwrap()
            .collect::<rusqlite::Result<std::collections::BTreeMap<Key, (u64, i64)>>>()
            .unwrap()
        };
        let ours = |conn: &Connection, a: i64, b: i64, level: Option<Level>| {
            let mut names = Names::default();
            let mut out = Vec::new();
            cells(conn, a, b, level, &mut names, &mut out).unwrap();
            let mut map = std::collections::BTreeMap::<Key, (u64, i64)>::new();
            for c in out {
                let key = (
                    c.hour,
                    c.level.as_str().to_owned(),
                    names.name(c.code).to_owned(),
                    c.object.map(|o| names.name(o).to_owned()),
                );
                assert!(
                    map.insert(key, (c.n, c.last_ms)).is_none(),
                    "one cell per key"
                );
            }
            map
        };
        let mut seed = 11u64;
        let mut next = move |m: i64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as i64).rem_euclid(m.max(1))
        };
        let mut check = |conn: &Connection| {
            for _ in 0..200 {
                let a = lo + next(hi - lo);
                let b = a + match next(3) {
                    0 => next(HOUR_MS),
                    1 => next(HOUR_MS * 30),
                    _ => hi - lo,
                };
                for level in [None, Some(Level::Job), Some(Level::Record)] {
                    assert_eq!(
                        ours(conn, a, b, level),
                        grouped(conn, a, b, level),
                        "{a}..{b} {level:?}"
                    );
                }
            }
        };
        check(&conn);
        let extra: Vec<SyncError> = crate::demo::generate(300, now() - Duration::hours(40))
            .into_iter()
            .map(|mut e| {
                e.id = format!("{}y", e.id);
                e
            })
            .collect();
        insert_all(&mut conn, &extra).unwrap();
        conn.execute_batch(
            "UPDATE sync_errors SET failed_at_ms = failed_at_ms + 1800000, object_type = NULL WHERE seq % 5 = 0;
             UPDATE sync_errors SET error_code = 'OTHER', level = 'job' WHERE seq % 7 = 1;
             DELETE FROM sync_errors WHERE seq % 3 = 2;",
        )
        .unwrap();
        check(&conn);
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
