//! Faults of the real binary (issue 15): killed with SIGKILL while a sync engine posts
//! batches, the server loses no acknowledged error and leaves no half batch; started again
//! on the same store, it answers as before.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const AUTH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/demo-auth.json");

/// A running server, killed when dropped (a failed assertion leaves no process behind).
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the server on `db` and returns it with its port (read from its log line).
fn start(db: &Path) -> (Server, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sync-errors-server"))
        // No demo data: a store the demo would seed anew on a second start.
        .args(["--port", "0", "--auth", AUTH, "--db"])
        .arg(db)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("its standard output");
    let mut lines = BufReader::new(stdout).lines();
    let port = loop {
        let line = lines
            .next()
            .expect("the server logs where it listens")
            .expect("a line");
        if let Some(rest) = line.split("listening on http://127.0.0.1:").nth(1) {
            break rest.trim_end_matches('/').parse().expect("a port");
        }
    };
    // Keep reading its log, so that it never blocks on a full pipe.
    std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
    (Server(child), port)
}

/// The items of batch `b`: 1,000 errors, each batch with its own error code so that a
/// filter counts what the store holds of it.
fn batch(b: usize, failed_at: &str) -> Value {
    let items: Vec<Value> = (0..1000)
        .map(|i| {
            json!({
                "id": format!("kill-{b}-{i}"), "level": "record", "failed_at": failed_at,
                "error_code": format!("FAULT_BATCH_{b}"),
                "message": format!("Error {i} of batch {b}: the value of Email was refused"),
                "object_type": "Lead", "operation": "update", "marketo_id": i.to_string(),
                "salesforce_id": null, "fields": ["Email"]
            })
        })
        .collect();
    json!({ "items": items })
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// How many errors of batch `b` the store holds, as the list says.
fn held(port: u16, b: usize) -> u64 {
    let url =
        format!("http://127.0.0.1:{port}/api/v1/sync-errors?limit=1&error_code=FAULT_BATCH_{b}");
    let mut answer = agent()
        .get(&url)
        .header("Authorization", "Bearer demo-admin-token")
        .call()
        .expect("the list answers");
    assert_eq!(answer.status(), 200);
    let page: Value = answer.body_mut().read_json().expect("a page");
    page["total"].as_u64().expect("a total")
}

#[test]
fn killed_in_the_middle_of_ingestion_it_loses_no_acknowledged_error_and_no_batch_is_half_written() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("faults.db");
    let (mut server, port) = start(&db);
    let failed_at = {
        let mut answer = agent()
            .get(&format!(
                "http://127.0.0.1:{port}/api/v1/sync-errors?limit=1"
            ))
            .header("Authorization", "Bearer demo-admin-token")
            .call()
            .expect("the list answers");
        let page: Value = answer.body_mut().read_json().expect("a page");
        page["window"]["to"]
            .as_str()
            .expect("the window's end")
            .to_owned()
    };

    // An engine posting batch after batch, noting which were acknowledged.
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let sent = Arc::new(Mutex::new(0usize));
    let stop = Arc::new(AtomicBool::new(false));
    let engine = {
        let (acknowledged, sent, stop) = (acknowledged.clone(), sent.clone(), stop.clone());
        std::thread::spawn(move || {
            let agent = agent();
            for b in 0.. {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                *sent.lock().unwrap() = b + 1;
                let answer = agent
                    .post(&format!("http://127.0.0.1:{port}/api/v1/sync-errors"))
                    .header("Authorization", "Bearer demo-ingest-token")
                    .send_json(batch(b, &failed_at));
                match answer {
                    Ok(mut a) if a.status() == 200 => {
                        let body: Value = a.body_mut().read_json().expect("an answer");
                        assert_eq!(body["accepted"], 1000, "{body}");
                        acknowledged.lock().unwrap().push(b);
                    }
                    // The server is gone: the batch in flight was not acknowledged.
                    _ => break,
                }
            }
        })
    };
    // Let a few batches land, then kill it while the next one is being written.
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 3 {
        assert!(Instant::now() < deadline, "three batches in a minute");
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(40));
    server.0.kill().expect("SIGKILL");
    server.0.wait().expect("it ends");
    stop.store(true, Ordering::SeqCst);
    engine.join().expect("the engine ends");

    let acknowledged = acknowledged.lock().unwrap().clone();
    let sent = *sent.lock().unwrap();
    assert!(
        sent > acknowledged.len(),
        "a batch was in flight when it was killed"
    );
    let (_again, port) = start(&db);
    for b in 0..sent {
        let n = held(port, b);
        if acknowledged.contains(&b) {
            assert_eq!(n, 1000, "batch {b} was acknowledged");
        } else {
            assert!(
                n == 0 || n == 1000,
                "batch {b} is half written: {n} of 1,000"
            );
        }
    }
}
