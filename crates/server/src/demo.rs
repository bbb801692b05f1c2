//! Deterministic, realistic demo errors: real Salesforce status codes and messages, real
//! key prefixes, spread over the retention window with bursts, as a busy org meets them.

use std::path::Path;

use chrono::{DateTime, Duration, DurationRound, Timelike, Utc};
use r2d2_sqlite::rusqlite::Connection;
use sync_errors_api::{
    IngestAnswer, Level, RETENTION_HOURS, Rejected, SyncError, format_time, salesforce_id_checksum,
};

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

/// The record-level codes of the demo, each with its weight among a record's failures.
/// Some only happen on some objects (see `happens_on`).
const RECORD_CODES: [(&str, u64); 16] = [
    ("REQUIRED_FIELD_MISSING", 14),
    ("FIELD_CUSTOM_VALIDATION_EXCEPTION", 12),
    ("INVALID_EMAIL_ADDRESS", 9),
    ("DUPLICATE_VALUE", 8),
    ("DUPLICATES_DETECTED", 8),
    ("UNABLE_TO_LOCK_ROW", 8),
    ("STRING_TOO_LONG", 6),
    ("INVALID_CROSS_REFERENCE_KEY", 6),
    ("ENTITY_IS_DELETED", 6),
    ("INACTIVE_OWNER_OR_USER", 5),
    ("CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", 5),
    ("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", 5),
    ("INVALID_FIELD_FOR_INSERT_UPDATE", 4),
    ("INSUFFICIENT_ACCESS_OR_READONLY", 3),
    ("INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY", 2),
    ("FIELD_INTEGRITY_EXCEPTION", 2),
];

/// Whether `code` can happen on `object` (an email check on a Task cannot).
fn happens_on(code: &str, object: &Object) -> bool {
    match code {
        "INVALID_EMAIL_ADDRESS" => matches!(object.name, "Lead" | "Contact"),
        "DUPLICATE_VALUE" | "DUPLICATES_DETECTED" => {
            matches!(object.name, "Lead" | "Contact" | "Account")
        }
        "FIELD_INTEGRITY_EXCEPTION" => matches!(object.name, "Lead" | "Contact" | "Account"),
        "UNABLE_TO_LOCK_ROW" => !matches!(object.name, "Lead"),
        _ => true,
    }
}

/// The objects of record-level failures, with their weights: leads and contacts most.
const OBJECT_WEIGHTS: [(&Object, u64); 7] = [
    (&LEAD, 34),
    (&CONTACT, 24),
    (&ACCOUNT, 12),
    (&OPPORTUNITY, 10),
    (&CAMPAIGN_MEMBER, 10),
    (&TASK, 6),
    (&CAMPAIGN, 4),
];

fn weighted<'a, T>(rng: &mut Rng, items: &'a [(T, u64)]) -> &'a T {
    let total: u64 = items.iter().map(|(_, w)| w).sum();
    let mut n = rng.below(total);
    for (item, w) in items {
        if n < *w {
            return item;
        }
        n -= w;
    }
    &items[items.len() - 1].0
}

/// One record-level failure on `object`: code, message, failing fields.
fn record_failure(rng: &mut Rng, object: &Object) -> (&'static str, String, Vec<String>) {
    let codes: Vec<(&str, u64)> = RECORD_CODES
        .iter()
        .copied()
        .filter(|(code, _)| happens_on(code, object))
        .collect();
    let code = *weighted(rng, &codes);
    record_message(rng, object, code)
}

