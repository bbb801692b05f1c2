//! The CSV writer of the export: RFC 4180 (comma, quotes doubled, CRLF, a header row),
//! UTF-8 with a byte-order mark so Excel reads accents, and spreadsheet formulas neutralised
//! as OWASP and ASVS describe. Plain Rust: tested natively, run in the browser.

use chrono::{DateTime, Utc};
use sync_errors_api::{Filters, SyncError};

/// The UTF-8 byte-order mark that starts the file.
pub const BOM: &str = "\u{feff}";

/// Characters that make a spreadsheet read a cell as a formula (ASCII and full-width).
const FORMULA_STARTS: [char; 8] = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];

/// Whether a value would run as a formula in Excel, LibreOffice or Google Sheets: it starts
/// with a tab, a carriage return or a line feed, or its first non-whitespace character is
/// `=`, `+`, `-`, `@` or their full-width forms. Multi-line values are checked the same way.
pub fn needs_neutralising(value: &str) -> bool {
    if value.starts_with(['\t', '\r', '\n']) {
        return true;
    }
    value
        .chars()
        .find(|c| !c.is_whitespace())
        .is_some_and(|c| FORMULA_STARTS.contains(&c))
}

/// Appends one field: a leading `'` when it needs neutralising, quotes when it holds a comma,
/// a quote, CR or LF (quotes inside doubled). Nothing else is altered.
pub fn push_field(out: &mut String, value: &str) {
    let guard = needs_neutralising(value);
    let quote = value.contains([',', '"', '\r', '\n']);
    if quote {
        out.push('"');
    }
    if guard {
        out.push('\'');
    }
    if quote {
        for (i, part) in value.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// Appends one record, its fields separated by commas, ended by CRLF.
pub fn push_record<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    let mut only_field_empty = false;
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, field);
        only_field_empty = i == 0 && field.is_empty();
    }
    // A record of one empty field would be a blank line, which readers skip: quote it.
    if only_field_empty {
        out.push_str("\"\"");
    }
    out.push_str("\r\n");
}

/// The file's start: the byte-order mark and the header row (in the UI's language).
pub fn header(names: &[&str; 11]) -> String {
    let mut out = String::from(BOM);
    push_record(&mut out, names.iter().copied());
    out
}

/// Appends one error; `local` gives its time in the admin's zone, with the offset. Times
/// keep their milliseconds: two errors of one second stay in order.
pub fn push_error(out: &mut String, e: &SyncError, local: &str) {
    let utc = e
        .failed_at
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let fields = e.fields.join("; ");
    push_record(
        out,
        [
            &e.id,
            e.level.as_str(),
            &utc,
            local,
            &e.error_code,
            &e.message,
            e.object_type.as_deref().unwrap_or(""),
            e.operation.as_deref().unwrap_or(""),
            e.marketo_id.as_deref().unwrap_or(""),
            e.salesforce_id.as_deref().unwrap_or(""),
            &fields,
        ],
    );
}

