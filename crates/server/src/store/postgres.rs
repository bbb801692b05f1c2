//! The PostgreSQL implementation of [`Store`], for several stateless servers on one
//! database: tokio-postgres through a deadpool pool.
//!
//! The same ideas as the SQLite store, in PostgreSQL's terms:
//! - times are Unix milliseconds (`bigint`); every text that is compared or ordered is
//!   `COLLATE "C"`, so that orders (and so cursors) are byte orders, as in SQLite and in the
//!   API crate, whatever the database's locale;
//! - the count tables (errors per minute and level; per hour, level, code and object with
//!   the last time) are kept exact by statement triggers over the transition tables of each
//!   insert, delete or update, in the writing transaction;
//! - `q` is found through the ID indexes and `pg_trgm` GIN indexes with `LIKE` on copies of
//!   the message and the code whose ASCII letters are folded (`lower` on `COLLATE "C"`
//!   text folds ASCII letters only), which is what the API crate's `text_matches` says;
//! - cursors are the same keyset cursors (`store::cursor`): they hold no process state, so
//!   one server's cursor pages on another;
//! - one transaction per ingest request, `synchronous_commit` as the server has it (on by
//!   default: answered means durable); retention deletes chunks under an advisory lock that
//!   ingestion takes shared, so a purge never races an insert into the same count cell;
//! - migrations are versioned (`schema_version`) and run at start under an advisory lock,
//!   so two servers that start together apply each once;
//! - sessions are rows (the SHA-256 of the secret, the account, the expiry), so a cookie
//!   from one server is valid on every other.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use sync_errors_api::{
    ErrorPage, Filters, Level, ListQuery, RejectCode, Summary, SyncError, Window, format_time,
    salesforce_prefix,
};
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use super::QueryError;
use super::backend::{Store, StoreError};
use super::counts::{Cell, HOUR_MS, Names, parse_level};
use super::cursor::{Cursor, SortKey};
use super::ingest::{Outcome, conflict, expired, rejected};
use super::pg_tls;
use super::summary::{NameFilter, summarize};
use super::text::like_pattern;
use super::{bounds, from_ms, to_ms};
use crate::auth::Principal;

/// The advisory lock held while migrating (any fixed number: "sync-err" in ASCII).
const MIGRATION_LOCK: i64 = 0x7379_6e63_2d65_7272;
/// The advisory lock that ingestion takes shared and retention exclusive.
const WRITE_LOCK: i64 = 0x7379_6e63_2d77_7269;

const MINUTE_MS: i64 = 60_000;

/// The count tables' upkeep for the rows of `inserted` (a transition table), in key
/// order, so that concurrent writers lock the same rows in the same order.
const COUNT_IN: &str = "
    INSERT INTO sync_error_counts AS c (minute, level, n)
        SELECT failed_at_ms / 60000, level, COUNT(*) FROM inserted GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (minute, level) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO sync_error_cells AS c (hour, level, error_code, has_object, object_type, n, last_ms)
        SELECT failed_at_ms / 3600000, level, error_code, object_type IS NOT NULL,
               COALESCE(object_type, ''), COUNT(*), MAX(failed_at_ms)
        FROM inserted GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (hour, level, error_code, has_object, object_type)
    DO UPDATE SET n = c.n + excluded.n, last_ms = GREATEST(c.last_ms, excluded.last_ms);
";

/// The count tables' upkeep for the rows of `deleted`: their counts taken out, a cell's
/// last time looked up again among the errors left, empty minutes and cells deleted.
const COUNT_OUT: &str = "
    UPDATE sync_error_counts c SET n = c.n - d.n
    FROM (SELECT failed_at_ms / 60000 AS minute, level, COUNT(*) AS n
          FROM deleted GROUP BY 1, 2 ORDER BY 1, 2) d
    WHERE c.minute = d.minute AND c.level = d.level;
    DELETE FROM sync_error_counts
    WHERE n <= 0 AND minute IN (SELECT DISTINCT failed_at_ms / 60000 FROM deleted);
    UPDATE sync_error_cells c SET n = c.n - d.n,
        last_ms = COALESCE((
            SELECT MAX(e.failed_at_ms) FROM sync_errors e
            WHERE e.error_code = c.error_code AND e.level = c.level
              AND e.failed_at_ms BETWEEN c.hour * 3600000 AND c.hour * 3600000 + 3599999
              AND CASE WHEN c.has_object THEN e.object_type = c.object_type
                       ELSE e.object_type IS NULL END), 0)
    FROM (SELECT failed_at_ms / 3600000 AS hour, level, error_code,
                 object_type IS NOT NULL AS has_object, COALESCE(object_type, '') AS object_type,
                 COUNT(*) AS n
          FROM deleted GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5) d
    WHERE c.hour = d.hour AND c.level = d.level AND c.error_code = d.error_code
      AND c.has_object = d.has_object AND c.object_type = d.object_type;
    DELETE FROM sync_error_cells
    WHERE n <= 0 AND hour IN (SELECT DISTINCT failed_at_ms / 3600000 FROM deleted);
