//! `sync-errors-server ingest FILE`: JSON Lines (one error a line; `-` for standard input)
//! sent in batches of 1,000 to a running server (`--url`, with an ingest token) or written
//! straight into a database (`--db`), through the same rules as `POST /v1/sync-errors`.
//! Every line ends up counted: accepted, unchanged or rejected (reported with its line
//! number); a batch the server could not take is sent again (ingestion is idempotent), and
//! if it still fails the command stops, saying which line to resume from.

use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use serde_json::Value;
use sync_errors_api::{
    IngestAnswer, MAX_INGEST_BYTES, MAX_INGEST_ITEMS, RejectCode, Rejected, SyncError, format_time,
};

use crate::{Clock, ingest, store};

/// Where the errors go.
pub enum Target {
    /// A running server's API base (`http://host:8080/api`) and an ingest token.
    Http { url: String, token: String },
    /// A database file, written directly (the server may be stopped or running).
    Db(PathBuf),
    /// A PostgreSQL database (`postgres://...`), written directly through the same store
    /// as the server's; migrated first when it is new.
    Postgres(String),
}

/// What became of every line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub lines: u64,
    pub accepted: u64,
    pub unchanged: u64,
    /// `(line number, why)`, in line order.
    pub rejected: Vec<(u64, String)>,
}

/// Room left in a request for the `{"items": [...]}` around the items.
const ENVELOPE: usize = 1024;
/// How often a batch is sent again after a network failure or a 5xx.
const RETRIES: u32 = 3;

/// One line waiting in a batch.
struct Line {
    number: u64,
    text: String,
}

/// Reads `input` (a path, or `-` for standard input) and sends it to `target`. Rejections
/// are written to `report` as they come (`line N: code field: message`).
pub fn run(input: &Path, target: &Target, report: &mut dyn Write) -> anyhow::Result<Summary> {
    let (reader, size): (Box<dyn Read>, Option<u64>) = if input == Path::new("-") {
        (Box::new(std::io::stdin().lock()), None)
    } else {
        let file = std::fs::File::open(input)
            .with_context(|| format!("cannot open {}", input.display()))?;
        let size = file.metadata().ok().map(|m| m.len());
        (Box::new(file), size)
    };
    let progress = progress_bar(size);
    let mut sink = Sink::open(target)?;
    let mut summary = Summary::default();
    let mut batch: Vec<Line> = Vec::new();
    let mut batch_bytes = 0;
    let reader = BufReader::with_capacity(1 << 20, reader);
    for (n, line) in reader.lines().enumerate() {
        let number = n as u64 + 1;
        let text = line.with_context(|| format!("cannot read line {number}"))?;
        progress.inc(text.len() as u64 + 1);
        if text.trim().is_empty() {
            continue;
        }
        summary.lines += 1;
        if text.len() + ENVELOPE > MAX_INGEST_BYTES {
            reject(
                &mut summary,
                report,
                number,
                "invalid_item: the line is over 4 MiB",
            )?;
            continue;
        }
        if batch.len() == MAX_INGEST_ITEMS
            || batch_bytes + text.len() + 1 + ENVELOPE > MAX_INGEST_BYTES
        {
            send(&mut sink, &mut batch, &mut summary, report)?;
            batch_bytes = 0;
        }
        batch_bytes += text.len() + 1;
        batch.push(Line { number, text });
    }
    send(&mut sink, &mut batch, &mut summary, report)?;
    progress.finish_and_clear();
    Ok(summary)
}

fn progress_bar(size: Option<u64>) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = match size {
        Some(size) => indicatif::ProgressBar::new(size).with_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        ),
        None => indicatif::ProgressBar::new_spinner().with_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {binary_bytes} {binary_bytes_per_sec}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        ),
    };
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    bar
}

fn reject(
    summary: &mut Summary,
    report: &mut dyn Write,
    number: u64,
    why: &str,
) -> anyhow::Result<()> {
    writeln!(report, "line {number}: {why}")?;
    summary.rejected.push((number, why.to_owned()));
    Ok(())
}

fn describe(r: &Rejected) -> String {
    let code = match r.code {
        RejectCode::InvalidItem => "invalid_item",
        RejectCode::Conflict => "conflict",
        RejectCode::Expired => "expired",
    };
    match &r.field {
        Some(field) => format!("{code} {field}: {}", r.message),
        None => format!("{code}: {}", r.message),
    }
}

