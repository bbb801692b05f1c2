//! The built app: files from `dist/`, `index.html` for any other path without an
//! extension (deep links), and caching that suits content-hashed assets.

use std::path::Path;

use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower::util::BoxCloneSyncService;
use tower_http::services::{ServeDir, ServeFile};

type Service = BoxCloneSyncService<Request<Body>, Response, std::convert::Infallible>;

/// True for Trunk's content-hashed names, e.g. `sync-errors-1a2b3c4d5e6f7a8b_bg.wasm`.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    name.split(['-', '_', '.'])
        .any(|part| part.len() >= 16 && part.chars().all(|c| c.is_ascii_hexdigit()))
}

pub fn service(dist: &Path) -> Service {
    let index = dist.join("index.html");
    // The brotli and gzip copies that the build writes beside each file (`*.br`, `*.gz`),
    // for a client that accepts them; the file itself for any other.
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(tower::service_fn({
            let index = index.clone();
            move |request: Request<Body>| {
                let index = index.clone();
                async move {
                    let path = request.uri().path();
                    let last = path.rsplit('/').next().unwrap_or("");
                    if last.contains('.') {
                        return Ok::<_, std::convert::Infallible>(
                            (StatusCode::NOT_FOUND, "Not found").into_response(),
                        );
                    }
                    // A deep link: the app's index, which routes on the client.
                    ServeFile::new(index)
                        .precompressed_br()
                        .precompressed_gzip()
                        .oneshot(request)
                        .await
                        .map(IntoResponse::into_response)
                }
            }
        }));
    let with_caching = tower::service_fn(move |request: Request<Body>| {
        let files = files.clone();
        async move {
            let path = request.uri().path().to_owned();
            // `//name` would come back from ServeDir's directory redirect as `//name/`,
            // which a browser reads as another host: no such paths here.
            if path.starts_with("//") {
                return Ok((StatusCode::NOT_FOUND, "Not found").into_response());
            }
            let mut response = files
                .oneshot(request)
                .await
                .map(IntoResponse::into_response)?;
            let html = response
                .headers()
                .get(header::CONTENT_TYPE)
                .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
            let cache = if html || !response.status().is_success() {
                "no-cache"
            } else if is_hashed(&path) {
                "public, max-age=31536000, immutable"
            } else {
                // Stable names (the sync-errors-tab.js loader) must follow each new build.
                "no-cache"
            };
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            // The answer depends on Accept-Encoding: caches must keep one per encoding.
            if !headers.contains_key(header::VARY) {
                headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            }
            Ok(response)
        }
    });
    BoxCloneSyncService::new(with_caching)
}

#[cfg(test)]
mod tests {
    #[test]
    fn recognises_trunk_hashes() {
        assert!(super::is_hashed("/sync-errors-9f86d081884c7d65_bg.wasm"));
        assert!(super::is_hashed("/style-9f86d081884c7d65.css"));
        assert!(!super::is_hashed("/sync-errors-tab.js"));
        assert!(!super::is_hashed("/index.html"));
    }
}
