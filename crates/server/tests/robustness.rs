//! The server stays up and correct under hostile input: random query strings and paths get
//! a 4xx JSON answer or a correct page, never a 500 or a panic; static files never leave
//! `dist/`; a locked store gives a prompt 503, not a hang.

mod common;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, Uri, header};
use common::{SECRET, error_body, fixture, get, send};
use proptest::prelude::*;
use sync_errors_api::{ErrorPage, Summary, SyncError};

const ADMIN: Option<&str> = Some("demo-admin-token");

/// Percent-encodes every byte outside unreserved characters, so any string fits a URI.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Query values that come close to valid ones as well as noise.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9]{1,25}",
        "-?[0-9]{1,6}",
        "20[0-9]{2}-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9](\\.[0-9]{1,9})?(Z|[+-][0-2][0-9]:[0-5][0-9])",
        prop::sample::select(vec![
            "job",
            "record",
            "JOB",
            "failed_at",
            "-failed_at",
            "level",
            "-error_code",
            "--level",
            "error_code,level",
            "",
            " ",
            "null",
            "NaN",
            "1e9",
            "0x10",
            "9223372036854775808",
            // A well-formed cursor of the default sort, forged: {"d":true,"k":{"t":1},"i":"x","p":1}.
            "eyJkIjp0cnVlLCJrIjp7InQiOjF9LCJpIjoieCIsInAiOjF9",
            "eyJ9",
            "%",
            "%zz",
            // The 1.1 filters: lists, "no object", IDs, text with the characters of LIKE
            // and of FTS5's query syntax.
            "REQUIRED_FIELD_MISSING,UNABLE_TO_LOCK_ROW",
            "Lead,-",
            "-",
            "Campaign Member",
            "A,,B",
            "00Q5e000004XyZ1EAK",
            "00Q5e000004XyZ1",
            "lock",
            "ab",
            "\"quoted\" AND NEAR(x y)",
            "100% a_b",
            "Région",
            "a\0b",
        ])
        .prop_map(str::to_owned),
    ]
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "from",
            "to",
            "level",
            "sort",
            "limit",
            "offset",
            "cursor",
            "FROM",
            "limit[]",
            "",
            "error_code",
            "object_type",
            "q",
        ])
        .prop_map(str::to_owned),
        any::<String>(),
    ]
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec((name(), value()), 0..6).prop_map(|pairs| {
            pairs
                .iter()
                .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                .collect::<Vec<_>>()
                .join("&")
        }),
        // Raw bytes as the URI allows them: stray `=`, `&`, `%`, `+`, unbalanced escapes.
        "[a-z=&%+;0-9A-F._~-]{0,60}",
    ]
}

fn path_segment() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "..",
            ".",
            "%2e%2e",
            "%2E%2E",
            "..%2f",
            "%2f",
            "%5c",
            "..%5c",
            "%00",
            "%c0%ae%c0%ae",
            "api",
            "v1",
            "sync-errors",
            "index.html",
            "secret.txt",
            "etc",
            "passwd",
            "host",
            "sync-errors-tab.js",
            "~",
            "%252e%252e",
            "",
        ])
        .prop_map(str::to_owned),
        any::<String>().prop_map(|s| encode(&s)),
    ]
}

