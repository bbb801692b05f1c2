//! The server's HTTP surface, through the real router: authentication, the contract's
//! answers (parsed as the shared types), validation, the sign-in form and static files.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{NOW, error_body, fixture, get, get_as_admin, send};
use sync_errors_api::{ErrorCode, ErrorPage, SyncError, parse_time};

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
    let (status, headers, body) = get_as_admin(&f.app, "/api/v1/sync-errors").await;
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
    let (status, _, body) = get_as_admin(&f.app, &format!("/api/v1/sync-errors/{id}")).await;
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
        ("limit=0", "limit"),
        ("limit=5000", "limit"),
        ("cursor=%00%01", "cursor"),
    ] {
        let (status, _, body) = get_as_admin(&f.app, &format!("/api/v1/sync-errors?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        let e = error_body(&body);
        assert_eq!(e.error.code, ErrorCode::InvalidParameter, "{query}");
        assert_eq!(e.error.parameter.as_deref(), Some(parameter), "{query}");
    }
}

/// Valid per the contract, though nothing can match: `from` after `to` (it asks only for
/// RFC 3339 times) and an offset past any end (any whole number ≥ 0). Empty pages, not 400s.
#[tokio::test]
async fn empty_ranges_and_huge_offsets_are_empty_pages() {
    let f = fixture(5);
    for (query, total) in [
        ("from=2026-11-28T00:00:00Z&to=2026-11-27T00:00:00Z", 0),
        ("offset=99999999999999999999999", 5),
    ] {
        let (status, _, body) = get_as_admin(&f.app, &format!("/api/v1/sync-errors?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        let page: ErrorPage = serde_json::from_slice(&body).unwrap();
        assert_eq!((page.total, page.items.len()), (total, 0), "{query}");
        assert_eq!(page.next_cursor, None, "{query}");
    }
}

#[tokio::test]
async fn unknown_errors_and_paths_are_404_json() {
    let f = fixture(5);
    let (status, _, body) = get_as_admin(&f.app, "/api/v1/sync-errors/se_nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_body(&body).error.code, ErrorCode::NotFound);
    // Every path under /api answers in JSON, the bare prefix and empty segments included
    // (the fixture's dist has an index.html that a fallback would otherwise serve).
    for uri in [
        "/api",
        "/api/",
        "/api//",
        "/api/v1",
        "/api/v1/",
        "/api/v2/anything",
        "/api//v1/sync-errors",
        "/api/v1/sync-errors/",
    ] {
        for token in [Some("demo-admin-token"), None] {
            let (status, headers, body) = send(&f.app, get(uri, token)).await;
            assert!(status.is_client_error(), "{uri}: {status}");
            assert!(
                headers[header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .starts_with("application/json"),
                "{uri}"
            );
            error_body(&body);
        }
    }
}

/// GETs the sign-in form; returns its CSRF token and the cookie that pairs with it.
async fn csrf(app: &axum::Router) -> (String, String) {
    let (status, headers, body) = send(app, get("/signin", None)).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(body).unwrap();
    let token = html
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let cookie = headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/signin")
    );
    (token, cookie.split(';').next().unwrap().to_string())
}

#[tokio::test]
async fn the_sign_in_form_refuses_cross_site_posts() {
    let f = fixture(5);
    let post = |body: String, cookie: Option<&str>, origin: Option<&str>| {
        let mut r = Request::post("/signin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:8080");
        if let Some(c) = cookie {
            r = r.header(header::COOKIE, c);
        }
        if let Some(o) = origin {
            r = r.header(header::ORIGIN, o);
        }
        r.body(Body::from(body)).unwrap()
    };
    let (token, cookie) = csrf(&f.app).await;
    let (other, _) = csrf(&f.app).await;
    assert_ne!(token, other, "each form gets its own token");
    let good = format!("username=admin&password=admin&next=%2F&csrf={token}");
    for (body, cookie, origin) in [
        // No token at all, as a forged form on another site would send.
        (
            "username=admin&password=admin&next=%2F".to_string(),
            None,
            None,
        ),
        // The token without its cookie, or with another form's cookie.
        (good.clone(), None, None),
        (good.clone(), Some(format!("se_csrf={other}")), None),
        // The right pair from another origin.
        (
            good.clone(),
            Some(cookie.clone()),
            Some("https://evil.example"),
        ),
        (good.clone(), Some(cookie.clone()), Some("null")),
        // An empty token and an empty cookie.
        (
            "username=admin&password=admin&csrf=".to_string(),
            Some("se_csrf=".to_string()),
            None,
        ),
    ] {
        let (status, headers, body) =
            send(&f.app, post(body.clone(), cookie.as_deref(), origin)).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{body:?} {cookie:?} {origin:?}"
        );
        assert!(
            headers
                .get_all(header::SET_COOKIE)
                .iter()
                .all(|c| !c.to_str().unwrap().starts_with("se_session"))
        );
        assert!(
            String::from_utf8(body)
                .unwrap()
                .contains("Please sign in again")
        );
    }
    // The pair from this server's own page signs in, with or without an Origin header.
    let (status, _, _) = send(
        &f.app,
        post(good.clone(), Some(&cookie), Some("http://127.0.0.1:8080")),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = send(&f.app, post(good, Some(&cookie), None)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn cookies_are_secure_behind_a_tls_proxy() {
    let f = fixture(5);
    let (token, cookie) = csrf(&f.app).await;
    let request = Request::post("/signin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .header("x-forwarded-proto", "https")
        .body(Body::from(format!(
            "username=admin&password=admin&csrf={token}"
        )))
        .unwrap();
    let (status, headers, _) = send(&f.app, request).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let session = headers[header::SET_COOKIE].to_str().unwrap();
    assert!(session.contains("; Secure"), "{session}");
    let request = Request::get("/signin")
        .header("x-forwarded-proto", "https")
        .body(Body::empty())
        .unwrap();
    let (_, headers, _) = send(&f.app, request).await;
    assert!(
        headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("; Secure")
    );
    // Plain HTTP: no Secure, or the browser would drop the cookie.
    let (_, headers, _) = send(&f.app, get("/signin", None)).await;
    assert!(
        !headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Secure")
    );
}

#[tokio::test]
async fn every_answer_carries_a_strict_csp_and_security_headers() {
    let f = fixture(5);
    for uri in [
        "/",
        "/index.html",
        "/deep/link",
        "/signin",
        "/signin.css",
        "/api/v1/sync-errors",
        "/missing.js",
    ] {
        let (_, headers, _) = send(&f.app, get(uri, None)).await;
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("default-src 'none'"), "{uri}: {csp}");
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{uri}: {csp}"
        );
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
            "{uri}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'self'"), "{uri}: {csp}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        assert_eq!(headers[header::REFERRER_POLICY], "same-origin", "{uri}");
    }
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_session_cookie() {
    let f = fixture(5);
    let (status, _, body) = send(&f.app, get("/signin?next=/sync-errors", None)).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains(r#"name="next" value="/sync-errors""#));

    let (token, cookie) = csrf(&f.app).await;
    let form = |body: &str| {
        Request::post("/signin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &cookie)
            .body(Body::from(format!("{body}&csrf={token}")))
            .unwrap()
    };
    let started = std::time::Instant::now();
    let (status, _, body) = send(&f.app, form("username=admin&password=nope&next=%2F")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(400),
        "a wrong password is slowed down"
    );
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
