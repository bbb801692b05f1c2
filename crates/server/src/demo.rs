//! Deterministic, realistic demo errors: real Salesforce status codes and messages, real
//! key prefixes, spread over the retention window with bursts, as a busy org meets them.

use std::path::Path;

use chrono::{DateTime, Duration, DurationRound, Utc};
use r2d2_sqlite::rusqlite::{self, Connection};
use sync_errors_api::{Level, RETENTION_HOURS, SyncError, format_time, salesforce_id_checksum};

use crate::Clock;
use crate::store;

/// SplitMix64: a fixed, documented generator, so the same seed gives the same demo data
/// on every machine and every version of every dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A Salesforce object type with its 3-character key prefix.
struct Object {
    name: &'static str,
    prefix: &'static str,
}

const LEAD: Object = Object {
    name: "Lead",
    prefix: "00Q",
};
const CONTACT: Object = Object {
    name: "Contact",
    prefix: "003",
};
const ACCOUNT: Object = Object {
    name: "Account",
    prefix: "001",
};
const OPPORTUNITY: Object = Object {
    name: "Opportunity",
    prefix: "006",
};
const CAMPAIGN_MEMBER: Object = Object {
    name: "Campaign Member",
    prefix: "00v",
};
const TASK: Object = Object {
    name: "Task",
    prefix: "00T",
};
const CAMPAIGN: Object = Object {
    name: "Campaign",
    prefix: "701",
};
const OBJECTS: [&Object; 7] = [
    &LEAD,
    &CONTACT,
    &ACCOUNT,
    &OPPORTUNITY,
    &CAMPAIGN_MEMBER,
    &TASK,
    &CAMPAIGN,
];

const RECORD_OPERATIONS: [&str; 4] = ["Push new", "Push updates", "Pull updates", "Pull new"];
const JOB_OPERATIONS: [&str; 5] = [
    "Sync schema",
    "Pull updates",
    "Push updates",
    "Push new",
    "Sync activities",
];

/// Builds a real-looking 18-character Salesforce ID: prefix, instance, serial, and the
/// case-sensitivity checksum that Salesforce appends to 15-character IDs.
pub fn salesforce_id(prefix: &str, serial: u64) -> String {
    const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut id = String::with_capacity(18);
    id.push_str(prefix);
    id.push_str("5e0");
    let mut digits = [b'0'; 9];
    let mut n = serial;
    for d in digits.iter_mut().rev() {
        *d = BASE62[(n % 62) as usize];
        n /= 62;
    }
    id.push_str(std::str::from_utf8(&digits).unwrap_or("000000000"));
    let suffix = salesforce_id_checksum(&id);
    id.push_str(&suffix);
    id
}

const FIRST_NAMES: [&str; 10] = [
    "Jane", "Oliver", "Amélie", "Kenji", "Priya", "Mateo", "Zoë", "Lukas", "Fatima", "Noah",
];
const DOMAINS: [&str; 6] = [
    "example.com",
    "acme-corp.io",
    "globex.fr",
    "initech.de",
    "umbrella.co.uk",
    "stark-industries.com",
];

const LEAD_REQUIRED: [&[&str]; 3] = [&["Company"], &["LastName"], &["LastName", "Company"]];
const OPPORTUNITY_REQUIRED: [&[&str]; 3] =
    [&["StageName"], &["CloseDate"], &["StageName", "CloseDate"]];

