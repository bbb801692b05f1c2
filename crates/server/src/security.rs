//! Response headers that hold on every answer: a strict Content-Security-Policy,
//! `X-Content-Type-Options`, `Referrer-Policy`, `Cache-Control: no-store` on the API's data
//! and the sign-in form; and whether a request came over TLS.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// The headers every response carries, built once at start-up.
#[derive(Debug, Clone)]
pub struct Policy {
    csp: HeaderValue,
}

impl Default for Policy {
    fn default() -> Self {
        Policy::new("'self'").expect("the default frame-ancestors is valid")
    }
}

impl Policy {
    /// `frame_ancestors` is the CSP source list of the pages that may frame this server's
    /// pages, e.g. `'self' https://console.example.com`, or `'none'`.
    pub fn new(frame_ancestors: &str) -> Result<Policy, String> {
        let sources = frame_ancestors.split_ascii_whitespace().collect::<Vec<_>>();
        if sources.is_empty() {
            return Err("frame-ancestors needs at least one source, e.g. 'self' or 'none'".into());
        }
        if let Some(bad) = sources.iter().find(|s| !is_source(s)) {
            return Err(format!(
                "`{bad}` is not a CSP source (use 'self', 'none', https://host or *.example.com)"
            ));
        }
        let csp = content_security_policy(&sources.join(" "));
        let csp = HeaderValue::from_str(&csp).map_err(|e| e.to_string())?;
        Ok(Policy { csp })
    }

    pub fn content_security_policy(&self) -> &HeaderValue {
        &self.csp
    }
}

/// A source expression that cannot end the directive or start another one.
fn is_source(s: &str) -> bool {
    matches!(s, "'self'" | "'none'")
        || (!s.starts_with('\'')
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~:/*%[]".contains(&b)))
}

/// No inline script or style and no eval: the app is one module plus stylesheets from this
/// origin; WebAssembly compiles under 'wasm-unsafe-eval'. The tab's own styles are a
/// constructable stylesheet, which CSP does not restrict.
pub fn content_security_policy(frame_ancestors: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; \
         form-action 'self'; base-uri 'none'; object-src 'none'; \
         frame-ancestors {frame_ancestors}"
    )
}

/// Adds the security headers to every response (a handler may set its own first).
pub async fn headers(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert_with(|| state.security.content_security_policy().clone());
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// `Cache-Control: no-store` for a document (JSON or an HTML page) whose handler set no
/// caching of its own: the caller's errors, and the sign-in form with its one-time token,
/// are never kept by a cache. The built app's files set their own caching; answers without
/// a document (redirects, 405s, plain-text rejections) get none.
pub fn no_store(response: &Response) -> Option<HeaderValue> {
    let document = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| {
            let t = t.as_bytes();
            t.starts_with(b"application/json") || t.starts_with(b"text/html")
        });
    document.then(|| HeaderValue::from_static("no-store"))
}

/// True when the request reached us over TLS: the server is configured so
/// (`--secure-cookies`), or the TLS proxy in front says so with `X-Forwarded-Proto: https`.
/// Only ever used to add `Secure` to a cookie, which a lying header cannot weaken.
pub fn over_tls(state: &AppState, headers: &HeaderMap) -> bool {
    state.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_is_strict() {
        let csp = content_security_policy("'self'");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"));
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(csp.ends_with("frame-ancestors 'self'"));
    }

    #[test]
    fn frame_ancestors_are_configurable_but_cannot_inject_directives() {
        let p = Policy::new("'self'  https://console.example.com").unwrap();
        let csp = p.content_security_policy().to_str().unwrap();
        assert!(csp.ends_with("frame-ancestors 'self' https://console.example.com"));
        assert!(Policy::new("'none'").is_ok());
        for bad in [
            "",
            "https://a.example; script-src *",
            "'unsafe-inline'",
            "https://a.example,https://b",
            "https://a.example\r\nSet-Cookie: x=1",
        ] {
            assert!(Policy::new(bad).is_err(), "{bad:?}");
        }
    }
}
