//! The applied filters one by one: what each chip says and what removing it leaves, and the
//! toggles of the triage lists (a code or an object in or out of the filters).

use chrono::{DateTime, Utc};
use sync_errors_api::{Filters, Level};

/// One applied filter, as one chip shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    From(DateTime<Utc>),
    To(DateTime<Utc>),
    Level(Level),
    /// An error type (`error_code`).
    Code(String),
    /// An object type; `None` is "no object".
    Object(Option<String>),
    /// The search text (`q`).
    Text(String),
}

/// Every applied filter, in the order the chips show them: the search first (it is what
/// the admin typed last, beside the chips), then range, level, types and objects.
pub fn applied(f: &Filters) -> Vec<Applied> {
    let mut out = Vec::with_capacity(f.active_count());
    out.extend(f.q.clone().map(Applied::Text));
    out.extend(f.from.map(Applied::From));
    out.extend(f.to.map(Applied::To));
    out.extend(f.level.map(Applied::Level));
    out.extend(f.error_codes.iter().cloned().map(Applied::Code));
    out.extend(f.object_types.iter().cloned().map(Applied::Object));
    out
}

impl Applied {
    /// A range bound that the drawer's minutes gave (a start at a minute's first instant,
    /// an end at its last), shown to the minute as it was picked: "To 10:15" holds the
    /// errors of 10:15:59 too. `None` for any other filter or a bound to the second.
    pub fn picked_minute(&self) -> Option<DateTime<Utc>> {
        let (t, shift) = match self {
            Applied::From(t) => (*t, 0),
            Applied::To(t) => (*t, 1),
            _ => return None,
        };
        ((t.timestamp_millis() + shift).rem_euclid(60_000) == 0).then_some(t)
    }
}

/// How many of the filters the drawer holds (all but the search, which has its own field):
/// the count on the Filter button.
pub fn in_drawer(f: &Filters) -> usize {
    f.active_count() - usize::from(f.q.is_some())
}

/// The filters without `one`.
pub fn without(f: &Filters, one: &Applied) -> Filters {
    let mut f = f.clone();
    match one {
        Applied::From(_) => f.from = None,
        Applied::To(_) => f.to = None,
        Applied::Level(_) => f.level = None,
        Applied::Code(code) => f.error_codes.retain(|c| c != code),
        Applied::Object(object) => f.object_types.retain(|o| o != object),
        Applied::Text(_) => f.q = None,
    }
    f
}

/// The filters with `code` added, or taken out when it is there.
pub fn toggle_code(f: &Filters, code: &str) -> Filters {
    let mut f = f.clone();
    match f.error_codes.iter().position(|c| c == code) {
        Some(i) => {
            f.error_codes.remove(i);
        }
        None => f.error_codes.push(code.to_owned()),
    }
    f
}

/// The filters with `object` added, or taken out when it is there.
pub fn toggle_object(f: &Filters, object: &Option<String>) -> Filters {
    let mut f = f.clone();
    match f.object_types.iter().position(|o| o == object) {
        Some(i) => {
            f.object_types.remove(i);
        }
        None => f.object_types.push(object.clone()),
    }
    f
}

/// The filters with the search text `q` (trimmed; blank removes it).
pub fn with_text(f: &Filters, q: &str) -> Filters {
    let q = q.trim();
    Filters {
        q: (!q.is_empty()).then(|| q.chars().take(sync_errors_api::MAX_TEXT).collect()),
        ..f.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters() -> Filters {
        Filters::from_query_string(
            "q=Company&level=job&error_code=A,B&object_type=Lead,-&from=2026-11-28T00:00:00Z",
        )
        .unwrap()
    }

    #[test]
    fn one_chip_per_filter_and_each_removes_only_itself() {
        let f = filters();
        let chips = applied(&f);
        assert_eq!(chips.len(), f.active_count());
        assert_eq!(chips[0], Applied::Text("Company".into()));
        assert_eq!(chips.last(), Some(&Applied::Object(None)));
        for chip in &chips {
            let rest = without(&f, chip);
            assert_eq!(rest.active_count(), f.active_count() - 1, "{chip:?}");
            assert!(!applied(&rest).contains(chip));
        }
    }

    #[test]
    fn the_filter_button_counts_what_the_drawer_holds() {
        let f = filters();
        assert_eq!(in_drawer(&f), f.active_count() - 1);
        let search_only = Filters {
            q: Some("zzz".into()),
            ..Filters::default()
        };
        assert_eq!(in_drawer(&search_only), 0);
    }

    #[test]
    fn bounds_picked_to_the_minute_are_shown_to_the_minute() {
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let from = Applied::From(t("2026-11-28T10:15:00Z"));
        assert_eq!(from.picked_minute(), Some(t("2026-11-28T10:15:00Z")));
        let to = Applied::To(t("2026-11-28T10:15:59.999Z"));
        assert_eq!(to.picked_minute(), Some(t("2026-11-28T10:15:59.999Z")));
        // A bound to the second (a link, a chart bar's edge) keeps its seconds.
        assert_eq!(
            Applied::From(t("2026-11-28T10:15:30Z")).picked_minute(),
            None
        );
        assert_eq!(Applied::To(t("2026-11-28T10:16:00Z")).picked_minute(), None);
        assert_eq!(Applied::To(t("2026-11-28T10:15:59Z")).picked_minute(), None);
        assert_eq!(Applied::Level(Level::Job).picked_minute(), None);
    }

    #[test]
    fn toggles_add_then_remove() {
        let f = Filters::default();
        let once = toggle_code(&f, "DUPLICATE_VALUE");
        assert_eq!(once.error_codes, vec!["DUPLICATE_VALUE".to_string()]);
        assert_eq!(toggle_code(&once, "DUPLICATE_VALUE"), f);
        let none = toggle_object(&f, &None);
        assert_eq!(none.object_types, vec![None]);
        assert_eq!(toggle_object(&none, &None), f);
    }

    #[test]
    fn search_text_is_trimmed_and_blank_means_none() {
        let f = Filters::default();
        assert_eq!(with_text(&f, "  00Q5e  ").q.as_deref(), Some("00Q5e"));
        assert_eq!(with_text(&filters(), "   ").q, None);
        assert_eq!(
            with_text(&f, &"é".repeat(300)).q.map(|q| q.chars().count()),
            Some(200)
        );
    }
}
