//! The tables and the one list of indexes. Times are Unix milliseconds; `id` breaks ties in
//! every order. Each index serves one family of list queries (filter + sort) without a sort
//! step: see `queries::tests::every_list_query_uses_an_index`.

use r2d2_sqlite::rusqlite::{self, Connection};

const TABLES: &str = "
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

    pub const BY_TIME: Index = Index::new("sync_errors_by_time", "failed_at_ms, id");
    pub const BY_LEVEL_TIME: Index =
        Index::new("sync_errors_by_level_time", "level, failed_at_ms, id");
    pub const BY_LEVEL_ID: Index = Index::new("sync_errors_by_level_id", "level, id, failed_at_ms");
    pub const BY_CODE: Index =
        Index::new("sync_errors_by_code", "error_code, id, failed_at_ms, level");
    pub const BY_LEVEL_CODE: Index = Index::new(
        "sync_errors_by_level_code",
        "level, error_code, id, failed_at_ms",
    );

    /// Every index: what `create` builds and a bulk load drops while it inserts.
    pub const ALL: [Index; 5] = [
        Index::BY_TIME,
        Index::BY_LEVEL_TIME,
        Index::BY_LEVEL_ID,
        Index::BY_CODE,
        Index::BY_LEVEL_CODE,
    ];
}

/// Creates the tables and indexes that are missing.
pub fn create(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(TABLES)?;
    for index in Index::ALL {
        conn.execute_batch(&format!(
            "CREATE INDEX IF NOT EXISTS {} ON sync_errors ({})",
            index.name, index.columns
        ))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `create` builds every index of the list, and `drop_indexes` leaves none behind.
    #[test]
    fn the_one_list_of_indexes_is_created_and_dropped_whole() {
        let conn = Connection::open_in_memory().unwrap();
        let indexes = |conn: &Connection| -> Vec<String> {
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
        };
        create(&conn).unwrap();
        let mut names: Vec<_> = Index::ALL.iter().map(|i| i.name.to_owned()).collect();
        names.sort();
        assert_eq!(indexes(&conn), names);
        drop_indexes(&conn).unwrap();
        assert!(indexes(&conn).is_empty());
    }
}
