//! The store against the contract's rules written once (`Filters::matches`): for random
//! filters (codes, objects with "no object", `q` as an error ID, a Marketo ID, a Salesforce
//! ID of 15 or 18 characters, a word or a fragment of a code, odd text; ranges whose edges
//! fall on an error, an hour or the window; levels), every list total, every page (by
//! cursor and by offset, in every sort) and every part of the summary equal a brute force
//! over all the errors. Before and after inserts, updates and deletes through the triggers.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use proptest::sample::Index as Pick;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use r2d2_sqlite::rusqlite::{self, Connection};
use sync_errors_api::{
    Bucket, CodeCount, Filters, Histogram, Level, ListQuery, ObjectCount, Sort, Summary, SyncError,
    Window,
};

use super::queries::{COLUMNS, row_to_error};
use super::testing::{contract_order, now, seeded};
use super::{insert_all, list, summary, to_ms, window};
use crate::store::BUCKET_SECONDS;

/// Every error the store holds, inside the window or not.
fn all_errors(conn: &Connection) -> Vec<SyncError> {
    let mut stmt = conn
        .prepare(&format!("SELECT {COLUMNS} FROM sync_errors ORDER BY id"))
        .unwrap();
    stmt.query_map([], row_to_error)
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn inside<'a>(all: &'a [SyncError], w: &Window) -> impl Iterator<Item = &'a SyncError> {
    all.iter()
        .filter(move |e| e.failed_at >= w.from && e.failed_at <= w.to)
}

fn brute_list(all: &[SyncError], f: &Filters, w: &Window, sort: Sort) -> Vec<SyncError> {
    let mut out: Vec<SyncError> = inside(all, w).filter(|e| f.matches(e)).cloned().collect();
    out.sort_by(contract_order(sort));
    out
}

fn brute_summary(all: &[SyncError], f: &Filters, w: &Window) -> Summary {
    let total = inside(all, w).filter(|e| f.matches(e)).count() as u64;
    let but_codes = Filters {
        error_codes: Vec::new(),
        ..f.clone()
    };
    let mut codes: BTreeMap<&str, CodeCount> = BTreeMap::new();
    for e in inside(all, w).filter(|e| but_codes.matches(e)) {
        let c = codes.entry(&e.error_code).or_insert(CodeCount {
            error_code: e.error_code.clone(),
            count: 0,
            record: 0,
            job: 0,
            last_failed_at: e.failed_at,
        });
        c.count += 1;
        match e.level {
            Level::Record => c.record += 1,
            Level::Job => c.job += 1,
        }
        c.last_failed_at = c.last_failed_at.max(e.failed_at);
    }
    let mut by_code: Vec<CodeCount> = codes.into_values().collect();
    by_code.sort_by(|a, b| b.count.cmp(&a.count).then(a.error_code.cmp(&b.error_code)));
    let but_objects = Filters {
        object_types: Vec::new(),
        ..f.clone()
    };
    let mut objects: BTreeMap<Option<&str>, u64> = BTreeMap::new();
    for e in inside(all, w).filter(|e| but_objects.matches(e)) {
        *objects.entry(e.object_type.as_deref()).or_default() += 1;
    }
    let mut by_object: Vec<ObjectCount> = objects
        .into_iter()
        .map(|(o, count)| ObjectCount {
            object_type: o.map(str::to_owned),
            count,
        })
        .collect();
    by_object.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| match (&a.object_type, &b.object_type) {
                (None, None) => std::cmp::Ordering::Equal,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(_), None) => std::cmp::Ordering::Less,
                (Some(a), Some(b)) => a.cmp(b),
            })
    });
    let hour = i64::from(BUCKET_SECONDS) * 1000;
    let first = to_ms(w.from).div_euclid(hour);
    let last = to_ms(w.to).div_euclid(hour);
    let all_times = Filters {
        from: None,
        to: None,
        ..f.clone()
    };
    let buckets = (first..=last)
        .map(|h| {
            let of = |level| {
                inside(all, w)
                    .filter(|e| {
                        e.level == level
                            && to_ms(e.failed_at).div_euclid(hour) == h
                            && all_times.matches(e)
                    })
                    .count() as u64
            };
            Bucket {
                start: super::from_ms(h * hour),
                record: of(Level::Record),
                job: of(Level::Job),
            }
        })
        .collect();
    Summary {
        window: *w,
        total,
        by_code,
        by_object,
        histogram: Histogram {
            bucket_seconds: BUCKET_SECONDS,
            buckets,
        },
    }
}

