//! The list and detail queries of the contract: the SQL of a list request, and the mapping
//! between a row of `sync_errors` and a `SyncError`.
//!
//! A list without `q` is one statement through the index that serves its order (or, for a
//! small result, the one that reads fewest errors), its `total` from the count tables. A
//! list with `q` gathers the errors `q` finds (`text::hits`, few for an ID, up to hundreds
//! of thousands for a common word), filters and orders their keys here, and reads the page's
//! rows by key.

use std::cmp::Ordering;
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use r2d2_sqlite::rusqlite::types::Value;
use r2d2_sqlite::rusqlite::{self, Connection, OptionalExtension, Row, ToSql, params_from_iter};
use sync_errors_api::{
    ErrorPage, Filters, InvalidParameter, Level, ListQuery, SortField, SyncError, Window,
};

use super::counts::{Names, cells};
use super::cursor::{Cursor, SortKey};
use super::schema::Index;
use super::summary::NameFilter;
use super::text::{Hit, hits};
use super::{QueryError, bounds, count_matches, from_ms, to_ms, window};

/// The columns of an error, as `row_to_error` reads them and `insert` writes them.
macro_rules! columns {
    () => {
        "id, level, failed_at_ms, error_code, message, object_type, operation, marketo_id, \
         salesforce_id, fields"
    };
}
pub(super) const COLUMNS: &str = columns!();
/// The one way errors are written (by ingestion; by tests that build a store): one
/// statement per `ROWS_PER_INSERT` of them, in the caller's transaction. One statement for
/// many rows matters for the text index: SQLite opens a statement savepoint for each
/// statement on a table with triggers, and FTS5 writes its pending terms to disk at each
/// savepoint, so a row per statement made a tiny index segment per error, and merging them
/// was most of ingestion's time.
///
/// An error whose `id` is stored already is left as it is (`ON CONFLICT DO NOTHING`): the
/// ids of those written come back, so ingestion learns which ids were stored from the
/// unique index's own lookup, instead of looking each id up once more before (4 µs an
/// error in a million, a tenth of a batch).
pub(super) fn insert_many(
    conn: &Connection,
    errors: &[&SyncError],
) -> rusqlite::Result<HashSet<String>> {
    let mut written = HashSet::with_capacity(errors.len());
    for chunk in errors.chunks(ROWS_PER_INSERT) {
        let mut sql = String::from(concat!(
            "INSERT INTO sync_errors (",
            columns!(),
            ") VALUES "
        ));
        for i in 0..chunk.len() {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for c in 0..10 {
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("?{}", i * 10 + c + 1));
            }
            sql.push(')');
        }
        sql.push_str(" ON CONFLICT (id) DO NOTHING RETURNING id");
        let mut stmt = conn.prepare_cached(&sql)?;
        let values: Vec<Value> = chunk.iter().flat_map(|e| values(e)).collect();
        let mut rows = stmt.query(params_from_iter(values))?;
        while let Some(row) = rows.next()? {
            written.insert(row.get(0)?);
        }
    }
    Ok(written)
}

/// At most this many rows per INSERT: 5,000 parameters, under SQLite's 32,766.
const ROWS_PER_INSERT: usize = 500;

/// An error's columns, in `columns!()` order.
fn values(e: &SyncError) -> [Value; 10] {
    let text = |s: &Option<String>| s.clone().map_or(Value::Null, Value::Text);
    [
        Value::Text(e.id.clone()),
        Value::Text(e.level.as_str().to_owned()),
        Value::Integer(to_ms(e.failed_at)),
        Value::Text(e.error_code.clone()),
        Value::Text(e.message.clone()),
        text(&e.object_type),
        text(&e.operation),
        text(&e.marketo_id),
        text(&e.salesforce_id),
        Value::Text(serde_json::to_string(&e.fields).unwrap_or_else(|_| "[]".into())),
    ]
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

/// What the count tables say about a list's filters: its `total`, and how many errors each
/// way in would read to find them: the range (of the level), the range's errors of the
/// codes asked for, of the objects asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counted {
    pub total: u64,
    pub range: u64,
    pub codes: Option<u64>,
    pub objects: Option<u64>,
}