/// The message and failing fields of `code` on `object`, as Salesforce words them.
fn record_message(
    rng: &mut Rng,
    object: &Object,
    code: &'static str,
) -> (&'static str, String, Vec<String>) {
    let f = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    match code {
        "FIELD_CUSTOM_VALIDATION_EXCEPTION" => {
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
            (code, msg.to_string(), f(fields))
        }
        "REQUIRED_FIELD_MISSING" => {
            let fields: &[&str] = match object.name {
                "Lead" => rng.pick::<&[&str]>(&LEAD_REQUIRED),
                "Contact" => &["LastName"],
                "Account" => &["Name"],
                "Opportunity" => rng.pick::<&[&str]>(&OPPORTUNITY_REQUIRED),
                "Task" => &["Subject"],
                _ => &["Status"],
            };
            (
                code,
                format!("Required fields are missing: [{}]", fields.join(", ")),
                f(fields),
            )
        }
        "DUPLICATE_VALUE" => {
            let other = salesforce_id(object.prefix, rng.below(50_000_000));
            (
                code,
                format!(
                    "duplicate value found: Email_External_Id__c duplicates value on record with id: {other}"
                ),
                f(&["Email_External_Id__c"]),
            )
        }
        "DUPLICATES_DETECTED" => (
            code,
            rng.pick(&[
                "Use one of these records?",
                "You're creating a duplicate record. We recommend you use an existing record instead.",
            ])
            .to_string(),
            Vec::new(),
        ),
        "INVALID_EMAIL_ADDRESS" => {
            let name = rng.pick(&FIRST_NAMES).to_lowercase();
            let domain = rng.pick(&DOMAINS);
            let bad = match rng.below(4) {
                0 => format!("{name}@@{domain}"),
                1 => format!("{name}@{}", domain.replace('.', "")),
                2 => format!("{name} @{domain}"),
                _ => format!("{name}@{domain}."),
            };
            (
                code,
                format!("Email: invalid email address: {bad}"),
                f(&["Email"]),
            )
        }
        "UNABLE_TO_LOCK_ROW" => {
            let n = 1 + rng.below(3);
            let locked = salesforce_id(ACCOUNT.prefix, rng.below(2_000_000));
            (
                code,
                format!(
                    "unable to obtain exclusive access to this record or {n} records: {locked}"
                ),
                Vec::new(),
            )
        }
        "STRING_TOO_LONG" => {
            let (field, value, max) = *rng.pick(&[
                ("Title", "Senior Vice President of Global Marketing Operations and Demand Generation, EMEA & APAC", 80),
                ("FirstName", "Maximilian-Alexander-Konstantin-Friedrich-Wilhelm von Hohenzollern-Sigmaringen", 40),
                ("Company", "The International Consolidated Amalgamated Holdings Group of Companies and Subsidiaries (Europe) Limited Liability Partnership", 255),
            ]);
            (
                code,
                format!("{field}: data value too large: {value} (max length={max})"),
                f(&[field]),
            )
        }
        "INVALID_CROSS_REFERENCE_KEY" => {
            let bad = salesforce_id("012", rng.below(90_000));
            let (msg, field) = *rng.pick(&[
                (
                    "Record Type ID: this ID value isn't valid for the user: ",
                    "RecordTypeId",
                ),
                ("invalid cross reference id: ", "OwnerId"),
                ("Campaign ID: id value of incorrect type: ", "CampaignId"),
            ]);
            (code, format!("{msg}{bad}"), f(&[field]))
        }
        "ENTITY_IS_DELETED" => (code, "entity is deleted".to_string(), Vec::new()),
        "INACTIVE_OWNER_OR_USER" => {
            let user = salesforce_id("005", rng.below(4_000));
            (
                code,
                format!(
                    "operation performed with inactive user [{}] as owner of {}",
                    &user[..15],
                    object.name.to_lowercase()
                ),
                f(&["OwnerId"]),
            )
        }
        "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY" => {
            // One rare trigger among the common ones (the benchmark's rare word).
            let (trigger, event, err, line) = if rng.chance(2) {
                ("OpportunityRenewalScheduler", "AfterUpdate", "System.QueryException: List has no rows for assignment to SObject", 41)
            } else {
                *rng.pick(&[
                    ("LeadTrigger", "BeforeUpdate", "System.NullPointerException: Attempt to de-reference a null object", 27),
                    ("ContactTrigger", "AfterInsert", "System.LimitException: Too many SOQL queries: 101", 112),
                    ("AccountTerritoryAssignment", "BeforeInsert", "System.DmlException: Insert failed. First exception on row 0; first error: FIELD_INTEGRITY_EXCEPTION", 58),
                ])
            };
            (
                code,
                format!(
                    "{trigger}: execution of {event} caused by: {err}: Trigger.{trigger}: line {line}, column 1"
                ),
                Vec::new(),
            )
        }
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST" => {
            let (label, field, value) = *rng.pick(&[
                ("Lead Source", "LeadSource", "Webinar - EMEA"),
                ("Industry", "Industry", "Fintech"),
                ("Lead Status", "Status", "MQL"),
                ("Salutation", "Salutation", "Mx."),
            ]);
            (
                code,
                format!("{label}: bad value for restricted picklist field: {value}"),
                f(&[field]),
            )
        }
        "INVALID_FIELD_FOR_INSERT_UPDATE" => {
            let field = *rng.pick(&["Lead_Score__c", "LeadSource", "Marketo_Sync__c", "Rating"]);
            (
                code,
                format!(
                    "Unable to create/update fields: {field}. Please check the security settings of this field and verify that it is read/write for your profile or permission set."
                ),
                f(&[field]),
            )
        }
        "INSUFFICIENT_ACCESS_OR_READONLY" => (
            code,
            "insufficient access rights on object id".to_string(),
            Vec::new(),
        ),
        "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY" => {
            let user = salesforce_id("005", rng.below(4_000));
            (
                code,
                format!("insufficient access rights on cross-reference id: {}", &user[..15]),
                f(&["OwnerId"]),
            )
        }
        _ => {
            let (what, field) = *rng.pick(&[("country", "Country"), ("state", "State")]);
            let list = if what == "country" { "countries" } else { "states" };
            (
                "FIELD_INTEGRITY_EXCEPTION",
                format!(
                    "There's a problem with this {what}, even though it may appear correct. Please select a {what} from the list of valid {list}.: {field}"
                ),
                f(&[field]),
            )
        }
    }
}