/// How a random `q` is made from the errors.
#[derive(Debug, Clone)]
enum Text {
    Id(Pick),
    Marketo(Pick),
    Salesforce18(Pick),
    Salesforce15(Pick),
    /// The first 15 characters of a Salesforce ID with another checksum.
    SalesforceOtherSuffix(Pick),
    /// A piece of a message, `len` characters from a picked one, its ASCII case changed.
    Message(Pick, Pick, usize, Recase),
    /// A piece of a code.
    Code(Pick, Pick, usize, Recase),
    /// A piece of a message around a non-ASCII letter, in capitals (Unicode's): the text
    /// index folds their case, the contract's rule need not.
    NonAscii(Pick, Pick, usize, usize),
    Literal(&'static str),
}

#[derive(Debug, Clone, Copy)]
enum Recase {
    Same,
    Upper,
    Lower,
}

fn text() -> impl Strategy<Value = Text> {
    let case = prop_oneof![Just(Recase::Same), Just(Recase::Upper), Just(Recase::Lower)];
    prop_oneof![
        1 => any::<Pick>().prop_map(Text::Id),
        1 => any::<Pick>().prop_map(Text::Marketo),
        1 => any::<Pick>().prop_map(Text::Salesforce18),
        1 => any::<Pick>().prop_map(Text::Salesforce15),
        1 => any::<Pick>().prop_map(Text::SalesforceOtherSuffix),
        3 => (any::<Pick>(), any::<Pick>(), 1usize..16, case.clone())
            .prop_map(|(e, at, len, c)| Text::Message(e, at, len, c)),
        1 => (any::<Pick>(), any::<Pick>(), 0usize..4, 0usize..4)
            .prop_map(|(e, at, before, after)| Text::NonAscii(e, at, before, after)),
        1 => (any::<Pick>(), any::<Pick>(), 1usize..10, case)
            .prop_map(|(e, at, len, c)| Text::Code(e, at, len, c)),
        1 => prop::sample::select(vec![
            "%", "_", "a_b", "100%", "\"", "\"quoted\"", "Ab", "é", "É", "RÉGION", "région",
            "«", "@@", "'", "\\", "*", "NEAR", "AND", "OR x", "^", "zzzq", "0", "1042",
        ])
        .prop_map(Text::Literal),
    ]
}

fn recase(s: &str, case: Recase) -> String {
    match case {
        Recase::Same => s.to_owned(),
        Recase::Upper => s.to_ascii_uppercase(),
        Recase::Lower => s.to_ascii_lowercase(),
    }
}

fn piece(s: &str, at: Pick, len: usize, case: Recase) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let start = at.index(chars.len());
    recase(
        &chars[start..(start + len).min(chars.len())]
            .iter()
            .collect::<String>(),
        case,
    )
}

