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
