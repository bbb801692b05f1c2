//! `POST /v1/sync-errors` through the real router: who may ingest, the answer of a batch
//! (accepted, unchanged, each refusal with its index and field), the limits of a request,
//! the window moved by `current_sync_at`, and what the readers see afterwards.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{NOW, error_body, fixture, get, get_as_admin, send};
use serde_json::{Value, json};
use sync_errors_api::{
    ErrorCode, ErrorPage, IngestAnswer, RejectCode, Summary, SyncError, parse_time,
};

const INGEST: &str = "demo-ingest-token";

fn post(body: impl Into<Body>, token: Option<&str>) -> Request<Body> {
    let mut r =
        Request::post("/api/v1/sync-errors").header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    r.body(body.into()).unwrap()
}

async fn ingest(app: &axum::Router, body: Value) -> IngestAnswer {
    let (status, _, bytes) = send(app, post(body.to_string(), Some(INGEST))).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    serde_json::from_slice(&bytes).unwrap()
}

fn item(id: &str, failed_at: &str) -> Value {
    json!({
        "id": id, "level": "record", "failed_at": failed_at,
        "error_code": "FIELD_CUSTOM_VALIDATION_EXCEPTION",
        "message": "Ingested <b>as text</b>", "object_type": "Lead",
        "operation": "Push new", "marketo_id": "77", "salesforce_id": null,
        "fields": ["Email"]
    })
}

