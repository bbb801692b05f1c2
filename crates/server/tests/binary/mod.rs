//! The real binary in tests: a server process on a free port (killed when dropped), and the
//! HTTP calls the process tests make to it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;
use sync_errors_api::{ErrorPage, IngestAnswer};

const AUTH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/demo-auth.json");

/// A running `sync-errors-server`, killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Starts the binary on a free port with `args` and waits until it listens.
    pub fn start(db: &str, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sync-errors-server"))
            .args(["--port", "0", "--auth", AUTH, "--db", db])
            .args(args)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    // Keep reading: a full pipe would block the server's log.
                    continue;
                }
            }
        });
        let port = loop {
            let line = rx
                .recv_timeout(Duration::from_secs(120))
                .expect("the server starts and logs its address");
            if let Some(rest) = line.split("listening on http://127.0.0.1:").nth(1) {
                break rest.trim_end_matches('/').parse::<u16>().unwrap();
            }
        };
        Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// `GET path` with a bearer token or a cookie: the status and the body.
pub fn get(agent: &ureq::Agent, url: &str, auth: Auth) -> (u16, String) {
    let mut request = agent.get(url);
    request = match auth {
        Auth::Token(t) => request.header("Authorization", format!("Bearer {t}")),
        Auth::Cookie(c) => request.header("Cookie", c),
    };
    let mut response = request.call().unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

pub enum Auth<'a> {
    Token(&'a str),
    Cookie(&'a str),
}

pub fn page(agent: &ureq::Agent, url: &str) -> ErrorPage {
    let (status, body) = get(agent, url, Auth::Token("demo-admin-token"));
    assert_eq!(status, 200, "{url}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// Posts a batch as the demo sync engine.
pub fn ingest(agent: &ureq::Agent, base: &str, body: &Value) -> Result<IngestAnswer, String> {
    let response = agent
        .post(format!("{base}/api/v1/sync-errors"))
        .header("Authorization", "Bearer demo-ingest-token")
        .send_json(body);
    match response {
        Ok(mut r) if r.status() == 200 => Ok(r.body_mut().read_json().unwrap()),
        Ok(mut r) => Err(format!(
            "{}: {}",
            r.status(),
            r.body_mut().read_to_string().unwrap_or_default()
        )),
        Err(e) => Err(e.to_string()),
    }
}
