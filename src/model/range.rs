//! The filter drawer's date/time range, without the browser: reading `datetime-local`
//! values, presets, and the checks that keep a range inside the retention window.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use sync_errors_api::Window;

use crate::text::i18n::{Texts, fill};

/// A wall-clock time as a `datetime-local` input holds it (`2026-11-28T10:15`), in the
/// admin's time zone; the browser turns it into an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WallClock(pub NaiveDateTime);

impl WallClock {
    /// Reads `YYYY-MM-DDTHH:MM` (seconds optional); `None` for an empty or partial value.
    pub fn parse(value: &str) -> Option<WallClock> {
        let value = value.trim();
        let (date, time) = value.split_once('T')?;
        let date: Vec<u32> = fields(date, '-', 3, 3, &[4, 2, 2])?;
        let time: Vec<u32> = fields(time, ':', 2, 3, &[2, 2, 2])?;
        let date = NaiveDate::from_ymd_opt(i32::try_from(date[0]).ok()?, date[1], date[2])?;
        let time = NaiveTime::from_hms_opt(time[0], time[1], time.get(2).copied().unwrap_or(0))?;
        Some(WallClock(date.and_time(time)))
    }

    /// The input's value, to the minute.
    pub fn to_input_value(self) -> String {
        crate::text::time::date_time(self.0, 'T', ':', false)
    }
}

/// Splits `text` on `sep` into `min..=max` fields of ASCII digits, each exactly as wide as
/// `widths` says (`2026-11-28`, `10:15`, `10:15:30`). Read by hand rather than with
/// chrono's `parse_from_str`, whose strftime machinery costs the module about 20 KB.
fn fields(text: &str, sep: char, min: usize, max: usize, widths: &[usize]) -> Option<Vec<u32>> {
    let parts: Vec<&str> = text.split(sep).collect();
    if parts.len() < min || parts.len() > max {
        return None;
    }
    parts
        .iter()
        .zip(widths)
        .map(|(p, &w)| {
            (p.len() == w && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect()
}

/// The drawer's presets, relative to the window's end (the server's now).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    LastHour,
    Last24Hours,
    WholeWindow,
}

impl Preset {
    pub const ALL: [Preset; 3] = [Preset::LastHour, Preset::Last24Hours, Preset::WholeWindow];

    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Preset::LastHour => t.last_hour,
            Preset::Last24Hours => t.last_24_hours,
            Preset::WholeWindow => t.whole_window,
        }
    }

    /// The range the preset stands for: `from` (`None` = the window's start) up to now.
    pub fn from(self, window: &Window) -> Option<DateTime<Utc>> {
        match self {
            Preset::LastHour => Some(window.to - Duration::hours(1)),
            Preset::Last24Hours => Some((window.to - Duration::hours(24)).max(window.from)),
            Preset::WholeWindow => None,
        }
    }
}

/// What can be wrong with one bound of a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeProblem {
    /// The field holds text that is not a date and time.
    Unreadable,
    /// The time does not exist in the admin's zone: the clocks went forward over it
    /// (offsets before and after, seconds east of UTC).
    Skipped { before: i32, after: i32 },
    /// Before the window's start (errors are not kept that long).
    BeforeWindow,
    /// Later than now.
    AfterNow,
    /// The start is after the end.
    StartAfterEnd,
}

impl RangeProblem {
    /// The message next to the field; `describe` writes a time in the admin's zone.
    pub fn message(
        self,
        t: &Texts,
        is_start: bool,
        window: &Window,
        describe: impl Fn(DateTime<Utc>) -> String,
    ) -> String {
        match (self, is_start) {
            (RangeProblem::Unreadable, _) => t.enter_date_time.into(),
            (RangeProblem::Skipped { before, after }, _) => {
                fill(t.skipped_time, &[&offset_name(before), &offset_name(after)])
            }
            (RangeProblem::BeforeWindow, true) => fill(t.before_window, &[&describe(window.from)]),
            (RangeProblem::BeforeWindow, false) => {
                fill(t.end_before_window, &[&describe(window.from)])
            }
            (RangeProblem::AfterNow, true) => fill(t.start_after_now, &[&describe(window.to)]),
            (RangeProblem::AfterNow, false) => fill(t.end_after_now, &[&describe(window.to)]),
            (RangeProblem::StartAfterEnd, _) => t.start_after_end.into(),
        }
    }
}

/// What is wrong with a range, field by field (shown next to each field).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RangeProblems {
    pub from: Option<RangeProblem>,
    pub to: Option<RangeProblem>,
}

impl RangeProblems {
    pub fn is_ok(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }
}

