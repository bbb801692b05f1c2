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
