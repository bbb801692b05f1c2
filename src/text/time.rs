//! Times as the tab writes them without the browser: the exact UTC time, RFC 3339 for
//! `datetime` attributes, a wall-clock with its offset (the CSV's local column) and the
//! parts a `datetime-local` input holds. Times in the admin's zone go through `intl`.

use std::fmt::Write;

use chrono::{DateTime, Datelike, NaiveDateTime, SecondsFormat, Timelike, Utc};

/// The exact UTC time, as shown on hover and focus: `2026-11-28 09:41:07 UTC`.
pub fn utc_exact(t: DateTime<Utc>) -> String {
    let mut out = date_time(t.naive_utc(), ' ', ':', true);
    out.push_str(" UTC");
    out
}

/// `2026-11-28T10:41:07`, with the given separator between date and time and between the
/// time's fields, and with or without seconds. Written by hand rather than with chrono's
/// `format("%Y…")`: the strftime parser and formatter cost the module about 20 KB.
pub fn date_time(t: NaiveDateTime, between: char, time_sep: char, seconds: bool) -> String {
    let mut out = String::with_capacity(19);
    // Writing into a String cannot fail.
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}{between}{:02}{time_sep}{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute()
    );
    if seconds {
        let _ = write!(out, "{time_sep}{:02}", t.second());
    }
    out
}

/// RFC 3339 in UTC, for `datetime` attributes.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A local time to the millisecond with its UTC offset, e.g. `2026-11-28T10:41:07.250+01:00`.
pub fn with_offset(local: NaiveDateTime, offset_minutes_east: i32) -> String {
    let sign = if offset_minutes_east < 0 { '-' } else { '+' };
    let m = offset_minutes_east.unsigned_abs();
    format!(
        "{}.{:03}{sign}{:02}:{:02}",
        date_time(local, 'T', ':', true),
        local.and_utc().timestamp_subsec_millis(),
        m / 60,
        m % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc() {
        let t = sync_errors_api::parse_time("2026-11-28T09:41:07.5Z").unwrap();
        assert_eq!(utc_exact(t), "2026-11-28 09:41:07 UTC");
        assert_eq!(rfc3339(t), "2026-11-28T09:41:07Z");
    }
}
