//! The shared store suite: each behaviour is one generic function over `dyn Store`, run
//! against SQLite (always) and against PostgreSQL (when `SYNC_ERRORS_TEST_PG` names a
//! server: `make test-pg` starts a private one). Every answer is measured against the API
//! crate's `Filters::matches` over the errors that went in, not against the other store.

mod pg;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, DurationRound, Utc};
use sync_errors_api::{
    Bucket, CodeCount, Filters, Histogram, Level, ListQuery, ObjectCount, RejectCode, Sort,
    SortField, Summary, SyncError, Window, parse_time,
};
use sync_errors_server::auth::Principal;
use sync_errors_server::store::{SqliteStore, Store};
use sync_errors_server::{demo, ingest};

pub fn now() -> DateTime<Utc> {
    parse_time("2026-11-28T10:15:00Z").unwrap()
}

/// A SQLite store in a temporary directory.
pub struct Sqlite {
    pub store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

impl Sqlite {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Sqlite {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("errors.db"), 2).unwrap();
        Sqlite {
            store: Arc::new(store),
            _dir: dir,
        }
    }
}

/// Ingests `errors` in batches of 1,000, the first carrying the demo's current sync.
pub async fn seed(store: &dyn Store, errors: &[SyncError]) {
    let mut sync = Some(demo::current_sync_at(now()));
    for chunk in errors.chunks(1000) {
        let items = chunk.iter().cloned().map(Ok).collect();
        let answer = ingest::ingest_into(store, sync.take(), items, now())
            .await
            .unwrap();
        assert_eq!(answer.accepted, chunk.len() as u64, "{:?}", answer.rejected);
    }
}

/// Demo errors, plus a few that test the text search's edges.
pub fn errors(rows: u64) -> Vec<SyncError> {
    let mut errors = demo::generate(rows, now());
    let at = now() - Duration::hours(2);
    let mut odd = |id: &str, message: &str, object: Option<&str>| {
        errors.push(SyncError {
            id: id.into(),
            failed_at: at,
            object_type: object.map(str::to_owned),
            ..SyncError::example(id, Level::Job, message)
        })
    };
    odd("odd-1", "Ärger mit ÉCOLE: 100% sure_thing", Some("Lead"));
    odd("odd-2", "école, ärger and 100_ sure", None);
    odd("odd-3", "back\\slash and 50%", Some(""));
    errors
}

/// The contract's order for `sort`: its field, ties broken by `id`, both in its direction.
pub fn contract_order(sort: Sort) -> impl Fn(&SyncError, &SyncError) -> std::cmp::Ordering {
    move |a, b| {
        let ord = match sort.field {
            SortField::FailedAt => a.failed_at.cmp(&b.failed_at),
            SortField::Level => a.level.as_str().cmp(b.level.as_str()),
            SortField::ErrorCode => a.error_code.cmp(&b.error_code),
        }
        .then_with(|| a.id.cmp(&b.id));
        if sort.descending { ord.reverse() } else { ord }
    }
}

/// The filter strings the suite asks, some built from the data (IDs to search for).
fn queries(errors: &[SyncError]) -> Vec<String> {
    let sf = errors
        .iter()
        .find_map(|e| e.salesforce_id.clone().filter(|s| s.len() == 18))
        .unwrap();
    let marketo = errors.iter().find_map(|e| e.marketo_id.clone()).unwrap();
    let time = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let from = time(now() - Duration::hours(30) + Duration::milliseconds(12_345));
    let to = time(now() - Duration::hours(3) - Duration::milliseconds(777));
    let enc = |s: &str| s.to_owned();
    vec![
        String::new(),
        "level=job".into(),
        "level=record".into(),
        "error_code=UNABLE_TO_LOCK_ROW,DUPLICATE_VALUE".into(),
        "object_type=Lead,-".into(),
        "object_type=-".into(),
        "object_type=Campaign%20Member&level=record".into(),
        format!("from={}&to={}", enc(&from), enc(&to)),
        format!(
            "from={}&error_code=REQUIRED_FIELD_MISSING&object_type=Lead",
            enc(&from)
        ),
        "q=exclusive%20access".into(),
        "q=required".into(),
        "q=LOCK".into(),
        "q=a".into(),
        "q=%C3%A9cole".into(),
        "q=%C3%A4rger".into(),
        "q=REQUIRED%20FIELDS%20ARE".into(),
        "q=SURE_THING".into(),
        "q=100%25".into(),
        "q=100_".into(),
        "q=back%5Cslash".into(),
        format!("q={sf}"),
        format!("q={}", &sf[..15]),
        format!("q={marketo}"),
        "q=odd-2".into(),
        format!("q=required&level=record&from={}", enc(&from)),
    ]
}

