//! The tables and the one list of indexes. Times are Unix milliseconds; `id` breaks ties in
//! every order. Each sort index serves one family of list queries (filter + sort) without a
//! sort step and carries every filtered column (time, level, code, object), so a filter is
//! checked inside the index and only the rows of a page are read: see
//! `queries::tests::every_list_query_uses_an_index`.
//!
//! `seq` is an integer key for the full-text index (FTS5 needs integer rowids); the API
//! never shows it. `sf15` is the first 15 characters of a Salesforce ID, when the stored
//! `salesforce_id` is one (15 or 18 letters and digits), for the search by ID.

use r2d2_sqlite::rusqlite::{self, Connection};

use super::queries::COLUMNS;
use super::{meta_get, meta_set};

/// The schema's version in `meta`: 2 added `seq`, `sf15` and the triage indexes.
const VERSION: &str = "2";

const TABLES: &str = "
CREATE TABLE IF NOT EXISTS sync_errors (
    seq           INTEGER PRIMARY KEY,
    id            TEXT    NOT NULL UNIQUE,
    level         TEXT    NOT NULL CHECK (level IN ('job', 'record')),
    failed_at_ms  INTEGER NOT NULL,
    error_code    TEXT    NOT NULL,
    message       TEXT    NOT NULL,
    object_type   TEXT,
    operation     TEXT,
    marketo_id    TEXT,
    salesforce_id TEXT,
    fields        TEXT    NOT NULL DEFAULT '[]',
    sf15          TEXT GENERATED ALWAYS AS (
        CASE WHEN length(salesforce_id) IN (15, 18)
                  AND salesforce_id NOT GLOB '*[^0-9A-Za-z]*'
             THEN substr(salesforce_id, 1, 15) END
    ) VIRTUAL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);
";

/// A secondary index of `sync_errors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Index {
    pub name: &'static str,
    columns: &'static str,
}

impl Index {
    const fn new(name: &'static str, columns: &'static str) -> Index {
        Index { name, columns }
    }

    pub const BY_TIME: Index = Index::new(
        "sync_errors_by_time",
        "failed_at_ms, id, level, error_code, object_type",
    );
    pub const BY_LEVEL_TIME: Index = Index::new(
        "sync_errors_by_level_time",
        "level, failed_at_ms, id, error_code, object_type",
    );
    pub const BY_LEVEL_ID: Index = Index::new(
        "sync_errors_by_level_id",
        "level, id, failed_at_ms, error_code, object_type",
    );
    pub const BY_CODE: Index = Index::new(
        "sync_errors_by_code",
        "error_code, id, failed_at_ms, level, object_type",
    );
    pub const BY_LEVEL_CODE: Index = Index::new(
        "sync_errors_by_level_code",
        "level, error_code, id, failed_at_ms, object_type",
    );
    /// A code filter with a small result: the code's errors in the range, nothing else.
    pub const BY_CODE_TIME: Index = Index::new(
        "sync_errors_by_code_time",
        "error_code, failed_at_ms, id, level, object_type",
    );
    /// An object filter with a small result.
    pub const BY_OBJECT_TIME: Index = Index::new(
        "sync_errors_by_object_time",
        "object_type, failed_at_ms, id, level, error_code",
    );
    /// The search by ID (`q`): Marketo ID, Salesforce ID, its first 15 characters.
    pub const BY_MARKETO_ID: Index = Index::new("sync_errors_by_marketo_id", "marketo_id");
    pub const BY_SALESFORCE_ID: Index = Index::new("sync_errors_by_salesforce_id", "salesforce_id");
    pub const BY_SALESFORCE_PREFIX: Index = Index::new("sync_errors_by_sf15", "sf15");

    /// Every index: what `create` builds and a bulk load drops while it inserts.
    pub const ALL: [Index; 10] = [
        Index::BY_TIME,
        Index::BY_LEVEL_TIME,
        Index::BY_LEVEL_ID,
        Index::BY_CODE,
        Index::BY_LEVEL_CODE,
        Index::BY_CODE_TIME,
        Index::BY_OBJECT_TIME,
        Index::BY_MARKETO_ID,
        Index::BY_SALESFORCE_ID,
        Index::BY_SALESFORCE_PREFIX,
    ];
}