";

/// Version 1: the errors, their indexes, the count tables and their triggers, the text
/// search, the small key-value table and the sessions.
fn migration_1() -> String {
    format!(
        r#"
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE sync_errors (
    id            text COLLATE "C" PRIMARY KEY,
    level         text COLLATE "C" NOT NULL CHECK (level IN ('job', 'record')),
    failed_at_ms  bigint NOT NULL,
    error_code    text COLLATE "C" NOT NULL,
    message       text COLLATE "C" NOT NULL,
    object_type   text COLLATE "C",
    operation     text COLLATE "C",
    marketo_id    text COLLATE "C",
    salesforce_id text COLLATE "C",
    fields        text NOT NULL DEFAULT '[]',
    sf15          text COLLATE "C" GENERATED ALWAYS AS (
        CASE WHEN length(salesforce_id) IN (15, 18) AND salesforce_id ~ '^[0-9A-Za-z]+$'
             THEN substr(salesforce_id, 1, 15) END
    ) STORED
);
CREATE INDEX sync_errors_by_time ON sync_errors (failed_at_ms, id);
CREATE INDEX sync_errors_by_level_time ON sync_errors (level, failed_at_ms, id);
CREATE INDEX sync_errors_by_level_id ON sync_errors (level, id);
CREATE INDEX sync_errors_by_code ON sync_errors (error_code, id);
CREATE INDEX sync_errors_by_level_code ON sync_errors (level, error_code, id);
CREATE INDEX sync_errors_by_code_time ON sync_errors (error_code, failed_at_ms);
CREATE INDEX sync_errors_by_object_time ON sync_errors (object_type, failed_at_ms);
CREATE INDEX sync_errors_by_marketo_id ON sync_errors (marketo_id);
CREATE INDEX sync_errors_by_salesforce_id ON sync_errors (salesforce_id);
CREATE INDEX sync_errors_by_sf15 ON sync_errors (sf15);
CREATE INDEX sync_errors_message_trgm ON sync_errors USING gin (message gin_trgm_ops);
CREATE INDEX sync_errors_code_trgm ON sync_errors USING gin (error_code gin_trgm_ops);

CREATE TABLE sync_error_counts (
    minute bigint NOT NULL,
    level  text COLLATE "C" NOT NULL,
    n      bigint NOT NULL,
    PRIMARY KEY (minute, level)
);
CREATE TABLE sync_error_cells (
    hour        bigint NOT NULL,
    level       text COLLATE "C" NOT NULL,
    error_code  text COLLATE "C" NOT NULL,
    has_object  boolean NOT NULL,
    object_type text COLLATE "C" NOT NULL,
    n           bigint NOT NULL,
    last_ms     bigint NOT NULL,
    PRIMARY KEY (hour, level, error_code, has_object, object_type)
);
CREATE FUNCTION sync_errors_count_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {COUNT_IN} RETURN NULL; END $$;
CREATE FUNCTION sync_errors_count_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {COUNT_OUT} RETURN NULL; END $$;
CREATE FUNCTION sync_errors_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {COUNT_OUT} {COUNT_IN} RETURN NULL; END $$;
CREATE TRIGGER sync_errors_count_in AFTER INSERT ON sync_errors
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION sync_errors_count_in();
CREATE TRIGGER sync_errors_count_out AFTER DELETE ON sync_errors
    REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION sync_errors_count_out();
CREATE TRIGGER sync_errors_count_update AFTER UPDATE ON sync_errors
    REFERENCING OLD TABLE AS deleted NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION sync_errors_count_update();

CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE sessions (
    secret_sha256 text PRIMARY KEY,
    username      text NOT NULL,
    admin         boolean NOT NULL,
    expires_ms    bigint NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_ms);
"#
    )
}

/// Every migration, in order: its version, what it does, its SQL. A database is at the
/// highest version recorded in `schema_version`; each missing one is applied in its own
/// transaction.
fn migrations() -> Vec<(i32, &'static str, String)> {
    vec![
        (
            1,
            "errors, count tables, text search, meta, sessions",
            migration_1(),
        ),
        (
            2,
            "time indexes that cover the counted columns",
            MIGRATION_2.into(),
        ),
        (
            3,
            "text search on case-folded copies; statistics of the hours",
            MIGRATION_3.into(),
        ),
    ]
}

/// Version 2: the time indexes carry the level, the code and the object, as SQLite's do, so
/// the exact counts at a range's edges (partial minutes and hours) read the index alone
/// (index-only scans) rather than a heap row per error.
const MIGRATION_2: &str = "
DROP INDEX sync_errors_by_time;
CREATE INDEX sync_errors_by_time ON sync_errors (failed_at_ms, id)
    INCLUDE (level, error_code, object_type);
DROP INDEX sync_errors_by_level_time;
CREATE INDEX sync_errors_by_level_time ON sync_errors (level, failed_at_ms, id)
    INCLUDE (error_code, object_type);
