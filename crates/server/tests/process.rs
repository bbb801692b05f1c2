//! The real binary: it listens, logs one line per request, and stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[test]
fn logs_each_request_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let auth = concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/demo-auth.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sync-errors-server"))
        .args(["--port", "0", "--demo-rows", "50", "--auth", auth, "--db"])
        .arg(dir.path().join("e.db"))
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let next_line = || {
        rx.recv_timeout(Duration::from_secs(30))
            .expect("the server logs")
    };
    let port = loop {
        let line = next_line();
        if let Some(rest) = line.split("listening on http://127.0.0.1:").nth(1) {
            break rest.trim_end_matches('/').parse::<u16>().unwrap();
        }
    };
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(b"GET /api/v1/sync-errors?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer demo-admin-token\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let logged = loop {
        let line = next_line();
        if line.contains("GET /api/v1/sync-errors 200") {
            break line;
        }
    };
    assert!(logged.contains("ms"), "{logged}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "a clean shutdown exits 0: {exit:?}");
}

/// `hash-password` reads the password from standard input when it is not a terminal, and
/// prints an Argon2id hash that verifies it.
#[test]
fn hash_password_reads_standard_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sync-errors-server"))
        .arg("hash-password")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"correct horse\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hash = String::from_utf8(out.stdout).unwrap();
    let hash = hash.trim();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(sync_errors_server::auth::verify_password(
        hash,
        "correct horse"
    ));
    assert!(!sync_errors_server::auth::verify_password(
        hash,
        "correct horse\n"
    ));
}

/// Without demo data, a plain password in the auth file stops the server at start.
#[test]
fn a_plain_password_is_refused_without_demo_data() {
    let dir = tempfile::tempdir().unwrap();
    let auth = dir.path().join("auth.json");
    std::fs::write(
        &auth,
        r#"{"accounts": [{"username": "a", "password": "a", "admin": true}]}"#,
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sync-errors-server"))
        .args(["--port", "0", "--auth"])
        .arg(&auth)
        .arg("--db")
        .arg(dir.path().join("e.db"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("hash-password"), "{stderr}");
}

/// A JSON Lines item failing `minutes` ago by the system clock.
fn line(id: &str, level: &str, message: &str, minutes: i64) -> String {
    // One "now" for the whole test binary: the same line written twice must be the same
    // content (read at two moments, a millisecond apart made it a conflict).
    static NOW: std::sync::OnceLock<chrono::DateTime<chrono::Utc>> = std::sync::OnceLock::new();
    let at = *NOW.get_or_init(chrono::Utc::now) - chrono::Duration::minutes(minutes);
    serde_json::json!({
        "id": id, "level": level, "failed_at": sync_errors_api::format_time(at),
        "error_code": "UNABLE_TO_LOCK_ROW", "message": message
    })
    .to_string()
}

fn ingest_command(args: &[&str], stdin: &str, envs: &[(&str, &str)]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sync-errors-server"))
        .arg("ingest")
        .args(args)
        .envs(envs.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_owned();
    let writer = std::thread::spawn(move || input.write_all(stdin.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `ingest - --db`: every line is accepted, unchanged or reported with its number; a second
/// run changes nothing.
#[test]
fn ingest_command_writes_a_database_and_reports_each_rejected_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let db = db.to_str().unwrap();
    let input = [
        line("cli-1", "record", "first", 10),
        String::new(),
        "{not json".to_string(),
        line("cli-1", "record", "first", 10),
        line("cli-1", "record", "other content", 10),
        line("cli-6", "page", "bad level", 10),
        line("cli-7", "job", "second", 5),
    ]
    .join("\n");
    let (code, out, err) = ingest_command(&["-", "--db", db], &input, &[]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.starts_with("6 lines: 2 accepted, 1 unchanged, 3 rejected"),
        "{out}"
    );
    assert!(
        err.contains("line 3: invalid_item: the line is not JSON"),
        "{err}"
    );
    assert!(err.contains("line 5: conflict"), "{err}");
    assert!(err.contains("line 6: invalid_item level"), "{err}");
    let (code, out, _) = ingest_command(&["-", "--db", db], &input, &[]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("6 lines: 0 accepted, 3 unchanged, 3 rejected"),
        "{out}"
    );
    let conn = r2d2_sqlite::rusqlite::Connection::open(db).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM sync_errors", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
}

/// `ingest FILE --url`: batches of 1,000 to a running server with the ingest token; an
/// admin token is refused and the command says so.
#[test]
fn ingest_command_posts_batches_to_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let auth = concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/demo-auth.json");
    let mut server = Command::new(env!("CARGO_BIN_EXE_sync-errors-server"))
        .args(["--port", "0", "--demo-rows", "10", "--auth", auth, "--db"])
        .arg(dir.path().join("e.db"))
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let port = loop {
        let l = lines.next().expect("the server logs").unwrap();
        if let Some(rest) = l.split("listening on http://127.0.0.1:").nth(1) {
            break rest.trim_end_matches('/').parse::<u16>().unwrap();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let file = dir.path().join("errors.jsonl");
    let input: Vec<String> = (0..2500)
        .map(|n| line(&format!("http-{n}"), "record", "batched", 30))
        .collect();
    std::fs::write(&file, input.join("\n") + "\n").unwrap();
    let url = format!("http://127.0.0.1:{port}/api");
    let file = file.to_str().unwrap();
    let ingest = [("SYNC_ERRORS_INGEST_TOKEN", "demo-ingest-token")];
    let (code, out, err) = ingest_command(&[file, "--url", &url], "", &ingest);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("2500 lines: 2500 accepted, 0 unchanged, 0 rejected"),
        "{out}"
    );
    let (code, out, _) = ingest_command(&[file, "--url", &url], "", &ingest);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("2500 lines: 0 accepted, 2500 unchanged"),
        "{out}"
    );
    let admin = [("SYNC_ERRORS_INGEST_TOKEN", "demo-admin-token")];
    let (code, _, err) = ingest_command(&[file, "--url", &url], "", &admin);
    assert_eq!(code, 2);
    assert!(
        err.contains("403") && err.contains("ingest_required"),
        "{err}"
    );
    assert!(err.contains("from line 1"), "{err}");
    server.kill().unwrap();
    server.wait().unwrap();
}
