//! The server's HTTP surface, through the real router: authentication, the contract's
//! answers (parsed as the shared types), validation, the sign-in form and static files.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use sync_errors_api::{ApiErrorBody, ErrorCode, ErrorPage, SyncError, parse_time};
use sync_errors_server::{AppState, Clock, auth, db, demo, router};
use tower::ServiceExt;

const NOW: &str = "2026-11-28T10:15:00Z";

struct Fixture {
    app: axum::Router,
    _dir: tempfile::TempDir,
}

fn fixture(rows: u64) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("errors.db");
    let now = parse_time(NOW).unwrap();
    {
        let mut conn = r2d2_sqlite::rusqlite::Connection::open(&path).unwrap();
        db::migrate(&mut conn).unwrap();
        demo::seed(&mut conn, rows, now).unwrap();
    }
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Sync Errors</title>",
    )
    .unwrap();
    std::fs::write(dist.join("sync-errors-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
    let config: auth::AuthConfig = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../config/demo-auth.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let state = Arc::new(AppState {
        pool: db::open(&path, 2).unwrap(),
        auth: auth::Auth::new(config),
        clock: Clock { fixed: Some(now) },
        secure_cookies: false,
        dist: Some(dist),
    });
    Fixture {
        app: router(state),
        _dir: dir,
    }
}

async fn send(
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

fn get(uri: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::get(uri);
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    r.body(Body::empty()).unwrap()
}

fn error_body(body: &[u8]) -> ApiErrorBody {
    serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(body)))
}