impl Counted {
    /// Counts for filters without `q`, the range `[from, to]` clamped to the window: the
    /// per-minute table without codes and objects, the hourly cells with them.
    pub fn of(
        conn: &Connection,
        filters: &Filters,
        from: i64,
        to: i64,
    ) -> rusqlite::Result<Counted> {
        if filters.error_codes.is_empty() && filters.object_types.is_empty() {
            let total = count_matches(conn, from, to, filters.level)?;
            return Ok(Counted {
                total,
                range: total,
                codes: None,
                objects: None,
            });
        }
        let mut names = Names::default();
        let mut found = Vec::new();
        cells(conn, from, to, filters.level, &mut names, &mut found)?;
        let keep = NameFilter::new(filters, &names);
        let mut counted = Counted {
            codes: (!filters.error_codes.is_empty()).then_some(0),
            objects: (!filters.object_types.is_empty()).then_some(0),
            ..Counted::default()
        };
        for cell in found {
            let (code, object) = (keep.code(cell.code), keep.object(cell.object));
            counted.range += cell.n;
            if code && object {
                counted.total += cell.n;
            }
            if let (Some(n), true) = (counted.codes.as_mut(), code) {
                *n += cell.n;
            }
            if let (Some(n), true) = (counted.objects.as_mut(), object) {
                *n += cell.n;
            }
        }
        Ok(counted)
    }
}

/// The index that serves a page: the order's own index for a large result; for a small
/// one, the index that reads fewest errors to find it (the planner cannot know that from
/// bound parameters), its matches sorted in memory.
fn page_index(q: &ListQuery, counted: &Counted) -> Index {
    let level = q.filters.level.is_some();
    let by_time = if level {
        Index::BY_LEVEL_TIME
    } else {
        Index::BY_TIME
    };
    if counted.total <= SMALL_RESULT {
        let mut best = (counted.range, by_time);
        for (n, index) in [
            (counted.codes, Index::BY_CODE_TIME),
            (counted.objects, Index::BY_OBJECT_TIME),
        ] {
            if let Some(n) = n.filter(|n| *n < best.0) {
                best = (n, index);
            }
        }
        return best.1;
    }
    match q.sort.field {
        SortField::FailedAt => by_time,
        SortField::Level => Index::BY_LEVEL_ID,
        SortField::ErrorCode if level => Index::BY_LEVEL_CODE,
        SortField::ErrorCode => Index::BY_CODE,
    }
}

/// `n` placeholders, comma-separated.
fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// The WHERE clause of the filters without `q`, and its parameters in order. Through the
/// object index, a list with "no object" and names repeats the range in each arm of the OR,
/// so that each arm is one range of the index.
fn filter_sql(
    filters: &Filters,
    (from, to): (i64, i64),
    index: Index,
) -> (String, Vec<Box<dyn ToSql>>) {
    let mut sql = String::from("failed_at_ms BETWEEN ? AND ?");
    let mut params: Vec<Box<dyn ToSql>> = vec![Box::new(from), Box::new(to)];
    if let Some(level) = filters.level {
        sql.push_str(" AND level = ?");
        params.push(Box::new(level.as_str()));
    }
    if !filters.error_codes.is_empty() {
        sql.push_str(&format!(
            " AND error_code IN ({})",
            placeholders(filters.error_codes.len())
        ));
        params.extend(
            filters
                .error_codes
                .iter()
                .map(|c| Box::new(c.clone()) as Box<dyn ToSql>),
        );
    }
    let names: Vec<String> = filters.object_types.iter().flatten().cloned().collect();
    let none = filters.object_types.contains(&None);
    let named = format!("object_type IN ({})", placeholders(names.len()));
    match (names.is_empty(), none) {
        (true, false) => {}
        (true, true) => sql.push_str(" AND object_type IS NULL"),
        (false, false) => sql.push_str(&format!(" AND {named}")),
        (false, true) if index == Index::BY_OBJECT_TIME => {
            sql.push_str(&format!(
                " AND (({named} AND failed_at_ms BETWEEN ? AND ?) \
                 OR (object_type IS NULL AND failed_at_ms BETWEEN ? AND ?))"
            ));
            params.extend(names.into_iter().map(|n| Box::new(n) as Box<dyn ToSql>));
            params.extend([from, to, from, to].map(|t| Box::new(t) as Box<dyn ToSql>));
            return (sql, params);
        }
        (false, true) => sql.push_str(&format!(" AND ({named} OR object_type IS NULL)")),
    }
    params.extend(names.into_iter().map(|n| Box::new(n) as Box<dyn ToSql>));
    (sql, params)
}

