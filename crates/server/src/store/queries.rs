//! The list and detail queries of the contract: the SQL of a list request, and the mapping
//! between a row of `sync_errors` and a `SyncError`.

use chrono::{DateTime, Utc};
use r2d2_sqlite::rusqlite::{self, Connection, OptionalExtension, Row, ToSql, params_from_iter};
use sync_errors_api::{
    ErrorPage, InvalidParameter, Level, ListQuery, SortField, SyncError, Window,
};

use super::cursor::{Cursor, SortKey};
use super::schema::Index;
use super::{QueryError, count_matches, from_ms, to_ms, window};

const COLUMNS: &str = "id, level, failed_at_ms, error_code, message, object_type, operation, \
                       marketo_id, salesforce_id, fields";

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

/// The index that serves a page: the order's own index, or the time range's when the
/// result is small enough to sort (the planner cannot know that from bound parameters).
fn page_index(q: &ListQuery, total: u64) -> Index {
    let by_time = if q.filters.level.is_some() {
        Index::BY_LEVEL_TIME
    } else {
        Index::BY_TIME
    };
    match q.sort.field {
        SortField::FailedAt => by_time,
        _ if total <= SMALL_RESULT => by_time,
        SortField::Level => Index::BY_LEVEL_ID,
        SortField::ErrorCode if q.filters.level.is_some() => Index::BY_LEVEL_CODE,
        SortField::ErrorCode => Index::BY_CODE,
    }
}

/// The query's time range clamped to the window, in milliseconds.
fn bounds(q: &ListQuery, window: &Window) -> (i64, i64) {
    let from = q.filters.from.map_or(window.from, |f| f.max(window.from));
    let to = q.filters.to.map_or(window.to, |t| t.min(window.to));
    (to_ms(from), to_ms(to))
}

/// Builds the SQL for a validated query clamped to `window`; `total` is the count of matches.
fn list_sql(
    q: &ListQuery,
    window: &Window,
    total: u64,
) -> Result<(ListSql, u64), InvalidParameter> {
    let cursor = q
        .cursor
        .as_deref()
        .map(|c| Cursor::decode(c, q.sort))
        .transpose()?;
    let (mut from, mut to) = bounds(q, window);
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
    let mut filter = String::from("failed_at_ms BETWEEN ? AND ?");
    let mut filter_params: Vec<Box<dyn ToSql>> = vec![Box::new(from), Box::new(to)];
    if let Some(level) = q.filters.level {
        filter.push_str(" AND level = ?");
        filter_params.push(Box::new(level.as_str()));
    }
    let column = sort_column(q.sort.field);
    let (cmp, dir) = if q.sort.descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    let mut page_where = filter.clone();
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
    let index = page_index(q, total).name;
    let page = format!(
        "SELECT {COLUMNS} FROM sync_errors INDEXED BY {index} WHERE {page_where} \
         ORDER BY {column} {dir}, id {dir} LIMIT {} OFFSET {offset}",
        q.limit
    );
    Ok((
        ListSql {
            page,
            filter_params,
            page_params,
        },
        start,
    ))
}

/// The SQL a query would run when it matches `total` errors, for plan checks.
pub fn explain_sql(
    q: &ListQuery,
    window: &Window,
    total: u64,
) -> Result<ListSql, InvalidParameter> {
    list_sql(q, window, total).map(|(sql, _)| sql)
}

fn row_to_error(row: &Row<'_>) -> rusqlite::Result<SyncError> {
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
    let (from, to) = bounds(q, &window);
    let total = count_matches(conn, from, to, q.filters.level)?;
    let (sql, start) = list_sql(q, &window, total)?;
    let mut stmt = conn.prepare_cached(&sql.page)?;
    let items = stmt
        .query_map(
            params_from_iter(sql.filter_params.iter().chain(sql.page_params.iter())),
            row_to_error,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let next = start + items.len() as u64;
    let next_cursor = match items.last() {
        Some(last) if next < total => Some(Cursor::after(last, q.sort, next).encode()),
        _ => None,
    };
    Ok(ErrorPage {
        window,
        total,
        offset: Some(start),
        next_cursor,
        items,
    })
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

/// Inserts errors in one transaction (demo data and tests).
pub fn insert_all(conn: &mut Connection, errors: &[SyncError]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare_cached(&format!(
            "INSERT INTO sync_errors ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        ))?;
        for e in errors {
            stmt.execute(rusqlite::params![
                e.id,
                e.level.as_str(),
                to_ms(e.failed_at),
                e.error_code,
                e.message,
                e.object_type,
                e.operation,
                e.marketo_id,
                e.salesforce_id,
                serde_json::to_string(&e.fields).unwrap_or_else(|_| "[]".into()),
            ])?;
        }
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use chrono::Duration;
    use sync_errors_api::{Filters, Sort};

    use super::*;
    use crate::store::testing::{now, query_plan, seeded};

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
                sorted.sort_by(|a, b| {
                    let ord = match sort.field {
                        SortField::FailedAt => a.failed_at.cmp(&b.failed_at),
                        SortField::Level => a.level.as_str().cmp(b.level.as_str()),
                        SortField::ErrorCode => a.error_code.cmp(&b.error_code),
                    }
                    .then_with(|| a.id.cmp(&b.id));
                    if sort.descending { ord.reverse() } else { ord }
                });
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
                level: None,
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

    /// Every list query (each sort, with and without a level filter, a time filter and a
    /// cursor) reads through an index; a large result is never sorted in a temporary B-tree.
    #[test]
    fn every_list_query_uses_an_index() {
        let conn = seeded(3000);
        conn.execute_batch("ANALYZE").unwrap();
        let w = window(&conn, now()).unwrap();
        for sort in Sort::ALL {
            let cursor = list(
                &conn,
                &ListQuery {
                    sort,
                    ..ListQuery::default()
                },
                now(),
            )
            .unwrap()
            .next_cursor;
            for level in [None, Some(Level::Job), Some(Level::Record)] {
                for from in [None, Some(now() - Duration::hours(1))] {
                    for (cursor, total) in [None, cursor.clone()]
                        .into_iter()
                        .flat_map(|c| [(c.clone(), 50), (c, 1_000_000)])
                    {
                        let q = ListQuery {
                            sort,
                            filters: Filters {
                                level,
                                from,
                                to: None,
                            },
                            cursor,
                            ..ListQuery::default()
                        };
                        let sql = explain_sql(&q, &w, total).unwrap();
                        let params: Vec<&dyn ToSql> = sql
                            .filter_params
                            .iter()
                            .chain(sql.page_params.iter())
                            .map(|p| p.as_ref())
                            .collect();
                        let plan = query_plan(&conn, &sql.page, &params);
                        assert!(
                            plan.contains("USING INDEX") || plan.contains("USING COVERING INDEX"),
                            "{sort} {level:?}: {}\n{plan}",
                            sql.page
                        );
                        assert!(
                            total <= SMALL_RESULT || !plan.contains("TEMP B-TREE"),
                            "{sort} {level:?} sorts in memory: {}\n{plan}",
                            sql.page
                        );
                    }
                }
            }
        }
    }
}