/// Checks a range against the window. `unread` is what was wrong with reading each field
/// (text that is not a date and time, a time the clocks skip), which comes first.
pub fn check_range(
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    unread: (Option<RangeProblem>, Option<RangeProblem>),
    window: &Window,
) -> RangeProblems {
    // Inputs hold whole minutes: compare against the window's bounds to the minute.
    let earliest = floor_minute(window.from);
    let bound =
        |value: Option<DateTime<Utc>>, unread: Option<RangeProblem>, slack: Duration| match value {
            _ if unread.is_some() => unread,
            Some(v) if v < earliest => Some(RangeProblem::BeforeWindow),
            Some(v) if v > window.to + slack => Some(RangeProblem::AfterNow),
            _ => None,
        };
    let mut p = RangeProblems {
        from: bound(from, unread.0, Duration::zero()),
        to: bound(to, unread.1, Duration::minutes(1)),
    };
    if let (Some(f), Some(t), true) = (from, to, p.is_ok())
        && f > t
    {
        p.from = Some(RangeProblem::StartAfterEnd);
    }
    p
}

pub fn floor_minute(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp().div_euclid(60) * 60, 0).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sync_errors_api::parse_time;

    fn window() -> Window {
        Window {
            from: parse_time("2026-11-23T08:00:00Z").unwrap(),
            to: parse_time("2026-11-28T10:15:30Z").unwrap(),
            current_sync_at: parse_time("2026-11-28T08:00:00Z").unwrap(),
        }
    }

    fn t(s: &str) -> Option<DateTime<Utc>> {
        parse_time(s)
    }

    fn check(from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> RangeProblems {
        check_range(from, to, (None, None), &window())
    }

    #[test]
    fn reads_datetime_local_values() {
        let w = WallClock::parse("2026-11-28T10:15").unwrap();
        assert_eq!(w.to_input_value(), "2026-11-28T10:15");
        assert!(WallClock::parse("2026-11-28T10:15:59").is_some());
        for bad in [
            "",
            "2026-11-28",
            "2026-13-01T00:00",
            "tomorrow",
            "2026-11-28T25:00",
            "2026-11-28T10:15:5",
            "2026-11-28T10:15:30.5",
            "+2026-11-28T10:15",
            "2026-1-28T10:15",
            "2026-11-28T10:15:00:00",
        ] {
            assert_eq!(WallClock::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn ranges_inside_the_window_are_fine() {
        assert!(check(None, None).is_ok());
        assert!(check(t("2026-11-23T08:00:00Z"), t("2026-11-28T10:15:00Z")).is_ok());
        assert!(check(t("2026-11-27T00:00:00Z"), None).is_ok());
    }

    #[test]
    fn a_start_after_the_end_is_explained_on_the_start() {
        let p = check(t("2026-11-28T00:00:00Z"), t("2026-11-27T00:00:00Z"));
        assert_eq!(p.from, Some(RangeProblem::StartAfterEnd));
        assert_eq!(p.to, None);
        let said =
            RangeProblem::StartAfterEnd
                .message(&crate::text::i18n::EN, true, &window(), |t| t.to_rfc3339());
        assert_eq!(said, "The start is after the end.");
    }

    #[test]
    fn bounds_outside_the_window_are_explained() {
        let p = check(t("2026-11-20T00:00:00Z"), t("2026-12-01T00:00:00Z"));
        assert_eq!(
            (p.from, p.to),
            (
                Some(RangeProblem::BeforeWindow),
                Some(RangeProblem::AfterNow)
            )
        );
        let said =
            RangeProblem::BeforeWindow.message(&crate::text::i18n::FR, true, &window(), |_| {
                "23/11/2026 09:00".into()
            });
        assert!(
            said.starts_with("Les erreurs ne sont conservées qu’à partir du 23/11/2026 09:00"),
            "{said}"
        );
        let p = check_range(
            None,
            None,
            (Some(RangeProblem::Unreadable), None),
            &window(),
        );
        assert_eq!(p.from, Some(RangeProblem::Unreadable));
    }

    #[test]
    fn presets_end_now() {
        let w = window();
        assert_eq!(Preset::LastHour.from(&w), t("2026-11-28T09:15:30Z"));
        assert_eq!(Preset::Last24Hours.from(&w), t("2026-11-27T10:15:30Z"));
        assert_eq!(Preset::WholeWindow.from(&w), None);
        for p in Preset::ALL {
            assert!(check(p.from(&w).map(floor_minute), None).is_ok(), "{p:?}");
        }
    }
}

/// What a wall-clock time names in a zone. Around a daylight-saving change a time may name
/// no instant (the clocks jump over it) or two (the clocks go back over it): neither is
/// silently shifted, the drawer explains both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WallClockReading {
    /// One instant, as on any ordinary day.
    At(DateTime<Utc>),
    /// The time happens twice: first with the earlier offset, then with the later one.
    Twice {
        earlier: DateTime<Utc>,
        later: DateTime<Utc>,
    },
    /// The time does not exist: the clocks went forward over it. The offsets (seconds east
    /// of UTC) before and after the change.
    Skipped { before: i32, after: i32 },
}

/// Which of a repeated time is meant: the first (before the clocks go back) or the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Occurrence {
    #[default]
    First,
    Second,
}

impl WallClockReading {
    /// The instant meant: for a repeated time, the chosen occurrence; none for a skipped one.
    pub fn instant(self, which: Occurrence) -> Option<DateTime<Utc>> {
        match (self, which) {
            (WallClockReading::At(t), _) => Some(t),
            (WallClockReading::Twice { earlier, .. }, Occurrence::First) => Some(earlier),
            (WallClockReading::Twice { later, .. }, Occurrence::Second) => Some(later),
            (WallClockReading::Skipped { .. }, _) => None,
        }
    }
}

/// Reads a wall-clock time in a zone whose UTC offset at an instant is given by `offset_at`
/// (seconds east of UTC).
pub fn read_wall_clock(
    wall: NaiveDateTime,
    offset_at: impl Fn(DateTime<Utc>) -> Option<i32>,
) -> Option<WallClockReading> {
    let as_utc = wall.and_utc();
    let shifted = |offset: i32| as_utc - Duration::seconds(i64::from(offset));
    // Offsets change at most once in a day: the one before and the one after cover it.
    let before = offset_at(as_utc - Duration::hours(12))?;
    let after = offset_at(as_utc + Duration::hours(12))?;
    let mut consistent: Vec<DateTime<Utc>> = [before, after]
        .into_iter()
        .map(|o| (o, shifted(o)))
        .filter(|(o, t)| offset_at(*t) == Some(*o))
        .map(|(_, t)| t)
        .collect();
    consistent.sort();
    consistent.dedup();
    Some(match consistent[..] {
        [t] => WallClockReading::At(t),
        [earlier, later] => WallClockReading::Twice { earlier, later },
        _ => WallClockReading::Skipped { before, after },
    })
}

/// `UTC−04:00`, `UTC+05:45`: an offset as the drawer names it.
pub fn offset_name(seconds_east: i32) -> String {
    let sign = if seconds_east < 0 { '\u{2212}' } else { '+' };
    let m = seconds_east.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

#[cfg(test)]
mod zone_tests {
    use super::*;
    use sync_errors_api::parse_time;

    /// America/New_York around 2026: EDT (-4 h) from Mar 8 07:00 UTC to Nov 1 06:00 UTC.
    fn new_york(t: DateTime<Utc>) -> Option<i32> {
        let dst_start = parse_time("2026-03-08T07:00:00Z").unwrap();
        let dst_end = parse_time("2026-11-01T06:00:00Z").unwrap();
        Some(if t >= dst_start && t < dst_end {
            -4 * 3600
        } else {
            -5 * 3600
        })
    }

    fn kathmandu(_: DateTime<Utc>) -> Option<i32> {
        Some(5 * 3600 + 45 * 60)
    }

    fn wall(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
    }

    fn at(s: &str) -> Option<WallClockReading> {
        parse_time(s).map(WallClockReading::At)
    }

    #[test]
    fn ordinary_times() {
        assert_eq!(
            read_wall_clock(wall("2026-11-28T10:15"), new_york),
            at("2026-11-28T15:15:00Z")
        );
        assert_eq!(
            read_wall_clock(wall("2026-07-01T10:15"), new_york),
            at("2026-07-01T14:15:00Z")
        );
        assert_eq!(
            read_wall_clock(wall("2026-11-28T10:15"), kathmandu),
            at("2026-11-28T04:30:00Z")
        );
    }

    #[test]
    fn a_repeated_time_offers_both_instants() {
        // 01:30 happens twice on Nov 1: first in EDT (05:30Z), then in EST (06:30Z).
        let reading = read_wall_clock(wall("2026-11-01T01:30"), new_york).unwrap();
        let (earlier, later) = (
            parse_time("2026-11-01T05:30:00Z").unwrap(),
            parse_time("2026-11-01T06:30:00Z").unwrap(),
        );
        assert_eq!(reading, WallClockReading::Twice { earlier, later });
        assert_eq!(reading.instant(Occurrence::First), Some(earlier));
        assert_eq!(reading.instant(Occurrence::Second), Some(later));
    }

    #[test]
    fn a_skipped_time_is_not_shifted() {
        // 02:30 does not exist on Mar 8: the clocks go from 02:00 EST to 03:00 EDT.
        let reading = read_wall_clock(wall("2026-03-08T02:30"), new_york).unwrap();
        assert_eq!(
            reading,
            WallClockReading::Skipped {
                before: -5 * 3600,
                after: -4 * 3600
            }
        );
        assert_eq!(reading.instant(Occurrence::First), None);
        // The minutes either side of the gap are ordinary.
        assert_eq!(
            read_wall_clock(wall("2026-03-08T01:59"), new_york),
            at("2026-03-08T06:59:00Z")
        );
        assert_eq!(
            read_wall_clock(wall("2026-03-08T03:00"), new_york),
            at("2026-03-08T07:00:00Z")
        );
    }

    #[test]
    fn offsets_are_named() {
        assert_eq!(offset_name(-4 * 3600), "UTC\u{2212}04:00");
        assert_eq!(offset_name(5 * 3600 + 45 * 60), "UTC+05:45");
        assert_eq!(offset_name(0), "UTC+00:00");
    }
}
