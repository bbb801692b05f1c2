//! Advice per Salesforce status code ("What to do"): what the code means, steps to fix its
//! cause, and whether it clears by itself. Shipped as `guidance.json` beside the module and
//! loaded when first needed; a console may add or override entries (`guidance-url`).

use std::collections::HashMap;

use serde::Deserialize;

use crate::text::i18n::Lang;

/// Whether an error clears by itself or needs someone to act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Resolution {
    /// Transient (row locks, request limits, an unavailable server): a retry likely works.
    Retry,
    /// The record's data must change.
    Data,
    /// Salesforce's or the integration's settings must change.
    Configuration,
}

/// One code's advice in one language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Advice {
    /// One line, for the top error types.
    pub summary: String,
    pub meaning: String,
    pub steps: Vec<String>,
}

/// One code's advice; a console's entry may come in one language only, which then serves
/// both (ours always has both).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Entry {
    pub resolution: Resolution,
    #[serde(default)]
    pub en: Option<Advice>,
    #[serde(default)]
    pub fr: Option<Advice>,
}

impl Entry {
    /// The advice in `lang`, else in the other language.
    pub fn advice(&self, lang: Lang) -> Option<&Advice> {
        let (first, second) = match lang {
            Lang::En => (&self.en, &self.fr),
            Lang::Fr => (&self.fr, &self.en),
        };
        first.as_ref().or(second.as_ref())
    }
}

/// Advice by code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Guidance {
    pub codes: HashMap<String, Entry>,
    /// Entries of the file that could not be read (said in the console).
    pub skipped: usize,
}

impl Guidance {
    /// Reads a guidance file. Entries that do not parse are skipped one by one (a console's
    /// file with one bad entry still gives the others); a file that is not an object of
    /// codes at all is an error.
    pub fn parse(json: &[u8]) -> Result<Guidance, String> {
        #[derive(Deserialize)]
        struct Loose<'a> {
            #[serde(borrow)]
            codes: HashMap<String, &'a serde_json::value::RawValue>,
        }
        let loose: Loose = serde_json::from_slice(json).map_err(|e| e.to_string())?;
        let all = loose.codes.len();
        let codes: HashMap<String, Entry> = loose
            .codes
            .into_iter()
            .filter_map(|(code, raw)| {
                let entry: Entry = serde_json::from_str(raw.get()).ok()?;
                (entry.en.is_some() || entry.fr.is_some()).then_some((code, entry))
            })
            .collect();
        Ok(Guidance {
            skipped: all - codes.len(),
            codes,
        })
    }

    /// Ours, with the console's entries added or winning over ours.
    pub fn overridden_by(mut self, console: Guidance) -> Guidance {
        self.codes.extend(console.codes);
        self.skipped = 0;
        self
    }

    pub fn get(&self, code: &str) -> Option<&Entry> {
        self.codes.get(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::i18n::french_typography_fault;

    const SHIPPED: &[u8] = include_bytes!("../../assets/guidance.json");

    /// The file we ship: at least 30 codes, each with a one-line summary and 2 to 4 steps in
    /// both languages (that it covers every code of the demo data is checked by the demo's
    /// own test, beside the list of those codes).
    #[test]
    fn the_shipped_guidance_has_every_entry_in_both_languages() {
        let g = Guidance::parse(SHIPPED).unwrap();
        assert!(g.codes.len() >= 30, "{} codes", g.codes.len());
        let raw: serde_json::Value = serde_json::from_slice(SHIPPED).unwrap();
        assert_eq!(
            raw["codes"].as_object().unwrap().len(),
            g.codes.len(),
            "every entry parses"
        );
        for (code, entry) in &g.codes {
            assert!(
                entry.en.is_some() && entry.fr.is_some(),
                "{code}: both languages"
            );
            for lang in [Lang::En, Lang::Fr] {
                let a = entry.advice(lang).unwrap();
                assert!((2..=4).contains(&a.steps.len()), "{code} {lang:?}");
                assert!(
                    !a.summary.is_empty() && a.summary.chars().count() <= 70,
                    "{code}"
                );
                assert!(!a.meaning.is_empty(), "{code}");
            }
        }
        assert_eq!(
            g.get("UNABLE_TO_LOCK_ROW").map(|e| e.resolution),
            Some(Resolution::Retry)
        );
    }

    /// The French advice follows the tab's French typography (one rule for both:
    /// [`french_typography_fault`]).
    #[test]
    fn the_shipped_french_advice_follows_french_typography() {
        let g = Guidance::parse(SHIPPED).unwrap();
        for (code, entry) in &g.codes {
            let fr = entry.fr.as_ref().unwrap();
            let texts = [&fr.summary, &fr.meaning].into_iter().chain(&fr.steps);
            for text in texts {
                let fault = french_typography_fault(text);
                assert!(fault.is_none(), "{code}: {fault:?} in {text}");
            }
        }
    }

    #[test]
    fn a_consoles_entries_win_and_bad_ones_are_skipped() {
        let ours = Guidance::parse(SHIPPED).unwrap();
        let console = Guidance::parse(
            br#"{"codes": {
                "DUPLICATE_VALUE": {"resolution": "data",
                    "en": {"summary": "Ours now.", "meaning": "m", "steps": ["a", "b"]},
                    "fr": {"summary": "A nous.", "meaning": "m", "steps": ["a", "b"]}},
                "ACME_CUSTOM": {"resolution": "configuration",
                    "en": {"summary": "Acme.", "meaning": "m", "steps": ["a", "b"]},
                    "fr": {"summary": "Acme.", "meaning": "m", "steps": ["a", "b"]}},
                "ENGLISH_ONLY": {"resolution": "retry",
                    "en": {"summary": "E.", "meaning": "m", "steps": ["a", "b"]}},
                "BROKEN": {"resolution": "sometimes"},
                "NO_TEXT": {"resolution": "data"}
            }}"#,
        )
        .unwrap();
        assert_eq!((console.codes.len(), console.skipped), (3, 2));
        let english = console.get("ENGLISH_ONLY").unwrap();
        assert_eq!(
            english.advice(Lang::Fr).map(|a| a.summary.as_str()),
            Some("E.")
        );
        let merged = ours.clone().overridden_by(console);
        assert_eq!(merged.codes.len(), ours.codes.len() + 2);
        let duplicate = merged.get("DUPLICATE_VALUE").unwrap();
        assert_eq!(duplicate.advice(Lang::En).unwrap().summary, "Ours now.");
        assert!(Guidance::parse(b"[1, 2]").is_err());
        assert!(Guidance::parse(b"<html>").is_err());
    }
}
