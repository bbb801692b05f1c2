//! The free-text filter `q`: an error whose `id`, `marketo_id` or `salesforce_id` equals it,
//! whose Salesforce ID has the same first 15 characters, or whose message or code contains
//! it, ignoring case.
//!
//! IDs are found through their indexes. Text of 3 characters or more is found through an
//! FTS5 index with the trigram tokenizer over the message and the code: a phrase of
//! trigrams is a substring, and the tokenizer folds case. It folds the case of non-ASCII
//! letters too, which the contract allows ("ASCII letters at least"); when `q` itself holds
//! non-ASCII, the matches are checked again with SQLite's `lower()`, which folds ASCII only,
//! so that `q` then means exactly what the API crate's `text_matches` says. Shorter text (the
//! trigram index cannot find it) is looked for in every message of the range.
//!
//! A common word is in hundreds of thousands of messages, and each hit needs its time,
//! level, code, object and id to be filtered, counted and ordered. Read from the errors'
//! own rows (wide: the message is there) that cost 0.9 µs a hit, 370 ms for a word in 43 %
//! of a million errors; so the same triggers keep a narrow copy, `sync_error_keys` (time,
//! kind, id by `seq`), the kind numbering each (level, code, object) in
//! `sync_error_kinds`: 0.3 µs a hit.

use r2d2_sqlite::rusqlite::{self, Connection};
use sync_errors_api::{Level, salesforce_prefix};

use super::counts::{Name, Names, parse_level};
use super::derived::Derived;

/// The search structures' version in `meta`: 2 added the keys and kinds.
const VERSION: &str = "2";

/// The text index merges a level's segments once 32 of them have gathered (`automerge`;
/// FTS5's default is 4), and merges a level whole, in the writing transaction, only at 64
/// (`crisismerge`; FTS5's default is 16). Each posting is rewritten less often as the index
/// grows, and no batch waits for a whole level to be rewritten. 1,000 batches of 1,000
/// errors into a million (SQLite alone, times rising): 31,000 errors/s and the slowest batch
/// 235 ms, against 27,400/s and 961 ms with 16 and 16 (the crisis merge), and 7,700/s with
/// FTS5's defaults; searching for a word in most errors took as long (166 against 174 ms).
/// The settings are kept in the index itself; setting them again is harmless.
const TABLES: &str = "
CREATE VIRTUAL TABLE IF NOT EXISTS sync_errors_text USING fts5(
    message, error_code,
    content = 'sync_errors', content_rowid = 'seq',
    tokenize = 'trigram', columnsize = 0
);
INSERT INTO sync_errors_text (sync_errors_text, rank) VALUES ('automerge', 32);
INSERT INTO sync_errors_text (sync_errors_text, rank) VALUES ('crisismerge', 64);
CREATE TABLE IF NOT EXISTS sync_error_kinds (
    kind        INTEGER PRIMARY KEY,
    level       TEXT    NOT NULL,
    error_code  TEXT    NOT NULL,
    has_object  INTEGER NOT NULL,
    object_type TEXT    NOT NULL,
    UNIQUE (level, error_code, has_object, object_type)
);
CREATE TABLE IF NOT EXISTS sync_error_keys (
    seq          INTEGER PRIMARY KEY,
    failed_at_ms INTEGER NOT NULL,
    kind         INTEGER NOT NULL,
    id           TEXT    NOT NULL
);
";

