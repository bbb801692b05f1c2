//! The server's HTTP surface, through the real router: authentication, the contract's
//! answers (parsed as the shared types), validation, the sign-in form and static files.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{NOW, error_body, fixture, get, get_as_admin, send};
use sync_errors_api::{
    ErrorCode, ErrorPage, Filters, Level, ListQuery, Summary, SyncError, format_time, parse_time,
};

#[tokio::test]
async fn without_credentials_every_error_endpoint_is_401() {
    let f = fixture(20);
    for uri in [
        "/api/v1/sync-errors",
        "/api/v1/sync-errors/se_x",
        "/api/v1/sync-errors?level=bogus",
        "/api/v1/sync-errors/summary",
        "/api/v1/sync-errors/summary?error_code=,",
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
    for uri in [
        "/api/v1/sync-errors",
        "/api/v1/sync-errors/se_x",
        "/api/v1/sync-errors/summary",
        "/api/v1/sync-errors/summary?q=x",
    ] {
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
    let many = |n: usize, item: &str| vec![item; n].join(",");
    let long_q = "x".repeat(201);
    let filters = [
        ("from=yesterday", "from"),
        ("to=2026-11-28", "to"),
        ("level=all", "level"),
        ("error_code=", "error_code"),
        ("error_code=A,,B", "error_code"),
        ("error_code=REQUIRED-FIELD", "error_code"),
        ("error_code=%C3%89CHEC", "error_code"),
        (&*format!("error_code={}", "A".repeat(81)), "error_code"),
        (&*format!("error_code={}", many(21, "A")), "error_code"),
        ("object_type=Lead,", "object_type"),
        ("object_type=Le%0Aad", "object_type"),
        (&*format!("object_type={}", "L".repeat(81)), "object_type"),
        (&*format!("object_type={}", many(21, "Lead")), "object_type"),
        (&*format!("q={long_q}"), "q"),
        ("q=a&q=b", "q"),
        ("error_code=A&error_code=B", "error_code"),
    ];
    let paging = [
        ("sort=message", "sort"),
        ("offset=-5", "offset"),
        ("limit=0", "limit"),
        ("limit=5000", "limit"),
        ("cursor=%00%01", "cursor"),
    ];
    for path in ["/api/v1/sync-errors", "/api/v1/sync-errors/summary"] {
        let summary = path.ends_with("summary");
        for (query, parameter) in filters
            .iter()
            .chain(if summary { &[][..] } else { &paging[..] })
        {
            let (status, _, body) = get_as_admin(&f.app, &format!("{path}?{query}")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path}?{query}");
            let e = error_body(&body);
            assert_eq!(e.error.code, ErrorCode::InvalidParameter, "{query}");
            assert_eq!(
                e.error.parameter.as_deref(),
                Some(*parameter),
                "{path}?{query}"
            );
        }
    }
    // The limits themselves are valid; the summary ignores paging and sort.
    for query in [
        format!("error_code={}", many(20, "A")),
        format!("object_type={}", many(20, "Campaign%20Member")),
        format!("q=%20{}%20", "x".repeat(200)),
        "q=%20%20&error_code=X_1&object_type=-".to_string(),
    ] {
        for path in ["/api/v1/sync-errors", "/api/v1/sync-errors/summary"] {
            let (status, _, body) = get_as_admin(&f.app, &format!("{path}?{query}")).await;
            assert_eq!(
                status,
                StatusCode::OK,
                "{path}?{query}: {}",
                String::from_utf8_lossy(&body)
            );
        }
    }
    for (query, _) in paging {
        let (status, _, _) = get_as_admin(
            &f.app,
            &format!("/api/v1/sync-errors/summary?{query}&unknown=1"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "summary?{query}");
    }
}

async fn summary_of(app: &axum::Router, query: &str) -> Summary {
    let (status, headers, body) =
        get_as_admin(app, &format!("/api/v1/sync-errors/summary?{query}")).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{query}: {}",
        String::from_utf8_lossy(&body)
    );
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    serde_json::from_slice(&body).unwrap()
}

async fn page_of(app: &axum::Router, query: &str) -> ErrorPage {
    let (status, _, body) = get_as_admin(app, &format!("/api/v1/sync-errors?{query}")).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{query}: {}",
        String::from_utf8_lossy(&body)
    );
    serde_json::from_slice(&body).unwrap()
}

/// Every error of the window, through the list.
async fn everything(app: &axum::Router) -> Vec<SyncError> {
    let mut out = Vec::new();
    let mut query = "limit=1000".to_string();
    loop {
        let page = page_of(app, &query).await;
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => query = format!("limit=1000&cursor={c}"),
            None => return out,
        }
    }
}

