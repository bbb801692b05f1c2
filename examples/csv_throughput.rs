//! `make bench`: the CSV writer alone, on realistic demo errors (native, release build).

use std::time::Instant;

use sync_errors::export::csv;
use sync_errors_api::{Level, SyncError, parse_time};

fn main() {
    let t = parse_time("2026-11-28T09:41:07Z").expect("a valid time");
    let messages = [
        "Required fields are missing: [LastName, Company]",
        "duplicate value found: Email_External_Id__c duplicates value on record with id: 0035e00000AbCdEFGH",
        "Le champ « Région » est obligatoire pour les comptes situés en France.",
        "LeadTrigger: execution of BeforeUpdate caused by: System.NullPointerException: Attempt to de-reference a null object: Trigger.LeadTrigger: line 27, column 1",
        "=HYPERLINK(\"http://evil.example\",\"click\")",
    ];
    let errors: Vec<SyncError> = (0..100_000)
        .map(|i| SyncError {
            id: format!("se_{i:018}"),
            level: if i % 20 == 0 {
                Level::Job
            } else {
                Level::Record
            },
            failed_at: t,
            error_code: "FIELD_CUSTOM_VALIDATION_EXCEPTION".into(),
            message: messages[i % messages.len()].into(),
            object_type: Some("Lead".into()),
            operation: Some("Push updates".into()),
            marketo_id: Some((1000 + i).to_string()),
            salesforce_id: Some("00Q5e000004XyZ1EAK".into()),
            fields: vec!["Company".into(), "LastName".into()],
        })
        .collect();
    let mut best = f64::MAX;
    let mut bytes = 0;
    for _ in 0..7 {
        let started = Instant::now();
        let mut out = csv::header(&sync_errors::text::i18n::EN.csv_header);
        for e in &errors {
            csv::push_error(&mut out, e, "2026-11-28T10:41:07+01:00");
        }
        best = best.min(started.elapsed().as_secs_f64());
        bytes = out.len();
    }
    println!(
        "CSV writer alone: 100,000 rows, {:.1} MB in {:.1} ms (best of 7) = {:.0} MB/s (target >= 150 MB/s)",
        bytes as f64 / 1e6,
        best * 1000.0,
        bytes as f64 / 1e6 / best
    );
}
