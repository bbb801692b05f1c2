//! Times in the admin's time zone through the browser's `Intl` (no time-zone database is
//! compiled into the module): the browser's own zone, or the `time-zone` setting.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::model::range::{WallClock, WallClockReading, read_wall_clock};
use crate::text::i18n::Lang;
use crate::text::time::{utc_exact, with_offset};

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Style {
    /// `Nov 28, 2026, 10:41:07 AM GMT+1`: the grid and the detail.
    Full,
    /// Numeric parts, for reading the wall clock.
    Parts,
    /// `Nov 23` / `23 nov.`: the chart's day ticks.
    Day,
    /// `Nov 28, 02:00 PM` / `28 nov., 14:00`: a chart bucket's bounds.
    Short,
    /// `Full` without the seconds: a range bound picked to the minute.
    Minute,
}

impl Style {
    fn options(self, lang: Lang) -> &'static [(&'static str, &'static str)] {
        match (self, lang) {
            (Style::Full, Lang::En) => &[
                ("year", "numeric"),
                ("month", "short"),
                ("day", "numeric"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
                ("second", "2-digit"),
                ("timeZoneName", "short"),
            ],
            // French reads numeric dates: 28/11/2026 10:41:07 UTC+1.
            (Style::Full, Lang::Fr) => &[
                ("year", "numeric"),
                ("month", "2-digit"),
                ("day", "2-digit"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
                ("second", "2-digit"),
                ("timeZoneName", "short"),
            ],
            (Style::Minute, Lang::En) => &[
                ("year", "numeric"),
                ("month", "short"),
                ("day", "numeric"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
                ("timeZoneName", "short"),
            ],
            (Style::Minute, Lang::Fr) => &[
                ("year", "numeric"),
                ("month", "2-digit"),
                ("day", "2-digit"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
                ("timeZoneName", "short"),
            ],
            (Style::Day, _) => &[("month", "short"), ("day", "numeric")],
            (Style::Short, _) => &[
                ("month", "short"),
                ("day", "numeric"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
            ],
            (Style::Parts, _) => &[
                ("year", "numeric"),
                ("month", "numeric"),
                ("day", "numeric"),
                ("hour", "numeric"),
                ("minute", "numeric"),
                ("second", "numeric"),
                ("hourCycle", "h23"),
            ],
        }
    }
}

/// Formatters by style, language and zone.
type Formatters = HashMap<(Style, Lang, Option<String>), Intl::DateTimeFormat>;

thread_local! {
    static FORMATTERS: RefCell<Formatters> = RefCell::new(HashMap::new());
    /// UTC offsets (seconds east) by zone and 15-minute UTC slot: zones change offset only
    /// on such boundaries, so one `Intl` call serves every time in the slot.
    static OFFSETS: RefCell<HashMap<(Option<String>, i64), i32>> = RefCell::new(HashMap::new());
    /// "12 min ago" formatters by language (each top error type says one, every 30 s).
    static RELATIVE: RefCell<HashMap<Lang, Intl::RelativeTimeFormat>> = RefCell::new(HashMap::new());
}

/// Builds a formatter; `Err` when the browser does not know the time zone.
fn build(style: Style, lang: Lang, zone: Option<&str>) -> Result<Intl::DateTimeFormat, JsValue> {
    let options = Object::new();
    for (k, v) in style.options(lang) {
        Reflect::set(&options, &(*k).into(), &(*v).into())?;
    }
    if let Some(zone) = zone {
        Reflect::set(&options, &"timeZone".into(), &zone.into())?;
    }
    let locales = Array::of1(&JsValue::from_str(lang.tag()));
    // Constructed through `Reflect` so that an unknown zone is an `Err`, not a throw; the
    // class is read from `Intl` (making a throwaway formatter for its constructor cost
    // about 20 ms of the tab's start in Chromium: each one loads locale data).
    let intl = Reflect::get(&js_sys::global(), &"Intl".into())?;
    let constructor: js_sys::Function =
        Reflect::get(&intl, &"DateTimeFormat".into())?.dyn_into()?;
    Reflect::construct(&constructor, &Array::of2(&locales, &options)).map(JsCast::unchecked_into)
}

fn js_date(t: DateTime<Utc>) -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(t.timestamp_millis() as f64))
}

/// How the tab writes times: in one time zone and language, through `Intl`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimeFormat {
    /// An IANA zone the browser knows; `None` is the browser's own zone.
    zone: Option<String>,
    lang: Lang,
}

impl TimeFormat {
    /// The format for `zone`; a zone the browser does not know is returned as rejected and
    /// the browser's zone is used instead.
    pub fn new(zone: Option<&str>, lang: Lang) -> (TimeFormat, Option<String>) {
        let browser = TimeFormat { zone: None, lang };
        let known = |z: &str| TimeFormat {
            zone: Some(z.to_owned()),
            lang,
        };
        match zone.map(str::trim).filter(|z| !z.is_empty()) {
            // (The formatter that says the zone is known is kept for the offsets.)
            Some(z) if known(z).formatter(Style::Parts).is_some() => (known(z), None),
            Some(z) => (browser, Some(z.to_owned())),
            None => (browser, None),
        }
    }

    fn formatter(&self, style: Style) -> Option<Intl::DateTimeFormat> {
        FORMATTERS.with(|cache| {
            let mut cache = cache.borrow_mut();
            let key = (style, self.lang, self.zone.clone());
            if let Some(f) = cache.get(&key) {
                return Some(f.clone());
            }
            let f = build(style, self.lang, self.zone.as_deref()).ok()?;
            cache.insert(key, f.clone());
            Some(f)
        })
    }