impl Text {
    fn make(&self, all: &[SyncError]) -> Option<String> {
        let pick = |p: &Pick| &all[p.index(all.len())];
        let sf = |p: &Pick| {
            let with: Vec<&SyncError> = all.iter().filter(|e| e.salesforce_id.is_some()).collect();
            with[p.index(with.len())].salesforce_id.clone().unwrap()
        };
        let q = match self {
            Text::Id(p) => pick(p).id.clone(),
            Text::Marketo(p) => pick(p).marketo_id.clone().unwrap_or_else(|| "7".into()),
            Text::Salesforce18(p) => sf(p),
            Text::Salesforce15(p) => sf(p).chars().take(15).collect(),
            Text::SalesforceOtherSuffix(p) => {
                let id: String = sf(p).chars().take(15).collect();
                format!("{id}ZZZ")
            }
            Text::Message(p, at, len, case) => piece(&pick(p).message, *at, *len, *case),
            Text::Code(p, at, len, case) => piece(&pick(p).error_code, *at, *len, *case),
            Text::NonAscii(p, at, before, after) => {
                let with: Vec<Vec<char>> = all
                    .iter()
                    .filter(|e| !e.message.is_ascii())
                    .map(|e| e.message.chars().collect())
                    .collect();
                let chars = &with[p.index(with.len())];
                let wide: Vec<usize> = (0..chars.len()).filter(|i| !chars[*i].is_ascii()).collect();
                let i = wide[at.index(wide.len())];
                let piece: String = chars
                    [i.saturating_sub(*before)..(i + after + 1).min(chars.len())]
                    .iter()
                    .collect();
                piece.to_uppercase()
            }
            Text::Literal(s) => (*s).to_owned(),
        };
        let q = q.trim();
        (!q.is_empty()).then(|| q.to_owned())
    }
}

/// A random time around the window: anywhere, on an hour, just beside one, on an error.
#[derive(Debug, Clone)]
enum Time {
    Any(Pick),
    Hour(Pick, i64),
    Error(Pick, i64),
    WindowFrom(i64),
    WindowTo(i64),
}

fn time() -> impl Strategy<Value = Time> {
    let nudge = prop_oneof![Just(0i64), Just(-1), Just(1)];
    prop_oneof![
        1 => any::<Pick>().prop_map(Time::Any),
        1 => (any::<Pick>(), nudge.clone()).prop_map(|(p, n)| Time::Hour(p, n)),
        2 => (any::<Pick>(), nudge.clone()).prop_map(|(p, n)| Time::Error(p, n)),
        1 => nudge.clone().prop_map(Time::WindowFrom),
        1 => nudge.prop_map(Time::WindowTo),
    ]
}

impl Time {
    fn make(&self, all: &[SyncError], w: &Window) -> DateTime<Utc> {
        let (lo, hi) = (to_ms(w.from) - 7_200_000, to_ms(w.to) + 7_200_000);
        let ms = match self {
            Time::Any(p) => lo + p.index((hi - lo) as usize) as i64,
            Time::Hour(p, n) => {
                let hours = ((hi - lo) / 3_600_000) as usize;
                (lo / 3_600_000 + p.index(hours) as i64) * 3_600_000 + n
            }
            Time::Error(p, n) => to_ms(all[p.index(all.len())].failed_at) + n,
            Time::WindowFrom(n) => to_ms(w.from) + n,
            Time::WindowTo(n) => to_ms(w.to) + n,
        };
        super::from_ms(ms)
    }
}

#[derive(Debug, Clone)]
struct Case {
    from: Option<Time>,
    to: Option<Time>,
    level: Option<Level>,
    codes: Vec<Pick>,
    unknown_code: bool,
    objects: Vec<Option<Pick>>,
    unknown_object: bool,
    q: Option<Text>,
    sort: Pick,
    limit: u32,
    offset: Pick,
}

fn case() -> impl Strategy<Value = Case> {
    (
        (
            prop::option::weighted(0.4, time()),
            prop::option::weighted(0.4, time()),
            prop::option::of(prop_oneof![Just(Level::Job), Just(Level::Record)]),
        ),
        (
            prop::collection::vec(any::<Pick>(), 0..3),
            prop::bool::weighted(0.1),
            prop::collection::vec(prop::option::weighted(0.7, any::<Pick>()), 0..3),
            prop::bool::weighted(0.1),
        ),
        prop::option::weighted(0.6, text()),
        (any::<Pick>(), 1u32..300, any::<Pick>()),
    )
        .prop_map(
            |(
                (from, to, level),
                (codes, unknown_code, objects, unknown_object),
                q,
                (sort, limit, offset),
            )| Case {
                from,
                to,
                level,
                codes,
                unknown_code,
                objects,
                unknown_object,
                q,
                sort,
                limit,
                offset,
            },
        )
}