";

/// Version 3: `q` is looked for in copies of the code and the message with their ASCII
/// letters folded (`lower` under `COLLATE "C"` folds ASCII only, as `ILIKE` did), with a
/// case-sensitive `LIKE`, and the trigram indexes move to those copies. `ILIKE` folded
/// every row it read, every time: a word in 43 % of a million errors took 550 ms to count,
/// 210 ms with `LIKE` on the copies. The statistics of the summary's cells (hour, level,
/// code, object) tell the planner that they are a few thousand, not half a million, so it
/// sums them in parallel workers, each in a hash table (summarizing that word: 700 ->
/// 360 ms).
const MIGRATION_3: &str = r#"
ALTER TABLE sync_errors
    ADD COLUMN code_folded text COLLATE "C" GENERATED ALWAYS AS (lower(error_code)) STORED,
    ADD COLUMN message_folded text COLLATE "C" GENERATED ALWAYS AS (lower(message)) STORED;
DROP INDEX sync_errors_message_trgm;
DROP INDEX sync_errors_code_trgm;
CREATE INDEX sync_errors_message_trgm ON sync_errors USING gin (message_folded gin_trgm_ops);
CREATE INDEX sync_errors_code_trgm ON sync_errors USING gin (code_folded gin_trgm_ops);
CREATE STATISTICS sync_errors_cells (ndistinct)
    ON (failed_at_ms / 3600000), level, error_code, object_type FROM sync_errors;
ANALYZE sync_errors;
"#;

/// The PostgreSQL store: a pool of connections to one database.
pub struct PgStore {
    pool: Pool,
}

type Param = Box<dyn ToSql + Sync + Send>;

fn refs(params: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

impl PgStore {
    /// Connects to the database at `url` with a pool of `size` connections and applies the
    /// migrations it lacks; over TLS as the URL's `sslmode` and `sslrootcert` say (see
    /// `pg_tls`).
    pub async fn connect(url: &str, size: u32) -> anyhow::Result<PgStore> {
        let url = pg_tls::split(url).map_err(|e| anyhow::anyhow!("--db: {e}"))?;
        let tls = pg_tls::connector(url.root_cert.as_deref())?;
        let mut config: tokio_postgres::Config = url
            .url
            .parse()
            .map_err(|e| anyhow::anyhow!("--db is not a PostgreSQL URL: {e}"))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        if config.get_application_name().is_none() {
            config.application_name("sync-errors-server");
        }
        let manager = Manager::from_config(
            config,
            tls,
            ManagerConfig {
                // A connection that the server closed (a restart) is replaced, not reused.
                recycling_method: RecyclingMethod::Fast,
            },
        );
        // A store that cannot be reached answers 503 within seconds, never hangs.
        let pool = Pool::builder(manager)
            .max_size(size.max(2) as usize)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(5)))
            .create_timeout(Some(Duration::from_secs(5)))
            .recycle_timeout(Some(Duration::from_secs(5)))
            .build()?;
        let store = PgStore { pool };
        store
            .migrate()
            .await
            .map_err(|e| anyhow::anyhow!("cannot prepare the PostgreSQL store: {e}"))?;
        Ok(store)
    }

    /// Applies the missing migrations, holding an advisory lock: a second server that
    /// starts at the same time waits, then finds them applied.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.pool.get().await?;
        client
            .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        let applied = apply_migrations(&mut client).await;
        let unlocked = client
            .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
            .await;
        applied?;
        unlocked?;
        Ok(())
    }

    /// The schema's version, as `schema_version` records it.
    pub async fn schema_version(&self) -> Result<i32, StoreError> {
        let client = self.pool.get().await?;
        Ok(client
            .query_one("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[])
            .await?
            .get(0))
    }

    /// The pool, for tests that look inside the store.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }
}

async fn apply_migrations(client: &mut deadpool_postgres::Object) -> Result<(), StoreError> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_version (
                version     integer PRIMARY KEY,
                description text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            )",
        )
        .await?;
    let current: i32 = client
        .query_one("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[])
        .await?
        .get(0);
    let all = migrations();
    let latest = all.last().map_or(0, |m| m.0);
    if current > latest {
        return Err(StoreError::Data(format!(
            "the database's schema is version {current}, newer than this server's {latest}"
        )));
    }
    for (version, description, sql) in all.into_iter().filter(|m| m.0 > current) {
        let tx = client.transaction().await?;
        tx.batch_execute(&sql).await?;
        tx.execute(
            "INSERT INTO schema_version (version, description) VALUES ($1, $2)",
            &[&version, &description],
        )
        .await?;
        tx.commit().await?;
        tracing::info!("PostgreSQL store migrated to version {version}: {description}");
    }
    Ok(())
}

const COLUMNS: &str = "id, level, failed_at_ms, error_code, message, object_type, operation, \
                       marketo_id, salesforce_id, fields";