async fn all_pages(store: &dyn Store, mut q: ListQuery) -> Vec<SyncError> {
    let mut out = Vec::new();
    loop {
        let page = store.list(q.clone(), now()).await.unwrap();
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => q.cursor = Some(c),
            None => return out,
        }
    }
}

/// Lists under every filter of the suite and every sort equal the errors that
/// `Filters::matches` keeps, in the contract's order: walked by cursor, and at an offset.
pub async fn list_matches_the_filters(store: &dyn Store) {
    let errors = errors(1500);
    seed(store, &errors).await;
    // As after the demo's seeding: the answers stay the same.
    store.optimize().await.unwrap();
    for query in queries(&errors) {
        let filters = Filters::from_query_string(&query).unwrap();
        let matching: Vec<&SyncError> = errors.iter().filter(|e| filters.matches(e)).collect();
        for sort in Sort::ALL {
            let mut expected: Vec<SyncError> = matching.iter().map(|e| (*e).clone()).collect();
            expected.sort_by(contract_order(sort));
            let q = ListQuery {
                sort,
                filters: filters.clone(),
                limit: 97,
                ..ListQuery::default()
            };
            let walked = all_pages(store, q.clone()).await;
            assert_eq!(walked.len(), expected.len(), "{query} {sort}");
            assert_eq!(walked, expected, "{query} {sort}");
            let first = store.list(q.clone(), now()).await.unwrap();
            assert_eq!(first.total, expected.len() as u64, "{query} {sort}");
            let offset = (expected.len() / 3) as u64;
            let page = store
                .list(
                    ListQuery {
                        offset,
                        ..q.clone()
                    },
                    now(),
                )
                .await
                .unwrap();
            assert_eq!(page.offset, Some(offset));
            let end = (offset as usize + 97).min(expected.len());
            assert_eq!(page.items, expected[offset as usize..end], "{query} {sort}");
        }
    }
    // A NUL in the text or the id finds nothing, on either store (PostgreSQL's text cannot
    // hold one; found by schemathesis as a 503).
    for q in ["q=%00", "q=ab%00cd&object_type=Lead"] {
        let filters = Filters::from_query_string(q).unwrap();
        let page = store
            .list(
                ListQuery {
                    filters: filters.clone(),
                    ..ListQuery::default()
                },
                now(),
            )
            .await
            .unwrap();
        assert_eq!((page.total, page.items.len()), (0, 0), "{q}");
        assert_eq!(store.summary(filters, now()).await.unwrap().total, 0, "{q}");
    }
    assert_eq!(store.get("se\0x".into(), now()).await.unwrap(), None);
    // One error by id, inside the window only.
    let e = &errors[7];
    assert_eq!(
        store.get(e.id.clone(), now()).await.unwrap().as_ref(),
        Some(e)
    );
    assert_eq!(store.get("missing".into(), now()).await.unwrap(), None);
    let before = e.failed_at - Duration::seconds(1);
    assert_eq!(store.get(e.id.clone(), before).await.unwrap(), None);
}

