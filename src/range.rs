//! The filter drawer's date/time range, without the browser: reading `datetime-local`
//! values, presets, and the checks that keep a range inside the retention window.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use sync_errors_api::Window;

/// A wall-clock time as a `datetime-local` input holds it (`2026-11-28T10:15`), in the
/// admin's time zone; the browser turns it into an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WallClock(pub NaiveDateTime);

impl WallClock {
    /// Reads `YYYY-MM-DDTHH:MM` (seconds optional); `None` for an empty or partial value.
    pub fn parse(value: &str) -> Option<WallClock> {
        let value = value.trim();
        let (date, time) = value.split_once('T')?;
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
        let time = NaiveTime::parse_from_str(time, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M:%S"))
            .ok()?;
        Some(WallClock(date.and_time(time)))
    }

    /// The input's value, to the minute.
    pub fn to_input_value(self) -> String {
        self.0.format("%Y-%m-%dT%H:%M").to_string()
    }
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

    pub fn label(self) -> &'static str {
        match self {
            Preset::LastHour => "Last hour",
            Preset::Last24Hours => "Last 24 hours",
            Preset::WholeWindow => "Whole window",
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

/// What is wrong with a range, field by field (shown next to each field).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RangeProblems {
    pub from: Option<String>,
    pub to: Option<String>,
}

impl RangeProblems {
    pub fn is_ok(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }
}

/// Checks a range against the window. `typed_but_unreadable` flags a field holding text that
/// is not a date and time. `describe` formats a bound for the message (in the admin's zone).
pub fn check_range(
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    unreadable: (bool, bool),
    window: &Window,
    describe: impl Fn(DateTime<Utc>) -> String,
) -> RangeProblems {
    let mut p = RangeProblems::default();
    // Inputs hold whole minutes: compare against the window's bounds to the minute.
    let earliest = floor_minute(window.from);
    let latest = window.to;
    if unreadable.0 {
        p.from = Some("Enter a date and time.".into());
    } else if let Some(f) = from {
        if f < earliest {
            p.from = Some(format!(
                "Errors are kept from {} only (five days before the current sync).",
                describe(window.from)
            ));
        } else if f > latest {
            p.from = Some(format!(
                "The start cannot be later than now ({}).",
                describe(latest)
            ));
        }
    }
    if unreadable.1 {
        p.to = Some("Enter a date and time.".into());
    } else if let Some(t) = to {
        if t < earliest {
            p.to = Some(format!(
                "Errors are kept from {} only.",
                describe(window.from)
            ));
        } else if t > latest + Duration::minutes(1) {
            p.to = Some(format!(
                "The end cannot be later than now ({}).",
                describe(latest)
            ));
        }
    }
    if let (Some(f), Some(t), None, None) = (from, to, &p.from, &p.to)
        && f > t
    {
        p.from = Some("The start is after the end.".into());
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
        check_range(from, to, (false, false), &window(), |t| t.to_rfc3339())
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
        assert_eq!(p.from.as_deref(), Some("The start is after the end."));
        assert_eq!(p.to, None);
    }

    #[test]
    fn bounds_outside_the_window_are_explained() {
        let p = check(t("2026-11-20T00:00:00Z"), t("2026-12-01T00:00:00Z"));
        assert!(p.from.unwrap().contains("Errors are kept from"));
        assert!(p.to.unwrap().contains("cannot be later than now"));
        let p = check_range(None, None, (true, false), &window(), |t| t.to_rfc3339());
        assert_eq!(p.from.as_deref(), Some("Enter a date and time."));
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

/// The instant a wall-clock time names in a zone whose UTC offset at an instant is given by
/// `offset_at` (seconds east of UTC). In a daylight-saving gap (a time that does not exist)
/// the later offset is used, so 02:30 on a spring-forward night reads as 03:30; in an overlap
/// (a time that happens twice) the earlier instant is taken.
pub fn instant_for_wall_clock(
    wall: NaiveDateTime,
    offset_at: impl Fn(DateTime<Utc>) -> Option<i32>,
) -> Option<DateTime<Utc>> {
    let as_utc = wall.and_utc();
    let shifted = |offset: i32| as_utc - Duration::seconds(i64::from(offset));
    // Offsets change at most once in a day: the one before and the one after cover it.
    let before = offset_at(as_utc - Duration::hours(12))?;
    let after = offset_at(as_utc + Duration::hours(12))?;
    let consistent = [before, after]
        .into_iter()
        .map(|o| (o, shifted(o)))
        .filter(|(o, t)| offset_at(*t) == Some(*o))
        .map(|(_, t)| t)
        .min();
    // None consistent: a gap; the clock was set forward, so read the time with the old offset.
    Some(consistent.unwrap_or_else(|| shifted(before)))
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

    #[test]
    fn ordinary_times() {
        assert_eq!(
            instant_for_wall_clock(wall("2026-11-28T10:15"), new_york),
            parse_time("2026-11-28T15:15:00Z")
        );
        assert_eq!(
            instant_for_wall_clock(wall("2026-07-01T10:15"), new_york),
            parse_time("2026-07-01T14:15:00Z")
        );
        assert_eq!(
            instant_for_wall_clock(wall("2026-11-28T10:15"), kathmandu),
            parse_time("2026-11-28T04:30:00Z")
        );
    }

    #[test]
    fn the_overlap_takes_the_earlier_instant() {
        // 01:30 happens twice on Nov 1: first in EDT (05:30Z), then in EST (06:30Z).
        assert_eq!(
            instant_for_wall_clock(wall("2026-11-01T01:30"), new_york),
            parse_time("2026-11-01T05:30:00Z")
        );
    }

    #[test]
    fn the_gap_moves_forward() {
        // 02:30 does not exist on Mar 8: it reads as 03:30 EDT (07:30Z).
        assert_eq!(
            instant_for_wall_clock(wall("2026-03-08T02:30"), new_york),
            parse_time("2026-03-08T07:30:00Z")
        );
    }
}