fn row_to_error(row: &Row) -> Result<SyncError, StoreError> {
    let level: &str = row.try_get(1)?;
    let fields: &str = row.try_get(9)?;
    Ok(SyncError {
        id: row.try_get(0)?,
        level: Level::parse(level)
            .ok_or_else(|| StoreError::Data(format!("a stored level `{level}`")))?,
        failed_at: from_ms(row.try_get(2)?),
        error_code: row.try_get(3)?,
        message: row.try_get(4)?,
        object_type: row.try_get(5)?,
        operation: row.try_get(6)?,
        marketo_id: row.try_get(7)?,
        salesforce_id: row.try_get(8)?,
        fields: serde_json::from_str(fields)
            .map_err(|e| StoreError::Data(format!("stored fields: {e}")))?,
    })
}

/// The retention window at `now`, as `store::window` computes it for SQLite.
async fn window<C: GenericClient>(client: &C, now: DateTime<Utc>) -> Result<Window, StoreError> {
    let stored: Option<String> = client
        .query_opt("SELECT value FROM meta WHERE key = 'current_sync_at'", &[])
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
    let current_sync_at = stored
        .and_then(|s| sync_errors_api::parse_time(&s))
        .filter(|t| *t <= now)
        .unwrap_or(now);
    Ok(Window {
        from: current_sync_at - chrono::Duration::hours(sync_errors_api::RETENTION_HOURS),
        to: now,
        current_sync_at,
    })
}

/// A WHERE clause and its parameters, numbered as they are added.
#[derive(Default)]
struct Where {
    sql: Vec<String>,
    params: Vec<Param>,
}

impl Where {
    /// Adds a parameter and returns its placeholder.
    fn param(&mut self, p: impl ToSql + Sync + Send + 'static) -> String {
        self.params.push(Box::new(p));
        format!("${}", self.params.len())
    }

    fn and(&mut self, condition: String) {
        self.sql.push(condition);
    }

    fn clause(&self) -> String {
        if self.sql.is_empty() {
            "TRUE".into()
        } else {
            self.sql.join(" AND ")
        }
    }

    /// `failed_at_ms` in `[from, to]`, the level, the codes and the objects of `filters`.
    fn errors(filters: &Filters, range: (i64, i64)) -> Where {
        Where::filtered(filters, "failed_at_ms", range, "object_type IS NULL", |o| {
            format!("object_type = ANY({o})")
        })
    }

    /// The free text `q`, as `sync_errors_api::text_matches` says. Text holding a NUL
    /// finds nothing: no stored text holds one (PostgreSQL's `text` cannot), and it cannot
    /// be sent as a parameter either.
    fn text(&mut self, q: &str) {
        if q.contains('\0') {
            self.and("FALSE".into());
            return;
        }
        let t = self.param(q.to_owned());
        let pattern = self.param(like_pattern(&q.to_ascii_lowercase()));
        // The short code first: where it matches, the message is not read.
        let mut any = format!(
            "code_folded LIKE {pattern} OR message_folded LIKE {pattern} \
             OR id = {t} OR marketo_id = {t} OR salesforce_id = {t}"
        );
        if let Some(prefix) = salesforce_prefix(q) {
            let p = self.param(prefix.to_owned());
            any.push_str(&format!(" OR sf15 = {p}"));
        }
        self.and(format!("({any})"));
    }

    /// The same filters over the cell table's columns (hours in `[first, last]`; no object
    /// is `has_object` false there).
    fn cells(filters: &Filters, range: (i64, i64)) -> Where {
        Where::filtered(filters, "hour", range, "NOT has_object", |o| {
            format!("(has_object AND object_type = ANY({o}))")
        })
    }

    /// `column` in `[from, to]`, the level, the codes, and the objects: `no_object` says
    /// "no object" in the table's columns, `named` "one of the objects in the parameter".
    fn filtered(
        filters: &Filters,
        column: &str,
        (from, to): (i64, i64),
        no_object: &str,
        named: impl Fn(&str) -> String,
    ) -> Where {
        let mut w = Where::default();
        let (a, b) = (w.param(from), w.param(to));
        w.and(format!("{column} BETWEEN {a} AND {b}"));
        if let Some(level) = filters.level {
            let l = w.param(level.as_str().to_owned());
            w.and(format!("level = {l}"));
        }
        if !filters.error_codes.is_empty() {
            let c = w.param(filters.error_codes.clone());
            w.and(format!("error_code = ANY({c})"));
        }
        let names: Vec<String> = filters.object_types.iter().flatten().cloned().collect();
        let none = filters.object_types.contains(&None);
        match (names.is_empty(), none) {
            (true, false) => {}
            (true, true) => w.and(no_object.into()),
            (false, false) => {
                let o = w.param(names);
                w.and(named(&o));
            }
            (false, true) => {
                let o = w.param(names);
                w.and(format!("({} OR {no_object})", named(&o)));
            }
        }
        w
    }
}