/// The summary the contract asks for, computed from the errors themselves.
fn expected_summary(errors: &[SyncError], filters: &Filters, window: Window) -> Summary {
    let kept: Vec<&SyncError> = errors
        .iter()
        .filter(|e| e.failed_at >= window.from && e.failed_at <= window.to)
        .collect();
    let total = kept.iter().filter(|e| filters.matches(e)).count() as u64;
    let but_codes = Filters {
        error_codes: vec![],
        ..filters.clone()
    };
    let mut codes: BTreeMap<&str, (u64, u64, DateTime<Utc>)> = BTreeMap::new();
    for e in kept.iter().filter(|e| but_codes.matches(e)) {
        let c = codes
            .entry(&e.error_code)
            .or_insert((0, 0, DateTime::<Utc>::MIN_UTC));
        match e.level {
            Level::Record => c.0 += 1,
            Level::Job => c.1 += 1,
        }
        c.2 = c.2.max(e.failed_at);
    }
    let mut by_code: Vec<CodeCount> = codes
        .into_iter()
        .map(|(code, (record, job, last))| CodeCount {
            error_code: code.into(),
            count: record + job,
            record,
            job,
            last_failed_at: last,
        })
        .collect();
    by_code.sort_by(|a, b| b.count.cmp(&a.count).then(a.error_code.cmp(&b.error_code)));
    let but_objects = Filters {
        object_types: vec![],
        ..filters.clone()
    };
    let mut objects: BTreeMap<(bool, Option<&str>), u64> = BTreeMap::new();
    for e in kept.iter().filter(|e| but_objects.matches(e)) {
        *objects
            .entry((e.object_type.is_none(), e.object_type.as_deref()))
            .or_default() += 1;
    }
    let mut by_object: Vec<ObjectCount> = objects
        .into_iter()
        .map(|((_, o), count)| ObjectCount {
            object_type: o.map(str::to_owned),
            count,
        })
        .collect();
    by_object.sort_by(|a, b| {
        b.count.cmp(&a.count).then_with(|| {
            (a.object_type.is_none(), &a.object_type)
                .cmp(&(b.object_type.is_none(), &b.object_type))
        })
    });
    let hour = Duration::hours(1);
    let first = window.from.duration_trunc(hour).unwrap();
    let mut buckets = Vec::new();
    let mut start = first;
    while start <= window.to {
        buckets.push(Bucket {
            start,
            record: 0,
            job: 0,
        });
        start += hour;
    }
    let whenever = Filters {
        from: None,
        to: None,
        ..filters.clone()
    };
    for e in kept.iter().filter(|e| whenever.matches(e)) {
        let i = ((e.failed_at - first).num_milliseconds() / hour.num_milliseconds()) as usize;
        match e.level {
            Level::Record => buckets[i].record += 1,
            Level::Job => buckets[i].job += 1,
        }
    }
    Summary {
        window,
        total,
        by_code,
        by_object,
        histogram: Histogram {
            bucket_seconds: 3600,
            buckets,
        },
    }
}

/// The summary under every filter of the suite equals the one computed from the errors;
/// its total equals the list's.
pub async fn summary_matches_a_plain_count(store: &dyn Store) {
    let errors = errors(1500);
    seed(store, &errors).await;
    for query in queries(&errors) {
        let filters = Filters::from_query_string(&query).unwrap();
        let summary = store.summary(filters.clone(), now()).await.unwrap();
        let expected = expected_summary(&errors, &filters, summary.window);
        assert_eq!(summary, expected, "{query}");
        let list = store
            .list(
                ListQuery {
                    filters,
                    limit: 1,
                    ..ListQuery::default()
                },
                now(),
            )
            .await
            .unwrap();
        assert_eq!(list.total, summary.total, "{query}");
    }
}