/// One server for all the generated cases (each builds its own runtime).
static SHARED: std::sync::LazyLock<common::Fixture> = std::sync::LazyLock::new(|| fixture(50));

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_list_queries_get_a_page_or_a_400_naming_a_parameter(q in query(), summary in any::<bool>()) {
        let f = &*SHARED;
        let rt = runtime();
        let path = if summary { "/api/v1/sync-errors/summary" } else { "/api/v1/sync-errors" };
        let uri = format!("{path}?{q}");
        prop_assume!(uri.parse::<Uri>().is_ok());
        let (status, headers, body) = rt.block_on(send(&f.app, get(&uri, ADMIN)));
        prop_assert!(status == StatusCode::OK || status == StatusCode::BAD_REQUEST, "{uri}: {status}");
        prop_assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/json"));
        if status == StatusCode::OK && summary {
            let s: Summary = serde_json::from_slice(&body).unwrap();
            prop_assert!(s.by_code.iter().all(|c| c.record + c.job == c.count));
            prop_assert!(s.histogram.buckets.len() <= 1000);
        } else if status == StatusCode::OK {
            let page: ErrorPage = serde_json::from_slice(&body).unwrap();
            prop_assert!(page.items.len() <= 1000);
            prop_assert!(page.items.iter().all(|e| e.failed_at >= page.window.from && e.failed_at <= page.window.to));
        } else {
            let e = error_body(&body);
            prop_assert!(e.error.parameter.is_some() || !e.error.message.is_empty());
        }
    }

    #[test]
    fn random_paths_never_fail_or_leave_dist(segments in prop::collection::vec(path_segment(), 1..6), api in any::<bool>()) {
        let f = &*SHARED;
        let rt = runtime();
        let path = format!("{}/{}", if api { "/api/v1/sync-errors" } else { "" }, segments.join("/"));
        prop_assume!(path.parse::<Uri>().is_ok());
        let (status, headers, body) = rt.block_on(send(&f.app, get(&path, ADMIN)));
        prop_assert!(status.is_success() || status.is_client_error() || status.is_redirection(), "{path}: {status}");
        if status.is_redirection() {
            // A directory's trailing-slash redirect, on this server only.
            let location = headers[header::LOCATION].to_str().unwrap();
            prop_assert!(location.starts_with('/') && !location.starts_with("//"), "{path} -> {location}");
        }
        prop_assert!(!String::from_utf8_lossy(&body).contains(SECRET), "{path} read outside dist");
        if path.starts_with("/api/") {
            prop_assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/json"), "{path}");
            if status == StatusCode::OK {
                prop_assert!(serde_json::from_slice::<SyncError>(&body).is_ok()
                    || serde_json::from_slice::<ErrorPage>(&body).is_ok()
                    || serde_json::from_slice::<Summary>(&body).is_ok());
            } else {
                error_body(&body);
            }
        }
    }
}

