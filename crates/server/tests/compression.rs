//! Compression: the build's brotli and gzip copies of the app's files are sent to a client
//! that accepts them, the file itself to one that does not; the API's JSON is compressed on
//! the fly and decodes to the same answer. Every such answer says `Vary: Accept-Encoding`.

mod common;

use std::io::Read;

use axum::body::Body;
use axum::http::{HeaderMap, Request, header};
use common::{WASM_BR, WASM_GZ, fixture, send};

const WASM: &str = "/sync-errors-0123456789abcdef_bg.wasm";

fn with_encoding(uri: &str, accept: Option<&str>, token: Option<&str>) -> Request<Body> {
    let mut r = Request::get(uri);
    if let Some(a) = accept {
        r = r.header(header::ACCEPT_ENCODING, a);
    }
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    r.body(Body::empty()).unwrap()
}

fn header(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn the_apps_files_are_sent_in_the_best_encoding_the_client_accepts() {
    let f = fixture(10);
    for (accept, body, encoding) in [
        (Some("gzip, deflate, br, zstd"), WASM_BR, Some("br")),
        (Some("br"), WASM_BR, Some("br")),
        (Some("gzip"), WASM_GZ, Some("gzip")),
        (Some("br;q=0, gzip"), WASM_GZ, Some("gzip")),
        (Some("identity"), &b"\0asm"[..], None),
        (Some("zstd"), &b"\0asm"[..], None),
        (None, &b"\0asm"[..], None),
    ] {
        let (status, headers, got) = send(&f.app, with_encoding(WASM, accept, None)).await;
        assert!(status.is_success(), "{accept:?}: {status}");
        assert_eq!(got, body, "{accept:?}");
        assert_eq!(
            header(&headers, header::CONTENT_ENCODING),
            encoding,
            "{accept:?}"
        );
        assert_eq!(
            header(&headers, header::CONTENT_TYPE),
            Some("application/wasm")
        );
        assert_eq!(
            header(&headers, header::VARY),
            Some("accept-encoding"),
            "{accept:?}"
        );
        assert_eq!(
            header(&headers, header::CACHE_CONTROL),
            Some("public, max-age=31536000, immutable")
        );
    }
    // A file without copies is sent as it is, whatever the client accepts.
    let (_, headers, body) = send(
        &f.app,
        with_encoding("/page-0123456789abcdef.css", Some("br, gzip"), None),
    )
    .await;
    assert_eq!(body, b"body{}");
    assert_eq!(header(&headers, header::CONTENT_ENCODING), None);
}

#[tokio::test]
async fn the_apis_json_is_compressed_on_the_fly_and_decodes_to_the_same_answer() {
    let f = fixture(300);
    let uri = "/api/v1/sync-errors?limit=300";
    let token = Some("demo-admin-token");
    let (_, plain_headers, plain) = send(&f.app, with_encoding(uri, None, token)).await;
    assert_eq!(header(&plain_headers, header::CONTENT_ENCODING), None);
    let plain: serde_json::Value = serde_json::from_slice(&plain).unwrap();

    let (_, headers, br) = send(&f.app, with_encoding(uri, Some("gzip, br"), token)).await;
    assert_eq!(header(&headers, header::CONTENT_ENCODING), Some("br"));
    assert_eq!(header(&headers, header::VARY), Some("accept-encoding"));
    assert_eq!(header(&headers, header::CACHE_CONTROL), Some("no-store"));
    let mut decoded = Vec::new();
    brotli_decompressor::Decompressor::new(&br[..], 4096)
        .read_to_end(&mut decoded)
        .unwrap();
    assert!(
        br.len() * 4 < decoded.len(),
        "{} -> {}",
        decoded.len(),
        br.len()
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&decoded).unwrap(),
        plain
    );

    let (_, headers, gz) = send(&f.app, with_encoding(uri, Some("gzip"), token)).await;
    assert_eq!(header(&headers, header::CONTENT_ENCODING), Some("gzip"));
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&decoded).unwrap(),
        plain
    );

    // Errors are compressed too, and still read as the contract's body.
    let (status, headers, _) = send(
        &f.app,
        with_encoding("/api/v1/sync-errors?limit=0", Some("gzip"), token),
    )
    .await;
    assert_eq!(status.as_u16(), 400);
    assert_eq!(
        header(&headers, header::CONTENT_TYPE),
        Some("application/json")
    );
}