impl Case {
    fn filters(&self, all: &[SyncError], w: &Window) -> Filters {
        let pick = |p: &Pick| &all[p.index(all.len())];
        let mut error_codes: Vec<String> = self
            .codes
            .iter()
            .map(|p| pick(p).error_code.clone())
            .collect();
        if self.unknown_code {
            error_codes.push("NO_SUCH_CODE".into());
        }
        error_codes.dedup();
        let mut object_types: Vec<Option<String>> = self
            .objects
            .iter()
            .map(|o| o.as_ref().and_then(|p| pick(p).object_type.clone()))
            .collect();
        if self.unknown_object {
            object_types.push(Some("No Such Object".into()));
        }
        object_types.dedup();
        Filters {
            from: self.from.as_ref().map(|t| t.make(all, w)),
            to: self.to.as_ref().map(|t| t.make(all, w)),
            level: self.level,
            error_codes,
            object_types,
            q: self.q.as_ref().and_then(|t| t.make(all)),
        }
    }
}

fn check(conn: &Connection, cases: u32) {
    let all = all_errors(conn);
    let w = window(conn, now()).unwrap();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&case(), |case| {
            let filters = case.filters(&all, &w);
            let sort = Sort::ALL[case.sort.index(Sort::ALL.len())];
            let expected = brute_list(&all, &filters, &w, sort);
            // Every page by cursor.
            let mut q = ListQuery {
                filters: filters.clone(),
                sort,
                limit: case.limit,
                ..ListQuery::default()
            };
            let mut walked = Vec::new();
            loop {
                let page =
                    list(conn, &q, now()).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                prop_assert_eq!(page.total, expected.len() as u64, "total of {:?}", filters);
                prop_assert_eq!(page.offset, Some(walked.len() as u64));
                walked.extend(page.items);
                match page.next_cursor {
                    Some(c) => q.cursor = Some(c),
                    None => break,
                }
                prop_assert!(walked.len() <= expected.len());
            }
            prop_assert_eq!(&walked, &expected, "pages of {:?} in {}", filters, sort);
            // One page by offset.
            let offset = case.offset.index(expected.len() + 2) as u64;
            let page = list(
                conn,
                &ListQuery {
                    offset,
                    cursor: None,
                    ..q.clone()
                },
                now(),
            )
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let want: Vec<SyncError> = expected
                .iter()
                .skip(offset as usize)
                .take(case.limit as usize)
                .cloned()
                .collect();
            prop_assert_eq!(page.items, want, "offset {} of {:?}", offset, filters);
            // The summary.
            let got = summary(conn, &filters, now()).unwrap();
            let want = brute_summary(&all, &filters, &w);
            prop_assert_eq!(got.total, want.total, "total of {:?}", filters);
            prop_assert_eq!(&got.by_code, &want.by_code, "by_code of {:?}", filters);
            prop_assert_eq!(
                &got.by_object,
                &want.by_object,
                "by_object of {:?}",
                filters
            );
            prop_assert_eq!(
                &got.histogram,
                &want.histogram,
                "histogram of {:?}",
                filters
            );
            prop_assert_eq!(got, want);
            Ok(())
        })
        .unwrap();
}

