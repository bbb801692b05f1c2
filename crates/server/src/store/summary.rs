//! `GET /v1/sync-errors/summary`: the filtered errors by code, by object and over time.
//!
//! Each part leaves one filter out (facets): `by_code` every filter but `error_code`,
//! `by_object` every filter but `object_type`, the histogram every filter but `from` and
//! `to`. So the summary reads, once, every cell of the window that matches `level` (and
//! `q`), each marked inside or outside the range, and sorts them into the parts here.
//! Without `q` the cells come from the hourly count table (`counts::cells`), in three
//! segments (before the range, the range, after it) so that the range's edges are exact;
//! with `q` every error found is a cell of one (`text::hits`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use r2d2_sqlite::rusqlite::{self, Connection};
use sync_errors_api::{Bucket, CodeCount, Filters, Histogram, Level, ObjectCount, Summary, Window};

use super::counts::{Cell, HOUR_MS, Name, Names, cells};
use super::text::hits;
use super::{bounds, from_ms, to_ms, window};

/// The histogram's bucket: an hour, the count table's own unit.
pub const BUCKET_SECONDS: u32 = (HOUR_MS / 1000) as u32;

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

/// The cells of the window that match `level` and `q`, each with whether it lies inside
/// the range `[from, to]` (already clamped to the window).
fn window_cells(
    conn: &Connection,
    filters: &Filters,
    window: &Window,
    (from, to): (i64, i64),
    names: &mut Names,
) -> rusqlite::Result<Vec<(Cell, bool)>> {
    let (w_from, w_to) = (to_ms(window.from), to_ms(window.to));
    let level = filters.level;
    if let Some(q) = &filters.q {
        let found = hits(conn, q, w_from, w_to, level, false, names)?;
        return Ok(found
            .into_iter()
            .map(|h| {
                let cell = Cell {
                    hour: h.failed_at_ms.div_euclid(HOUR_MS),
                    level: h.level,
                    code: h.code,
                    object: h.object,
                    n: 1,
                    last_ms: h.failed_at_ms,
                };
                (cell, (from..=to).contains(&h.failed_at_ms))
            })
            .collect());
    }
    let mut out = Vec::new();
    let mut segment = |a: i64, b: i64, inside: bool| -> rusqlite::Result<()> {
        let mut part = Vec::new();
        cells(conn, a, b, level, names, &mut part)?;
        out.extend(part.into_iter().map(|c| (c, inside)));
        Ok(())
    };
    if from <= to {
        segment(w_from, from - 1, false)?;
        segment(from, to, true)?;
        segment(to + 1, w_to, false)?;
    } else {
        segment(w_from, w_to, false)?;
    }
    Ok(out)
}

/// Sorts the cells into the summary's parts.
fn summarize(window: Window, cells: &[(Cell, bool)], keep: &NameFilter, names: &Names) -> Summary {
    let first_hour = to_ms(window.from).div_euclid(HOUR_MS);
    let last_hour = to_ms(window.to).div_euclid(HOUR_MS);
    let mut buckets: Vec<Bucket> = (first_hour..=last_hour)
        .map(|h| Bucket {
            start: from_ms(h * HOUR_MS),
            record: 0,
            job: 0,
        })
        .collect();
    let mut total = 0;
    let mut by_code: HashMap<Name, CodeCount> = HashMap::new();
    let mut by_object: HashMap<Option<Name>, u64> = HashMap::new();
    for (cell, inside) in cells {
        let (code_ok, object_ok) = (keep.code(cell.code), keep.object(cell.object));
        let split = |record: &mut u64, job: &mut u64| match cell.level {
            Level::Record => *record += cell.n,
            Level::Job => *job += cell.n,
        };
        if code_ok && object_ok {
            // Cells lie inside the window, so inside the buckets.
            if let Some(b) = usize::try_from(cell.hour - first_hour)
                .ok()
                .and_then(|i| buckets.get_mut(i))
            {
                split(&mut b.record, &mut b.job);
            }
        }
        if !inside {
            continue;
        }
        if code_ok && object_ok {
            total += cell.n;
        }
        if object_ok {
            let last = from_ms(cell.last_ms);
            let entry = by_code.entry(cell.code).or_insert_with(|| CodeCount {
                error_code: names.name(cell.code).to_owned(),
                count: 0,
                record: 0,
                job: 0,
                last_failed_at: last,
            });
            entry.count += cell.n;
            split(&mut entry.record, &mut entry.job);
            entry.last_failed_at = entry.last_failed_at.max(last);
        }
        if code_ok {
            *by_object.entry(cell.object).or_default() += cell.n;
        }
    }
    let mut by_code: Vec<CodeCount> = by_code.into_values().filter(|c| c.count > 0).collect();
    by_code.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.error_code.cmp(&b.error_code))
    });
    let mut by_object: Vec<ObjectCount> = by_object
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(object, count)| ObjectCount {
            object_type: object.map(|o| names.name(o).to_owned()),
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

/// The summary of the errors that `filters` ask for, at `now`.
pub fn summary(
    conn: &Connection,
    filters: &Filters,
    now: DateTime<Utc>,
) -> rusqlite::Result<Summary> {
    let window = window(conn, now)?;
    let range = bounds(filters, &window);
    let mut names = Names::default();
    let cells = window_cells(conn, filters, &window, range, &mut names)?;
    let keep = NameFilter::new(filters, &names);
    Ok(summarize(window, &cells, &keep, &names))
}