/// A row's kind, numbered once: like the count cells, "no object" is `has_object` 0 and ''.
macro_rules! keys_in {
    ($row:literal) => {
        concat!(
            "INSERT OR IGNORE INTO sync_error_kinds (level, error_code, has_object, object_type)
    VALUES (",
            $row,
            ".level, ",
            $row,
            ".error_code, ",
            $row,
            ".object_type IS NOT NULL, ifnull(",
            $row,
            ".object_type, ''));
    INSERT INTO sync_error_keys (seq, failed_at_ms, kind, id)
    SELECT ",
            $row,
            ".seq, ",
            $row,
            ".failed_at_ms, kind, ",
            $row,
            ".id FROM sync_error_kinds
    WHERE level = ",
            $row,
            ".level AND error_code = ",
            $row,
            ".error_code
      AND has_object = (",
            $row,
            ".object_type IS NOT NULL) AND object_type = ifnull(",
            $row,
            ".object_type, '');"
        )
    };
}

macro_rules! text_in {
    ($row:literal) => {
        concat!(
            "INSERT INTO sync_errors_text (rowid, message, error_code)
    VALUES (",
            $row,
            ".seq, ",
            $row,
            ".message, ",
            $row,
            ".error_code);"
        )
    };
}

macro_rules! text_out {
    ($row:literal) => {
        concat!(
            "INSERT INTO sync_errors_text (sync_errors_text, rowid, message, error_code)
    VALUES ('delete', ",
            $row,
            ".seq, ",
            $row,
            ".message, ",
            $row,
            ".error_code);"
        )
    };
}

/// The triggers that keep the text index (an external-content FTS5 table) and the keys in
/// step, by name: what `create` creates and a bulk load drops while it inserts.
const TRIGGERS: [(&str, &str); 4] = [
    (
        "sync_errors_text_insert",
        concat!(
            "AFTER INSERT ON sync_errors BEGIN\n    ",
            text_in!("NEW"),
            "\n    ",
            keys_in!("NEW"),
            "\nEND"
        ),
    ),
    (
        "sync_errors_text_delete",
        concat!(
            "AFTER DELETE ON sync_errors BEGIN\n    ",
            text_out!("OLD"),
            "\n    DELETE FROM sync_error_keys WHERE seq = OLD.seq;\nEND"
        ),
    ),
    (
        "sync_errors_text_update",
        concat!(
            "AFTER UPDATE OF seq, message, error_code ON sync_errors BEGIN\n    ",
            text_out!("OLD"),
            "\n    ",
            text_in!("NEW"),
            "\nEND"
        ),
    ),
    (
        "sync_errors_keys_update",
        concat!(
            "AFTER UPDATE OF seq, id, failed_at_ms, level, error_code, object_type ON sync_errors BEGIN\n    ",
            "DELETE FROM sync_error_keys WHERE seq = OLD.seq;\n    ",
            keys_in!("NEW"),
            "\nEND"
        ),
    ),
];

/// The text index, the keys and their triggers: created when missing, filled once when new
/// or of an older version.
pub const DERIVED: Derived = Derived {
    meta_key: "text",
    version: VERSION,
    tables: TABLES,
    triggers: &TRIGGERS,
    fill,
};

/// Empties the index and the keys without reading the errors (before a bulk load replaces
/// them).
pub fn clear(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "INSERT INTO sync_errors_text (sync_errors_text) VALUES ('delete-all');
         DELETE FROM sync_error_keys;
         DELETE FROM sync_error_kinds;",
    )
}

/// Indexes every error again, and copies its keys.
fn fill(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "INSERT INTO sync_errors_text (sync_errors_text) VALUES ('rebuild');
         DELETE FROM sync_error_keys;
         DELETE FROM sync_error_kinds;
         INSERT INTO sync_error_kinds (level, error_code, has_object, object_type)
             SELECT DISTINCT level, error_code, object_type IS NOT NULL, ifnull(object_type, '')
             FROM sync_errors;
         INSERT INTO sync_error_keys (seq, failed_at_ms, kind, id)
             SELECT e.seq, e.failed_at_ms, k.kind, e.id
             FROM sync_errors e JOIN sync_error_kinds k
               ON k.level = e.level AND k.error_code = e.error_code
              AND k.has_object = (e.object_type IS NOT NULL)
              AND k.object_type = ifnull(e.object_type, '')
             ORDER BY e.seq;",
    )
}

/// The columns of a hit (from `sync_error_keys k`), without and with `id` (a list's
/// tie-breaker).
const HIT: &str = "k.seq, k.failed_at_ms, k.kind";
const HIT_ID: &str = "k.seq, k.failed_at_ms, k.kind, k.id";
/// The same read from the error's own row, for a scan that reads it anyway.
const ROW_HIT: &str = "e.seq, e.failed_at_ms, e.level, e.error_code, e.object_type";
const ROW_HIT_ID: &str = "e.seq, e.failed_at_ms, e.level, e.error_code, e.object_type, e.id";

/// The named parameters of the statements below: `:text` (a phrase for the index), `:from`
/// and `:to` (the range), `:check` (`q` to check again, or NULL), `:pattern` (`q` as a LIKE
/// pattern), `:prefix` (the first 15 characters of a Salesforce ID, or NULL). The level is
/// checked on the hits' kinds.
///
/// Both ways of "contains, ignoring ASCII case" are exact: `lower()` and LIKE fold ASCII
/// only. LIKE is twice as fast, but its pattern ends at a NUL.
const CONTAINS: &str =
    "(instr(lower(e.message), lower(:check)) > 0 OR instr(lower(e.error_code), lower(:check)) > 0)";
const LIKE: &str =
    "(e.message LIKE :pattern ESCAPE '\\' OR e.error_code LIKE :pattern ESCAPE '\\')";

/// Errors whose message or code contains the phrase `:text`, through the trigram index,
/// their keys read by `seq`.
pub fn indexed_text_sql(with_id: bool) -> String {
    format!(
        "SELECT {} FROM sync_errors_text JOIN sync_error_keys k ON k.seq = sync_errors_text.rowid \
         WHERE sync_errors_text MATCH :text AND k.failed_at_ms BETWEEN :from AND :to \
         AND (:check IS NULL OR EXISTS (SELECT 1 FROM sync_errors e WHERE e.seq = k.seq AND {CONTAINS}))",
        if with_id { HIT_ID } else { HIT }
    )
}

/// Errors whose message or code contains `:pattern` (with `like`) or `:check`, read one
/// by one (text the index cannot find); their keys from their own rows.
pub fn scanned_text_sql(with_id: bool, like: bool) -> String {
    format!(
        "SELECT {} FROM sync_errors e WHERE e.failed_at_ms BETWEEN :from AND :to AND {}",
        if with_id { ROW_HIT_ID } else { ROW_HIT },
        if like { LIKE } else { CONTAINS }
    )
}

/// `q` as a LIKE pattern that finds it anywhere: `%` and `_` taken literally.
pub fn like_pattern(q: &str) -> String {
    let mut out = String::with_capacity(q.len() + 4);
    out.push('%');
    for c in q.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Errors one of whose IDs equals `:text`, or whose Salesforce ID starts with `:prefix`.
pub fn ids_sql(with_id: bool) -> String {
    format!(
        "SELECT {} FROM sync_errors e JOIN sync_error_keys k ON k.seq = e.seq \
         WHERE (e.id = :text OR e.marketo_id = :text OR e.salesforce_id = :text OR e.sf15 = :prefix) \
         AND e.failed_at_ms BETWEEN :from AND :to",
        if with_id { HIT_ID } else { HIT }
    )
}

/// The values of a statement's named parameters, each bound where the statement has it.
pub struct Params<'a> {
    pub text: &'a str,
    pub from: i64,
    pub to: i64,
    pub check: Option<&'a str>,
    pub pattern: Option<&'a str>,
    pub prefix: Option<&'a str>,
}

impl Params<'_> {
    pub fn bind(&self, stmt: &mut rusqlite::Statement<'_>) -> rusqlite::Result<()> {
        for i in 1..=stmt.parameter_count() {
            match stmt.parameter_name(i).unwrap_or_default() {
                ":text" => stmt.raw_bind_parameter(i, self.text)?,
                ":from" => stmt.raw_bind_parameter(i, self.from)?,
                ":to" => stmt.raw_bind_parameter(i, self.to)?,
                ":check" => stmt.raw_bind_parameter(i, self.check)?,
                ":pattern" => stmt.raw_bind_parameter(i, self.pattern)?,
                ":prefix" => stmt.raw_bind_parameter(i, self.prefix)?,
                other => unreachable!("no value for the parameter {other}"),
            }
        }
        Ok(())
    }
}

/// One error that `q` finds: its key, and what the filters and the orders need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub seq: i64,
    pub failed_at_ms: i64,
    pub level: Level,
    pub code: Name,
    pub object: Option<Name>,
    /// Only when asked for (the list sorts by it; the summary does not need it).
    pub id: Option<String>,
}

