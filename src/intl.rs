//! Times in the admin's time zone through the browser's `Intl` (no time-zone database is
//! compiled into the module). Formatters are cached: building one per row is slow.

use std::cell::RefCell;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::format::utc_exact;
use crate::range::WallClock;

thread_local! {
    static DATE_TIME: RefCell<Option<Intl::DateTimeFormat>> = const { RefCell::new(None) };
    static SHORT: RefCell<Option<Intl::DateTimeFormat>> = const { RefCell::new(None) };
}

type FormatterCell = std::thread::LocalKey<RefCell<Option<Intl::DateTimeFormat>>>;

/// Formats `t` with the formatter cached in `cell`, built from `options` on first use.
fn format_cached(
    cell: &'static FormatterCell,
    options: &[(&str, &str)],
    t: DateTime<Utc>,
) -> String {
    let f = cell.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| {
                let o = Object::new();
                for (k, v) in options {
                    let _ = Reflect::set(&o, &(*k).into(), &(*v).into());
                }
                Intl::DateTimeFormat::new(&Array::of1(&JsValue::from_str("en")), &o)
            })
            .clone()
    });
    let date = js_sys::Date::new(&JsValue::from_f64(t.timestamp_millis() as f64));
    f.format()
        .call1(&f, &date)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| utc_exact(t))
}

/// A failure time in the admin's time zone, e.g. `Nov 28, 2026, 10:41:07 AM GMT+1`.
pub fn local_time(t: DateTime<Utc>) -> String {
    const OPTIONS: [(&str, &str); 7] = [
        ("year", "numeric"),
        ("month", "short"),
        ("day", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("second", "2-digit"),
        ("timeZoneName", "short"),
    ];
    format_cached(&DATE_TIME, &OPTIONS, t)
}

/// A compact local time for chips: `Nov 28, 10:15 AM`.
pub fn short_time(t: DateTime<Utc>) -> String {
    const OPTIONS: [(&str, &str); 4] = [
        ("month", "short"),
        ("day", "numeric"),
        ("hour", "numeric"),
        ("minute", "2-digit"),
    ];
    format_cached(&SHORT, &OPTIONS, t)
}

/// The wall-clock time of an instant in the admin's time zone, for a `datetime-local` input.
pub fn to_wall_clock(t: DateTime<Utc>) -> Option<WallClock> {
    let d = js_sys::Date::new(&JsValue::from_f64(t.timestamp_millis() as f64));
    let date = NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())?;
    Some(WallClock(date.and_hms_opt(
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds(),
    )?))
}

/// The instant a wall-clock time stands for in the admin's time zone.
pub fn from_wall_clock(w: WallClock) -> Option<DateTime<Utc>> {
    let n = w.0;
    let d = js_sys::Date::new_with_year_month_day_hr_min_sec(
        n.year() as u32,
        n.month0() as i32,
        n.day() as i32,
        n.hour() as i32,
        n.minute() as i32,
        n.second() as i32,
    );
    let ms = d.get_time();
    if ms.is_finite() {
        DateTime::from_timestamp_millis(ms as i64)
    } else {
        None
    }
}

/// An instant in the admin's time zone with its offset, e.g. `2026-11-28T10:41:07+01:00`.
pub fn local_with_offset(t: DateTime<Utc>) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(t.timestamp_millis() as f64));
    let local = NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
        .and_then(|date| date.and_hms_opt(d.get_hours(), d.get_minutes(), d.get_seconds()));
    match local {
        // getTimezoneOffset is minutes behind UTC; the offset east is its opposite.
        Some(local) => crate::csv::with_offset(local, -(d.get_timezone_offset() as i32)),
        None => t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}
