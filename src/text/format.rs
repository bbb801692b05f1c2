//! Text formatting that needs no browser: counts, pages and long unbroken words.

/// Groups digits by thousands with `separator` (`1,234,567`).
pub fn group_thousands(n: u64, separator: &str) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * separator.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

/// The longest run of characters without a break opportunity that the tab gives the browser
/// to lay out. Chromium's line breaker measures the rest of an unbroken word again for each
/// line it cuts it into: one 20,000-character word in an error message took 5–8 s of layout,
/// frozen, in the grid. Longer runs get a `<wbr>` (no character, so copying and `textContent`
/// are unchanged) after every this many characters.
pub const LONGEST_UNBROKEN_RUN: usize = 32;

/// `text` in pieces, cut after every [`LONGEST_UNBROKEN_RUN`] characters that hold no
/// whitespace, and after each `_` inside a word: a `<wbr>` goes between two pieces, so that
/// `FIELD_CUSTOM_VALIDATION_EXCEPTION` wraps between its words, not inside one. Ordinary
/// text is one piece.
pub fn unbroken_pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut run = 0;
        let mut cut = rest.len();
        let mut chars = rest.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            run = if c.is_whitespace() { 0 } else { run + 1 };
            let word_goes_on = chars
                .peek()
                .is_some_and(|(_, next)| !next.is_whitespace() && *next != '_');
            if run == LONGEST_UNBROKEN_RUN || (c == '_' && run > 1 && word_goes_on) {
                cut = at + c.len_utf8();
                break;
            }
        }
        let (piece, tail) = rest.split_at(cut);
        rest = tail;
        Some(piece)
    })
}

/// How many pages `total` rows fill.
/// `part` of `whole` as a CSS percentage with two decimals (`"12.34%"`), written with
/// integers: no float formatting code in the module for a bar's width.
pub fn css_percent(part: u64, whole: u64) -> String {
    let basis_points = if whole == 0 {
        0
    } else {
        (u128::from(part.min(whole)) * 10_000 / u128::from(whole)) as u64
    };
    format!("{}.{:02}%", basis_points / 100, basis_points % 100)
}

pub fn page_count(total: u64, page_size: u32) -> u64 {
    total.div_ceil(u64::from(page_size.max(1))).max(1)
}

/// A date and time as shown in a line that may wrap ("Dec 1, 2026, 06:49:58 PM UTC",
/// "01/12/2026 18:48:57 UTC"): the spaces of the time part (from the space before its first
/// `:`) become no-break spaces, so a narrow card wraps between the date and the time, never
/// before "PM" or the zone.
pub fn time_kept_together(text: &str) -> String {
    let Some(colon) = text.find(':') else {
        return text.to_owned();
    };
    let start = text[..colon].rfind(' ').map_or(0, |i| i + 1);
    let (date, time) = text.split_at(start);
    format!("{date}{}", time.replace(' ', "\u{a0}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn long_unbroken_runs_are_cut_into_pieces() {
        fn pieces(t: &str) -> Vec<&str> {
            unbroken_pieces(t).collect()
        }
        let ordinary = "Required fields are missing: [LastName, Company]";
        assert_eq!(pieces(ordinary), [ordinary]);
        assert_eq!(pieces(""), Vec::<&str>::new());
        let a32 = "A".repeat(32);
        assert_eq!(pieces(&a32), [a32.as_str()]);
        assert_eq!(pieces(&format!("{a32}B")), [a32.as_str(), "B"]);
        // Characters, not bytes; whitespace starts a new run.
        let e = "é".repeat(40);
        assert_eq!(pieces(&e), ["é".repeat(32), "é".repeat(8)]);
        let words = format!("{} {}", "x".repeat(20), "y".repeat(20));
        assert_eq!(pieces(&words), [words.as_str()]);
        // A code wraps between its words.
        assert_eq!(
            pieces("FIELD_CUSTOM_VALIDATION_EXCEPTION"),
            ["FIELD_", "CUSTOM_", "VALIDATION_", "EXCEPTION"]
        );
        assert_eq!(pieces("Email__c _x y_ a_ b"), ["Email__", "c _x y_ a_ b"]);
    }

    proptest! {
        #[test]
        fn pieces_rebuild_the_text_with_no_long_run(text in "[a-zé_ \\n<>&]{0,200}") {
            let pieces: Vec<&str> = unbroken_pieces(&text).collect();
            prop_assert_eq!(pieces.concat(), text.clone());
            prop_assert!(pieces.iter().all(|p| !p.is_empty()));
            let longest = pieces
                .iter()
                .flat_map(|p| p.split(char::is_whitespace))
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0);
            prop_assert!(longest <= LONGEST_UNBROKEN_RUN);
        }
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(group_thousands(0, ","), "0");
        assert_eq!(group_thousands(999, ","), "999");
        assert_eq!(group_thousands(1000, ","), "1,000");
        assert_eq!(
            group_thousands(1_234_567, "\u{202f}"),
            "1\u{202f}234\u{202f}567"
        );
    }

    #[test]
    fn ranges() {
        use crate::text::i18n::Lang;
        assert_eq!(Lang::En.range_of_total(0, 100, 25_000), "1–100 of 25,000");
        assert_eq!(
            Lang::En.range_of_total(24_900, 100, 25_000),
            "24,901–25,000 of 25,000"
        );
        assert_eq!(Lang::En.range_of_total(0, 0, 0), "0 of 0");
        assert_eq!(
            Lang::Fr.range_of_total(0, 100, 1234),
            "1–100 sur 1\u{202f}234"
        );
    }

    #[test]
    fn pages() {
        assert_eq!(page_count(0, 100), 1);
        assert_eq!(page_count(100, 100), 1);
        assert_eq!(page_count(101, 100), 2);
    }

    #[test]
    fn css_percentages_are_written_with_integers() {
        assert_eq!(super::css_percent(1, 3), "33.33%");
        assert_eq!(super::css_percent(3, 3), "100.00%");
        assert_eq!(super::css_percent(5, 0), "0.00%");
        assert_eq!(super::css_percent(7, 2), "100.00%");
        assert_eq!(super::css_percent(1, 10_000), "0.01%");
    }

    #[test]
    fn a_time_is_kept_together_and_may_wrap_after_its_date() {
        assert_eq!(
            time_kept_together("Dec 1, 2026, 06:49:58 PM UTC"),
            "Dec 1, 2026, 06:49:58\u{a0}PM\u{a0}UTC"
        );
        assert_eq!(
            time_kept_together("01/12/2026 18:48:57 UTC"),
            "01/12/2026 18:48:57\u{a0}UTC"
        );
        assert_eq!(
            time_kept_together("18:48:57 heure normale d’Europe centrale"),
            "18:48:57\u{a0}heure\u{a0}normale\u{a0}d’Europe\u{a0}centrale"
        );
        assert_eq!(time_kept_together("no time here"), "no time here");
        assert_eq!(time_kept_together(""), "");
    }
}