async fn count<C: GenericClient>(client: &C, sql: &str, w: &Where) -> Result<u64, StoreError> {
    let n: i64 = client.query_one(sql, &refs(&w.params)).await?.try_get(0)?;
    Ok(n.max(0) as u64)
}

/// How many errors match `filters` (without `q`) between `from` and `to`: whole minutes
/// (or hours, with codes or objects) from the count tables, the partial ones at the edges
/// from the errors, as the SQLite store counts.
async fn count_total<C: GenericClient>(
    client: &C,
    filters: &Filters,
    from: i64,
    to: i64,
) -> Result<u64, StoreError> {
    if from > to {
        return Ok(0);
    }
    let plain = filters.error_codes.is_empty() && filters.object_types.is_empty();
    let unit = if plain { MINUTE_MS } else { HOUR_MS };
    let exact = |a: i64, b: i64| {
        let w = Where::errors(filters, (a, b));
        async move {
            let sql = format!("SELECT COUNT(*) FROM sync_errors WHERE {}", w.clause());
            count(client, &sql, &w).await
        }
    };
    let first = from.div_euclid(unit) + i64::from(from.rem_euclid(unit) != 0);
    let last = (to + 1).div_euclid(unit) - 1;
    if first > last {
        return exact(from, to).await;
    }
    let mut n = if plain {
        let mut w = Where::default();
        let (a, b) = (w.param(first), w.param(last));
        w.and(format!("minute BETWEEN {a} AND {b}"));
        if let Some(level) = filters.level {
            let l = w.param(level.as_str().to_owned());
            w.and(format!("level = {l}"));
        }
        let sql = format!(
            "SELECT COALESCE(SUM(n), 0)::bigint FROM sync_error_counts WHERE {}",
            w.clause()
        );
        count(client, &sql, &w).await?
    } else {
        let w = Where::cells(filters, (first, last));
        let sql = format!(
            "SELECT COALESCE(SUM(n), 0)::bigint FROM sync_error_cells WHERE {}",
            w.clause()
        );
        count(client, &sql, &w).await?
    };
    if from < first * unit {
        n += exact(from, first * unit - 1).await?;
    }
    if (last + 1) * unit <= to {
        n += exact((last + 1) * unit, to).await?;
    }
    Ok(n)
}

/// One row of a cell query: `hour, level, error_code, object_type (NULL: none), n, last_ms`.
fn read_cell(row: &Row, names: &mut Names) -> Result<Cell, StoreError> {
    let object: Option<&str> = row.try_get(3)?;
    let n: i64 = row.try_get(4)?;
    Ok(Cell {
        hour: row.try_get(0)?,
        level: parse_level(row.try_get(1)?),
        code: names.intern(row.try_get(2)?),
        object: object.map(|o| names.intern(o)),
        n: n.max(0) as u64,
        last_ms: row.try_get(5)?,
    })
}

/// The cells of the errors between `from` and `to` of `level`: whole hours from the cell
/// table, the edges' partial hours grouped from the errors. Exact, as SQLite's `cells`.
async fn cells<C: GenericClient>(
    client: &C,
    (from, to): (i64, i64),
    level: Option<Level>,
    names: &mut Names,
    out: &mut Vec<Cell>,
) -> Result<(), StoreError> {
    if from > to {
        return Ok(());
    }
    let filters = Filters {
        level,
        ..Filters::default()
    };
    let first = from.div_euclid(HOUR_MS) + i64::from(from.rem_euclid(HOUR_MS) != 0);
    let last = (to + 1).div_euclid(HOUR_MS) - 1;
    let mut partial = Vec::new();
    if first > last {
        partial.push((from, to));
    } else {
        let w = Where::cells(&filters, (first, last));
        let sql = format!(
            "SELECT hour, level, error_code, CASE WHEN has_object THEN object_type END, n, last_ms \
             FROM sync_error_cells WHERE {} AND n > 0",
            w.clause()
        );
        for row in client.query(&sql, &refs(&w.params)).await? {
            out.push(read_cell(&row, names)?);
        }
        if from < first * HOUR_MS {
            partial.push((from, first * HOUR_MS - 1));
        }
        if (last + 1) * HOUR_MS <= to {
            partial.push(((last + 1) * HOUR_MS, to));
        }
    }
    for range in partial {
        let w = Where::errors(&filters, range);
        let sql = format!(
            "SELECT failed_at_ms / 3600000, level, error_code, object_type, COUNT(*), \
             MAX(failed_at_ms) FROM sync_errors WHERE {} GROUP BY 1, 2, 3, 4",
            w.clause()
        );
        for row in client.query(&sql, &refs(&w.params)).await? {
            out.push(read_cell(&row, names)?);
        }
    }
    Ok(())
}

/// A text field's NUL, which PostgreSQL's `text` cannot hold: the field's name.
fn nul_field(e: &SyncError) -> Option<&'static str> {
    let has = |s: &str| s.contains('\0');
    if has(&e.id) {
        return Some("id");
    }
    if has(&e.message) {
        return Some("message");
    }
    for (field, value) in [
        ("object_type", &e.object_type),
        ("operation", &e.operation),
        ("marketo_id", &e.marketo_id),
        ("salesforce_id", &e.salesforce_id),
    ] {
        if value.as_deref().is_some_and(has) {
            return Some(field);
        }
    }
    e.fields.iter().any(|f| has(f)).then_some("fields")
}