/// `salesforce-sync-errors_2026-11-23T08-00Z_2026-11-28T10-15Z.csv`: the range, to the
/// minute, in UTC, then the level when the export is filtered by it
/// (`…_job-level.csv`), with characters every file system accepts.
pub fn file_name(from: DateTime<Utc>, to: DateTime<Utc>, filters: &Filters) -> String {
    let f = |t: DateTime<Utc>| crate::text::time::date_time(t.naive_utc(), 'T', '-', false) + "Z";
    let mut name = format!("salesforce-sync-errors_{}_{}", f(from), f(to));
    if let Some(level) = filters.level {
        name += &format!("_{}-level", level.as_str());
    }
    // The other filters, short: one type or object by name, several by their number.
    match filters.error_codes.as_slice() {
        [] => {}
        [code] => name += &format!("_{code}"),
        codes => name += &format!("_{}-error-types", codes.len()),
    }
    match filters.object_types.as_slice() {
        [] => {}
        [object] => {
            let object: String = object
                .as_deref()
                .unwrap_or("no-object")
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            name += &format!("_{object}");
        }
        objects => name += &format!("_{}-objects", objects.len()),
    }
    if filters.q.is_some() {
        name += "_search";
    }
    name + ".csv"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::time::with_offset;
    use chrono::NaiveDateTime;
    use proptest::prelude::*;
    use sync_errors_api::{Level, parse_time};

    fn parse(text: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    }

    fn expected(value: &str) -> String {
        if needs_neutralising(value) {
            format!("'{value}")
        } else {
            value.to_string()
        }
    }

    #[test]
    fn header_has_a_bom_and_crlf() {
        let h = header(&crate::text::i18n::EN.csv_header);
        assert!(h.starts_with('\u{feff}'));
        assert!(h.starts_with("\u{feff}Error ID,Failed On,"));
        assert!(h.ends_with("Fields\r\n"));
        assert!(header(&crate::text::i18n::FR.csv_header).contains("Type d’erreur,"));
        assert_eq!(h.matches(',').count(), 10);
    }

    #[test]
    fn quotes_only_what_needs_it() {
        let mut out = String::new();
        push_record(
            &mut out,
            ["plain", "a,b", "say \"hi\"", "two\r\nlines", "", "Société"],
        );
        assert_eq!(
            out,
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\",,Société\r\n"
        );
    }

    #[test]
    fn neutralises_formulas_as_owasp_describes() {
        for v in [
            "=1+1",
            "+1",
            "-1",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "\n=1",
            "  =HYPERLINK(\"x\")",
            "＝1",
            "＋1",
            "－1",
            "＠x",
            "\n\n=cmd",
        ] {
            assert!(needs_neutralising(v), "{v:?}");
        }
        for v in [
            "",
            "Required fields are missing: [Company]",
            "a=b",
            "Lead",
            "1-2",
            " ",
            "\u{a0}x",
        ] {
            assert!(!needs_neutralising(v), "{v:?}");
        }
        let mut out = String::new();
        push_record(&mut out, ["=cmd|' /C calc'!A0", "-2, then more"]);
        assert_eq!(out, "'=cmd|' /C calc'!A0,\"'-2, then more\"\r\n");
    }

    #[test]
    fn writes_an_error_with_both_times() {
        let e = SyncError {
            failed_at: parse_time("2026-11-28T09:41:07.250Z").unwrap(),
            fields: vec!["LastName".into(), "Company".into()],
            ..SyncError::example(
                "se_1",
                Level::Record,
                "Required fields are missing: [LastName, Company]",
            )
        };
        let local = with_offset(
            NaiveDateTime::parse_from_str("2026-11-28T10:41:07.250", "%Y-%m-%dT%H:%M:%S%.3f")
                .unwrap(),
            60,
        );
        assert_eq!(local, "2026-11-28T10:41:07.250+01:00");
        let mut out = String::new();
        push_error(&mut out, &e, &local);
        assert_eq!(
            out,
            "se_1,record,2026-11-28T09:41:07.250Z,2026-11-28T10:41:07.250+01:00,REQUIRED_FIELD_MISSING,\
             \"Required fields are missing: [LastName, Company]\",Lead,Push updates,1042,\
             00Q5e000004XyZ1EAK,LastName; Company\r\n"
        );
        let kathmandu = with_offset(
            NaiveDateTime::parse_from_str("2026-11-28T15:26:07", "%Y-%m-%dT%H:%M:%S").unwrap(),
            345,
        );
        assert!(kathmandu.ends_with("+05:45"));
        let new_york = with_offset(
            NaiveDateTime::parse_from_str("2026-11-28T04:41:07", "%Y-%m-%dT%H:%M:%S").unwrap(),
            -300,
        );
        assert!(new_york.ends_with("-05:00"));
    }

    #[test]
    fn file_names_carry_the_range() {
        assert_eq!(
            file_name(
                parse_time("2026-11-23T08:00:00Z").unwrap(),
                parse_time("2026-11-28T10:15:42Z").unwrap(),
                &Filters::default()
            ),
            "salesforce-sync-errors_2026-11-23T08-00Z_2026-11-28T10-15Z.csv"
        );
        assert_eq!(
            file_name(
                parse_time("2026-11-30T10:00:00Z").unwrap(),
                parse_time("2026-11-30T12:00:00Z").unwrap(),
                &Filters {
                    level: Some(Level::Job),
                    ..Filters::default()
                }
            ),
            "salesforce-sync-errors_2026-11-30T10-00Z_2026-11-30T12-00Z_job-level.csv"
        );
        let (a, b) = (
            parse_time("2026-11-30T10:00:00Z").unwrap(),
            parse_time("2026-11-30T12:00:00Z").unwrap(),
        );
        let with = |q: &str| file_name(a, b, &Filters::from_query_string(q).unwrap());
        assert_eq!(
            with("error_code=DUPLICATE_VALUE&object_type=Campaign%20Member&q=x"),
            "salesforce-sync-errors_2026-11-30T10-00Z_2026-11-30T12-00Z_DUPLICATE_VALUE_Campaign-Member_search.csv"
        );
        assert_eq!(
            with("error_code=A,B,C&object_type=-"),
            "salesforce-sync-errors_2026-11-30T10-00Z_2026-11-30T12-00Z_3-error-types_no-object.csv"
        );
        assert_eq!(
            with("object_type=Lead,-"),
            "salesforce-sync-errors_2026-11-30T10-00Z_2026-11-30T12-00Z_2-objects.csv"
        );
        // Whatever a console calls its objects, the name keeps to safe characters.
        assert_eq!(
            with("object_type=a%2Fb%5Cc%3A%C3%A9"),
            "salesforce-sync-errors_2026-11-30T10-00Z_2026-11-30T12-00Z_a-b-c--.csv"
        );
    }

    proptest! {
        /// Whatever the fields hold, the csv crate reads back exactly what we wrote
        /// (after the documented neutralising).
        #[test]
        fn round_trips_through_a_real_csv_parser(
            records in prop::collection::vec(prop::collection::vec(any::<String>(), 1..6), 1..6)
        ) {
            let mut out = String::new();
            for r in &records {
                push_record(&mut out, r.iter().map(String::as_str));
            }
            let parsed = parse(&out);
            let wanted: Vec<Vec<String>> = records.iter().map(|r| r.iter().map(|v| expected(v)).collect()).collect();
            prop_assert_eq!(parsed, wanted);
        }

        #[test]
        fn round_trips_csv_special_characters(
            records in prop::collection::vec(prop::collection::vec("[a-c,\"\r\n =+@\t'é😀]{0,8}", 1..5), 1..5)
        ) {
            let mut out = String::new();
            for r in &records {
                push_record(&mut out, r.iter().map(String::as_str));
            }
            let wanted: Vec<Vec<String>> = records.iter().map(|r| r.iter().map(|v| expected(v)).collect()).collect();
            prop_assert_eq!(parse(&out), wanted);
        }
    }
}
