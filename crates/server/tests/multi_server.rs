//! Several server processes on one PostgreSQL (`SYNC_ERRORS_TEST_PG`; `make test-pg`):
//! sessions, cursors and ingestion across them, migrations when they start together, and
//! PostgreSQL stopped under a running server. (A server killed in the middle of a batch:
//! `faults.rs`, on both stores.)

mod binary;
mod pg;

use std::process::Command;
use std::time::Duration;

use binary::{Auth, Server, agent, get, ingest, page};
use serde_json::{Value, json};
use sync_errors_api::{ErrorPage, parse_time};
use sync_errors_server::demo;

const NOW: &str = "2026-11-28T10:15:00Z";

/// Signs in on `base` through the form; returns the session cookie (`se_session=...`).
fn sign_in(agent: &ureq::Agent, base: &str) -> String {
    let mut form = agent.get(format!("{base}/signin")).call().unwrap();
    let csrf_cookie = form.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let html = form.body_mut().read_to_string().unwrap();
    let token = html
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let response = agent
        .post(format!("{base}/signin"))
        .header("Cookie", &csrf_cookie)
        .send_form([
            ("username", "admin"),
            ("password", "admin"),
            ("next", "/"),
            ("csrf", token.as_str()),
        ])
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("se_session="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

fn batch(errors: &[sync_errors_api::SyncError]) -> Value {
    json!({
        "current_sync_at": demo::current_sync_at(parse_time(NOW).unwrap()),
        "items": errors,
    })
}

/// Two servers started together on one empty database (the migrations run once, under
/// the lock); a session from one is valid on the other, and closed there it is closed
/// everywhere; ingestion on one is read on the other at once; a cursor from one pages on
/// the other.
#[test]
fn two_servers_share_sessions_cursors_and_ingestion() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(db) = rt.block_on(pg::Database::create()) else {
        return;
    };
    let url = db.url.clone();
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| Server::start(&url, &["--now", NOW]));
        let b = s.spawn(|| Server::start(&url, &["--now", NOW]));
        (a.join().unwrap(), b.join().unwrap())
    });
    let versions: Vec<i32> = rt.block_on(async {
        let store = db.pg().await;
        let client = store.pool().get().await.unwrap();
        client
            .query("SELECT version FROM schema_version ORDER BY 1", &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    });
    assert_eq!(versions, vec![1, 2, 3]);

    let http = agent();
    let errors = demo::generate(250, parse_time(NOW).unwrap());
    let answer = ingest(&http, &a.base, &batch(&errors)).unwrap();
    assert_eq!(answer.accepted, 250);
    // Read on B at once.
    let on_b = page(&http, &format!("{}/api/v1/sync-errors?limit=100", b.base));
    assert_eq!(on_b.total, 250);
    // The same batch on B: unchanged, as on A.
    let again = ingest(&http, &b.base, &batch(&errors)).unwrap();
    assert_eq!((again.accepted, again.unchanged), (0, 250));

    // A cursor from A pages on B, for a filtered and sorted list too.
    for query in ["limit=100", "limit=40&sort=error_code&level=record"] {
        let first = page(&http, &format!("{}/api/v1/sync-errors?{query}", a.base));
        let cursor = first.next_cursor.clone().unwrap();
        let next_on_b = page(
            &http,
            &format!("{}/api/v1/sync-errors?{query}&cursor={cursor}", b.base),
        );
        let offset = first.items.len();
        let by_offset = page(
            &http,
            &format!("{}/api/v1/sync-errors?{query}&offset={offset}", a.base),
        );
        assert_eq!(next_on_b.items, by_offset.items, "{query}");
        assert_eq!(next_on_b.offset, Some(offset as u64));
    }

    // A session opened on A is valid on B; closed on B, it is closed on A.
    let session = sign_in(&http, &a.base);
    let list = |base: &str| {
        get(
            &http,
            &format!("{base}/api/v1/sync-errors?limit=1"),
            Auth::Cookie(&session),
        )
        .0
    };
    assert_eq!(list(&b.base), 200);
    assert_eq!(list(&a.base), 200);
    let out = http
        .post(format!("{}/signout", b.base))
        .header("Cookie", &session)
        .send_empty()
        .unwrap();
    assert_eq!(out.status().as_u16(), 303);
    assert_eq!(list(&a.base), 401);
    assert_eq!(list(&b.base), 401);
    drop((a, b));
    rt.block_on(db.drop());
}

