//! Shared by the server's integration tests: a router over a seeded temporary database
//! and a `dist/` with an index, a hashed module, a loader and a stylesheet; next to `dist/`,
//! a file no request may ever read.
#![allow(dead_code)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use sync_errors_api::{ApiErrorBody, parse_time};
use sync_errors_server::{AppState, Clock, auth, demo, router, store};
use tower::ServiceExt;

/// The content of the file outside `dist/`.
pub const SECRET: &str = "secret-outside-dist-7f3a";

pub const NOW: &str = "2026-11-28T10:15:00Z";

/// The bytes of the module's brotli and gzip copies in the fixture's `dist/`.
pub const WASM_BR: &[u8] = b"brotli copy of the module";
pub const WASM_GZ: &[u8] = b"gzip copy of the module";

pub struct Fixture {
    pub app: axum::Router,
    pub state: Arc<AppState>,
    pub dir: tempfile::TempDir,
    /// The PostgreSQL database of this fixture, dropped with it.
    pg: Option<PgGuard>,
}

#[path = "../pg/mod.rs"]
mod pg;

/// Drops the fixture's database when the test ends.
struct PgGuard(Option<pg::Database>);

impl Drop for PgGuard {
    fn drop(&mut self) {
        if let Some(db) = self.0.take() {
            on_own_runtime(db.drop());
        }
    }
}

/// Runs a future to its end on a runtime of its own (the fixture is built synchronously,
/// from inside the tests' runtimes).
fn on_own_runtime<T: Send + 'static>(
    f: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    std::thread::spawn(move || tokio::runtime::Runtime::new().unwrap().block_on(f))
        .join()
        .unwrap()
}

/// Whether the HTTP fixtures run on PostgreSQL: `SYNC_ERRORS_FIXTURE_PG=1` with
/// `SYNC_ERRORS_TEST_PG` (the second pass of `make test-pg`).
pub fn on_postgres() -> bool {
    std::env::var_os("SYNC_ERRORS_FIXTURE_PG").is_some()
}

/// The fixture's store, seeded with `rows` demo errors: a SQLite file in `dir`, or a new
/// PostgreSQL database.
fn seeded_store(
    dir: &std::path::Path,
    rows: u64,
    now: chrono::DateTime<chrono::Utc>,
) -> (Arc<dyn store::Store>, Option<PgGuard>) {
    if on_postgres() {
        // The store's errors in the output of a failed test (a 503 says only "unavailable").
        let _ = tracing_subscriber::fmt().with_test_writer().try_init();
        let db = on_own_runtime(async move {
            let db = pg::Database::create()
                .await
                .expect("SYNC_ERRORS_FIXTURE_PG needs SYNC_ERRORS_TEST_PG");
            demo::seed_store(&db.pg().await, rows, now).await.unwrap();
            db
        });
        // Its connections are made on the test's runtime, at the first request.
        let url = db.url.clone();
        let store = on_own_runtime(async move { store::PgStore::connect(&url, 4).await.unwrap() });
        return (Arc::new(store), Some(PgGuard(Some(db))));
    }
    let path = dir.join("errors.db");
    {
        let mut conn = r2d2_sqlite::rusqlite::Connection::open(&path).unwrap();
        store::migrate(&mut conn).unwrap();
        demo::seed(&mut conn, rows, now).unwrap();
    }
    (Arc::new(store::SqliteStore::open(&path, 2).unwrap()), None)
}

pub fn fixture(rows: u64) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let now = parse_time(NOW).unwrap();
    let (store, pg) = seeded_store(dir.path(), rows, now);
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::create_dir(dist.join("host")).unwrap();
    std::fs::write(
        dist.join("host/index.html"),
        "<!doctype html><title>Host</title>",
    )
    .unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Sync Errors</title>",
    )
    .unwrap();
    std::fs::write(dist.join("sync-errors-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
    // The build's compressed copies (their content is only told apart here, not decoded).
    std::fs::write(
        dist.join("sync-errors-0123456789abcdef_bg.wasm.br"),
        WASM_BR,
    )
    .unwrap();
    std::fs::write(
        dist.join("sync-errors-0123456789abcdef_bg.wasm.gz"),
        WASM_GZ,
    )
    .unwrap();
    std::fs::write(
        dist.join("sync-errors-0123456789abcdef.js"),
        "export default 1;",
    )
    .unwrap();
    std::fs::write(dist.join("sync-errors-tab.js"), "await import('./x.js');").unwrap();
    std::fs::write(dist.join("page-0123456789abcdef.css"), "body{}").unwrap();
    std::fs::write(dir.path().join("secret.txt"), SECRET).unwrap();
    let config: auth::AuthConfig = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../config/demo-auth.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let state = Arc::new(AppState {
        store,
        auth: auth::Auth::new(config),
        clock: Clock { fixed: Some(now) },
        secure_cookies: false,
        dist: Some(dist),
        security: Default::default(),
    });
    Fixture {
        app: router(state.clone()),
        state,
        dir,
        pg,
    }
}

pub async fn send(
    app: &axum::Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, body)
}

pub fn get(uri: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::get(uri);
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    r.body(Body::empty()).unwrap()
}

/// `GET uri` as the demo admin (bearer token).
pub async fn get_as_admin(
    app: &axum::Router,
    uri: &str,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    send(app, get(uri, Some("demo-admin-token"))).await
}

pub fn error_body(body: &[u8]) -> ApiErrorBody {
    serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(body)))
}
