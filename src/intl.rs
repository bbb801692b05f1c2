//! Times in the admin's time zone through the browser's `Intl` (no time-zone database is
//! compiled into the module). Formatters are cached: building one per row is slow.

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::format::utc_exact;

thread_local! {
    static DATE_TIME: RefCell<Option<Intl::DateTimeFormat>> = const { RefCell::new(None) };
}

fn formatter() -> Intl::DateTimeFormat {
    DATE_TIME.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| {
                let options = Object::new();
                for (k, v) in [
                    ("year", "numeric"),
                    ("month", "short"),
                    ("day", "numeric"),
                    ("hour", "2-digit"),
                    ("minute", "2-digit"),
                    ("second", "2-digit"),
                    ("timeZoneName", "short"),
                ] {
                    let _ = Reflect::set(&options, &k.into(), &v.into());
                }
                Intl::DateTimeFormat::new(&Array::of1(&JsValue::from_str("en")), &options)
            })
            .clone()
    })
}

/// A failure time in the admin's time zone, e.g. `Nov 28, 2026, 10:41:07 AM GMT+1`.
pub fn local_time(t: DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(t.timestamp_millis() as f64));
    let f = formatter();
    f.format()
        .call1(&f, &date)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| utc_exact(t))
}
