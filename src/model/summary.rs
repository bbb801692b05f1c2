//! What the triage area shows from a summary (API 1.1): the top entries of a list, shares,
//! "how long ago", and the chart's geometry and picks (a bucket, or a span dragged across
//! buckets, as a range filter). Pure: the components only draw it.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sync_errors_api::{Bucket, Histogram, Window};

/// How many entries a triage list shows before "Show all": three, so that on a wide screen
/// the summary fits in one row above the grid and its first rows are on the first screen.
pub const TOP: usize = 3;

/// The entries shown: the first [`TOP`] and every chosen one (an applied filter is never
/// hidden), or all of them; and how many are hidden.
pub fn shown<T: Clone>(entries: &[T], all: bool, chosen: impl Fn(&T) -> bool) -> (Vec<T>, usize) {
    if all || entries.len() <= TOP + 1 {
        // Hiding one entry behind a button saves nothing: show it.
        return (entries.to_vec(), 0);
    }
    let shown: Vec<T> = entries
        .iter()
        .enumerate()
        .filter(|(i, e)| *i < TOP || chosen(e))
        .map(|(_, e)| e.clone())
        .collect();
    let hidden = entries.len() - shown.len();
    (shown, hidden)
}

/// `entries`, then every chosen key that none of them has, made by `absent`: a filter whose
/// value has no error under the other filters still shows in its list (with 0), where it
/// can be seen and removed.
pub fn with_chosen<T, K: PartialEq + Clone>(
    mut entries: Vec<T>,
    chosen: &[K],
    key: impl Fn(&T) -> &K,
    absent: impl Fn(K) -> T,
) -> Vec<T> {
    for k in chosen {
        if !entries.iter().any(|e| key(e) == k) {
            entries.push(absent(k.clone()));
        }
    }
    entries
}

/// Where the chart's tooltip goes for the bars `first..=last` of `len`: its anchor, as a
/// fraction `(part, whole)` of the width, and how it hangs from it, so that it stays inside
/// the chart at both ends.
pub fn tip_anchor(first: usize, last: usize, len: usize) -> ((u64, u64), TipAlign) {
    let whole = len.max(1) as u64;
    let (first, last) = (first.min(last) as u64, first.max(last) as u64 + 1);
    if first * 4 < whole {
        ((first, whole), TipAlign::Start)
    } else if last * 4 > whole * 3 {
        ((last, whole), TipAlign::End)
    } else {
        ((first + last, 2 * whole), TipAlign::Center)
    }
}

/// How the tooltip hangs from its anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TipAlign {
    Start,
    Center,
    End,
}

/// `count` as a share of `total` in whole percent, rounded ("<1%" is said as 1).
pub fn share(count: u64, total: u64) -> u64 {
    if total == 0 {
        return 0;
    }
    let count = count.min(total);
    let percent = (u128::from(count) * 100 + u128::from(total) / 2) / u128::from(total);
    (percent as u64).max(u64::from(count > 0))
}

/// A time before `now` as a count of the largest fitting unit, for `Intl.RelativeTimeFormat`
/// (a negative value is in the past): `(-12, "minute")` for twelve minutes ago.
pub fn ago(now: DateTime<Utc>, then: DateTime<Utc>) -> (i64, &'static str) {
    let s = (now - then).num_seconds().max(0);
    match s {
        0..60 => (-s, "second"),
        60..3_600 => (-(s / 60), "minute"),
        3_600..86_400 => (-(s / 3_600), "hour"),
        _ => (-(s / 86_400), "day"),
    }
}

/// The span of buckets `first..=last` as an inclusive range filter: from the first's start
/// to one millisecond before the end of the last (the next bucket's errors stay out).
pub fn bucket_span(
    h: &Histogram,
    first: usize,
    last: usize,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let (a, b) = (first.min(last), first.max(last));
    let start = h.buckets.get(a)?.start;
    let end = h.buckets.get(b)?.start + Duration::seconds(i64::from(h.bucket_seconds));
    Some((start, end - Duration::milliseconds(1)))
}

