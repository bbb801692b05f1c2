//! Tables derived from `sync_errors` and kept exact by triggers (the count tables, the text
//! index): one way to create them, to rebuild them once when missing or of an older version
//! (their version in `meta`), and to drop their triggers for a wholesale reload.

use r2d2_sqlite::rusqlite::{self, Connection};

use super::{meta_get, meta_set};

pub struct Derived {
    /// Their key in `meta`, which holds `version` once they are built.
    pub meta_key: &'static str,
    pub version: &'static str,
    /// `CREATE … IF NOT EXISTS` of their tables.
    pub tables: &'static str,
    /// The triggers that keep them, by name.
    pub triggers: &'static [(&'static str, &'static str)],
    /// Fills them from `sync_errors`, replacing what they hold.
    pub fill: fn(&Connection) -> rusqlite::Result<()>,
}

impl Derived {
    /// Creates what is missing; fills them from the errors when they are new or older than
    /// `version` (their triggers made anew, in case those changed too).
    pub fn create(&self, conn: &Connection) -> rusqlite::Result<()> {
        conn.execute_batch(self.tables)?;
        let current = meta_get(conn, self.meta_key)?.as_deref() == Some(self.version);
        if !current {
            self.drop_triggers(conn)?;
        }
        for (name, body) in self.triggers {
            conn.execute_batch(&format!("CREATE TRIGGER IF NOT EXISTS {name} {body};"))?;
        }
        if !current {
            self.rebuild(conn)?;
        }
        Ok(())
    }

    /// Fills them again from the errors, and records their version.
    pub fn rebuild(&self, conn: &Connection) -> rusqlite::Result<()> {
        (self.fill)(conn)?;
        meta_set(conn, self.meta_key, self.version)
    }

    /// Drops the triggers, for a reload that empties the tables whole.
    pub fn drop_triggers(&self, conn: &Connection) -> rusqlite::Result<()> {
        for (name, _) in self.triggers {
            conn.execute_batch(&format!("DROP TRIGGER IF EXISTS {name};"))?;
        }
        Ok(())
    }
}