/// The summary over HTTP: its total is the list's, each facet leaves its own filter out,
/// and the histogram covers the window in contiguous, aligned hours.
#[tokio::test]
async fn the_summary_counts_what_the_list_shows() {
    let f = fixture(1500);
    let all = everything(&f.app).await;
    assert_eq!(all.len(), 1500);
    let whole = summary_of(&f.app, "").await;
    assert_eq!(whole.total, 1500);
    let w = whole.window;
    assert_eq!(w.to, parse_time(NOW).unwrap());
    // by_code: one entry per code, count desc then code, record + job = count.
    assert_eq!(whole.by_code.iter().map(|c| c.count).sum::<u64>(), 1500);
    assert!(whole.by_code.windows(2).all(|p| {
        p[0].count > p[1].count || (p[0].count == p[1].count && p[0].error_code < p[1].error_code)
    }));
    for c in &whole.by_code {
        assert_eq!(c.record + c.job, c.count, "{}", c.error_code);
        let last = all
            .iter()
            .filter(|e| e.error_code == c.error_code)
            .map(|e| e.failed_at)
            .max();
        assert_eq!(Some(c.last_failed_at), last, "{}", c.error_code);
    }
    // by_object: null ("no object", job-level errors mostly) last among equal counts.
    assert!(whole.by_object.iter().any(|o| o.object_type.is_none()));
    assert_eq!(whole.by_object.iter().map(|o| o.count).sum::<u64>(), 1500);
    // The histogram: hours from the one holding window.from to the one holding window.to.
    let h = &whole.histogram;
    assert_eq!(h.bucket_seconds, 3600);
    let first = h.buckets.first().unwrap().start;
    let last = h.buckets.last().unwrap().start;
    assert!(first <= w.from && w.from < first + chrono::Duration::hours(1));
    assert!(last <= w.to && w.to < last + chrono::Duration::hours(1));
    for (i, b) in h.buckets.iter().enumerate() {
        assert_eq!(b.start.timestamp() % 3600, 0);
        assert_eq!(b.start, first + chrono::Duration::hours(i as i64));
    }
    assert_eq!(h.buckets.iter().map(|b| b.count()).sum::<u64>(), 1500);
    // Empty hours are there, with zeros.
    let rare = summary_of(&f.app, "error_code=SERVER_UNAVAILABLE").await;
    assert_eq!(rare.histogram.buckets.len(), h.buckets.len());
    assert!(
        rare.histogram
            .buckets
            .iter()
            .filter(|b| b.count() == 0)
            .count()
            > 50
    );

    // With filters: the total is the list's; each facet ignores its own filter; the
    // histogram ignores the range.
    let from = format_time(w.to - chrono::Duration::hours(50));
    let query = format!(
        "from={from}&level=record&error_code=REQUIRED_FIELD_MISSING,UNABLE_TO_LOCK_ROW&object_type=Account,Contact,-"
    );
    let filters = Filters::from_query_string(&query).unwrap();
    let s = summary_of(&f.app, &query).await;
    let page = page_of(&f.app, &format!("{query}&limit=1000")).await;
    let expected: Vec<&SyncError> = all.iter().filter(|e| filters.matches(e)).collect();
    assert!(!expected.is_empty());
    assert_eq!(s.total, expected.len() as u64);
    assert_eq!(page.total, s.total);
    assert_eq!(page.items.len(), expected.len());
    assert!(page.items.iter().all(|e| filters.matches(e)));
    let but_codes = Filters {
        error_codes: vec![],
        ..filters.clone()
    };
    assert_eq!(
        s.by_code.iter().map(|c| c.count).sum::<u64>(),
        all.iter().filter(|e| but_codes.matches(e)).count() as u64
    );
    assert!(s.by_code.len() > 2, "other codes stay to be added");
    assert!(s.by_code.iter().all(|c| c.job == 0), "level=record");
    let but_objects = Filters {
        object_types: vec![],
        ..filters.clone()
    };
    assert_eq!(
        s.by_object.iter().map(|o| o.count).sum::<u64>(),
        all.iter().filter(|e| but_objects.matches(e)).count() as u64
    );
    let but_range = Filters {
        from: None,
        ..filters.clone()
    };
    assert_eq!(
        s.histogram.buckets.iter().map(|b| b.count()).sum::<u64>(),
        all.iter().filter(|e| but_range.matches(e)).count() as u64
    );
    assert_eq!(s.histogram.buckets.len(), whole.histogram.buckets.len());
    assert!(s.histogram.buckets.iter().all(|b| b.job == 0));
}