#[tokio::test]
async fn static_files_stay_in_dist_with_the_right_types_and_caching() {
    let f = fixture(5);
    let outside = f.dir.path().join("secret.txt");
    let absolute = outside.to_str().unwrap().to_owned();
    for path in [
        "/../secret.txt".to_owned(),
        "/%2e%2e/secret.txt".into(),
        "/%2E%2E%2Fsecret.txt".into(),
        "/..%2fsecret.txt".into(),
        "/..%5csecret.txt".into(),
        "/%5c..%5csecret.txt".into(),
        "/host/../../secret.txt".into(),
        "/%252e%252e/secret.txt".into(),
        "/.%2e/secret.txt".into(),
        "/%c0%ae%c0%ae/secret.txt".into(),
        "//host".into(),
        "//evil.example/".into(),
        format!("/{}", absolute.trim_start_matches('/')),
        format!("//{}", absolute.trim_start_matches('/')),
        format!("/{}", encode(&absolute)),
        "/%00/secret.txt".into(),
        "/secret.txt%00.html".into(),
    ] {
        let Ok(uri) = path.parse::<Uri>() else {
            continue;
        };
        let request = Request::get(uri).body(Body::empty()).unwrap();
        let (status, _, body) = send(&f.app, request).await;
        assert!(
            status.is_success() || status.is_client_error(),
            "{path}: {status}"
        );
        assert!(
            !String::from_utf8_lossy(&body).contains(SECRET),
            "{path} read outside dist"
        );
    }
    for (path, content_type, cache) in [
        ("/", "text/html", "no-cache"),
        ("/index.html", "text/html", "no-cache"),
        ("/some/deep/link", "text/html", "no-cache"),
        (
            "/sync-errors-0123456789abcdef_bg.wasm",
            "application/wasm",
            "immutable",
        ),
        (
            "/sync-errors-0123456789abcdef.js",
            "text/javascript",
            "immutable",
        ),
        ("/page-0123456789abcdef.css", "text/css", "immutable"),
        ("/sync-errors-tab.js", "text/javascript", "no-cache"),
    ] {
        let (status, headers, _) = send(&f.app, get(path, None)).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let ct = headers[header::CONTENT_TYPE].to_str().unwrap();
        assert!(ct.starts_with(content_type), "{path}: {ct}");
        let cc = headers[header::CACHE_CONTROL].to_str().unwrap();
        assert!(cc.contains(cache), "{path}: {cc}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_store_answers_503_promptly_and_recovers() {
    // A SQLite file locked by another process; PostgreSQL's outage has its own test
    // (multi_server.rs, PostgreSQL stopped and started again).
    if common::on_postgres() {
        return;
    }
    let f = fixture(20);
    // Another process takes the database for itself (exclusive locking mode plus a write)
    // before the server's readers first touch it. (Once they hold the WAL index, WAL lets
    // them read through any writer, which is why the store uses it.)
    let path = f.dir.path().join("errors.db");
    let locker = r2d2_sqlite::rusqlite::Connection::open(&path).unwrap();
    locker
        .execute_batch(
            "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; \
             UPDATE meta SET value = value WHERE key = 'counts';",
        )
        .unwrap();
    let started = Instant::now();
    let (status, headers, body) = send(&f.app, get("/api/v1/sync-errors?level=job", ADMIN)).await;
    let waited = started.elapsed();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        error_body(&body).error.code,
        sync_errors_api::ErrorCode::Other("store_unavailable".into())
    );
    assert_eq!(headers[header::RETRY_AFTER], "2");
    assert!(waited < Duration::from_secs(5), "answered after {waited:?}");

    // Sign-in pages and static files do not need the store.
    let (status, _, _) = send(&f.app, get("/signin", None)).await;
    assert_eq!(status, StatusCode::OK);

    locker
        .execute_batch("COMMIT; PRAGMA locking_mode = NORMAL;")
        .unwrap();
    // Leaving exclusive mode takes effect at the next access.
    locker
        .query_row("SELECT COUNT(*) FROM meta", [], |_| Ok(()))
        .unwrap();
    drop(locker);
    let (status, _, _) = send(&f.app, get("/api/v1/sync-errors", ADMIN)).await;
    assert_eq!(status, StatusCode::OK);
}

/// Makes files immutable (`chattr +i`, which binds root too) until dropped.
struct Immutable(Vec<std::path::PathBuf>);

impl Immutable {
    fn new(paths: Vec<std::path::PathBuf>) -> Option<Immutable> {
        let ok = std::process::Command::new("chattr")
            .arg("+i")
            .args(&paths)
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Immutable(paths))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .args(&self.0)
            .status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_database_still_answers() {
    // SQLite's files made read-only: nothing of the kind on PostgreSQL.
    if common::on_postgres() {
        return;
    }
    let f = fixture(20);
    let (status, _, _) = send(&f.app, get("/api/v1/sync-errors", ADMIN)).await;
    assert_eq!(status, StatusCode::OK);
    let files: Vec<_> = ["errors.db", "errors.db-wal", "errors.db-shm"]
        .iter()
        .map(|n| f.dir.path().join(n))
        .filter(|p| p.exists())
        .collect();
    // chattr needs a file system with attributes (ext4, tmpfs, overlay on this machine).
    let Some(_guard) = Immutable::new(files) else {
        panic!("chattr +i failed: this test needs a file system with file attributes");
    };
    let started = Instant::now();
    for uri in [
        "/api/v1/sync-errors",
        "/api/v1/sync-errors?level=job&sort=error_code",
        "/api/v1/sync-errors/summary?q=lock&object_type=Account,-",
    ] {
        let (status, _, body) = send(&f.app, get(uri, ADMIN)).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{uri}: {}",
            String::from_utf8_lossy(&body)
        );
        if uri.contains("summary") {
            serde_json::from_slice::<Summary>(&body).unwrap();
        } else {
            serde_json::from_slice::<ErrorPage>(&body).unwrap();
        }
    }
    assert!(started.elapsed() < Duration::from_secs(5));
}