/// Builds the SQL for a validated query without `q`, clamped to `window`, whose counts are
/// `counted`; returns it with the position of its first item.
fn list_sql(
    q: &ListQuery,
    window: &Window,
    counted: &Counted,
    cursor: Option<Cursor>,
) -> (ListSql, u64) {
    let (mut from, mut to) = bounds(&q.filters, window);
    // Walking by time, the cursor's time is also the range's near end. Said as a bound,
    // SQLite starts the index scan there; left to the row-value test alone, it started at
    // the range's end and skipped every row before the cursor (7 ms for the 1st page of a
    // 100,000-row export, 16 ms for the 10th, more each page).
    if let Some(Cursor {
        key: SortKey::FailedAt(ms),
        ..
    }) = &cursor
    {
        if q.sort.descending {
            to = to.min(*ms);
        } else {
            from = from.max(*ms);
        }
    }
    let index = page_index(q, counted);
    let (filter, filter_params) = filter_sql(&q.filters, (from, to), index);
    let column = sort_column(q.sort.field);
    let (cmp, dir) = if q.sort.descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    let mut page_where = filter;
    let mut page_params: Vec<Box<dyn ToSql>> = Vec::new();
    let mut start = q.offset;
    let mut offset = q.offset;
    if let Some(cursor) = cursor {
        page_where.push_str(&format!(" AND ({column}, id) {cmp} (?, ?)"));
        page_params.push(Box::new(cursor.key));
        page_params.push(Box::new(cursor.id));
        start = cursor.position;
        offset = 0;
    }
    let page = format!(
        "SELECT {COLUMNS} FROM sync_errors INDEXED BY {} WHERE {page_where} \
         ORDER BY {column} {dir}, id {dir} LIMIT {} OFFSET {offset}",
        index.name, q.limit
    );
    (
        ListSql {
            page,
            filter_params,
            page_params,
        },
        start,
    )
}

/// The SQL a query without `q` would run with these counts, for plan checks.
pub fn explain_sql(
    q: &ListQuery,
    window: &Window,
    counted: &Counted,
) -> Result<ListSql, InvalidParameter> {
    let cursor = q
        .cursor
        .as_deref()
        .map(|c| Cursor::decode(c, q.sort, &q.filters))
        .transpose()?;
    Ok(list_sql(q, window, counted, cursor).0)
}