/// Whether a failed transaction may simply be run again (a deadlock between two writers
/// was broken, or a serialization failure).
fn retryable(e: &StoreError) -> bool {
    use tokio_postgres::error::SqlState;
    match e {
        StoreError::Postgres(e) => matches!(
            e.code(),
            Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE
        ),
        _ => false,
    }
}

impl PgStore {
    async fn write_once(
        &self,
        current_sync_at: Option<DateTime<Utc>>,
        items: &[(u64, SyncError)],
        now: DateTime<Utc>,
    ) -> Result<Outcome, StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock_shared($1)", &[&WRITE_LOCK])
            .await?;
        if let Some(at) = current_sync_at {
            move_current_sync(&tx, at.min(now)).await?;
        }
        let from = to_ms(window(&tx, now).await?.from);
        let mut out = Outcome::default();
        // The first item of each id is inserted (unless stored); every other item of the
        // batch is compared with what is stored once the insert is done.
        let mut first: HashSet<&str> = HashSet::new();
        let mut fresh: Vec<&SyncError> = Vec::new();
        let mut compare: Vec<(u64, &SyncError, bool)> = Vec::new();
        for (index, e) in items {
            if let Some(field) = nul_field(e) {
                out.rejected.push(rejected(
                    *index,
                    e,
                    RejectCode::InvalidItem,
                    Some(field),
                    "a NUL character cannot be stored",
                ));
                continue;
            }
            if to_ms(e.failed_at) < from {
                out.rejected.push(expired(*index, e));
                continue;
            }
            let is_first = first.insert(&e.id);
            if is_first {
                fresh.push(e);
            }
            compare.push((*index, e, is_first));
        }
        // In id order: two batches that share ids wait for each other in the same order.
        fresh.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let inserted: HashSet<String> = if fresh.is_empty() {
            HashSet::new()
        } else {
            let column = |f: fn(&SyncError) -> Option<String>| -> Vec<Option<String>> {
                fresh.iter().map(|e| f(e)).collect()
            };
            let ids: Vec<String> = fresh.iter().map(|e| e.id.clone()).collect();
            let levels: Vec<String> = fresh.iter().map(|e| e.level.as_str().into()).collect();
            let times: Vec<i64> = fresh.iter().map(|e| to_ms(e.failed_at)).collect();
            let codes: Vec<String> = fresh.iter().map(|e| e.error_code.clone()).collect();
            let messages: Vec<String> = fresh.iter().map(|e| e.message.clone()).collect();
            let objects = column(|e| e.object_type.clone());
            let operations = column(|e| e.operation.clone());
            let marketo = column(|e| e.marketo_id.clone());
            let salesforce = column(|e| e.salesforce_id.clone());
            let fields: Vec<String> = fresh
                .iter()
                .map(|e| serde_json::to_string(&e.fields).unwrap_or_else(|_| "[]".into()))
                .collect();
            tx.query(
                &format!(
                    "INSERT INTO sync_errors ({COLUMNS})
                     SELECT * FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[],
                                          $5::text[], $6::text[], $7::text[], $8::text[],
                                          $9::text[], $10::text[])
                     ON CONFLICT (id) DO NOTHING RETURNING id"
                ),
                &[
                    &ids,
                    &levels,
                    &times,
                    &codes,
                    &messages,
                    &objects,
                    &operations,
                    &marketo,
                    &salesforce,
                    &fields,
                ],
            )
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?
        };
        let look_up: Vec<String> = compare
            .iter()
            .filter(|(_, e, is_first)| !(*is_first && inserted.contains(&e.id)))
            .map(|(_, e, _)| e.id.clone())
            .collect();
        let mut stored: HashMap<String, SyncError> = HashMap::new();
        if !look_up.is_empty() {
            for row in tx
                .query(
                    &format!("SELECT {COLUMNS} FROM sync_errors WHERE id = ANY($1)"),
                    &[&look_up],
                )
                .await?
            {
                let e = row_to_error(&row)?;
                stored.insert(e.id.clone(), e);
            }
        }
        for (index, e, is_first) in compare {
            if is_first && inserted.contains(&e.id) {
                out.accepted += 1;
                continue;
            }
            match stored.get(&e.id) {
                Some(s) if s == e => out.unchanged += 1,
                Some(_) => out.rejected.push(conflict(index, e)),
                None => {
                    return Err(StoreError::Data(format!(
                        "the error `{}` was neither inserted nor found",
                        e.id
                    )));
                }
            }
        }
        tx.commit().await?;
        Ok(out)
    }
}

