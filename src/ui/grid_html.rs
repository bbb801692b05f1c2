//! The grid's rows as one HTML string, every value escaped.
//!
//! The table body is set from this string in one `innerHTML` write rather than built row by
//! row through the framework: on a 1,000-row page the keyed `<For>` spent about 0.2 ms of
//! WebAssembly per row (an owner, erased views, some 30 DOM calls across the JS boundary),
//! where one string and one parse cost a tenth of that. The rows hold no listeners and no
//! reactive state: the table body's delegated listeners find the row from `data-id`.
//!
//! Each row and cell says its role: in a grid narrower than 61rem (a container query) the
//! rows are laid out as cards (CSS grid), and a table whose display is changed loses its
//! table semantics in some browsers.
//!
//! Safety rests on [`escape_into`]: every value from the server goes through it, and the
//! markup around the values is fixed here.

use chrono::{DateTime, Utc};
use sync_errors_api::{Level, SyncError};

use crate::text::format::{time_kept_together, unbroken_pieces};
use crate::text::i18n::{Texts, level_label};
use crate::text::time::{rfc3339, utc_exact};

/// The rows of `rows`, in order. `local` formats a failure time for the reader (through
/// `Intl` in the browser); `tab_stop` is the id of the row in the Tab order (the roving tab
/// stop), else the first row is.
pub fn rows_html(
    rows: &[SyncError],
    t: &Texts,
    mut local: impl FnMut(DateTime<Utc>) -> String,
    tab_stop: Option<&str>,
) -> String {
    let stop = tab_stop
        .filter(|id| rows.iter().any(|e| e.id == *id))
        .or_else(|| rows.first().map(|e| e.id.as_str()));
    // About 400 bytes of markup per row besides its values.
    let mut out = String::with_capacity(rows.len() * 600);
    for error in rows {
        let badge = match error.level {
            Level::Record => "se-badge se-badge--record",
            Level::Job => "se-badge se-badge--job",
        };
        out.push_str(r#"<tr class="se-row" role="row" data-id=""#);
        escape_into(&mut out, &error.id);
        out.push_str(if stop == Some(error.id.as_str()) {
            r#"" tabindex="0"><td role="cell"><span class=""#
        } else {
            r#"" tabindex="-1"><td role="cell"><span class=""#
        });
        out.push_str(badge);
        out.push_str(r#"">"#);
        escape_into(&mut out, level_label(t, error.level));
        out.push_str(r#"</span></td><td role="cell"><time class="se-time" datetime=""#);
        out.push_str(&rfc3339(error.failed_at));
        out.push_str(r#"">"#);
        escape_into(&mut out, &time_kept_together(&local(error.failed_at)));
        out.push_str(r#"<span class="se-time__utc" role="tooltip">"#);
        out.push_str(&utc_exact(error.failed_at));
        out.push_str(r#"</span></time></td><td role="cell"><code class="se-code">"#);
        push_text(&mut out, &error.error_code);
        out.push_str(r#"</code></td><td role="cell"><span class="se-message">"#);
        push_text(&mut out, &error.message);
        out.push_str(r#"</span></td><td role="cell">"#);
        push_text(&mut out, error.object_type.as_deref().unwrap_or_default());
        out.push_str("</td></tr>");
    }
    out
}

/// Appends a value from the data as text: escaped, with a `<wbr>` inside long unbroken runs
/// (see [`unbroken_pieces`]), which the browser could otherwise take seconds to lay out.
fn push_text(out: &mut String, text: &str) {
    for (i, piece) in unbroken_pieces(text).enumerate() {
        if i > 0 {
            out.push_str("<wbr>");
        }
        escape_into(out, piece);
    }
}

/// Appends `text` so that the HTML parser reads it back as exactly `text`, in a text node or
/// a double-quoted attribute value. Markup characters become character references; so do
/// CR (the parser would turn it into LF) and NUL (which it would drop; it reads back as
/// U+FFFD, the one character that cannot survive HTML).
pub fn escape_into(out: &mut String, text: &str) {
    // The characters replaced are all ASCII, so every index here is a char boundary.
    let mut copied = 0;
    for (at, byte) in text.bytes().enumerate() {
        let reference = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            b'\r' => "&#13;",
            b'\0' => "&#xFFFD;",
            _ => continue,
        };
        out.push_str(&text[copied..at]);
        out.push_str(reference);
        copied = at + 1;
    }
    out.push_str(&text[copied..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::i18n::{EN, FR};
    use proptest::prelude::*;

    fn error(id: &str, level: Level, message: &str) -> SyncError {
        SyncError::example(id, level, message)
    }

    /// Reads character references back the way the HTML parser does for the ones
    /// `escape_into` writes.
    fn unescape(html: &str) -> String {
        html.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#13;", "\r")
            .replace("&#xFFFD;", "\u{FFFD}")
            .replace("&amp;", "&")
    }

    #[test]
    fn a_row_has_the_five_cells_and_the_first_row_is_the_tab_stop() {
        let html = rows_html(
            &[
                error(
                    "se_1",
                    Level::Record,
                    "Required fields are missing: [Company]",
                ),
                error("se_2", Level::Job, "TotalRequests Limit exceeded."),
            ],
            &EN,
            |_| "Nov 28, 2026, 10:41:07 AM".into(),
            None,
        );
        assert_eq!(
            html,
            concat!(
                r#"<tr class="se-row" role="row" data-id="se_1" tabindex="0">"#,
                r#"<td role="cell"><span class="se-badge se-badge--record">Record level</span></td>"#,
                r#"<td role="cell"><time class="se-time" datetime="2026-11-28T09:41:07Z">Nov 28, 2026, 10:41:07"#,
                "\u{a0}AM",
                r#"<span class="se-time__utc" role="tooltip">2026-11-28 09:41:07 UTC</span></time></td>"#,
                r#"<td role="cell"><code class="se-code">REQUIRED_<wbr>FIELD_<wbr>MISSING</code></td>"#,
                r#"<td role="cell"><span class="se-message">Required fields are missing: [Company]</span></td>"#,
                r#"<td role="cell">Lead</td></tr>"#,
                r#"<tr class="se-row" role="row" data-id="se_2" tabindex="-1">"#,
                r#"<td role="cell"><span class="se-badge se-badge--job">Job level</span></td>"#,
                r#"<td role="cell"><time class="se-time" datetime="2026-11-28T09:41:07Z">Nov 28, 2026, 10:41:07"#,
                "\u{a0}AM",
                r#"<span class="se-time__utc" role="tooltip">2026-11-28 09:41:07 UTC</span></time></td>"#,
                r#"<td role="cell"><code class="se-code">REQUIRED_<wbr>FIELD_<wbr>MISSING</code></td>"#,
                r#"<td role="cell"><span class="se-message">TotalRequests Limit exceeded.</span></td>"#,
                r#"<td role="cell">Lead</td></tr>"#,
            )
        );
    }

    #[test]
    fn the_tab_stop_stays_on_a_row_that_is_still_there() {
        let rows = [
            error("se_1", Level::Record, "a"),
            error("se_2", Level::Job, "b"),
        ];
        let html = rows_html(&rows, &FR, |_| String::new(), Some("se_2"));
        assert!(html.contains(r#"data-id="se_1" tabindex="-1""#));
        assert!(html.contains(r#"data-id="se_2" tabindex="0""#));
        assert!(html.contains(">Traitement<"));
        let html = rows_html(&rows, &FR, |_| String::new(), Some("se_gone"));
        assert!(html.contains(r#"data-id="se_1" tabindex="0""#));
        assert_eq!(rows_html(&[], &EN, |_| String::new(), Some("se_1")), "");
    }

    #[test]
    fn hostile_values_stay_text() {
        let hostile = r#"<img src=x onerror="alert(1)"><script>alert('2')</script>&amp;"#;
        let mut row = error(r#"se_" onfocus="alert(3)"#, Level::Record, hostile);
        row.error_code = "</code><svg onload=alert(4)>".into();
        row.object_type = Some("<b>Lead</b>".into());
        let html = rows_html(&[row], &EN, |_| "<i>local</i>".into(), None);
        // The only tags are the fixed ones; no value opens a tag or closes an attribute.
        let tags: Vec<&str> = html
            .split('<')
            .skip(1)
            .map(|s| s.split([' ', '>']).next().unwrap_or(""))
            .collect();
        assert!(
            tags.iter().all(|t| [
                "tr", "td", "/td", "span", "/span", "time", "/time", "code", "/code", "/tr", "wbr"
            ]
            .contains(t)),
            "{tags:?}"
        );
        assert!(html.contains(r#"data-id="se_&quot; onfocus=&quot;alert(3)""#));
        assert!(html.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"));
        assert!(html.contains("&amp;amp;"));
    }

    #[test]
    fn long_unbroken_values_get_break_opportunities_and_stay_escaped() {
        let long = format!("<{}>", "A".repeat(40));
        let mut row = error("se_1", Level::Record, &long);
        row.object_type = Some("B".repeat(33));
        let html = rows_html(&[row], &EN, |_| String::new(), None);
        assert!(html.contains(&format!(
            r#"<span class="se-message">&lt;{}<wbr>{}&gt;</span>"#,
            "A".repeat(31),
            "A".repeat(9)
        )));
        assert!(html.contains(&format!(r#"<td role="cell">{}<wbr>B</td>"#, "B".repeat(32))));
        // Ids go into an attribute, whole.
        assert!(html.contains(r#"data-id="se_1""#));
    }

    proptest! {
        #[test]
        fn escaping_reads_back_exactly(text in any::<String>()) {
            let mut out = String::new();
            escape_into(&mut out, &text);
            prop_assert!(!out.contains(['<', '>', '"', '\'', '\r', '\0']));
            prop_assert_eq!(unescape(&out), text.replace('\0', "\u{FFFD}"));
        }
    }
}