pub(super) fn row_to_error(row: &Row<'_>) -> rusqlite::Result<SyncError> {
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
    let cursor = q
        .cursor
        .as_deref()
        .map(|c| Cursor::decode(c, q.sort, &q.filters))
        .transpose()?;
    let (items, total, start) = match &q.filters.q {
        Some(text) => found_page(conn, q, text, &window, cursor)?,
        None => {
            let (from, to) = bounds(&q.filters, &window);
            let counted = Counted::of(conn, &q.filters, from, to)?;
            let (sql, start) = list_sql(q, &window, &counted, cursor);
            let mut stmt = conn.prepare_cached(&sql.page)?;
            let items = stmt
                .query_map(
                    params_from_iter(sql.filter_params.iter().chain(sql.page_params.iter())),
                    row_to_error,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            (items, counted.total, start)
        }
    };
    Ok(super::cursor::page(q, window, total, start, items))
}

/// The page of a list with `q`: the errors it finds in the range, filtered and ordered by
/// their keys, the page's rows read by `seq`. Returns the items, the total and the position
/// of the first item (exact, also after a cursor).
fn found_page(
    conn: &Connection,
    q: &ListQuery,
    text: &str,
    window: &Window,
    cursor: Option<Cursor>,
) -> rusqlite::Result<(Vec<SyncError>, u64, u64)> {
    let (from, to) = bounds(&q.filters, window);
    let mut names = Names::default();
    let mut found = hits(conn, text, from, to, q.filters.level, true, &mut names)?;
    let keep = NameFilter::new(&q.filters, &names);
    found.retain(|h| keep.code(h.code) && keep.object(h.object));
    let key = |h: &Hit| match q.sort.field {
        SortField::FailedAt => Key::Time(h.failed_at_ms),
        SortField::Level => Key::Text(h.level.as_str()),
        SortField::ErrorCode => Key::Text(names.name(h.code)),
    };
    let order = |a: &(Key<'_>, &str), b: &(Key<'_>, &str)| -> Ordering {
        let ord = a.cmp(b);
        if q.sort.descending {
            ord.reverse()
        } else {
            ord
        }
    };
    let mut keyed: Vec<(Key<'_>, String, i64)> = found
        .into_iter()
        .map(|h| (key(&h), h.id.unwrap_or_default(), h.seq))
        .collect();
    let cmp =
        |a: &(Key<'_>, String, i64), b: &(Key<'_>, String, i64)| order(&(a.0, &a.1), &(b.0, &b.1));
    let total = keyed.len() as u64;
    // The page's items, without sorting the whole result: after a cursor, those that
    // follow it; at an offset, those that come after `offset` others.
    match &cursor {
        Some(c) => {
            let after = (Key::of(&c.key), c.id.as_str());
            keyed.retain(|k| order(&(k.0, &k.1), &after) == Ordering::Greater);
        }
        None => {
            let offset = usize::try_from(q.offset)
                .unwrap_or(usize::MAX)
                .min(keyed.len());
            if offset > 0 && offset < keyed.len() {
                keyed.select_nth_unstable_by(offset, cmp);
            }
            keyed.drain(..offset);
        }
    }
    let start = total - keyed.len() as u64;
    let limit = (q.limit as usize).min(keyed.len());
    if limit > 0 && limit < keyed.len() {
        keyed.select_nth_unstable_by(limit - 1, cmp);
    }
    keyed.truncate(limit);
    keyed.sort_unstable_by(cmp);
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM sync_errors WHERE seq = ?1"))?;
    let items = keyed
        .iter()
        .map(|(_, _, seq)| stmt.query_row([seq], row_to_error))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((items, total, start))
}

/// A sort key of an error that `q` found, ordered as SQLite orders its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Key<'a> {
    Time(i64),
    Text(&'a str),
}

impl Key<'_> {
    fn of(key: &SortKey) -> Key<'_> {
        match key {
            SortKey::FailedAt(ms) => Key::Time(*ms),
            SortKey::Level(level) => Key::Text(level.as_str()),
            SortKey::ErrorCode(code) => Key::Text(code),
        }
    }
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

/// Inserts errors in one transaction, unchecked: for the store's tests only (errors are
/// written by `crate::ingest`).
#[cfg(test)]
pub fn insert_all(conn: &mut Connection, errors: &[SyncError]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    insert_many(&tx, &errors.iter().collect::<Vec<_>>())?;
    tx.commit()
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use chrono::Duration;
    use sync_errors_api::{Filters, Sort};

    use super::*;
    use crate::store::testing::{contract_order, now, query_plan, seeded};

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
                sorted.sort_by(contract_order(sort));
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
                ..Filters::default()
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

    /// Every list query without `q` (each sort; with and without a level, a time range, a
    /// cursor; with codes, objects, "no object", both) reads through an index; a large
    /// result is never sorted in a temporary B-tree, and a small one is found through a
    /// range of the index that reads fewest errors.
    #[test]
    fn every_list_query_uses_an_index() {
        let conn = seeded(3000);
        conn.execute_batch("ANALYZE").unwrap();
        let w = window(&conn, now()).unwrap();
        let triage: [(Vec<String>, Vec<Option<String>>); 5] = [
            (vec![], vec![]),
            (
                vec!["UNABLE_TO_LOCK_ROW".into(), "DUPLICATE_VALUE".into()],
                vec![],
            ),
            (
                vec![],
                vec![Some("Lead".into()), Some("Campaign Member".into())],
            ),
            (vec![], vec![None]),
            (
                vec!["INVALID_GRANT".into()],
                vec![Some("Lead".into()), None],
            ),
        ];
        let large = Counted {
            total: 1_000_000,
            range: 1_000_000,
            codes: Some(1_000_000),
            objects: Some(1_000_000),
        };
        let small = |range, codes, objects| Counted {
            total: 50,
            range,
            codes: Some(codes),
            objects: Some(objects),
        };
        for sort in Sort::ALL {
            for level in [None, Some(Level::Job), Some(Level::Record)] {
                for (codes, objects) in &triage {
                    let filters = Filters {
                        level,
                        error_codes: codes.clone(),
                        object_types: objects.clone(),
                        ..Filters::default()
                    };
                    let cursor = list(
                        &conn,
                        &ListQuery {
                            sort,
                            filters: filters.clone(),
                            limit: 1,
                            ..ListQuery::default()
                        },
                        now(),
                    )
                    .unwrap()
                    .next_cursor;
                    let mut ways = vec![(large, None), (small(60, 5000, 5000), None)];
                    if !codes.is_empty() {
                        ways.push((small(5000, 60, 5000), Some(Index::BY_CODE_TIME)));
                    }
                    if !objects.is_empty() {
                        ways.push((small(5000, 5000, 60), Some(Index::BY_OBJECT_TIME)));
                    }
                    for from in [None, Some(now() - Duration::hours(1))] {
                        for cursor in [None, cursor.clone()] {
                            for (counted, expected) in &ways {
                                let q = ListQuery {
                                    sort,
                                    filters: Filters {
                                        from,
                                        ..filters.clone()
                                    },
                                    cursor: cursor.clone(),
                                    ..ListQuery::default()
                                };
                                let sql = explain_sql(&q, &w, counted).unwrap();
                                let params: Vec<&dyn ToSql> = sql
                                    .filter_params
                                    .iter()
                                    .chain(sql.page_params.iter())
                                    .map(|p| p.as_ref())
                                    .collect();
                                let plan = query_plan(&conn, &sql.page, &params);
                                let what = format!(
                                    "{sort} {level:?} {codes:?} {objects:?} {counted:?}: {}\n{plan}",
                                    sql.page
                                );
                                assert!(
                                    plan.contains("USING INDEX")
                                        || plan.contains("USING COVERING INDEX"),
                                    "{what}"
                                );
                                if counted.total > SMALL_RESULT {
                                    assert!(
                                        !plan.contains("TEMP B-TREE"),
                                        "sorts in memory: {what}"
                                    );
                                } else {
                                    let index = expected.unwrap_or(if level.is_some() {
                                        Index::BY_LEVEL_TIME
                                    } else {
                                        Index::BY_TIME
                                    });
                                    assert!(sql.page.contains(index.name), "{what}");
                                    // A range of the index, never all of it.
                                    assert!(!plan.contains("SCAN"), "{what}");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The page of a list with `q` is read by key.
    #[test]
    fn a_found_page_is_read_by_key() {
        let conn = seeded(100);
        let plan = query_plan(
            &conn,
            &format!("SELECT {COLUMNS} FROM sync_errors WHERE seq = ?1"),
            &[&1i64],
        );
        assert!(plan.contains("USING INTEGER PRIMARY KEY"), "{plan}");
    }
}
