//! `GET /v1/sync-errors/summary`: the filtered errors by code, by object and over time.
//!
//! Each part leaves one filter out (facets): `by_code` every filter but `error_code`,
//! `by_object` every filter but `object_type`, the histogram every filter but `from` and
//! `to`. So the summary reads the cells (errors per hour, level, code and object) of the
//! window and of the range that match `level` (and `q`), and sorts them into the parts
//! here, each part checking the filters it keeps. Without `q` the cells come from the
//! hourly count table (`counts::cells`, exact at the edges); with `q` every error found is
//! a cell of one (`text::hits`).

use chrono::{DateTime, Utc};
use r2d2_sqlite::rusqlite::{self, Connection};
use sync_errors_api::{Bucket, CodeCount, Filters, Histogram, Level, ObjectCount, Summary, Window};

use super::counts::{Cell, HOUR_MS, Name, Names, cells};
use super::text::{Hit, hits};
use super::{bounds, from_ms, to_ms, window};

/// The histogram's bucket: an hour, the count table's own unit.
pub const BUCKET_SECONDS: u32 = (HOUR_MS / 1000) as u32;

impl From<&Hit> for Cell {
    fn from(h: &Hit) -> Cell {
        Cell {
            hour: h.failed_at_ms.div_euclid(HOUR_MS),
            level: h.level,
            code: h.code,
            object: h.object,
            n: 1,
            last_ms: h.failed_at_ms,
        }
    }
}

/// The code and object filters, as interned names: which cells they keep.
pub struct NameFilter {
    /// `None`: every code.
    codes: Option<Vec<Name>>,
    /// `None`: every object; `Some(None)` inside: no object.
    objects: Option<Vec<Option<Name>>>,
}

impl NameFilter {
    /// The filters' codes and objects among `names`; a name never met matches nothing.
    pub fn new(filters: &Filters, names: &Names) -> NameFilter {
        NameFilter {
            codes: (!filters.error_codes.is_empty()).then(|| {
                filters
                    .error_codes
                    .iter()
                    .filter_map(|c| names.get(c))
                    .collect()
            }),
            objects: (!filters.object_types.is_empty()).then(|| {
                filters
                    .object_types
                    .iter()
                    .filter_map(|o| match o {
                        None => Some(None),
                        Some(name) => names.get(name).map(Some),
                    })
                    .collect()
            }),
        }
    }

    pub fn code(&self, code: Name) -> bool {
        self.codes.as_ref().is_none_or(|c| c.contains(&code))
    }

    pub fn object(&self, object: Option<Name>) -> bool {
        self.objects.as_ref().is_none_or(|o| o.contains(&object))
    }
}

/// Sorts cells into the summary's parts: `everywhen`, the window's cells that match
/// `level` (and `q`), into the histogram; `in_range`, those inside the range, into the
/// rest.
pub(super) fn summarize<'a>(
    window: Window,
    everywhen: impl Iterator<Item = &'a Cell>,
    in_range: impl Iterator<Item = &'a Cell>,
    keep: &NameFilter,
    names: &Names,
) -> Summary {
    let first_hour = to_ms(window.from).div_euclid(HOUR_MS);
    let last_hour = to_ms(window.to).div_euclid(HOUR_MS);
    let mut buckets: Vec<Bucket> = (first_hour..=last_hour)
        .map(|h| Bucket {
            start: from_ms(h * HOUR_MS),
            record: 0,
            job: 0,
        })
        .collect();
    let add = |cell: &Cell, record: &mut u64, job: &mut u64| match cell.level {
        Level::Record => *record += cell.n,
        Level::Job => *job += cell.n,
    };
    for cell in everywhen.filter(|c| keep.code(c.code) && keep.object(c.object)) {
        // Cells lie inside the window, so inside the buckets.
        if let Some(b) = usize::try_from(cell.hour - first_hour)
            .ok()
            .and_then(|i| buckets.get_mut(i))
        {
            add(cell, &mut b.record, &mut b.job);
        }
    }
    // Indexed by name: (record, job, last) per code; a count per object, no object last.
    let mut codes: Vec<Option<(u64, u64, i64)>> = vec![None; names.len()];
    let mut objects: Vec<u64> = vec![0; names.len() + 1];
    let mut total = 0;
    for cell in in_range {
        let (code_ok, object_ok) = (keep.code(cell.code), keep.object(cell.object));
        if code_ok && object_ok {
            total += cell.n;
        }
        if object_ok {
            let (record, job, last) = codes[cell.code as usize].get_or_insert((0, 0, cell.last_ms));
            add(cell, record, job);
            *last = (*last).max(cell.last_ms);
        }
        if code_ok {
            objects[cell.object.map_or(names.len(), |o| o as usize)] += cell.n;
        }
    }
    let mut by_code: Vec<CodeCount> = codes
        .into_iter()
        .enumerate()
        .filter_map(|(code, counts)| {
            let (record, job, last) = counts?;
            (record + job > 0).then(|| CodeCount {
                error_code: names.name(code as Name).to_owned(),
                count: record + job,
                record,
                job,
                last_failed_at: from_ms(last),
            })
        })
        .collect();
    by_code.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.error_code.cmp(&b.error_code))
    });
    let mut by_object: Vec<ObjectCount> = objects
        .into_iter()
        .enumerate()
        .filter(|(_, count)| *count > 0)
        .map(|(object, count)| ObjectCount {
            object_type: (object < names.len()).then(|| names.name(object as Name).to_owned()),
            count,
        })
        .collect();
    // By count, then by name, no object last: `Option`'s order puts `None` first, hence
    // the flag.
    by_object.sort_by(|a, b| {
        b.count.cmp(&a.count).then_with(|| {
            (a.object_type.is_none(), &a.object_type)
                .cmp(&(b.object_type.is_none(), &b.object_type))
        })
    });
    Summary {
        window,
        total,
        by_code,
        by_object,
        histogram: Histogram {
            bucket_seconds: BUCKET_SECONDS,
            buckets,
        },
    }
}

/// The summary of the errors that `filters` ask for, at `now`. Without `q`, the window's
/// cells come from the count tables, and those of the range are read again when the
/// range is not the whole window (its edges' partial hours differ); with `q`, every error
/// `q` finds in the window is a cell of one, inside the range or not.
pub fn summary(
    conn: &Connection,
    filters: &Filters,
    now: DateTime<Utc>,
) -> rusqlite::Result<Summary> {
    let window = window(conn, now)?;
    let (w_from, w_to) = (to_ms(window.from), to_ms(window.to));
    let (from, to) = bounds(filters, &window);
    let mut names = Names::default();
    if let Some(q) = &filters.q {
        let found: Vec<Cell> = hits(conn, q, w_from, w_to, filters.level, false, &mut names)?
            .iter()
            .map(Cell::from)
            .collect();
        let keep = NameFilter::new(filters, &names);
        let in_range = found.iter().filter(|c| (from..=to).contains(&c.last_ms));
        return Ok(summarize(window, found.iter(), in_range, &keep, &names));
    }
    let mut everywhen = Vec::new();
    cells(
        conn,
        w_from,
        w_to,
        filters.level,
        &mut names,
        &mut everywhen,
    )?;
    let whole = (from, to) == (w_from, w_to);
    let mut range = Vec::new();
    if !whole {
        cells(conn, from, to, filters.level, &mut names, &mut range)?;
    }
    let in_range = if whole { &everywhen } else { &range };
    let keep = NameFilter::new(filters, &names);
    Ok(summarize(
        window,
        everywhen.iter(),
        in_range.iter(),
        &keep,
        &names,
    ))
}