/// Errors that the demo lacks: no object on a record, 15-character and look-alike
/// Salesforce IDs, IDs inside other errors' messages, non-ASCII capitals, the characters of
/// LIKE and of FTS5's query syntax, errors on the window's edges and hours, and outside it.
fn odd_errors(w: &Window) -> Vec<SyncError> {
    let at = |ms: i64| super::from_ms(ms);
    let base = |n: usize, ms: i64| SyncError {
        id: format!("odd-{n}"),
        failed_at: at(ms),
        ..SyncError::example("x", Level::Record, "")
    };
    let from = to_ms(w.from);
    let to = to_ms(w.to);
    let hour = (from / 3_600_000 + 7) * 3_600_000;
    let messages = [
        "RÉGION est obligatoire (« Région »)",
        "100% of the quota: a_b used",
        "say \"quoted\" AND OR NEAR ^ * things",
        "see record odd-3 and 00Q5e000004XyZ1EAK here",
        "Ab",
        "Kelvin-free plain text",
        "\\ back slash and ' quote",
    ];
    let mut out: Vec<SyncError> = messages
        .iter()
        .enumerate()
        .map(|(n, m)| SyncError {
            message: (*m).to_owned(),
            object_type: if n % 2 == 0 {
                None
            } else {
                Some("Lead".into())
            },
            salesforce_id: match n % 3 {
                0 => Some("00Q5e000004XyZ1".into()),
                1 => Some("00Q5e000004XyZ1EAX".into()),
                _ => Some("not-an-id".into()),
            },
            marketo_id: Some(format!("{}", 90 + n)),
            error_code: if n % 2 == 0 {
                "ODD_CODE".into()
            } else {
                "INVALID_GRANT".into()
            },
            ..base(n, hour + n as i64 * 1_000)
        })
        .collect();
    for (n, ms) in [
        from,
        from - 1,
        to,
        to + 1,
        hour - 1,
        hour,
        hour + 3_600_000 - 1,
        from - 86_400_000,
    ]
    .into_iter()
    .enumerate()
    {
        out.push(SyncError {
            object_type: Some("Campaign Member".into()),
            error_code: "EDGE_CODE".into(),
            message: format!("edge {n}"),
            ..base(100 + n, ms)
        });
    }
    out
}

fn fixture() -> (Connection, Window) {
    let mut conn = seeded(1200);
    let w = window(&conn, now()).unwrap();
    insert_all(&mut conn, &odd_errors(&w)).unwrap();
    (conn, w)
}

#[test]
fn lists_and_summaries_equal_a_brute_force() {
    let (conn, _) = fixture();
    check(&conn, 160);
}

#[test]
fn lists_and_summaries_equal_a_brute_force_after_writes() {
    let (mut conn, w) = fixture();
    // Inserts (some into cells that exist, some into new ones), updates of every column a
    // count or the text index keys on, deletes (some of a cell's last error).
    let more: Vec<SyncError> = crate::demo::generate(300, now() - Duration::hours(20))
        .into_iter()
        .map(|mut e| {
            e.id = format!("{}-more", e.id);
            e
        })
        .collect();
    insert_all(&mut conn, &more).unwrap();
    let hour = (to_ms(w.from) / 3_600_000 + 30) * 3_600_000;
    for sql in [
        "UPDATE sync_errors SET level = 'job' WHERE seq % 17 = 0",
        "UPDATE sync_errors SET error_code = 'MOVED_CODE' WHERE seq % 13 = 1",
        "UPDATE sync_errors SET object_type = NULL WHERE seq % 11 = 2",
        "UPDATE sync_errors SET object_type = 'Contact' WHERE seq % 19 = 3",
        "UPDATE sync_errors SET failed_at_ms = failed_at_ms + 5400000 WHERE seq % 7 = 4",
        "UPDATE sync_errors SET message = 'rewritten: ' || upper(message) WHERE seq % 23 = 5",
        "DELETE FROM sync_errors WHERE seq % 9 = 6",
        "DELETE FROM sync_errors WHERE id IN (SELECT id FROM sync_errors ORDER BY failed_at_ms DESC LIMIT 40)",
    ] {
        conn.execute(sql, []).unwrap();
    }
    conn.execute(
        "UPDATE sync_errors SET failed_at_ms = ?1 WHERE seq % 29 = 7",
        [hour + 1234],
    )
    .unwrap();
    check(&conn, 160);
}