/// The kinds of errors, by number: their level, code and object as interned names.
struct Kinds(Vec<Option<(Level, Name, Option<Name>)>>);

impl Kinds {
    fn read(conn: &Connection, names: &mut Names) -> rusqlite::Result<Kinds> {
        let mut stmt = conn.prepare_cached(
            "SELECT kind, level, error_code, has_object, object_type FROM sync_error_kinds",
        )?;
        let mut rows = stmt.raw_query();
        let mut kinds = Vec::new();
        while let Some(row) = rows.next()? {
            let kind = usize::try_from(row.get::<_, i64>(0)?).unwrap_or(0);
            let has_object: bool = row.get(3)?;
            if kinds.len() <= kind {
                kinds.resize(kind + 1, None);
            }
            kinds[kind] = Some((
                parse_level(row.get_ref(1)?.as_str()?),
                names.intern(row.get_ref(2)?.as_str()?),
                if has_object {
                    Some(names.intern(row.get_ref(4)?.as_str()?))
                } else {
                    None
                },
            ));
        }
        Ok(Kinds(kinds))
    }

    fn get(&self, kind: i64) -> Option<(Level, Name, Option<Name>)> {
        usize::try_from(kind)
            .ok()
            .and_then(|k| self.0.get(k).copied().flatten())
    }
}