#[tokio::test]
async fn without_credentials_every_error_endpoint_is_401() {
    let f = fixture(20);
    for uri in [
        "/api/v1/sync-errors",
        "/api/v1/sync-errors/se_x",
        "/api/v1/sync-errors?level=bogus",
    ] {
        let (status, _, body) = send(&f.app, get(uri, None)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(error_body(&body).error.code, ErrorCode::Unauthenticated);
    }
    let (status, _, _) = send(&f.app, get("/api/v1/sync-errors", Some("no-such-token"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn non_admins_get_403_admin_required() {
    let f = fixture(20);
    for uri in ["/api/v1/sync-errors", "/api/v1/sync-errors/se_x"] {
        let (status, _, body) = send(&f.app, get(uri, Some("demo-viewer-token"))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}");
        assert_eq!(error_body(&body).error.code, ErrorCode::AdminRequired);
    }
}

#[tokio::test]
async fn admins_get_pages_that_parse_as_the_contract_types() {
    let f = fixture(250);
    let (status, headers, body) =
        send(&f.app, get("/api/v1/sync-errors", Some("demo-admin-token"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let page: ErrorPage = serde_json::from_slice(&body).unwrap();
    assert_eq!(page.total, 250);
    assert_eq!(page.items.len(), 100);
    assert_eq!(page.offset, Some(0));
    assert_eq!(page.window.to, parse_time(NOW).unwrap());
    assert!(
        page.items
            .windows(2)
            .all(|w| (w[0].failed_at, &w[0].id) >= (w[1].failed_at, &w[1].id))
    );
    let text = String::from_utf8(body).unwrap();
    assert!(
        text.contains(r#""to":"2026-11-28T10:15:00Z""#),
        "times are UTC with Z"
    );

    let cursor = page.next_cursor.unwrap();
    let uri = format!("/api/v1/sync-errors?cursor={cursor}&limit=1000");
    let (_, _, body) = send(&f.app, get(&uri, Some("demo-admin-token"))).await;
    let rest: ErrorPage = serde_json::from_slice(&body).unwrap();
    assert_eq!(rest.offset, Some(100));
    assert_eq!(rest.items.len(), 150);
    assert!(rest.next_cursor.is_none());

    let id = &page.items[0].id;
    let (status, _, body) = send(
        &f.app,
        get(
            &format!("/api/v1/sync-errors/{id}"),
            Some("demo-admin-token"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let one: SyncError = serde_json::from_slice(&body).unwrap();
    assert_eq!(&one, &page.items[0]);

    let filtered = "/api/v1/sync-errors?level=job&sort=error_code&from=2026-11-25T00:00:00Z&to=2026-11-28T00:00:00Z&limit=1000";
    let (_, _, body) = send(&f.app, get(filtered, Some("demo-admin-token"))).await;
    let page: ErrorPage = serde_json::from_slice(&body).unwrap();
    assert!(
        page.items
            .iter()
            .all(|e| e.level == sync_errors_api::Level::Job)
    );
    assert!(
        page.items
            .windows(2)
            .all(|w| (&w[0].error_code, &w[0].id) <= (&w[1].error_code, &w[1].id))
    );
    assert!(
        page.items
            .iter()
            .all(|e| e.failed_at >= parse_time("2026-11-25T00:00:00Z").unwrap())
    );
}

#[tokio::test]
async fn bad_parameters_get_400_naming_the_parameter() {
    let f = fixture(5);
    for (query, parameter) in [
        ("from=yesterday", "from"),
        ("to=2026-11-28", "to"),
        ("level=all", "level"),
        ("sort=message", "sort"),
        ("offset=-5", "offset"),
        ("offset=99999999999999999999999", "offset"),
        ("limit=0", "limit"),
        ("limit=5000", "limit"),
        ("cursor=%00%01", "cursor"),
        ("from=2026-11-28T00:00:00Z&to=2026-11-27T00:00:00Z", "from"),
    ] {
        let (status, _, body) = send(
            &f.app,
            get(
                &format!("/api/v1/sync-errors?{query}"),
                Some("demo-admin-token"),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        let e = error_body(&body);
        assert_eq!(e.error.code, ErrorCode::InvalidParameter, "{query}");
        assert_eq!(e.error.parameter.as_deref(), Some(parameter), "{query}");
    }
}

#[tokio::test]
async fn unknown_errors_and_paths_are_404_json() {
    let f = fixture(5);
    let (status, _, body) = send(
        &f.app,
        get("/api/v1/sync-errors/se_nope", Some("demo-admin-token")),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_body(&body).error.code, ErrorCode::NotFound);
    let (status, _, body) = send(&f.app, get("/api/v2/anything", Some("demo-admin-token"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_body(&body).error.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_session_cookie() {
    let f = fixture(5);
    let (status, _, body) = send(&f.app, get("/signin?next=/sync-errors", None)).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains(r#"name="next" value="/sync-errors""#));

    let form = |body: &str| {
        Request::post("/signin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let (status, _, body) = send(&f.app, form("username=admin&password=nope&next=%2F")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("Wrong user name or password")
    );

    let (status, headers, _) = send(
        &f.app,
        form("username=admin&password=admin&next=%2Fsync-errors%3Flevel%3Djob"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/sync-errors?level=job");
    let cookie = headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_string();

    let request = Request::get("/api/v1/sync-errors?limit=1")
        .header(header::COOKIE, &session)
        .body(Body::empty())
        .unwrap();
    let (status, _, _) = send(&f.app, request).await;
    assert_eq!(status, StatusCode::OK);

    let (_, headers, _) = send(
        &f.app,
        form("username=viewer&password=viewer&next=//evil.example"),
    )
    .await;
    assert_eq!(headers[header::LOCATION], "/");
    let viewer = headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let request = Request::get("/api/v1/sync-errors")
        .header(header::COOKIE, viewer)
        .body(Body::empty())
        .unwrap();
    let (status, _, _) = send(&f.app, request).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let sign_out = Request::post("/signout")
        .header(header::COOKIE, &session)
        .body(Body::empty())
        .unwrap();
    send(&f.app, sign_out).await;
    let request = Request::get("/api/v1/sync-errors")
        .header(header::COOKIE, &session)
        .body(Body::empty())
        .unwrap();
    let (status, _, _) = send(&f.app, request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_app_is_served_with_a_spa_fallback_and_sensible_caching() {
    let f = fixture(5);
    let (status, headers, body) =
        send(&f.app, get("/sync-errors?level=job&error=se_1", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("<title>Sync Errors</title>")
    );
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    let (status, headers, _) =
        send(&f.app, get("/sync-errors-0123456789abcdef_bg.wasm", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/wasm");
    assert!(
        headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let (status, _, _) = send(&f.app, get("/missing-file.js", None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for traversal in [
        "/../../etc/passwd",
        "/..%2F..%2Fetc%2Fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
    ] {
        let (_, _, body) = send(&f.app, get(traversal, None)).await;
        assert!(
            !String::from_utf8_lossy(&body).contains("root:"),
            "{traversal}"
        );
    }
}