/// One record-level failure: code, message, failing fields.
fn record_failure(rng: &mut Rng, object: &Object) -> (&'static str, String, Vec<String>) {
    let f = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    match rng.below(10) {
        0 => {
            let (msg, fields) = *rng.pick(&[
                (
                    "Phone number must be in the format (XXX) XXX-XXXX.",
                    &["Phone"][..],
                ),
                (
                    "Please select an Industry before saving this record.",
                    &["Industry"][..],
                ),
                ("Annual Revenue cannot be negative.", &["AnnualRevenue"][..]),
                (
                    "Discount > 20% requires VP approval <see pricing policy>.",
                    &["Discount__c"][..],
                ),
                (
                    "Le champ « Région » est obligatoire pour les comptes situés en France.",
                    &["Region__c"][..],
                ),
                (
                    "Lead Source must be one of: Web, Event, Partner & Referral.",
                    &["LeadSource"][..],
                ),
            ]);
            (
                "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                msg.to_string(),
                f(fields),
            )
        }
        1 => {
            let fields: &[&str] = match object.name {
                "Lead" => rng.pick::<&[&str]>(&LEAD_REQUIRED),
                "Contact" => &["LastName"],
                "Account" => &["Name"],
                "Opportunity" => rng.pick::<&[&str]>(&OPPORTUNITY_REQUIRED),
                "Task" => &["Subject"],
                _ => &["Status"],
            };
            (
                "REQUIRED_FIELD_MISSING",
                format!("Required fields are missing: [{}]", fields.join(", ")),
                f(fields),
            )
        }
        2 => {
            let other = salesforce_id(object.prefix, rng.below(50_000_000));
            (
                "DUPLICATE_VALUE",
                format!(
                    "duplicate value found: Email_External_Id__c duplicates value on record with id: {other}"
                ),
                f(&["Email_External_Id__c"]),
            )
        }
        3 => {
            let name = rng.pick(&FIRST_NAMES).to_lowercase();
            let domain = rng.pick(&DOMAINS);
            let bad = match rng.below(4) {
                0 => format!("{name}@@{domain}"),
                1 => format!("{name}@{}", domain.replace('.', "")),
                2 => format!("{name} @{domain}"),
                _ => format!("{name}@{domain}."),
            };
            (
                "INVALID_EMAIL_ADDRESS",
                format!("Email: invalid email address: {bad}"),
                f(&["Email"]),
            )
        }
        4 => {
            let n = 1 + rng.below(3);
            let locked = salesforce_id(ACCOUNT.prefix, rng.below(2_000_000));
            (
                "UNABLE_TO_LOCK_ROW",
                format!(
                    "unable to obtain exclusive access to this record or {n} records: {locked}"
                ),
                Vec::new(),
            )
        }
        5 => {
            let (field, value, max) = *rng.pick(&[
                ("Title", "Senior Vice President of Global Marketing Operations and Demand Generation, EMEA & APAC", 80),
                ("FirstName", "Maximilian-Alexander-Konstantin-Friedrich-Wilhelm von Hohenzollern-Sigmaringen", 40),
                ("Company", "The International Consolidated Amalgamated Holdings Group of Companies and Subsidiaries (Europe) Limited Liability Partnership", 255),
            ]);
            (
                "STRING_TOO_LONG",
                format!("{field}: data value too large: {value} (max length={max})"),
                f(&[field]),
            )
        }
        6 => {
            let bad = salesforce_id("012", rng.below(90_000));
            let (msg, field) = *rng.pick(&[
                (
                    "Record Type ID: this ID value isn't valid for the user: ",
                    "RecordTypeId",
                ),
                ("invalid cross reference id: ", "OwnerId"),
                ("Campaign ID: id value of incorrect type: ", "CampaignId"),
            ]);
            (
                "INVALID_CROSS_REFERENCE_KEY",
                format!("{msg}{bad}"),
                f(&[field]),
            )
        }
        7 => (
            "ENTITY_IS_DELETED",
            "entity is deleted".to_string(),
            Vec::new(),
        ),
        8 => {
            let user = salesforce_id("005", rng.below(4_000));
            (
                "INACTIVE_OWNER_OR_USER",
                format!(
                    "operation performed with inactive user [{}] as owner of {}",
                    &user[..15],
                    object.name.to_lowercase()
                ),
                f(&["OwnerId"]),
            )
        }
        _ => {
            let (trigger, event, err, line) = *rng.pick(&[
                ("LeadTrigger", "BeforeUpdate", "System.NullPointerException: Attempt to de-reference a null object", 27),
                ("ContactTrigger", "AfterInsert", "System.LimitException: Too many SOQL queries: 101", 112),
                ("AccountTerritoryAssignment", "BeforeInsert", "System.DmlException: Insert failed. First exception on row 0; first error: FIELD_INTEGRITY_EXCEPTION", 58),
            ]);
            (
                "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY",
                format!(
                    "{trigger}: execution of {event} caused by: {err}: Trigger.{trigger}: line {line}, column 1"
                ),
                Vec::new(),
            )
        }
    }
}