/// Creates the tables and indexes that are missing; a version-1 table (`WITHOUT ROWID`, no
/// `seq`) is rebuilt in the new shape first, its errors kept.
pub fn create(conn: &mut Connection) -> rusqlite::Result<()> {
    if has_table(conn, "sync_errors")? && !has_column(conn, "sync_errors", "seq")? {
        upgrade_from_v1(conn)?;
    }
    conn.execute_batch(TABLES)?;
    for index in Index::ALL {
        conn.execute_batch(&format!(
            "CREATE INDEX IF NOT EXISTS {} ON sync_errors ({})",
            index.name, index.columns
        ))?;
    }
    if meta_get(conn, "schema")?.as_deref() != Some(VERSION) {
        meta_set(conn, "schema", VERSION)?;
    }
    Ok(())
}

/// Drops every index, for a bulk load that builds them once afterwards (`create`).
pub fn drop_indexes(conn: &Connection) -> rusqlite::Result<()> {
    for index in Index::ALL {
        conn.execute_batch(&format!("DROP INDEX IF EXISTS {}", index.name))?;
    }
    Ok(())
}

fn has_table(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

fn has_column(conn: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT COUNT(*) FROM pragma_table_xinfo(?1) WHERE name = ?2",
        [table, column],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// Version 1 kept errors `WITHOUT ROWID`, keyed by `id`: the full-text index needs an
/// integer key. Copies the errors into the new table in one transaction; the triggers and
/// indexes of the old one go with it, and the count tables and the text index are rebuilt
/// (their versions in `meta` are forgotten).
fn upgrade_from_v1(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    let triggers: Vec<String> = {
        let mut stmt = tx.prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'sync_errors'",
        )?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for name in triggers {
        tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
    }
    drop_indexes(&tx)?;
    tx.execute_batch(&format!(
        "ALTER TABLE sync_errors RENAME TO sync_errors_v1;
         {TABLES}
         INSERT INTO sync_errors ({COLUMNS})
             SELECT {COLUMNS} FROM sync_errors_v1 ORDER BY id;
         DROP TABLE sync_errors_v1;
         DELETE FROM meta WHERE key IN ('counts', 'text');"
    ))?;
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indexes(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'index' \
                 AND tbl_name = 'sync_errors' AND sql IS NOT NULL ORDER BY name",
            )
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// `create` builds every index of the list, and `drop_indexes` leaves none behind.
    #[test]
    fn the_one_list_of_indexes_is_created_and_dropped_whole() {
        let mut conn = Connection::open_in_memory().unwrap();
        create(&mut conn).unwrap();
        let mut names: Vec<_> = Index::ALL.iter().map(|i| i.name.to_owned()).collect();
        names.sort();
        assert_eq!(indexes(&conn), names);
        drop_indexes(&conn).unwrap();
        assert!(indexes(&conn).is_empty());
    }

    /// `sf15` is the first 15 characters of a 15- or 18-character Salesforce ID, and nothing
    /// for anything else, as `salesforce_prefix` says.
    #[test]
    fn the_salesforce_prefix_column_agrees_with_the_api() {
        let mut conn = Connection::open_in_memory().unwrap();
        create(&mut conn).unwrap();
        for (n, sf) in [
            "00Q5e000004XyZ1EAK",
            "00Q5e000004XyZ1",
            "00Q5e000004XyZ1E",
            "00Q5e000004XyZ1EAKX",
            "00Q5e000004Xy-1EAK",
            "00Q5e000004XyZé",
            "",
        ]
        .into_iter()
        .enumerate()
        {
            conn.execute(
                "INSERT INTO sync_errors (id, level, failed_at_ms, error_code, message, salesforce_id) \
                 VALUES (?1, 'record', 0, 'X', '', ?2)",
                rusqlite::params![n.to_string(), sf],
            )
            .unwrap();
            let got: Option<String> = conn
                .query_row(
                    "SELECT sf15 FROM sync_errors WHERE id = ?1",
                    [n.to_string()],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(
                got.as_deref(),
                sync_errors_api::salesforce_prefix(sf),
                "{sf}"
            );
        }
    }

    /// A store of version 1 (`WITHOUT ROWID`, keyed by `id`, with its indexes, per-minute
    /// counts and triggers) opens as version 2 with every error kept, counted and indexed.
    #[test]
    fn a_version_1_store_is_upgraded_with_its_errors() {
        use crate::store::testing::now;
        use crate::store::{count_all, list, migrate, summary};
        use sync_errors_api::{Filters, ListQuery};

        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE sync_errors (
                id TEXT NOT NULL PRIMARY KEY,
                level TEXT NOT NULL CHECK (level IN ('job', 'record')),
                failed_at_ms INTEGER NOT NULL, error_code TEXT NOT NULL, message TEXT NOT NULL,
                object_type TEXT, operation TEXT, marketo_id TEXT, salesforce_id TEXT,
                fields TEXT NOT NULL DEFAULT '[]'
             ) WITHOUT ROWID;
             CREATE TABLE meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);
             CREATE INDEX sync_errors_by_time ON sync_errors (failed_at_ms, id);
             CREATE INDEX sync_errors_by_code ON sync_errors (error_code, id, failed_at_ms, level);
             CREATE TABLE sync_error_counts (minute INTEGER NOT NULL, level TEXT NOT NULL,
                n INTEGER NOT NULL, PRIMARY KEY (minute, level)) WITHOUT ROWID;
             CREATE TRIGGER sync_error_counts_insert AFTER INSERT ON sync_errors BEGIN
                INSERT INTO sync_error_counts (minute, level, n)
                VALUES (NEW.failed_at_ms / 60000, NEW.level, 1)
                ON CONFLICT (minute, level) DO UPDATE SET n = n + 1;
             END;
             INSERT INTO meta VALUES ('counts', '1');",
        )
        .unwrap();
        let errors = crate::demo::generate(400, now());
        crate::store::queries::insert_many(&conn, &errors.iter().collect::<Vec<_>>()).unwrap();
        crate::store::meta_set(
            &conn,
            "current_sync_at",
            &sync_errors_api::format_time(crate::demo::current_sync_at(now())),
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        assert!(has_column(&conn, "sync_errors", "seq").unwrap());
        assert!(!has_table(&conn, "sync_errors_v1").unwrap());
        assert_eq!(count_all(&conn).unwrap(), 400);
        let mut expected = errors.clone();
        expected.sort_by(|a, b| (b.failed_at, &b.id).cmp(&(a.failed_at, &a.id)));
        let page = list(
            &conn,
            &ListQuery {
                limit: 1000,
                ..ListQuery::default()
            },
            now(),
        )
        .unwrap();
        assert_eq!(page.items, expected);
        let locks = Filters::from_query_string("q=exclusive%20access").unwrap();
        let found = errors.iter().filter(|e| locks.matches(e)).count() as u64;
        assert!(found > 0);
        assert_eq!(summary(&conn, &locks, now()).unwrap().total, found);
        let codes = Filters::from_query_string("error_code=UNABLE_TO_LOCK_ROW").unwrap();
        assert_eq!(summary(&conn, &codes, now()).unwrap().total, found);
        // Inserted after the upgrade: counted and indexed by the new triggers.
        crate::store::insert_all(
            &mut conn,
            &[sync_errors_api::SyncError {
                id: "after".into(),
                failed_at: now(),
                ..sync_errors_api::SyncError::example(
                    "x",
                    sync_errors_api::Level::Job,
                    "exclusive access lost",
                )
            }],
        )
        .unwrap();
        assert_eq!(summary(&conn, &locks, now()).unwrap().total, found + 1);
    }
}