/// Runs `scripts/pg-cluster.sh CMD` for the restart test's cluster in `target/pg-restart`.
fn restart_cluster(cmd: &str) -> String {
    pg::own_cluster("pg-restart", cmd, "")
}

/// Stops the restart test's own cluster however the test ends.
struct StopCluster;

impl Drop for StopCluster {
    fn drop(&mut self) {
        restart_cluster("stop");
    }
}

/// PostgreSQL stopped under a running server: reads and ingestion answer 503 with the
/// contract's error body and `Retry-After`, quickly; started again, the server answers as
/// before without a restart. (A cluster of its own: the others' tests keep theirs.)
#[test]
fn postgresql_stopped_and_started_again_gives_503s_then_recovers() {
    if pg::server().is_none() {
        return;
    }
    let base_url = restart_cluster("start");
    let _stop = StopCluster;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = rt.block_on(pg::Database::create_on(&base_url));
    let server = Server::start(&db.url, &["--now", NOW]);
    let http = agent();
    let now = parse_time(NOW).unwrap();
    let errors = demo::generate(300, now);
    assert_eq!(
        ingest(&http, &server.base, &batch(&errors[..100]))
            .unwrap()
            .accepted,
        100
    );
    let list = format!("{}/api/v1/sync-errors?limit=5", server.base);
    assert_eq!(page(&http, &list).total, 100);

    restart_cluster("stop");
    for url in [
        list.clone(),
        format!("{}/api/v1/sync-errors/summary", server.base),
    ] {
        let started = std::time::Instant::now();
        let mut response = http
            .get(&url)
            .header("Authorization", "Bearer demo-admin-token")
            .call()
            .unwrap();
        assert_eq!(response.status().as_u16(), 503, "{url}");
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(response.headers().contains_key("retry-after"));
        let body: sync_errors_api::ApiErrorBody = response.body_mut().read_json().unwrap();
        assert_eq!(
            body.error.code,
            sync_errors_api::ErrorCode::Other("store_unavailable".into())
        );
    }
    let refused = ingest(&http, &server.base, &batch(&errors[100..200])).unwrap_err();
    assert!(refused.starts_with("503"), "{refused}");

    assert_eq!(restart_cluster("start"), base_url, "the same port again");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let total = loop {
        let (status, body) = get(&http, &list, Auth::Token("demo-admin-token"));
        if status == 200 {
            break serde_json::from_str::<ErrorPage>(&body).unwrap().total;
        }
        assert_eq!(status, 503, "{body}");
        assert!(std::time::Instant::now() < deadline, "no recovery");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(total, 100);
    let answer = ingest(&http, &server.base, &batch(&errors[100..200])).unwrap();
    assert_eq!(answer.accepted, 100);
    assert_eq!(page(&http, &list).total, 200);
    drop(server);
    rt.block_on(db.drop());
}

/// `ingest FILE --db postgres://...` writes straight into PostgreSQL through the store, line
/// by line as into a SQLite file: a bad line is reported with its number, a second run
/// changes nothing.
#[test]
fn the_ingest_command_writes_into_postgresql() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(db) = rt.block_on(pg::Database::create()) else {
        return;
    };
    let now = chrono::Utc::now();
    let mut lines: Vec<String> = (0..1500)
        .map(|i| {
            json!({
                "id": format!("cli-{i}"),
                "level": if i % 3 == 0 { "job" } else { "record" },
                "failed_at": now - chrono::Duration::seconds(i * 7),
                "error_code": "UNABLE_TO_LOCK_ROW",
                "message": format!("unable to obtain exclusive access to this record {i}"),
                "object_type": "Lead",
            })
            .to_string()
        })
        .collect();
    lines.insert(700, r#"{"id": "cli-bad", "level": "sometimes"}"#.into());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("errors.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let run = || {
        let out = Command::new(env!("CARGO_BIN_EXE_sync-errors-server"))
            .arg("ingest")
            .arg(&file)
            .args(["--db", &db.url])
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, stdout, stderr) = run();
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("1501 lines: 1500 accepted, 0 unchanged, 1 rejected"),
        "{stdout}"
    );
    assert!(stderr.contains("line 701"), "{stderr}");
    let (_, stdout, _) = run();
    assert!(
        stdout.contains("1501 lines: 0 accepted, 1500 unchanged, 1 rejected"),
        "{stdout}"
    );
    let stored = rt.block_on(async {
        use sync_errors_server::store::Store;
        db.pg().await.count_all().await.unwrap()
    });
    assert_eq!(stored, 1500);
    rt.block_on(db.drop());
}