/// The message of a job-level failure with `code`.
fn job_message(rng: &mut Rng, code: &str) -> String {
    match code {
        "REQUEST_LIMIT_EXCEEDED" => {
            let used = 1_000_000 + rng.below(50_000);
            format!(
                "TotalRequests Limit exceeded. Used {used} of 1000000 API requests in the last 24 hours."
            )
        }
        "INVALID_SESSION_ID" => "Session expired or invalid".to_string(),
        "INVALID_GRANT" => rng
            .pick(&[
                "expired access/refresh token",
                "authentication failure",
                "user hasn't approved this consumer",
            ])
            .to_string(),
        "SERVER_UNAVAILABLE" => "Server unavailable: the Salesforce instance is temporarily unavailable for scheduled maintenance. Please try again later.".to_string(),
        _ => "API is disabled for this User".to_string(),
    }
}

/// Job-level failures outside the stories below, with their weights.
const JOB_CODES: [(&str, u64); 5] = [
    ("API_CURRENTLY_DISABLED", 25),
    ("REQUEST_LIMIT_EXCEEDED", 20),
    ("SERVER_UNAVAILABLE", 20),
    ("INVALID_SESSION_ID", 20),
    ("INVALID_GRANT", 15),
];

/// The stories an admin recognises in the chart, each a share of the errors (per mille) in
/// a span of a day before now's (UTC): what happened, when, and what it produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Story {
    /// A validation rule switched on one afternoon: Leads pushed without an ISO country
    /// fail, from 13:05 to 16:40 the day before, until the rule is fixed.
    ValidationRule,
    /// The integration user's session expires, then its refresh token is revoked: every
    /// sync cycle fails at the job level, 01:40 to 03:50 three days before, until fixed.
    ExpiredIntegrationUser,
    /// A mass update by another integration eats the org's daily API requests: 09:15 to
    /// 11:45 two days before.
    RequestLimitStorm,
    /// A data load locks accounts: 14:10 to 14:55 four days before.
    LockStorm,
    /// Salesforce's scheduled maintenance: 02:00 to 02:40 the day before.
    Maintenance,
}