/// The same batch again is `unchanged`; other content under a stored id is a `conflict`;
/// an id twice in one batch is stored once; an error before the window is `expired`; and
/// none of it moves a count.
pub async fn ingest_is_idempotent(store: &dyn Store) {
    let errors = errors(1200);
    seed(store, &errors).await;
    let before = store.summary(Filters::default(), now()).await.unwrap();
    let again: Vec<_> = errors[..1000].iter().cloned().map(Ok).collect();
    let answer = ingest::ingest_into(store, None, again, now())
        .await
        .unwrap();
    assert_eq!(
        (answer.accepted, answer.unchanged, answer.rejected.len()),
        (0, 1000, 0)
    );
    let mut changed = errors[3].clone();
    changed.message.push('!');
    let new = SyncError {
        id: "new-1".into(),
        failed_at: now() - Duration::minutes(3),
        ..SyncError::example("new-1", Level::Record, "new")
    };
    let mut new_changed = new.clone();
    new_changed.message = "other".into();
    let expired = SyncError {
        id: "old-1".into(),
        failed_at: before.window.from - Duration::seconds(1),
        ..new.clone()
    };
    let batch = vec![
        Ok(changed),
        Ok(new.clone()),
        Ok(new.clone()),
        Ok(new_changed),
        Ok(expired),
        Ok(errors[4].clone()),
    ];
    let answer = ingest::ingest_into(store, None, batch, now())
        .await
        .unwrap();
    assert_eq!((answer.accepted, answer.unchanged), (1, 2));
    let codes: Vec<(u64, RejectCode)> = answer.rejected.iter().map(|r| (r.index, r.code)).collect();
    assert_eq!(
        codes,
        vec![
            (0, RejectCode::Conflict),
            (3, RejectCode::Conflict),
            (4, RejectCode::Expired)
        ]
    );
    assert_eq!(store.get("new-1".into(), now()).await.unwrap(), Some(new));
    assert_eq!(store.count_all().await.unwrap(), errors.len() as u64 + 1);
    let after = store.summary(Filters::default(), now()).await.unwrap();
    assert_eq!(after.total, before.total + 1);
    let mut all = errors.clone();
    all.push(store.get("new-1".into(), now()).await.unwrap().unwrap());
    assert_eq!(
        after,
        expected_summary(&all, &Filters::default(), after.window)
    );
}

/// Moving the current sync forward hides the errors that left the window at once; the
/// purge deletes exactly those, and the counts stay exact.
pub async fn retention_purges_and_counts_stay_exact(store: &dyn Store) {
    let errors = errors(3000);
    seed(store, &errors).await;
    let later = now() + Duration::hours(40);
    let answer = ingest::ingest_into(store, Some(later), vec![], later)
        .await
        .unwrap();
    assert_eq!(answer.accepted, 0);
    let window = store
        .list(ListQuery::default(), later)
        .await
        .unwrap()
        .window;
    assert_eq!(window.current_sync_at, later);
    let kept: Vec<SyncError> = errors
        .iter()
        .filter(|e| e.failed_at >= window.from)
        .cloned()
        .collect();
    assert!(kept.len() < errors.len() && !kept.is_empty());
    // Gone from every answer before the purge.
    let summary = store.summary(Filters::default(), later).await.unwrap();
    assert_eq!(summary.total, kept.len() as u64);
    let mut deleted = 0;
    loop {
        let n = store.purge_chunk(later, 500).await.unwrap();
        deleted += n;
        if n < 500 {
            break;
        }
    }
    assert_eq!(deleted, errors.len() - kept.len());
    assert_eq!(store.count_all().await.unwrap(), kept.len() as u64);
    for query in [
        "",
        "level=job",
        "error_code=UNABLE_TO_LOCK_ROW",
        "object_type=-",
    ] {
        let filters = Filters::from_query_string(query).unwrap();
        let summary = store.summary(filters.clone(), later).await.unwrap();
        assert_eq!(
            summary,
            expected_summary(&kept, &filters, summary.window),
            "{query}"
        );
        // The list's total over ranges whose edges cut minutes and hours.
        for (a, b) in [(0, 0), (1, 7), (13, 29)] {
            let ranged = Filters {
                from: Some(window.from + Duration::minutes(a * 61) + Duration::seconds(7)),
                to: Some(later - Duration::minutes(b * 59) - Duration::seconds(3)),
                ..filters.clone()
            };
            let expected = kept.iter().filter(|e| ranged.matches(e)).count() as u64;
            let list = store
                .list(
                    ListQuery {
                        filters: ranged,
                        ..ListQuery::default()
                    },
                    later,
                )
                .await
                .unwrap();
            assert_eq!(list.total, expected, "{query} {a} {b}");
        }
    }
    // Nothing more to purge.
    assert_eq!(store.purge_chunk(later, 500).await.unwrap(), 0);
}