/// Sends one batch: lines that are not JSON are rejected here, the others go to the sink;
/// the answer's indexes are mapped back to line numbers.
fn send(
    sink: &mut Sink,
    batch: &mut Vec<Line>,
    summary: &mut Summary,
    report: &mut dyn Write,
) -> anyhow::Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let mut items = Vec::with_capacity(batch.len());
    let mut numbers = Vec::with_capacity(batch.len());
    let mut local = Vec::new();
    for line in batch.drain(..) {
        match serde_json::from_str::<Value>(&line.text) {
            Ok(v) => {
                items.push(v);
                numbers.push(line.number);
            }
            Err(e) => local.push((
                line.number,
                format!("invalid_item: the line is not JSON: {e}"),
            )),
        }
    }
    let first = numbers.first().copied();
    let answer = if items.is_empty() {
        IngestAnswer::default()
    } else {
        sink.send(items).with_context(|| {
            format!(
                "the batch from line {} could not be ingested; the lines before it are; \
                 run again from there (or from the start: what is in is unchanged)",
                first.unwrap_or(0)
            )
        })?
    };
    summary.accepted += answer.accepted;
    summary.unchanged += answer.unchanged;
    let mut rejected: Vec<(u64, String)> = local;
    for r in &answer.rejected {
        let number = numbers.get(r.index as usize).copied().unwrap_or(0);
        rejected.push((number, describe(r)));
    }
    rejected.sort_by_key(|(n, _)| *n);
    for (number, why) in rejected {
        reject(summary, report, number, &why)?;
    }
    Ok(())
}

enum Sink {
    Http {
        agent: ureq::Agent,
        url: String,
        token: String,
    },
    Db(r2d2_sqlite::rusqlite::Connection),
    /// A runtime of its own (this command is synchronous) and the store.
    Postgres {
        runtime: tokio::runtime::Runtime,
        store: store::PgStore,
    },
}

impl Sink {
    fn open(target: &Target) -> anyhow::Result<Sink> {
        Ok(match target {
            Target::Http { url, token } => {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(120)))
                    .build()
                    .into();
                Sink::Http {
                    agent,
                    url: format!(
                        "{}{}",
                        url.trim_end_matches('/'),
                        sync_errors_api::LIST_PATH
                    ),
                    token: token.clone(),
                }
            }
            Target::Db(path) => {
                let mut conn = r2d2_sqlite::rusqlite::Connection::open(path)
                    .with_context(|| format!("cannot open the database {}", path.display()))?;
                store::ingest::configure(&conn)?;
                store::migrate(&mut conn)?;
                Sink::Db(conn)
            }
            Target::Postgres(url) => {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                let store = runtime.block_on(store::PgStore::connect(url, 2))?;
                Sink::Postgres { runtime, store }
            }
        })
    }

    fn send(&mut self, items: Vec<Value>) -> anyhow::Result<IngestAnswer> {
        match self {
            Sink::Db(conn) => {
                let now = Clock::default().now();
                Ok(ingest::ingest(conn, None, checked(items, now), now)?)
            }
            Sink::Postgres { runtime, store } => {
                let now = Clock::default().now();
                let items = checked(items, now);
                Ok(runtime.block_on(ingest::ingest_into(&*store, None, items, now))?)
            }
            Sink::Http { agent, url, token } => {
                let body = serde_json::json!({ "items": items });
                let mut attempt = 0;
                loop {
                    attempt += 1;
                    let result = agent
                        .post(url.as_str())
                        .header("Authorization", &format!("Bearer {token}"))
                        .send_json(&body);
                    let retry = match result {
                        Ok(mut response) => {
                            let status = response.status().as_u16();
                            if status == 200 {
                                return Ok(response.body_mut().read_json::<IngestAnswer>()?);
                            }
                            let text = response.body_mut().read_to_string().unwrap_or_default();
                            if status < 500 && status != 429 {
                                anyhow::bail!("the server answered {status}: {text}");
                            }
                            format!("the server answered {status}: {text}")
                        }
                        Err(e) => e.to_string(),
                    };
                    if attempt > RETRIES {
                        anyhow::bail!("{retry} (after {RETRIES} retries)");
                    }
                    std::thread::sleep(Duration::from_millis(500 << attempt));
                }
            }
        }
    }
}

/// The summary's last words, for people.
/// A batch's lines checked as the endpoint checks its items, each with its index.
fn checked(
    items: Vec<Value>,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<Result<SyncError, Rejected>> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| ingest::check_value(i as u64, v, now))
        .collect()
}

pub fn summary_line(s: &Summary, seconds: f64) -> String {
    format!(
        "{} lines: {} accepted, {} unchanged, {} rejected ({:.1} s, {:.0} lines/s; finished {})",
        s.lines,
        s.accepted,
        s.unchanged,
        s.rejected.len(),
        seconds,
        s.lines as f64 / seconds.max(1e-9),
        format_time(Clock::default().now()),
    )
}