    fn format(&self, style: Style, t: DateTime<Utc>) -> String {
        self.formatting(style)(t)
    }

    /// Formats in `style`, the formatter and its `format` function looked up once; the exact
    /// UTC time when `Intl` cannot.
    fn formatting(&self, style: Style) -> impl FnMut(DateTime<Utc>) -> String + use<> {
        let format = self
            .formatter(style)
            .map(|f| (f.format(), JsValue::from(f)));
        move |t| {
            format
                .as_ref()
                .and_then(|(call, this)| call.call1(this, &js_date(t)).ok())
                .and_then(|v| v.as_string())
                .unwrap_or_else(|| utc_exact(t))
        }
    }

    /// A failure time, e.g. `Nov 28, 2026, 10:41:07 AM GMT+1`.
    pub fn local(&self, t: DateTime<Utc>) -> String {
        self.format(Style::Full, t)
    }

    /// [`local`](Self::local) for many times (a page of 1,000 rows formats 1,000 times).
    pub fn local_many(&self) -> impl FnMut(DateTime<Utc>) -> String + use<> {
        self.formatting(Style::Full)
    }

    /// The zone's offset from UTC at `t`, in seconds east.
    pub fn offset_at(&self, t: DateTime<Utc>) -> Option<i32> {
        let slot = t.timestamp().div_euclid(900);
        let key = (self.zone.clone(), slot);
        if let Some(o) = OFFSETS.with(|c| c.borrow().get(&key).copied()) {
            return Some(o);
        }
        let start = DateTime::from_timestamp(slot * 900, 0)?;
        let f = self.formatter(Style::Parts)?;
        let parts = f.format_to_parts(&js_date(start));
        let mut v = [0u32; 6];
        for part in parts.iter() {
            let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
            let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
            let index = ["year", "month", "day", "hour", "minute", "second"]
                .iter()
                .position(|k| *k == kind);
            if let Some(i) = index {
                v[i] = value.parse().ok()?;
            }
        }
        let wall =
            NaiveDate::from_ymd_opt(v[0] as i32, v[1], v[2])?.and_hms_opt(v[3] % 24, v[4], v[5])?;
        let offset = (wall.and_utc() - start).num_seconds() as i32;
        OFFSETS.with(|c| {
            let mut c = c.borrow_mut();
            if c.len() > 50_000 {
                c.clear();
            }
            c.insert(key, offset);
        });
        Some(offset)
    }

    /// A time to the minute, with its zone: `Nov 28, 2026, 10:41 AM GMT+1`.
    pub fn minute(&self, t: DateTime<Utc>) -> String {
        self.format(Style::Minute, t)
    }

    /// A day, for the chart's ticks: `Nov 23`.
    pub fn day(&self, t: DateTime<Utc>) -> String {
        self.format(Style::Day, t)
    }

    /// A time to the minute: `Nov 28, 02:00 PM`.
    pub fn short(&self, t: DateTime<Utc>) -> String {
        self.format(Style::Short, t)
    }

    /// The date of an instant in this zone.
    pub fn local_date(&self, t: DateTime<Utc>) -> Option<NaiveDate> {
        self.to_wall_clock(t).map(|w| w.0.date())
    }

    /// "12 min. ago" / "il y a 12 min" for `(-12, "minute")` (see `model::summary::ago`).
    pub fn relative(&self, (value, unit): (i64, &str)) -> String {
        let lang = self.lang;
        let format = RELATIVE.with(|cache| {
            cache
                .borrow_mut()
                .entry(lang)
                .or_insert_with(|| {
                    let options = Object::new();
                    let _ = Reflect::set(&options, &"numeric".into(), &"auto".into());
                    let _ = Reflect::set(&options, &"style".into(), &"short".into());
                    let locales = Array::of1(&JsValue::from_str(lang.tag()));
                    Intl::RelativeTimeFormat::new(&locales, &options)
                })
                .clone()
        });
        format
            .format(value as f64, unit)
            .as_string()
            .unwrap_or_else(|| format!("{value} {unit}"))
    }

    /// The wall-clock time of an instant, for a `datetime-local` input.
    pub fn to_wall_clock(&self, t: DateTime<Utc>) -> Option<WallClock> {
        let offset = self.offset_at(t)?;
        Some(WallClock(
            (t + Duration::seconds(i64::from(offset))).naive_utc(),
        ))
    }

    /// What a wall-clock time stands for in this zone (one instant, two, or none).
    pub fn read_wall_clock(&self, w: WallClock) -> Option<WallClockReading> {
        read_wall_clock(w.0, |t| self.offset_at(t))
    }

    /// The zone's IANA name: the `time-zone` setting, else the browser's own zone.
    pub fn zone_name(&self) -> String {
        if let Some(zone) = &self.zone {
            return zone.clone();
        }
        self.formatter(Style::Parts)
            .map(|f| f.resolved_options())
            .and_then(|o| Reflect::get(&o, &"timeZone".into()).ok())
            .and_then(|z| z.as_string())
            .unwrap_or_else(|| "UTC".into())
    }

    /// An instant with its offset, e.g. `2026-11-28T10:41:07+01:00` (the CSV's local time).
    pub fn with_offset(&self, t: DateTime<Utc>) -> String {
        match self.offset_at(t) {
            Some(offset) => with_offset(
                (t + Duration::seconds(i64::from(offset))).naive_utc(),
                offset / 60,
            ),
            None => t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }
}