/// One job-level failure: code and message.
fn job_failure(rng: &mut Rng) -> (&'static str, String) {
    match rng.below(5) {
        0 => {
            let used = 1_000_000 + rng.below(50_000);
            (
                "REQUEST_LIMIT_EXCEEDED",
                format!("TotalRequests Limit exceeded. Used {used} of 1000000 API requests in the last 24 hours."),
            )
        }
        1 => ("INVALID_SESSION_ID", "Session expired or invalid".to_string()),
        2 => (
            "INVALID_GRANT",
            rng.pick(&["expired access/refresh token", "authentication failure", "user hasn't approved this consumer"])
                .to_string(),
        ),
        3 => (
            "SERVER_UNAVAILABLE",
            "Server unavailable: the Salesforce instance is temporarily unavailable for scheduled maintenance. Please try again later."
                .to_string(),
        ),
        _ => ("API_CURRENTLY_DISABLED", "API is disabled for this User".to_string()),
    }
}

/// Crockford base32, fixed width, so that ids sort as their numbers do.
fn base32(mut n: u64, width: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut out = vec![b'0'; width];
    for c in out.iter_mut().rev() {
        *c = ALPHABET[(n & 31) as usize];
        n >>= 5;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The demo's current sync: the latest five-minute sync cycle before `now`.
pub fn current_sync_at(now: DateTime<Utc>) -> DateTime<Utc> {
    now.duration_trunc(Duration::minutes(5)).unwrap_or(now)
}

/// Generates `rows` errors for a window that ends at `now`.
pub fn generate(rows: u64, now: DateTime<Utc>) -> Vec<SyncError> {
    let mut rng = Rng(0x5EED_5A1E_5F0C_0DE5);
    let start = current_sync_at(now) - Duration::hours(RETENTION_HOURS);
    let span_ms = (now - start).num_milliseconds().max(1) as u64;
    // Bursts: a bad deployment, a lock storm, an expired token: many errors in a short time.
    let bursts: Vec<(u64, u64, u64)> = (0..14)
        .map(|_| {
            let width = (60_000 * (5 + rng.below(55))).min(span_ms);
            let at = rng.below(span_ms - width + 1);
            (at, width, rng.below(10))
        })
        .collect();
    let mut out = Vec::with_capacity(rows as usize);
    for index in 0..rows {
        let (offset_ms, burst_kind) = if rng.chance(30) {
            let (at, width, kind) = *rng.pick(&bursts);
            (at + rng.below(width), Some(kind))
        } else {
            (rng.below(span_ms), None)
        };
        let failed_at = start + Duration::milliseconds(offset_ms as i64);
        // Job-level errors are rarer: a few percent, more inside token/limit bursts.
        let is_job = match burst_kind {
            Some(kind) if kind < 2 => rng.chance(60),
            _ => rng.chance(4),
        };
        let id = format!(
            "se_{}{}",
            base32(store::to_ms(failed_at) as u64, 10),
            base32((rng.below(1 << 10) << 30) | index, 8)
        );
        let error = if is_job {
            let (code, message) = job_failure(&mut rng);
            SyncError {
                id,
                level: Level::Job,
                failed_at,
                error_code: code.into(),
                message,
                object_type: rng.chance(50).then(|| rng.pick(&OBJECTS).name.to_string()),
                operation: Some(rng.pick(&JOB_OPERATIONS).to_string()),
                marketo_id: None,
                salesforce_id: None,
                fields: Vec::new(),
            }
        } else {
            let object = *rng.pick(&OBJECTS);
            let (code, message, fields) = record_failure(&mut rng, object);
            let pushed_new = rng.chance(25);
            SyncError {
                id,
                level: Level::Record,
                failed_at,
                error_code: code.into(),
                message,
                object_type: Some(object.name.into()),
                operation: Some(
                    if pushed_new {
                        "Push new"
                    } else {
                        rng.pick(&RECORD_OPERATIONS)
                    }
                    .to_string(),
                ),
                marketo_id: Some((1000 + rng.below(9_000_000)).to_string()),
                salesforce_id: (!pushed_new || rng.chance(10))
                    .then(|| salesforce_id(object.prefix, rng.below(60_000_000))),
                fields,
            }
        };
        out.push(error);
    }
    out
}

/// Replaces the database's errors with `rows` demo errors for a window ending at `now`,
/// and records the demo's current sync.
pub fn seed(conn: &mut Connection, rows: u64, now: DateTime<Utc>) -> rusqlite::Result<()> {
    conn.execute_batch("DELETE FROM meta WHERE key LIKE 'demo_%';")?;
    store::replace_all(conn, generate(rows, now))?;
    store::meta_set(conn, "current_sync_at", &format_time(current_sync_at(now)))?;
    store::meta_set(conn, "demo_rows", &rows.to_string())?;
    store::meta_set(conn, "demo_seeded_at", &format_time(now))?;
    conn.execute_batch("ANALYZE")?;
    Ok(())
}

/// Fills the database at `path` with `rows` demo errors, unless it already holds a demo of
/// `rows` seeded less than 12 hours ago. Refuses a database that holds anything but demo data.
pub fn prepare(path: &Path, rows: u64, clock: Clock) -> anyhow::Result<()> {
    let mut conn = Connection::open(path)?;
    store::migrate(&mut conn)?;
    let now = clock.now();
    let seeded_rows = store::meta_get(&conn, "demo_rows")?;
    let seeded_at =
        store::meta_get(&conn, "demo_seeded_at")?.and_then(|s| sync_errors_api::parse_time(&s));
    let existing = store::count_all(&conn)?;
    if seeded_rows.is_none() && existing > 0 {
        anyhow::bail!(
            "{} holds {existing} errors that are not demo data; --demo-rows will not replace them",
            path.display()
        );
    }
    let fresh = seeded_at.is_some_and(|t| t <= now && now - t < Duration::hours(12));
    if seeded_rows.as_deref() == Some(rows.to_string().as_str()) && existing == rows && fresh {
        tracing::info!(
            "demo database {} already holds {rows} recent errors",
            path.display()
        );
        return Ok(());
    }
    let started = std::time::Instant::now();
    tracing::info!("seeding {rows} demo errors into {}", path.display());
    seed(&mut conn, rows, now)?;
    tracing::info!(
        "seeded {rows} demo errors in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salesforce_ids_have_18_characters_and_the_right_checksum() {
        let id = salesforce_id("00Q", 123_456);
        assert_eq!(id.len(), 18);
        assert!(id.starts_with("00Q"));
        assert_eq!(&id[15..], salesforce_id_checksum(&id[..15]));
    }

    #[test]
    fn demo_data_is_deterministic_and_realistic() {
        let now = sync_errors_api::parse_time("2026-11-28T10:15:00Z").unwrap();
        let a = generate(5000, now);
        assert_eq!(a, generate(5000, now));
        let codes: std::collections::BTreeSet<_> =
            a.iter().map(|e| e.error_code.as_str()).collect();
        for code in [
            "FIELD_CUSTOM_VALIDATION_EXCEPTION",
            "REQUIRED_FIELD_MISSING",
            "DUPLICATE_VALUE",
            "INVALID_EMAIL_ADDRESS",
            "UNABLE_TO_LOCK_ROW",
            "STRING_TOO_LONG",
            "INVALID_CROSS_REFERENCE_KEY",
            "ENTITY_IS_DELETED",
            "INACTIVE_OWNER_OR_USER",
            "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY",
            "REQUEST_LIMIT_EXCEEDED",
            "INVALID_SESSION_ID",
            "INVALID_GRANT",
            "SERVER_UNAVAILABLE",
            "API_CURRENTLY_DISABLED",
        ] {
            assert!(codes.contains(code), "{code} missing");
        }
        let seconds: std::collections::HashSet<_> =
            a.iter().map(|e| e.failed_at.timestamp()).collect();
        assert!(
            seconds.len() > a.len() * 9 / 10,
            "failures spread over time: {}",
            seconds.len()
        );
        let ids: std::collections::HashSet<_> = a.iter().map(|e| &e.id).collect();
        assert_eq!(ids.len(), a.len(), "ids are unique");
        let window_from = current_sync_at(now) - Duration::hours(RETENTION_HOURS);
        assert!(
            a.iter()
                .all(|e| e.failed_at >= window_from && e.failed_at <= now)
        );
        for e in a.iter().filter(|e| e.level == Level::Record) {
            assert!(e.marketo_id.is_some() && e.object_type.is_some());
            if let Some(sf) = &e.salesforce_id {
                assert_eq!(sf.len(), 18);
                let prefix = OBJECTS
                    .iter()
                    .find(|o| Some(o.name) == e.object_type.as_deref())
                    .unwrap()
                    .prefix;
                assert!(sf.starts_with(prefix), "{sf} for {:?}", e.object_type);
            }
        }
        assert!(
            a.iter()
                .filter(|e| e.level == Level::Job)
                .all(|e| e.salesforce_id.is_none())
        );
        let jobs = a.iter().filter(|e| e.level == Level::Job).count();
        assert!(jobs > 50 && jobs < 1500, "{jobs} job-level errors");
    }
}