/// The buckets a range `from..=to` touches (for its highlight), if any.
pub fn buckets_in_range(
    h: &Histogram,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Option<(usize, usize)> {
    if from.is_none() && to.is_none() {
        return None;
    }
    let len = Duration::seconds(i64::from(h.bucket_seconds));
    let touches =
        |b: &Bucket| from.is_none_or(|f| b.start + len > f) && to.is_none_or(|t| b.start <= t);
    let first = h.buckets.iter().position(touches)?;
    let last = h.buckets.iter().rposition(touches)?;
    Some((first, last))
}

/// The highest bucket (the earliest of equals), for the chart's text summary.
pub fn peak(h: &Histogram) -> Option<(usize, &Bucket)> {
    h.buckets
        .iter()
        .enumerate()
        .filter(|(_, b)| b.count() > 0)
        .fold(None, |best: Option<(usize, &Bucket)>, (i, b)| match best {
            Some((_, top)) if top.count() >= b.count() => best,
            _ => Some((i, b)),
        })
}

/// A round top for the chart's scale, at least the highest bar: 1, 2 or 5 times a power of ten.
pub fn scale_top(max: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            if step.saturating_mul(m) >= max.max(1) {
                return step * m;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// Where the days start, in the admin's time zone: the index of each bucket whose local
/// date differs from the one before it, with that date. `local_date` gives an instant's
/// date in the admin's zone (each call costs an `Intl` call in the browser). Dates only
/// move forward, so a span whose two ends fall on the same date holds no change: the
/// changes are found by halving, about 8 calls a day instead of one per bucket.
pub fn day_starts(
    h: &Histogram,
    local_date: impl Fn(DateTime<Utc>) -> Option<NaiveDate>,
) -> Vec<(usize, NaiveDate)> {
    let n = h.buckets.len();
    if n < 2 {
        return Vec::new();
    }
    let date = |i: usize| local_date(h.buckets[i].start);
    let mut out = Vec::new();
    // Spans (lo, its date, hi, its date) still to look into, the earliest on top.
    let mut spans = vec![(0, date(0), n - 1, date(n - 1))];
    while let Some((lo, d_lo, hi, d_hi)) = spans.pop() {
        if d_lo == d_hi {
            continue;
        }
        if hi == lo + 1 {
            out.extend(d_hi.map(|d| (hi, d)));
            continue;
        }
        let mid = lo + (hi - lo) / 2;
        let d_mid = date(mid);
        spans.push((mid, d_mid, hi, d_hi));
        spans.push((lo, d_lo, mid, d_mid));
    }
    out
}

/// The bucket under a pointer at `fraction` (0 to 1) of the chart's width.
pub fn bucket_at(fraction: f64, len: usize) -> usize {
    if len == 0 || !fraction.is_finite() {
        return 0;
    }
    ((fraction * len as f64).floor().max(0.0) as usize).min(len - 1)
}

/// The range a pick of buckets `a..=b` applies: their span, kept inside the window (so the
/// drawer finds nothing to correct). Picking the range already applied takes it off, and
/// buckets wholly outside the window (a backend that breaks the contract) pick nothing: `None`.
pub fn pick(
    h: &Histogram,
    window: &Window,
    applied: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    a: usize,
    b: usize,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let (from, to) = bucket_span(h, a, b)?;
    let picked = (from.max(window.from), to.min(window.to));
    (picked.0 <= picked.1 && applied != (Some(picked.0), Some(picked.1))).then_some(picked)
}

/// A keyboard step on the chart: the new active bucket, kept inside the chart.
pub fn step(active: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    active.saturating_add_signed(delta).min(len - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sync_errors_api::parse_time;

    fn t(s: &str) -> DateTime<Utc> {
        parse_time(s).unwrap()
    }

    fn histogram(counts: &[u64]) -> Histogram {
        let start = t("2026-11-23T08:00:00Z");
        Histogram {
            bucket_seconds: 3600,
            buckets: counts
                .iter()
                .enumerate()
                .map(|(i, n)| Bucket {
                    start: start + Duration::hours(i as i64),
                    record: *n,
                    job: 0,
                })
                .collect(),
        }
    }

    #[test]
    fn a_chosen_entry_without_errors_is_added_with_zero() {
        let entries = vec![("Contact", 5u64), ("Account", 2)];
        let chosen = ["Lead", "Contact", "Task"];
        let all = with_chosen(entries.clone(), &chosen, |e| &e.0, |k| (k, 0));
        assert_eq!(
            all,
            [("Contact", 5), ("Account", 2), ("Lead", 0), ("Task", 0)]
        );
        assert_eq!(
            with_chosen(entries.clone(), &[], |e| &e.0, |k| (k, 0)),
            entries
        );
    }

    #[test]
    fn shows_the_top_three_and_the_chosen_unless_one_more_would_be_hidden() {
        let none = |_: &u32| false;
        let v: Vec<u32> = (0..4).collect();
        assert_eq!(shown(&v, false, none), (v.clone(), 0));
        let v: Vec<u32> = (0..9).collect();
        assert_eq!(shown(&v, false, none), (v[..3].to_vec(), 6));
        assert_eq!(shown(&v, true, none), (v.clone(), 0));
        assert_eq!(shown(&v, false, |x| *x == 8), (vec![0, 1, 2, 8], 5));
    }

    #[test]
    fn the_tooltip_stays_inside_at_both_ends() {
        assert_eq!(tip_anchor(0, 0, 120), ((0, 120), TipAlign::Start));
        assert_eq!(tip_anchor(119, 117, 120), ((120, 120), TipAlign::End));
        assert_eq!(tip_anchor(60, 61, 120), ((122, 240), TipAlign::Center));
    }

    #[test]
    fn shares_round_and_never_say_zero_for_some() {
        assert_eq!(share(1, 1000), 1);
        assert_eq!(share(0, 1000), 0);
        assert_eq!(share(500, 1000), 50);
        assert_eq!(share(2, 3), 67);
        assert_eq!(share(3, 0), 0);
    }

    #[test]
    fn ago_takes_the_largest_unit() {
        let now = t("2026-11-28T10:00:00Z");
        assert_eq!(ago(now, t("2026-11-28T09:59:30Z")), (-30, "second"));
        assert_eq!(ago(now, t("2026-11-28T09:48:00Z")), (-12, "minute"));
        assert_eq!(ago(now, t("2026-11-28T07:00:00Z")), (-3, "hour"));
        assert_eq!(ago(now, t("2026-11-26T09:00:00Z")), (-2, "day"));
        assert_eq!(ago(now, t("2026-11-28T10:00:05Z")), (0, "second"));
    }

    #[test]
    fn a_span_covers_whole_buckets_in_either_direction() {
        let h = histogram(&[1, 2, 3, 4]);
        let (from, to) = bucket_span(&h, 2, 1).unwrap();
        assert_eq!(from, t("2026-11-23T09:00:00Z"));
        assert_eq!(to, t("2026-11-23T10:59:59.999Z"));
        assert_eq!(buckets_in_range(&h, Some(from), Some(to)), Some((1, 2)));
        assert_eq!(bucket_span(&h, 0, 9), None);
    }

    #[test]
    fn a_range_highlights_the_buckets_it_touches() {
        let h = histogram(&[1, 2, 3, 4]);
        assert_eq!(buckets_in_range(&h, None, None), None);
        assert_eq!(
            buckets_in_range(&h, Some(t("2026-11-23T09:30:00Z")), None),
            Some((1, 3))
        );
        assert_eq!(
            buckets_in_range(&h, None, Some(t("2026-11-23T09:00:00Z"))),
            Some((0, 1))
        );
        assert_eq!(
            buckets_in_range(&h, Some(t("2026-12-01T00:00:00Z")), None),
            None
        );
    }

    #[test]
    fn peak_and_scale() {
        let h = histogram(&[1, 7, 7, 2]);
        assert_eq!(peak(&h).map(|(i, _)| i), Some(1));
        assert_eq!(peak(&histogram(&[0, 0])), None);
        assert_eq!(
            [0, 1, 3, 7, 12, 250, 501].map(scale_top),
            [1, 1, 5, 10, 20, 500, 1000]
        );
    }

    #[test]
    fn days_start_where_the_local_date_changes() {
        let h = histogram(&[0; 30]);
        // UTC+1: local midnight is 23:00 UTC, the bucket at index 15 (08:00 + 15 h).
        let plus_one = |at: DateTime<Utc>| Some((at + Duration::hours(1)).date_naive());
        let days = day_starts(&h, plus_one);
        assert_eq!(
            days,
            vec![(15, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap())]
        );
        // Five days of hours: the same answer as one call per bucket, with fewer calls.
        let h = histogram(&[0; 121]);
        let calls = std::cell::Cell::new(0);
        let counted = |at: DateTime<Utc>| {
            calls.set(calls.get() + 1);
            plus_one(at)
        };
        let mut linear = Vec::new();
        for (i, pair) in h.buckets.windows(2).enumerate() {
            let (a, b) = (plus_one(pair[0].start), plus_one(pair[1].start));
            if a != b {
                linear.extend(b.map(|d| (i + 1, d)));
            }
        }
        assert_eq!(day_starts(&h, counted), linear);
        assert_eq!(linear.len(), 5);
        assert!(calls.get() < 50, "{} calls", calls.get());
        // One bucket, or none: no day starts.
        assert!(day_starts(&histogram(&[3]), plus_one).is_empty());
    }

    #[test]
    fn pointer_positions_and_picks() {
        assert_eq!(bucket_at(0.0, 10), 0);
        assert_eq!(bucket_at(0.999, 10), 9);
        assert_eq!(bucket_at(1.5, 10), 9);
        assert_eq!(bucket_at(-0.2, 10), 0);
        assert_eq!(bucket_at(f64::NAN, 10), 0);
        let h = histogram(&[1, 2, 3, 4]);
        let window = Window {
            from: t("2026-11-23T08:20:00Z"),
            to: t("2026-11-23T11:10:00Z"),
            current_sync_at: t("2026-11-23T11:00:00Z"),
        };
        let (from, to) = pick(&h, &window, (None, None), 0, 3).unwrap();
        assert_eq!((from, to), (window.from, window.to));
        let (from, to) = pick(&h, &window, (None, None), 1, 1).unwrap();
        assert_eq!(
            (from, to),
            (t("2026-11-23T09:00:00Z"), t("2026-11-23T09:59:59.999Z"))
        );
        assert_eq!(pick(&h, &window, (Some(from), Some(to)), 1, 1), None);
        // A bucket after the window's end (against the contract) picks nothing.
        let early = Window {
            to: t("2026-11-23T10:10:00Z"),
            ..window
        };
        assert_eq!(pick(&h, &early, (None, None), 3, 3), None);
        assert!(pick(&h, &early, (None, None), 2, 3).is_some());
    }

    #[test]
    fn steps_stay_inside() {
        assert_eq!(step(0, -1, 10), 0);
        assert_eq!(step(9, 1, 10), 9);
        assert_eq!(step(3, 24, 10), 9);
        assert_eq!(step(3, -2, 10), 1);
        assert_eq!(step(0, 1, 0), 0);
    }
}