/// Moves the window's current sync to `at` when it is later than the stored one; the row
/// is locked until the transaction ends, so two batches cannot move it back.
async fn move_current_sync(
    tx: &deadpool_postgres::Transaction<'_>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    for _ in 0..2 {
        let row = tx
            .query_opt(
                "SELECT value FROM meta WHERE key = 'current_sync_at' FOR UPDATE",
                &[],
            )
            .await?;
        match row {
            Some(row) => {
                let value: String = row.try_get(0)?;
                let stored = sync_errors_api::parse_time(&value);
                if stored.is_none_or(|s| at > s) {
                    tx.execute(
                        "UPDATE meta SET value = $1 WHERE key = 'current_sync_at'",
                        &[&format_time(at)],
                    )
                    .await?;
                }
                return Ok(());
            }
            None => {
                let n = tx
                    .execute(
                        "INSERT INTO meta (key, value) VALUES ('current_sync_at', $1)
                         ON CONFLICT (key) DO NOTHING",
                        &[&format_time(at)],
                    )
                    .await?;
                if n == 1 {
                    return Ok(());
                }
                // Another batch wrote it first: compare with its value.
            }
        }
    }
    Ok(())
}

#[async_trait]
impl Store for PgStore {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    async fn list(&self, q: ListQuery, now: DateTime<Utc>) -> Result<ErrorPage, QueryError> {
        let client = self.pool.get().await.map_err(StoreError::from)?;
        let window = window(&client, now).await?;
        let cursor = q
            .cursor
            .as_deref()
            .map(|c| Cursor::decode(c, q.sort, &q.filters))
            .transpose()?;
        let range = bounds(&q.filters, &window);
        let mut w = Where::errors(&q.filters, range);
        let total = match &q.filters.q {
            Some(text) => {
                w.text(text);
                let sql = format!("SELECT COUNT(*) FROM sync_errors WHERE {}", w.clause());
                count(&client, &sql, &w).await?
            }
            None => count_total(&client, &q.filters, range.0, range.1).await?,
        };
        let column = match q.sort.field {
            sync_errors_api::SortField::FailedAt => "failed_at_ms",
            sync_errors_api::SortField::Level => "level",
            sync_errors_api::SortField::ErrorCode => "error_code",
        };
        let (cmp, dir) = if q.sort.descending {
            ("<", "DESC")
        } else {
            (">", "ASC")
        };
        let (start, offset) = match cursor {
            Some(c) => {
                let key = match c.key {
                    SortKey::FailedAt(ms) => w.param(ms),
                    SortKey::Level(level) => w.param(level.as_str().to_owned()),
                    SortKey::ErrorCode(code) => w.param(code),
                };
                let id = w.param(c.id);
                w.and(format!("({column}, id) {cmp} ({key}, {id})"));
                (c.position, 0)
            }
            None => (q.offset, q.offset),
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM sync_errors WHERE {} ORDER BY {column} {dir}, id {dir} \
             LIMIT {} OFFSET {}",
            w.clause(),
            q.limit,
            offset.min(i64::MAX as u64)
        );
        let items = client
            .query(&sql, &refs(&w.params))
            .await
            .map_err(StoreError::from)?
            .iter()
            .map(row_to_error)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(super::cursor::page(&q, window, total, start, items))
    }

    async fn summary(&self, filters: Filters, now: DateTime<Utc>) -> Result<Summary, StoreError> {
        let client = self.pool.get().await?;
        let window = window(&client, now).await?;
        let (w_from, w_to) = (to_ms(window.from), to_ms(window.to));
        let (from, to) = bounds(&filters, &window);
        let mut names = Names::default();
        if let Some(text) = &filters.q {
            // Every error `q` finds in the window, grouped into cells inside and outside
            // the range.
            let level_only = Filters {
                level: filters.level,
                ..Filters::default()
            };
            let mut w = Where::errors(&level_only, (w_from, w_to));
            w.text(text);
            let (a, b) = (w.param(from), w.param(to));
            let sql = format!(
                "SELECT failed_at_ms / 3600000, level, error_code, object_type, COUNT(*), \
                 MAX(failed_at_ms), failed_at_ms BETWEEN {a} AND {b} \
                 FROM sync_errors WHERE {} GROUP BY 1, 2, 3, 4, 7",
                w.clause()
            );
            let mut everywhen = Vec::new();
            let mut in_range = Vec::new();
            for row in client.query(&sql, &refs(&w.params)).await? {
                let cell = read_cell(&row, &mut names)?;
                everywhen.push(cell);
                if row.try_get::<_, bool>(6)? {
                    in_range.push(cell);
                }
            }
            let keep = NameFilter::new(&filters, &names);
            return Ok(summarize(
                window,
                everywhen.iter(),
                in_range.iter(),
                &keep,
                &names,
            ));
        }
        let mut everywhen = Vec::new();
        cells(
            &client,
            (w_from, w_to),
            filters.level,
            &mut names,
            &mut everywhen,
        )
        .await?;
        let whole = (from, to) == (w_from, w_to);
        let mut range = Vec::new();
        if !whole {
            cells(&client, (from, to), filters.level, &mut names, &mut range).await?;
        }
        let in_range = if whole { &everywhen } else { &range };
        let keep = NameFilter::new(&filters, &names);
        Ok(summarize(
            window,
            everywhen.iter(),
            in_range.iter(),
            &keep,
            &names,
        ))
    }