/// A session is found by its secret's hash until it expires or is closed.
pub async fn sessions_expire_and_close(store: &dyn Store) {
    let principal = Principal {
        name: "admin".into(),
        admin: true,
        ingest: false,
    };
    let secret = "a1b2c3";
    store
        .open_session(
            secret.into(),
            principal.clone(),
            now(),
            now() + Duration::hours(8),
        )
        .await
        .unwrap();
    assert_eq!(
        store.session(secret.into(), now()).await.unwrap(),
        Some(principal)
    );
    assert_eq!(store.session("other".into(), now()).await.unwrap(), None);
    assert_eq!(
        store
            .session(secret.into(), now() + Duration::hours(9))
            .await
            .unwrap(),
        None
    );
    store.close_session(secret.into()).await.unwrap();
    assert_eq!(store.session(secret.into(), now()).await.unwrap(), None);
}

/// One test per behaviour and store.
macro_rules! suite {
    ($behaviour:ident, $sqlite:ident, $postgres:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $sqlite() {
            let s = Sqlite::new();
            $behaviour(&*s.store).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $postgres() {
            let Some(db) = pg::Database::create().await else {
                return;
            };
            $behaviour(&*db.store().await).await;
            db.drop().await;
        }
    };
}

suite!(list_matches_the_filters, sqlite_list, postgres_list);
suite!(
    summary_matches_a_plain_count,
    sqlite_summary,
    postgres_summary
);
suite!(ingest_is_idempotent, sqlite_ingest, postgres_ingest);
suite!(
    retention_purges_and_counts_stay_exact,
    sqlite_retention,
    postgres_retention
);
suite!(
    sessions_expire_and_close,
    sqlite_sessions,
    postgres_sessions
);

/// Migrations: three servers that start at once apply each version once (the advisory lock);
/// a database of an older version is upgraded with its errors; one of a newer version than
/// this server knows is refused at start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_migrations_run_once_upgrade_and_refuse_a_newer_schema() {
    let Some(db) = pg::Database::create().await else {
        return;
    };
    let (a, b, c) = tokio::join!(db.pg(), db.pg(), db.pg());
    assert_eq!(a.schema_version().await.unwrap(), 3);
    let client = b.pool().get().await.unwrap();
    let rows = client
        .query("SELECT version FROM schema_version", &[])
        .await
        .unwrap();
    assert_eq!(rows.len(), 3);
    // A database of version 1 (the time indexes without their included columns, the text
    // indexes on the stored text) is upgraded at the next start, its errors kept.
    seed(&a, &errors(300)).await;
    client
        .batch_execute(
            r#"DROP INDEX sync_errors_by_time;
             CREATE INDEX sync_errors_by_time ON sync_errors (failed_at_ms, id);
             DROP STATISTICS sync_errors_cells;
             ALTER TABLE sync_errors DROP COLUMN code_folded, DROP COLUMN message_folded;
             CREATE INDEX sync_errors_message_trgm ON sync_errors USING gin (message gin_trgm_ops);
             CREATE INDEX sync_errors_code_trgm ON sync_errors USING gin (error_code gin_trgm_ops);
             DELETE FROM schema_version WHERE version IN (2, 3);"#,
        )
        .await
        .unwrap();
    let upgraded = db.pg().await;
    assert_eq!(upgraded.schema_version().await.unwrap(), 3);
    // Searched in the folded copies, which the upgrade filled for the errors already kept.
    let first = &errors(300)[0];
    let word = first
        .message
        .split(' ')
        .next()
        .unwrap()
        .to_ascii_uppercase();
    let found = upgraded
        .list(
            ListQuery {
                filters: Filters {
                    q: Some(word.clone()),
                    ..Filters::default()
                },
                ..ListQuery::default()
            },
            now(),
        )
        .await
        .unwrap();
    assert!(found.total > 0, "{word}");
    assert!(
        found
            .items
            .iter()
            .all(|e| sync_errors_api::text_matches(&word, e)),
        "{word}"
    );
    let definition: String = client
        .query_one(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'sync_errors_by_time'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(
        definition.contains("INCLUDE (level, error_code, object_type)"),
        "{definition}"
    );
    assert_eq!(upgraded.count_all().await.unwrap(), 303);
    client
        .execute(
            "INSERT INTO schema_version (version, description) VALUES (99, 'from the future')",
            &[],
        )
        .await
        .unwrap();
    drop(client);
    let refused = sync_errors_server::store::PgStore::connect(&db.url, 2).await;
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("newer than this server's 3"), "{message}");
    drop((a, b, c, upgraded));
    db.drop().await;
}