/// The 1.1 filters on the list: codes, objects with "no object", and `q` as each kind of
/// ID and as text, alone and together, by offset and by cursor.
#[tokio::test]
async fn the_list_filters_by_code_object_and_text() {
    let f = fixture(1500);
    let all = everything(&f.app).await;
    let record = all
        .iter()
        .find(|e| e.level == Level::Record && e.salesforce_id.is_some())
        .unwrap();
    let sf = record.salesforce_id.clone().unwrap();
    for query in [
        "error_code=INVALID_GRANT,INVALID_SESSION_ID".to_string(),
        "object_type=-".to_string(),
        "object_type=Campaign%20Member,Lead&level=record".to_string(),
        "error_code=REQUIRED_FIELD_MISSING&object_type=Lead&sort=-error_code".to_string(),
        format!("q={}", record.id),
        format!("q={}", record.marketo_id.as_deref().unwrap()),
        format!("q={sf}"),
        format!("q={}", &sf[..15]),
        "q=required%20FIELDS".to_string(),
        "q=invalid&level=job&sort=level".to_string(),
        "q=lock&object_type=Account,-".to_string(),
        Filters {
            q: Some("« Région »".into()),
            ..Filters::default()
        }
        .to_query_string(),
        "error_code=NO_SUCH_CODE".to_string(),
    ] {
        let filters = ListQuery::from_query_string(&query).unwrap().filters;
        let expected = all.iter().filter(|e| filters.matches(e)).count() as u64;
        let first = page_of(&f.app, &format!("{query}&limit=7")).await;
        assert_eq!(first.total, expected, "{query}");
        assert!(first.items.iter().all(|e| filters.matches(e)), "{query}");
        let mut walked = first.items.clone();
        let mut cursor = first.next_cursor;
        while let Some(c) = cursor {
            let page = page_of(&f.app, &format!("{query}&limit=50&cursor={c}")).await;
            assert_eq!(page.total, expected, "{query}");
            walked.extend(page.items);
            cursor = page.next_cursor;
        }
        assert_eq!(walked.len() as u64, expected, "{query}");
        let by_offset = page_of(&f.app, &format!("{query}&limit=1000")).await;
        assert_eq!(walked, by_offset.items, "{query}");
    }
    // An ID finds its error; a Salesforce ID of 15 or 18 characters finds its record.
    for q in [record.id.as_str(), &sf, &sf[..15]] {
        let page = page_of(&f.app, &format!("q={q}")).await;
        assert!(page.items.iter().any(|e| e.id == record.id), "{q}");
    }
    // A cursor belongs to its filters.
    let page = page_of(&f.app, "error_code=REQUIRED_FIELD_MISSING&limit=5").await;
    let cursor = page.next_cursor.unwrap();
    let (status, _, body) = get_as_admin(
        &f.app,
        &format!("/api/v1/sync-errors?error_code=DUPLICATE_VALUE&cursor={cursor}"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_body(&body).error.parameter.as_deref(), Some("cursor"));
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

/// The sign-in page speaks the browser's first language that it knows (French or
/// English, by `Accept-Language` preference), says which, and varies by it.
#[tokio::test]
async fn the_sign_in_page_speaks_the_browsers_language() {
    let f = fixture(5);
    for (accepted, lang, heading) in [
        (None, "en", "<h1>Sign in</h1>"),
        (Some("fr-CA,fr;q=0.9,en;q=0.8"), "fr", "<h1>Connexion</h1>"),
        (
            Some("de-DE, en;q=0.5, fr;q=0.7"),
            "fr",
            "<h1>Connexion</h1>",
        ),
        (Some("en-GB, fr;q=0.9"), "en", "<h1>Sign in</h1>"),
        (Some("de, es"), "en", "<h1>Sign in</h1>"),
        (Some(";;q=x,, *;q=0.1, -fr"), "en", "<h1>Sign in</h1>"),
    ] {
        let mut request = Request::get("/signin");
        if let Some(a) = accepted {
            request = request.header(header::ACCEPT_LANGUAGE, a);
        }
        let (status, headers, body) = send(&f.app, request.body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{accepted:?}");
        let html = String::from_utf8(body).unwrap();
        assert!(
            html.contains(&format!(r#"<html lang="{lang}">"#)),
            "{accepted:?}"
        );
        assert!(html.contains(heading), "{accepted:?}: {html}");
        assert_eq!(headers[header::CONTENT_LANGUAGE], lang, "{accepted:?}");
        assert!(
            headers[header::VARY]
                .to_str()
                .unwrap()
                .contains("Accept-Language"),
            "{accepted:?}"
        );
    }
    // A refusal is worded in the same language.
    let (token, cookie) = csrf(&f.app).await;
    let request = Request::post("/signin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .header(header::ACCEPT_LANGUAGE, "fr")
        .body(Body::from(format!(
            "username=admin&password=wrong&next=%2F&csrf={token}"
        )))
        .unwrap();
    let (status, _, body) = send(&f.app, request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("Nom d’utilisateur ou mot de passe incorrect.")
    );
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

/// Past 10 failed sign-ins an account is closed for a while, even to its right password;
/// other accounts still sign in.
#[tokio::test]
async fn failed_sign_ins_are_rate_limited_per_account() {
    let f = fixture(5);
    let (token, cookie) = csrf(&f.app).await;
    let form = |body: &str| {
        Request::post("/signin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &cookie)
            .body(Body::from(format!("{body}&next=%2F&csrf={token}")))
            .unwrap()
    };
    for _ in 0..10 {
        let (status, _, _) = send(&f.app, form("username=admin&password=guess")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _, body) = send(&f.app, form("username=admin&password=admin")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("Too many failed sign-ins")
    );
    let (status, _, _) = send(&f.app, form("username=viewer&password=viewer")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}