impl Story {
    pub const ALL: [Story; 5] = [
        Story::ValidationRule,
        Story::ExpiredIntegrationUser,
        Story::RequestLimitStorm,
        Story::LockStorm,
        Story::Maintenance,
    ];

    /// Errors out of a thousand.
    fn per_mille(self) -> u64 {
        match self {
            Story::ValidationRule => 60,
            Story::ExpiredIntegrationUser => 12,
            Story::RequestLimitStorm => 15,
            Story::LockStorm => 15,
            Story::Maintenance => 4,
        }
    }

    /// When, for a demo whose now is `now`.
    pub fn span(self, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        let day = now.duration_trunc(Duration::days(1)).unwrap_or(now);
        let at =
            |days: i64, h: i64, m: i64| day - Duration::days(days) + Duration::minutes(h * 60 + m);
        match self {
            Story::ValidationRule => (at(1, 13, 5), at(1, 16, 40)),
            Story::ExpiredIntegrationUser => (at(3, 1, 40), at(3, 3, 50)),
            Story::RequestLimitStorm => (at(2, 9, 15), at(2, 11, 45)),
            Story::LockStorm => (at(4, 14, 10), at(4, 14, 55)),
            Story::Maintenance => (at(1, 2, 0), at(1, 2, 40)),
        }
    }
}

/// A time in `[from, to)`: anywhere, or, for a job, a few seconds into one of the sync
/// cycles (every five minutes) in it.
fn time_in(
    rng: &mut Rng,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    cycles: bool,
) -> DateTime<Utc> {
    let span = (to - from).num_milliseconds().max(1) as u64;
    if !cycles {
        return from + Duration::milliseconds(rng.below(span) as i64);
    }
    let cycle = 300_000;
    let n = (span / cycle).max(1);
    from + Duration::milliseconds((rng.below(n) * cycle + 2_000 + rng.below(50_000)) as i64)
}

