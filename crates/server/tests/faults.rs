//! Faults of the real binary (issue 15), on both stores: killed with SIGKILL while a sync
//! engine posts batches, the server loses no acknowledged error and leaves no half batch;
//! started again on the same store, it answers as before. (PostgreSQL with
//! `SYNC_ERRORS_TEST_PG`, as `make test-pg` runs it.)

mod binary;
mod pg;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use binary::{Server, agent, ingest, page};
use serde_json::{Value, json};

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

/// How many errors of batch `b` the store holds, as the list says.
fn held(base: &str, b: usize) -> u64 {
    let url = format!("{base}/api/v1/sync-errors?limit=1&error_code=FAULT_BATCH_{b}");
    page(&agent(), &url).total
}

/// Kills a server on `db` (no demo data: a second start of a demo store would seed it
/// anew) 40 ms after its third acknowledged batch, while the next one is being written,
/// then checks every batch through a server started again on the same store.
fn killed_in_the_middle_of_ingestion(db: &str) {
    let mut server = Server::start(db, &[]);
    let base = server.base.clone();
    let failed_at = sync_errors_api::format_time(
        page(&agent(), &format!("{base}/api/v1/sync-errors?limit=1"))
            .window
            .to,
    );

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
                match ingest(&agent, &base, &batch(b, &failed_at)) {
                    Ok(answer) => {
                        assert_eq!(answer.accepted, 1000);
                        acknowledged.lock().unwrap().push(b);
                    }
                    // The server is gone: the batch in flight was not acknowledged.
                    Err(_) => break,
                }
            }
        })
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 3 {
        assert!(Instant::now() < deadline, "three batches in a minute");
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(40));
    server.kill();
    stop.store(true, Ordering::SeqCst);
    engine.join().expect("the engine ends");

    let acknowledged = acknowledged.lock().unwrap().clone();
    let sent = *sent.lock().unwrap();
    assert!(
        sent > acknowledged.len(),
        "a batch was in flight when it was killed"
    );
    let again = Server::start(db, &[]);
    for b in 0..sent {
        let n = held(&again.base, b);
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

#[test]
fn sqlite_killed_in_the_middle_of_ingestion_loses_no_acknowledged_error_and_no_half_batch() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("faults.db");
    killed_in_the_middle_of_ingestion(db.to_str().expect("a UTF-8 path"));
}

#[test]
fn postgresql_killed_in_the_middle_of_ingestion_loses_no_acknowledged_error_and_no_half_batch() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(db) = rt.block_on(pg::Database::create()) else {
        return;
    };
    killed_in_the_middle_of_ingestion(&db.url);
    rt.block_on(db.drop());
}