    async fn get(&self, id: String, now: DateTime<Utc>) -> Result<Option<SyncError>, StoreError> {
        // No stored id holds a NUL (see `nul_field`), and none can be sent as a parameter.
        if id.contains('\0') {
            return Ok(None);
        }
        let client = self.pool.get().await?;
        let window = window(&client, now).await?;
        client
            .query_opt(
                &format!(
                    "SELECT {COLUMNS} FROM sync_errors WHERE id = $1 \
                     AND failed_at_ms BETWEEN $2 AND $3"
                ),
                &[&id, &to_ms(window.from), &to_ms(window.to)],
            )
            .await?
            .as_ref()
            .map(row_to_error)
            .transpose()
    }

    async fn write_batch(
        &self,
        current_sync_at: Option<DateTime<Utc>>,
        items: Vec<(u64, SyncError)>,
        now: DateTime<Utc>,
    ) -> Result<Outcome, StoreError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.write_once(current_sync_at, &items, now).await {
                Err(e) if attempt < 3 && retryable(&e) => {
                    tracing::warn!("ingest: {e}; running the batch again");
                }
                other => return other,
            }
        }
    }

    async fn purge_chunk(&self, now: DateTime<Utc>, limit: usize) -> Result<usize, StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        // Alone: no insert into the count cells while this delete recomputes them, and one
        // server's purge at a time.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
            .await?;
        let from = to_ms(window(&tx, now).await?.from);
        let deleted = tx
            .execute(
                "DELETE FROM sync_errors WHERE id IN (
                     SELECT id FROM sync_errors WHERE failed_at_ms < $1
                     ORDER BY failed_at_ms LIMIT $2)",
                &[&from, &(limit as i64)],
            )
            .await?;
        tx.commit().await?;
        Ok(deleted as usize)
    }

    async fn count_all(&self) -> Result<u64, StoreError> {
        let client = self.pool.get().await?;
        let n: i64 = client
            .query_one("SELECT COUNT(*) FROM sync_errors", &[])
            .await?
            .try_get(0)?;
        Ok(n.max(0) as u64)
    }

    async fn meta_get(&self, key: String) -> Result<Option<String>, StoreError> {
        let client = self.pool.get().await?;
        Ok(client
            .query_opt("SELECT value FROM meta WHERE key = $1", &[&key])
            .await?
            .map(|r| r.try_get(0))
            .transpose()?)
    }

    async fn meta_set(&self, key: String, value: String) -> Result<(), StoreError> {
        let client = self.pool.get().await?;
        client
            .execute(
                "INSERT INTO meta (key, value) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&key, &value],
            )
            .await?;
        Ok(())
    }

    async fn optimize(&self) -> Result<(), StoreError> {
        let client = self.pool.get().await?;
        client
            .batch_execute("VACUUM (ANALYZE) sync_errors, sync_error_counts, sync_error_cells")
            .await?;
        Ok(())
    }

    async fn clear_all(&self) -> Result<(), StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
            .await?;
        tx.batch_execute(
            "TRUNCATE sync_errors, sync_error_counts, sync_error_cells;
             DELETE FROM meta WHERE key = 'current_sync_at';",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn open_session(
        &self,
        secret_sha256: String,
        principal: Principal,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let client = self.pool.get().await?;
        client
            .execute(
                "DELETE FROM sessions WHERE expires_ms <= $1",
                &[&to_ms(now)],
            )
            .await?;
        client
            .execute(
                "INSERT INTO sessions (secret_sha256, username, admin, expires_ms)
                 VALUES ($1, $2, $3, $4)",
                &[
                    &secret_sha256,
                    &principal.name,
                    &principal.admin,
                    &to_ms(expires_at),
                ],
            )
            .await?;
        Ok(())
    }

    async fn session(
        &self,
        secret_sha256: String,
        now: DateTime<Utc>,
    ) -> Result<Option<Principal>, StoreError> {
        let client = self.pool.get().await?;
        let row = client
            .query_opt(
                "SELECT username, admin FROM sessions WHERE secret_sha256 = $1 AND expires_ms > $2",
                &[&secret_sha256, &to_ms(now)],
            )
            .await?;
        row.map(|r| {
            Ok(Principal {
                name: r.try_get(0)?,
                admin: r.try_get(1)?,
                ingest: false,
            })
        })
        .transpose()
    }

    async fn close_session(&self, secret_sha256: String) -> Result<(), StoreError> {
        let client = self.pool.get().await?;
        client
            .execute(
                "DELETE FROM sessions WHERE secret_sha256 = $1",
                &[&secret_sha256],
            )
            .await?;
        Ok(())
    }
}