/// A time of the ordinary traffic: anywhere in the window, twice as likely in working
/// hours (07:00 to 19:00 UTC), when most records change.
fn ordinary_time(rng: &mut Rng, start: DateTime<Utc>, span_ms: u64) -> DateTime<Utc> {
    loop {
        let t = start + Duration::milliseconds(rng.below(span_ms) as i64);
        let hour = t.hour();
        if (7..19).contains(&hour) || rng.chance(50) {
            return t;
        }
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

/// What one demo error is, before its id and time are drawn.
enum Kind {
    Record(&'static Object, &'static str),
    Job(&'static str),
}

/// Generates `rows` errors for a window that ends at `now`: the ordinary traffic of a busy
/// org (record-level failures on every object, a few job-level ones) and the stories of
/// [`Story`], each in its span.
pub fn generate(rows: u64, now: DateTime<Utc>) -> Vec<SyncError> {
    let mut rng = Rng(0x5EED_5A1E_5F0C_0DE5);
    // The ordinary traffic's times come from a stream of their own: how many draws one
    // takes depends on `now`, and on the main stream that would reshuffle every later
    // error, so the demo's make-up (how many job-level errors, of which codes, on which
    // objects) would change from one start to the next (97 to 140 job-level errors in
    // 2,000). Apart, only the ordinary times follow `now`.
    let mut times = Rng(0x71E5_0F0D_A7E5_0001);
    let start = current_sync_at(now) - Duration::hours(RETENTION_HOURS);
    let span_ms = (now - start).num_milliseconds().max(1) as u64;
    let mut out = Vec::with_capacity(rows as usize);
    for index in 0..rows {
        let mut roll = rng.below(1000);
        let story = Story::ALL.into_iter().find(|s| {
            let hit = roll < s.per_mille();
            roll = roll.saturating_sub(s.per_mille());
            hit
        });
        let (kind, failed_at) = match story {
            Some(Story::ValidationRule) => (
                Kind::Record(&LEAD, "FIELD_CUSTOM_VALIDATION_EXCEPTION"),
                time_in(&mut rng, Story::ValidationRule.span(now), false),
            ),
            Some(Story::ExpiredIntegrationUser) => {
                let (from, to) = Story::ExpiredIntegrationUser.span(now);
                let t = time_in(&mut rng, (from, to), true);
                // The session fails first; once the refresh is refused, the grant does.
                let code = if t < from + Duration::minutes(25) {
                    "INVALID_SESSION_ID"
                } else {
                    "INVALID_GRANT"
                };
                (Kind::Job(code), t)
            }
            Some(Story::RequestLimitStorm) => (
                Kind::Job("REQUEST_LIMIT_EXCEEDED"),
                time_in(&mut rng, Story::RequestLimitStorm.span(now), true),
            ),
            Some(Story::LockStorm) => {
                let &object = rng.pick(&[&ACCOUNT, &OPPORTUNITY, &CAMPAIGN_MEMBER, &ACCOUNT]);
                (
                    Kind::Record(object, "UNABLE_TO_LOCK_ROW"),
                    time_in(&mut rng, Story::LockStorm.span(now), false),
                )
            }
            Some(Story::Maintenance) => (
                Kind::Job("SERVER_UNAVAILABLE"),
                time_in(&mut rng, Story::Maintenance.span(now), true),
            ),
            None => {
                let t = ordinary_time(&mut times, start, span_ms);
                let kind = if rng.chance(3) {
                    let &code = weighted(&mut rng, &JOB_CODES);
                    Kind::Job(code)
                } else {
                    let &object = weighted(&mut rng, &OBJECT_WEIGHTS);
                    Kind::Record(object, "")
                };
                (kind, t)
            }
        };
        let failed_at = failed_at.clamp(start, now);
        let id = format!(
            "se_{}{}",
            base32(store::to_ms(failed_at) as u64, 10),
            base32((rng.below(1 << 10) << 30) | index, 8)
        );
        let error = match kind {
            Kind::Job(code) => SyncError {
                id,
                level: Level::Job,
                failed_at,
                error_code: code.into(),
                message: job_message(&mut rng, code),
                // Most job-level failures stop a whole job; some stop one object's part.
                object_type: rng.chance(15).then(|| rng.pick(&OBJECTS).name.to_string()),
                operation: Some(rng.pick(&JOB_OPERATIONS).to_string()),
                marketo_id: None,
                salesforce_id: None,
                fields: Vec::new(),
            },
            Kind::Record(object, code) => {
                let (code, message, fields) = if code == "FIELD_CUSTOM_VALIDATION_EXCEPTION"
                    && story == Some(Story::ValidationRule)
                {
                    (
                        code,
                        "Country must be a two-letter ISO code (e.g. FR, US) for leads from web forms.".to_string(),
                        vec!["Country".to_string()],
                    )
                } else if code.is_empty() {
                    record_failure(&mut rng, object)
                } else {
                    record_message(&mut rng, object, code)
                };
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
            }
        };
        out.push(error);
    }
    out
}

/// The demo generator's version: a demo database seeded by another one is seeded again.
/// 2: the stories, every object and the 21 codes of issue 13. 3: the same make-up at every
/// start (the ordinary times drawn apart).
pub const DEMO_VERSION: &str = "3";

/// How many demo errors go in one ingest batch: the most a request may carry.
pub const BATCH: usize = sync_errors_api::MAX_INGEST_ITEMS;

/// Replaces the database's errors with `rows` demo errors for a window ending at `now`,
/// written as a sync engine would send them: in time order, in batches of [`BATCH`]
/// through ingestion (the first batch carries the demo's current sync). Every demo error is
/// valid and new, so every one is accepted.
pub fn seed(conn: &mut Connection, rows: u64, now: DateTime<Utc>) -> anyhow::Result<()> {
    conn.execute_batch("DELETE FROM meta WHERE key LIKE 'demo_%';")?;
    store::clear_all(conn)?;
    conn.execute_batch("DELETE FROM meta WHERE key = 'current_sync_at';")?;
    for (sync, batch) in batches(rows, now) {
        let n = batch.len();
        accepted_whole(&crate::ingest::ingest(conn, sync, batch, now)?, n)?;
    }
    store::meta_set(conn, "demo_version", DEMO_VERSION)?;
    store::meta_set(conn, "demo_rows", &rows.to_string())?;
    store::meta_set(conn, "demo_seeded_at", &format_time(now))?;
    conn.execute_batch("ANALYZE")?;
    Ok(())
}

/// Fills the database at `path` with `rows` demo errors, unless it already holds a demo of
/// `rows` by this generator, seeded less than 12 hours ago. Refuses a database that holds
/// anything but demo data.
pub fn prepare(path: &Path, rows: u64, clock: Clock) -> anyhow::Result<()> {
    let mut conn = Connection::open(path)?;
    store::migrate(&mut conn)?;
    // The writer's settings, but for the log's syncs: a demo that a power cut interrupts is
    // seeded again at the next start.
    store::ingest::configure(&conn)?;
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144;")?;
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
    let same = store::meta_get(&conn, "demo_version")?.as_deref() == Some(DEMO_VERSION);
    if seeded_rows.as_deref() == Some(rows.to_string().as_str())
        && existing == rows
        && fresh
        && same
    {
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

/// `seed` for any store: empties it, then ingests `rows` demo errors in time order, in
/// batches of [`BATCH`] (the first carries the demo's current sync).
pub async fn seed_store(
    store: &dyn crate::store::Store,
    rows: u64,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    store.clear_all().await?;
    for (sync, batch) in batches(rows, now) {
        let n = batch.len();
        accepted_whole(
            &crate::ingest::ingest_into(store, sync, batch, now).await?,
            n,
        )?;
    }
    Ok(())
}

/// The demo's errors as a sync engine sends them: in time order, in batches of [`BATCH`],
/// the first carrying the demo's current sync.
type Batch = (Option<DateTime<Utc>>, Vec<Result<SyncError, Rejected>>);

fn batches(rows: u64, now: DateTime<Utc>) -> impl Iterator<Item = Batch> {
    let mut errors = generate(rows, now);
    errors.sort_unstable_by(|a, b| (a.failed_at, &a.id).cmp(&(b.failed_at, &b.id)));
    let mut sync = Some(current_sync_at(now));
    let mut errors = errors.into_iter().peekable();
    std::iter::from_fn(move || {
        errors.peek()?;
        Some((sync.take(), errors.by_ref().take(BATCH).map(Ok).collect()))
    })
}

/// Every demo error is valid and new: a batch not accepted whole is a bug.
fn accepted_whole(answer: &IngestAnswer, n: usize) -> anyhow::Result<()> {
    if answer.accepted != n as u64 {
        anyhow::bail!(
            "a demo batch was not accepted whole: {:?}",
            answer.rejected.first()
        );
    }
    Ok(())
}

/// `prepare` for any store (PostgreSQL's path): the same checks and the same batches
/// through ingestion, into `store`.
pub async fn prepare_store(
    store: &dyn crate::store::Store,
    rows: u64,
    clock: Clock,
) -> anyhow::Result<()> {
    let now = clock.now();
    let meta = |key: &str| store.meta_get(key.to_owned());
    let seeded_rows = meta("demo_rows").await?;
    let seeded_at = meta("demo_seeded_at")
        .await?
        .and_then(|s| sync_errors_api::parse_time(&s));
    let existing = store.count_all().await?;
    if seeded_rows.is_none() && existing > 0 {
        anyhow::bail!(
            "the store holds {existing} errors that are not demo data; --demo-rows will not replace them"
        );
    }
    let fresh = seeded_at.is_some_and(|t| t <= now && now - t < Duration::hours(12));
    let same = meta("demo_version").await?.as_deref() == Some(DEMO_VERSION);
    if seeded_rows.as_deref() == Some(rows.to_string().as_str())
        && existing == rows
        && fresh
        && same
    {
        tracing::info!("the demo store already holds {rows} recent errors");
        return Ok(());
    }
    let started = std::time::Instant::now();
    tracing::info!("seeding {rows} demo errors");
    for key in ["demo_version", "demo_rows", "demo_seeded_at"] {
        store.meta_set(key.to_owned(), String::new()).await?;
    }
    seed_store(store, rows, now).await?;
    tracing::info!(
        "seeded {rows} demo errors in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    let analyzed = std::time::Instant::now();
    store.optimize().await?;
    store
        .meta_set("demo_version".into(), DEMO_VERSION.into())
        .await?;
    store.meta_set("demo_rows".into(), rows.to_string()).await?;
    store
        .meta_set("demo_seeded_at".into(), format_time(now))
        .await?;
    tracing::info!(
        "the planner's statistics refreshed in {:.1}s",
        analyzed.elapsed().as_secs_f64()
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

    /// The codes whose guidance the tab ships: the demo uses these and no other.
    const GUIDED: [&str; 21] = [
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
        "INVALID_FIELD_FOR_INSERT_UPDATE",
        "DUPLICATES_DETECTED",
        "INSUFFICIENT_ACCESS_OR_READONLY",
        "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
        "FIELD_INTEGRITY_EXCEPTION",
    ];

    #[test]
    fn demo_data_is_deterministic_and_realistic() {
        let now = sync_errors_api::parse_time("2026-11-28T10:15:00Z").unwrap();
        let a = generate(5000, now);
        assert_eq!(a, generate(5000, now));
        let codes: std::collections::BTreeSet<_> =
            a.iter().map(|e| e.error_code.as_str()).collect();
        assert_eq!(
            codes,
            GUIDED.into_iter().collect(),
            "every code with guidance, and no other"
        );
        // The tab's advice file (`assets/guidance.json`) covers each of them.
        let guidance: serde_json::Value =
            serde_json::from_str(include_str!("../../../assets/guidance.json")).unwrap();
        for code in GUIDED {
            assert!(
                guidance["codes"].get(code).is_some(),
                "no guidance for {code}"
            );
        }
        let objects: std::collections::BTreeSet<_> =
            a.iter().filter_map(|e| e.object_type.as_deref()).collect();
        assert_eq!(
            objects,
            OBJECTS.iter().map(|o| o.name).collect(),
            "every object"
        );
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
        let jobs: Vec<&SyncError> = a.iter().filter(|e| e.level == Level::Job).collect();
        assert!(
            jobs.len() > 50 && jobs.len() < 1500,
            "{} job-level errors",
            jobs.len()
        );
        let without_object = jobs.iter().filter(|e| e.object_type.is_none()).count();
        assert!(
            without_object * 10 > jobs.len() * 7,
            "job-level errors mostly have no object: {without_object} of {}",
            jobs.len()
        );
    }

    /// Each story shows in its span: its errors are there, many times the ordinary rate.
    #[test]
    fn the_stories_stand_out_in_their_spans() {
        let now = sync_errors_api::parse_time("2026-11-28T10:15:00Z").unwrap();
        let a = generate(20_000, now);
        let window_from = current_sync_at(now) - Duration::hours(RETENTION_HOURS);
        for story in Story::ALL {
            let (from, to) = story.span(now);
            assert!(window_from <= from && from < to && to <= now, "{story:?}");
            let (code, level, object) = match story {
                Story::ValidationRule => (
                    "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                    Level::Record,
                    Some("Lead"),
                ),
                Story::ExpiredIntegrationUser => ("INVALID_GRANT", Level::Job, None),
                Story::RequestLimitStorm => ("REQUEST_LIMIT_EXCEEDED", Level::Job, None),
                Story::LockStorm => ("UNABLE_TO_LOCK_ROW", Level::Record, None),
                Story::Maintenance => ("SERVER_UNAVAILABLE", Level::Job, None),
            };
            let of = |e: &&SyncError| {
                e.error_code == code
                    && e.level == level
                    && object.is_none_or(|o| e.object_type.as_deref() == Some(o))
            };
            let inside = a
                .iter()
                .filter(|e| e.failed_at >= from && e.failed_at < to)
                .filter(of)
                .count();
            let all = a.iter().filter(of).count();
            let share_of_time =
                (to - from).num_seconds() as f64 / (now - window_from).num_seconds() as f64;
            let share_of_errors = inside as f64 / all as f64;
            assert!(
                inside >= 20 && share_of_errors > 5.0 * share_of_time,
                "{story:?}: {inside} of {all} in {share_of_time:.3} of the time"
            );
        }
        // The expired user fails at each sync cycle, a few seconds in (the ordinary
        // traffic's job-level errors may fall anywhere, but are few).
        let (from, to) = Story::ExpiredIntegrationUser.span(now);
        let jobs: Vec<&SyncError> = a
            .iter()
            .filter(|e| e.level == Level::Job && e.failed_at >= from && e.failed_at < to)
            .collect();
        let on_cycle = jobs
            .iter()
            .filter(|e| {
                (2_000..52_000).contains(&((e.failed_at - from).num_milliseconds() % 300_000))
            })
            .count();
        assert!(
            on_cycle * 10 >= jobs.len() * 9,
            "{on_cycle} of {} on a cycle",
            jobs.len()
        );
    }

    /// What the end-to-end tests rely on in the 2,000-row demo: job-level errors, some in
    /// the last 30 hours; API_CURRENTLY_DISABLED first by code, UNABLE_TO_LOCK_ROW last.
    #[test]
    fn the_e2e_demo_has_what_the_e2e_tests_read() {
        let now = sync_errors_api::parse_time("2026-11-28T10:15:00Z").unwrap();
        let a = generate(2000, now);
        let mut codes: Vec<&str> = a.iter().map(|e| e.error_code.as_str()).collect();
        codes.sort_unstable();
        assert_eq!(codes.first(), Some(&"API_CURRENTLY_DISABLED"));
        assert_eq!(codes.last(), Some(&"UNABLE_TO_LOCK_ROW"));
        let recent_jobs = a
            .iter()
            .filter(|e| e.level == Level::Job && e.failed_at >= now - Duration::hours(30))
            .count();
        assert!(
            recent_jobs >= 5,
            "{recent_jobs} job-level errors in the last 30 hours"
        );
    }

    /// The demo is made of the same errors whenever it is seeded; only their times follow
    /// the clock. The end-to-end tests page through the job-level errors (more than one
    /// page of 100), which once failed when a start drew only 97 of them.
    #[test]
    fn the_demo_has_the_same_make_up_at_every_start() {
        let make_up = |now| {
            let mut counts = std::collections::BTreeMap::new();
            for e in generate(2000, now) {
                *counts
                    .entry((e.level, e.error_code, e.object_type))
                    .or_insert(0u32) += 1;
            }
            counts
        };
        let first = sync_errors_api::parse_time("2026-12-01T00:03:00Z").unwrap();
        let expected = make_up(first);
        let jobs: u32 = expected
            .iter()
            .filter(|((level, _, _), _)| *level == Level::Job)
            .map(|(_, n)| n)
            .sum();
        assert!(jobs > 100, "{jobs} job-level errors: under one page of 100");
        for step in 1..40 {
            let now = first + Duration::minutes(37 * step) + Duration::milliseconds(step * 911);
            assert_eq!(make_up(now), expected, "seeded at {now}");
        }
    }
}