/// How the text part of `q` is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextPlan {
    /// Through the trigram index; `check` when `q` holds non-ASCII (see the module's note).
    Indexed { check: bool },
    /// Reading every message of the range: under 3 characters, or a NUL the index's query
    /// syntax cannot carry; with LIKE unless there is a NUL.
    Scanned { like: bool },
}

pub fn text_plan(q: &str) -> TextPlan {
    if q.chars().count() >= 3 && !q.contains('\0') {
        TextPlan::Indexed {
            check: !q.is_ascii(),
        }
    } else {
        TextPlan::Scanned {
            like: !q.contains('\0'),
        }
    }
}

/// `q` as an FTS5 phrase: in double quotes, its own double quotes doubled.
pub fn phrase(q: &str) -> String {
    format!("\"{}\"", q.replace('"', "\"\""))
}

/// Every error between `from` and `to` (milliseconds, inclusive), of `level` if given,
/// that `q` finds; each once, in no particular order.
pub fn hits(
    conn: &Connection,
    q: &str,
    from: i64,
    to: i64,
    level: Option<Level>,
    with_id: bool,
    names: &mut Names,
) -> rusqlite::Result<Vec<Hit>> {
    let mut out = Vec::new();
    if from > to {
        return Ok(out);
    }
    let kinds = Kinds::read(conn, names)?;
    // The errors found by ID (a few) come first; the text's skip them.
    let mut by_id: Vec<i64> = Vec::new();
    // A statement's rows hold the hit's kind (`keyed`, from `sync_error_keys`), or its
    // level, code and object (from the error's row).
    let mut run = |sql: &str, params: Params<'_>, by_id: &mut Vec<i64>, ids: bool, keyed: bool| {
        let mut stmt = conn.prepare_cached(sql)?;
        params.bind(&mut stmt)?;
        let mut rows = stmt.raw_query();
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            if ids {
                by_id.push(seq);
            } else if by_id.contains(&seq) {
                continue;
            }
            let (kind, id_column) = if keyed {
                (kinds.get(row.get(2)?), 3)
            } else {
                let object = row.get_ref(4)?.as_str_or_null()?;
                (
                    Some((
                        parse_level(row.get_ref(2)?.as_str()?),
                        names.intern(row.get_ref(3)?.as_str()?),
                        object.map(|o| names.intern(o)),
                    )),
                    5,
                )
            };
            let Some((kind_level, code, object)) = kind else {
                continue;
            };
            if level.is_some_and(|l| l != kind_level) {
                continue;
            }
            out.push(Hit {
                seq,
                failed_at_ms: row.get(1)?,
                level: kind_level,
                code,
                object,
                id: if with_id {
                    Some(row.get(id_column)?)
                } else {
                    None
                },
            });
        }
        Ok::<_, rusqlite::Error>(())
    };
    let phrase = phrase(q);
    let pattern = like_pattern(q);
    let params = |text| Params {
        text,
        from,
        to,
        check: None,
        pattern: None,
        prefix: salesforce_prefix(q),
    };
    run(&ids_sql(with_id), params(q), &mut by_id, true, true)?;
    let (sql, params, keyed) = match text_plan(q) {
        TextPlan::Indexed { check } => (
            indexed_text_sql(with_id),
            Params {
                check: check.then_some(q),
                ..params(&phrase)
            },
            true,
        ),
        TextPlan::Scanned { like } => (
            scanned_text_sql(with_id, like),
            Params {
                check: (!like).then_some(q),
                pattern: like.then_some(pattern.as_str()),
                ..params(q)
            },
            false,
        ),
    };
    run(&sql, params, &mut by_id, false, keyed)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{now, seeded};
    use crate::store::{to_ms, window};

    fn plan(conn: &Connection, sql: &str, params: &Params<'_>) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        params.bind(&mut stmt).unwrap();
        let mut rows = stmt.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            out.push(row.get::<_, String>(3).unwrap());
        }
        out.join("\n")
    }

    /// IDs are looked up in their indexes (one range of each), text in the trigram index
    /// and then by key; only text the index cannot hold reads the range's rows.
    #[test]
    fn the_search_uses_its_indexes() {
        let conn = seeded(2000);
        conn.execute_batch("ANALYZE").unwrap();
        let w = window(&conn, now()).unwrap();
        {
            for with_id in [false, true] {
                let params = Params {
                    text: "00Q5e000004XyZ1EAK",
                    from: to_ms(w.from),
                    to: to_ms(w.to),
                    check: None,
                    pattern: None,
                    prefix: Some("00Q5e000004XyZ1"),
                };
                let ids = plan(&conn, &ids_sql(with_id), &params);
                for index in [
                    "sqlite_autoindex_sync_errors_1 (id=?)",
                    "sync_errors_by_marketo_id (marketo_id=?)",
                    "sync_errors_by_salesforce_id (salesforce_id=?)",
                    "sync_errors_by_sf15 (sf15=?)",
                ] {
                    assert!(ids.contains(index), "{index}:\n{ids}");
                }
                assert!(
                    ids.contains("MULTI-INDEX OR") && !ids.contains("SCAN"),
                    "{ids}"
                );
                for check in [None, Some("Région")] {
                    let text = plan(
                        &conn,
                        &indexed_text_sql(with_id),
                        &Params {
                            text: "\"invalid\"",
                            check,
                            ..params
                        },
                    );
                    assert!(
                        text.contains("SCAN sync_errors_text VIRTUAL TABLE INDEX")
                            && text.contains("SEARCH k USING INTEGER PRIMARY KEY (rowid=?)"),
                        "{text}"
                    );
                }
                for like in [false, true] {
                    let scanned = plan(
                        &conn,
                        &scanned_text_sql(with_id, like),
                        &Params {
                            check: Some("ab"),
                            pattern: Some("%ab%"),
                            ..params
                        },
                    );
                    assert!(!scanned.contains("TEMP B-TREE"), "{scanned}");
                }
            }
        }
    }

    #[test]
    fn the_text_index_merges_32_segments_at_a_time_and_a_whole_level_only_at_64() {
        let conn = seeded(10);
        let setting = |k: &str| -> i64 {
            conn.query_row(
                "SELECT v FROM sync_errors_text_config WHERE k = ?1",
                [k],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(setting("automerge"), 32);
        assert_eq!(setting("crisismerge"), 64);
    }

    #[test]
    fn text_is_searched_in_the_index_when_it_can_be() {
        assert_eq!(text_plan("invalid"), TextPlan::Indexed { check: false });
        assert_eq!(text_plan("Région"), TextPlan::Indexed { check: true });
        assert_eq!(text_plan("abc"), TextPlan::Indexed { check: false });
        assert_eq!(text_plan("éé"), TextPlan::Scanned { like: true });
        assert_eq!(text_plan("ab"), TextPlan::Scanned { like: true });
        assert_eq!(text_plan("a\0bc"), TextPlan::Scanned { like: false });
        assert_eq!(like_pattern(r"5%_a\b"), r"%5\%\_a\\b%");
        assert_eq!(phrase(r#"say "hi""#), r#""say ""hi""""#);
    }
}