#[tokio::test]
async fn only_an_ingest_token_may_ingest_and_it_reads_nothing() {
    let f = fixture(10);
    let body = json!({"items": []}).to_string();
    let (status, _, bytes) = send(&f.app, post(body.clone(), None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error_body(&bytes).error.code, ErrorCode::Unauthenticated);
    let (status, _, _) = send(&f.app, post(body.clone(), Some("wrong-token"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for token in ["demo-admin-token", "demo-viewer-token"] {
        let (status, _, bytes) = send(&f.app, post(body.clone(), Some(token))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{token}");
        assert_eq!(error_body(&bytes).error.code, ErrorCode::IngestRequired);
    }
    for uri in [
        "/api/v1/sync-errors",
        "/api/v1/sync-errors/summary",
        "/api/v1/sync-errors/x",
    ] {
        let (status, _, bytes) = send(&f.app, get(uri, Some(INGEST))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}");
        assert_eq!(error_body(&bytes).error.code, ErrorCode::AdminRequired);
    }
    assert_eq!(
        ingest(&f.app, json!({"items": []})).await,
        IngestAnswer::default()
    );
}

#[tokio::test]
async fn each_item_is_checked_on_its_own_and_id_is_the_idempotency_key() {
    let f = fixture(10);
    let mut bad_code = item("i-bad-code", "2026-11-28T09:00:00Z");
    bad_code["error_code"] = json!("NOT A CODE");
    let mut many_fields = item("i-fields", "2026-11-28T09:00:00Z");
    many_fields["fields"] = json!((0..51).map(|n| format!("F{n}")).collect::<Vec<_>>());
    let mut long_message = item("i-long", "2026-11-28T09:00:00Z");
    long_message["message"] = json!("x".repeat(32 * 1024 + 1));
    let answer = ingest(
        &f.app,
        json!({"items": [
            item("i-1", "2026-11-28T09:00:00.123Z"),
            item("i 2", "2026-11-28T09:00:00Z"),
            item("i-3", "2026-11-28T10:21:00Z"),
            item("i-4", "2026-11-20T00:00:00Z"),
            item("i-5", "yesterday"),
            bad_code,
            many_fields,
            long_message,
            {"id": "i-9", "level": "page", "failed_at": "2026-11-28T09:00:00Z"},
            17,
            item("i-1", "2026-11-28T09:00:00.123Z"),
            item("i-1", "2026-11-28T09:00:01Z"),
            item("i-13", "2026-11-28T10:14:00Z"),
            item("i-14", "2026-11-28T10:19:00Z"),
        ]}),
    )
    .await;
    // i-14 failed 4 minutes ahead of the server's clock: kept, shown once its time comes.
    assert_eq!(answer.accepted, 3, "{answer:?}");
    assert_eq!(answer.unchanged, 1);
    let got: Vec<_> = answer
        .rejected
        .iter()
        .map(|r| (r.index, r.id.as_deref(), r.code, r.field.as_deref()))
        .collect();
    use RejectCode::*;
    assert_eq!(
        got,
        [
            (1, Some("i 2"), InvalidItem, Some("id")),
            (2, Some("i-3"), InvalidItem, Some("failed_at")),
            (3, Some("i-4"), Expired, Some("failed_at")),
            (4, Some("i-5"), InvalidItem, Some("failed_at")),
            (5, Some("i-bad-code"), InvalidItem, Some("error_code")),
            (6, Some("i-fields"), InvalidItem, Some("fields")),
            (7, Some("i-long"), InvalidItem, Some("message")),
            (8, Some("i-9"), InvalidItem, Some("level")),
            (9, None, InvalidItem, None),
            (11, Some("i-1"), Conflict, None),
        ]
    );
    // Sent again: nothing changes.
    let again = ingest(
        &f.app,
        json!({"items": [item("i-1", "2026-11-28T09:00:00.123Z")]}),
    )
    .await;
    assert_eq!((again.accepted, again.unchanged), (0, 1));
    // The readers see it at once, as it was sent.
    let (status, _, bytes) = get_as_admin(&f.app, "/api/v1/sync-errors/i-1").await;
    assert_eq!(status, StatusCode::OK);
    let e: SyncError = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(e.message, "Ingested <b>as text</b>");
    assert_eq!(e.failed_at, parse_time("2026-11-28T09:00:00.123Z").unwrap());
    let (_, _, bytes) = get_as_admin(
        &f.app,
        "/api/v1/sync-errors?error_code=FIELD_CUSTOM_VALIDATION_EXCEPTION&object_type=Lead",
    )
    .await;
    let page: ErrorPage = serde_json::from_slice(&bytes).unwrap();
    assert!(page.items.iter().any(|e| e.id == "i-13"));
    let (_, _, bytes) = get_as_admin(&f.app, "/api/v1/sync-errors/summary?q=as%20text").await;
    let summary: Summary = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(summary.total, 2);
}

#[tokio::test]
async fn a_request_over_the_limits_is_413_and_a_body_that_is_no_batch_is_400() {
    let f = fixture(10);
    let items: Vec<Value> = (0..1001).map(|n| item(&format!("n-{n}"), NOW)).collect();
    let (status, _, bytes) = send(
        &f.app,
        post(json!({"items": items}).to_string(), Some(INGEST)),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_body(&bytes).error.code, ErrorCode::PayloadTooLarge);
    let big = format!(r#"{{"items": [], "pad": "{}"}}"#, "x".repeat(4 << 20));
    let (status, _, bytes) = send(&f.app, post(big, Some(INGEST))).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_body(&bytes).error.code, ErrorCode::PayloadTooLarge);
    for body in [
        "not json",
        "[]",
        "{}",
        r#"{"items": {}}"#,
        r#"{"items": [], "current_sync_at": "soon"}"#,
        r#"{"items": [], "current_sync_at": 5}"#,
        r#"{"items": [], "current_sync_at": null}"#,
    ] {
        let (status, _, bytes) = send(&f.app, post(body, Some(INGEST))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(error_body(&bytes).error.code, ErrorCode::InvalidBody);
    }
    // Nothing of those was written.
    let (_, _, bytes) = get_as_admin(&f.app, "/api/v1/sync-errors").await;
    assert_eq!(
        serde_json::from_slice::<ErrorPage>(&bytes).unwrap().total,
        10
    );
}

#[tokio::test]
async fn current_sync_at_moves_the_window_forward_only() {
    let f = fixture(10);
    // The last sync the store knows of: 10:00, a quarter of an hour before now.
    f.state
        .store
        .meta_set("current_sync_at".into(), "2026-11-28T10:00:00Z".into())
        .await
        .unwrap();
    let window = |bytes: &[u8]| serde_json::from_slice::<ErrorPage>(bytes).unwrap().window;
    let (_, _, bytes) = get_as_admin(&f.app, "/api/v1/sync-errors").await;
    let before = window(&bytes);
    // An item just inside the old window, sent with a later sync: expired by that sync.
    let answer = ingest(
        &f.app,
        json!({"current_sync_at": "2026-11-28T10:10:00Z",
               "items": [item("kept", "2026-11-23T10:12:00Z"), item("gone", "2026-11-23T10:05:00Z")]}),
    )
    .await;
    let (_, _, bytes) = get_as_admin(&f.app, "/api/v1/sync-errors").await;
    let after = window(&bytes);
    assert!(after.from > before.from);
    assert_eq!(
        after.current_sync_at,
        parse_time("2026-11-28T10:10:00Z").unwrap()
    );
    assert_eq!(answer.accepted, 1);
    assert_eq!(answer.rejected[0].index, 1);
    assert_eq!(answer.rejected[0].code, RejectCode::Expired);
    // An earlier sync is ignored; one later than now counts as now.
    ingest(
        &f.app,
        json!({"current_sync_at": "2026-11-28T09:00:00Z", "items": []}),
    )
    .await;
    let (_, _, bytes) = get_as_admin(&f.app, "/api/v1/sync-errors").await;
    assert_eq!(window(&bytes), after);
    ingest(
        &f.app,
        json!({"current_sync_at": "2027-01-01T00:00:00Z", "items": []}),
    )
    .await;
    let (_, _, bytes) = get_as_admin(&f.app, "/api/v1/sync-errors").await;
    assert_eq!(window(&bytes).current_sync_at, parse_time(NOW).unwrap());
}

/// Errors that leave the window vanish from every answer at once, and the retention task
/// deletes them.
#[tokio::test]
async fn errors_older_than_the_window_vanish_at_once_and_are_deleted() {
    let f = fixture(10);
    let store = f.state.store.clone();
    store
        .meta_set("current_sync_at".into(), "2026-11-28T10:00:00Z".into())
        .await
        .unwrap();
    let answer = ingest(
        &f.app,
        json!({"items": [item("soon-gone", "2026-11-23T10:05:00Z")]}),
    )
    .await;
    assert_eq!(answer.accepted, 1);
    let total = |bytes: &[u8]| serde_json::from_slice::<ErrorPage>(bytes).unwrap().total;
    let (_, _, bytes) = get_as_admin(&f.app, "/api/v1/sync-errors").await;
    let before = total(&bytes);
    let (status, _, _) = get_as_admin(&f.app, "/api/v1/sync-errors/soon-gone").await;
    assert_eq!(status, StatusCode::OK);
    ingest(
        &f.app,
        json!({"current_sync_at": "2026-11-28T10:10:00Z", "items": []}),
    )
    .await;
    // Gone from the list, the summary and the detail before anything is deleted.
    let (status, _, _) = get_as_admin(&f.app, "/api/v1/sync-errors/soon-gone").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, _, bytes) = get_as_admin(&f.app, "/api/v1/sync-errors").await;
    assert_eq!(total(&bytes), before - 1);
    let (_, _, bytes) = get_as_admin(&f.app, "/api/v1/sync-errors/summary?q=soon-gone").await;
    assert_eq!(serde_json::from_slice::<Summary>(&bytes).unwrap().total, 0);
    // What the store holds, whatever its time: the 10 demo errors and this one.
    let stored = || async { store.count_all().await.unwrap() };
    assert_eq!(stored().await, 11);
    // The task, every 50 ms here: deleted within a few rounds.
    let task =
        sync_errors_server::spawn_retention(f.state.clone(), std::time::Duration::from_millis(50));
    for _ in 0..100 {
        if stored().await == 10 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    task.abort();
    assert_eq!(stored().await, 10);
    let (_, _, bytes) = get_as_admin(&f.app, "/api/v1/sync-errors").await;
    assert_eq!(total(&bytes), before - 1);
}

/// An admin's session (the sign-in form's cookie) may not ingest either.
#[tokio::test]
async fn an_admin_session_cannot_ingest() {
    let f = fixture(5);
    let (_, headers, body) = send(&f.app, get("/signin", None)).await;
    let html = String::from_utf8(body).unwrap();
    let csrf = html
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let csrf_cookie = headers[header::SET_COOKIE].to_str().unwrap();
    let csrf_cookie = csrf_cookie.split(';').next().unwrap().to_string();
    let sign_in = Request::post("/signin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, csrf_cookie)
        .body(Body::from(format!(
            "username=admin&password=admin&next=%2F&csrf={csrf}"
        )))
        .unwrap();
    let (status, headers, _) = send(&f.app, sign_in).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let session = headers[header::SET_COOKIE].to_str().unwrap();
    let session = session.split(';').next().unwrap().to_string();
    let request = Request::post("/api/v1/sync-errors")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, session)
        .body(Body::from(json!({"items": [item("s-1", NOW)]}).to_string()))
        .unwrap();
    let (status, _, bytes) = send(&f.app, request).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error_body(&bytes).error.code, ErrorCode::IngestRequired);
}
