//! The HTTP client of the contract (gloo-net): one function per endpoint, statuses checked,
//! every answer mapped to the contract's types or an [`ApiError`].

use std::pin::pin;
use std::sync::{Arc, RwLock};

use futures::future::{Either, select};
use gloo_net::http::{Request, RequestBuilder, Response};
use sync_errors_api::{ErrorPage, Filters, LIST_PATH, ListQuery, SUMMARY_PATH, Summary, SyncError};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, RequestCredentials};

use super::early;
use super::error::{ApiError, decode};

/// How long one request may take before it is aborted and reported (`request-timeout`).
pub const DEFAULT_TIMEOUT_S: u32 = 30;

/// Where the API is and how to authenticate to it. Clones share the token and the time
/// limit, which the host may change at any time: every request reads them as it leaves, so
/// a token refreshed in the middle of an export carries its later pages.
#[derive(Debug, Clone)]
pub struct ApiClient {
    base: String,
    live: Arc<RwLock<Live>>,
}

/// What the host may change while the tab runs.
#[derive(Debug)]
struct Live {
    token: Option<String>,
    timeout_s: u32,
}

/// Resolves after `ms` milliseconds (0: lets the browser paint and handle input). Dropped
/// before then (a request's time limit when the answer came first, a superseded retry),
/// it clears its timer rather than leaving it pending.
pub async fn sleep(ms: u32) {
    let window = web_sys::window();
    let mut handle = None;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        handle = window.as_ref().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                i32::try_from(ms).unwrap_or(i32::MAX),
            )
            .ok()
        });
    });
    let _clear = ClearTimeout(window, handle);
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Clears a `setTimeout` when dropped (clearing one that has fired does nothing).
struct ClearTimeout(Option<web_sys::Window>, Option<i32>);

impl Drop for ClearTimeout {
    fn drop(&mut self) {
        if let (Some(window), Some(handle)) = (&self.0, self.1) {
            window.clear_timeout_with_handle(handle);
        }
    }
}

/// Aborts its request when dropped: a superseded request's future is dropped, and with it
/// the request goes. Aborting a request that has already finished does nothing.
pub struct AbortOnDrop(Option<AbortController>);

impl AbortOnDrop {
    pub fn new() -> AbortOnDrop {
        AbortOnDrop(AbortController::new().ok())
    }

    pub fn signal(&self) -> Option<AbortSignal> {
        self.0.as_ref().map(AbortController::signal)
    }
}

impl Default for AbortOnDrop {
    fn default() -> Self {
        AbortOnDrop::new()
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = self.0.take() {
            controller.abort();
        }
    }
}

impl ApiClient {
    pub fn new(base: &str, token: Option<String>) -> ApiClient {
        ApiClient {
            base: base.trim_end_matches('/').to_owned(),
            live: Arc::new(RwLock::new(Live {
                token: token.filter(|t| !t.is_empty()),
                timeout_s: DEFAULT_TIMEOUT_S,
            })),
        }
    }

    /// The time limit of each request, in seconds (at least 1).
    pub fn with_timeout(self, seconds: u32) -> ApiClient {
        self.set_timeout(seconds);
        self
    }

    /// Changes the time limit of the requests that leave from now on.
    pub fn set_timeout(&self, seconds: u32) {
        if let Ok(mut live) = self.live.write() {
            live.timeout_s = seconds.max(1);
        }
    }

    /// Changes the bearer token of the requests that leave from now on (`None`: cookies).
    pub fn set_token(&self, token: Option<String>) {
        if let Ok(mut live) = self.live.write() {
            live.token = token.filter(|t| !t.is_empty());
        }
    }

    fn has_token(&self) -> bool {
        self.live.read().is_ok_and(|l| l.token.is_some())
    }

    fn timeout_s(&self) -> u32 {
        self.live.read().map_or(DEFAULT_TIMEOUT_S, |l| l.timeout_s)
    }

    fn get(&self, path_and_query: &str, signal: Option<&AbortSignal>) -> RequestBuilder {
        let mut request = Request::get(&format!("{}{}", self.base, path_and_query))
            .credentials(RequestCredentials::Include)
            .header("Accept", "application/json")
            .abort_signal(signal);
        let token = self.live.read().ok().and_then(|l| l.token.clone());
        if let Some(token) = token {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        request
    }

    /// A GET, retried on its own where that can help (see [`ApiError::retry_delay_ms`]).
    /// Dropping the future stops it: the request in flight is aborted, no retry follows.
    async fn fetch<T: serde::de::DeserializeOwned>(
        &self,
        path_and_query: &str,
        on_retry: &dyn Fn(usize),
    ) -> Result<T, ApiError> {
        let mut attempt = 0;
        loop {
            match self.fetch_once(path_and_query).await {
                Err(e) => match e.retry_delay_ms(attempt, js_sys::Math::random()) {
                    Some(ms) => {
                        attempt += 1;
                        on_retry(attempt);
                        sleep(ms).await;
                    }
                    None => return Err(e),
                },
                ok => return ok,
            }
        }
    }

    async fn fetch_once<T: serde::de::DeserializeOwned>(
        &self,
        path_and_query: &str,
    ) -> Result<T, ApiError> {
        // The loader may have asked this already, while the module loaded (see `early`).
        let early = (!self.has_token())
            .then(|| early::take(&format!("{}{}", self.base, path_and_query)))
            .flatten();
        let (abort, pending) = match early {
            Some(early) => (AbortOnDrop(Some(early.controller)), Err(early.response)),
            None => {
                let abort = AbortOnDrop::new();
                let request = self.get(path_and_query, abort.signal().as_ref());
                (abort, Ok(request))
            }
        };
        let exchange = async {
            let response = match pending {
                Ok(request) => request
                    .send()
                    .await
                    .map_err(|e| ApiError::Network(e.to_string()))?,
                Err(started) => JsFuture::from(started)
                    .await
                    .map(|r| Response::from(r.unchecked_into::<web_sys::Response>()))
                    .map_err(|e| ApiError::Network(js_message(&e)))?,
            };
            let status = response.status();
            let retry_after = response.headers().get("retry-after");
            let body = response
                .binary()
                .await
                .map_err(|e| ApiError::Network(e.to_string()))?;
            Ok::<_, ApiError>((status, retry_after, body))
        };
        let timeout_s = self.timeout_s();
        let timer = sleep(timeout_s.saturating_mul(1000));
        let (status, retry_after, body) = match select(pin!(exchange), pin!(timer)).await {
            Either::Left((answer, _)) => answer?,
            // Dropping `abort` on return aborts the request.
            Either::Right(_) => {
                return Err(ApiError::TimedOut { seconds: timeout_s });
            }
        };
        drop(abort);
        if (200..300).contains(&status) {
            decode(&body)
        } else {
            Err(ApiError::from_status(status, &body).with_retry_after(retry_after.as_deref()))
        }
    }

    /// `GET /v1/sync-errors`.
    pub async fn list(&self, query: &ListQuery) -> Result<ErrorPage, ApiError> {
        self.list_observed(query, &|_| {}).await
    }

    /// `GET /v1/sync-errors`, telling `on_retry(n)` before the n-th automatic retry (the
    /// export says so rather than seem stalled).
    pub async fn list_observed(
        &self,
        query: &ListQuery,
        on_retry: &dyn Fn(usize),
    ) -> Result<ErrorPage, ApiError> {
        let qs = query.to_query_string();
        let sep = if qs.is_empty() { "" } else { "?" };
        self.fetch(&format!("{LIST_PATH}{sep}{qs}"), on_retry).await
    }

    /// `GET /v1/sync-errors/{id}`.
    pub async fn get_one(&self, id: &str) -> Result<SyncError, ApiError> {
        let id: String = form_urlencoded::byte_serialize(id.as_bytes()).collect();
        self.fetch(&format!("{LIST_PATH}/{id}"), &|_| {}).await
    }

    /// `GET /v1/sync-errors/summary` (API 1.1). A 1.0 backend answers 404
    /// ([`ApiError::NotFound`]): it has no summary. A histogram the contract does not allow
    /// (a bucket length out of bounds, too many buckets) is [`ApiError::Malformed`].
    pub async fn summary(&self, filters: &Filters) -> Result<Summary, ApiError> {
        let qs = filters.to_query_string();
        let sep = if qs.is_empty() { "" } else { "?" };
        let summary: Summary = self
            .fetch(&format!("{SUMMARY_PATH}{sep}{qs}"), &|_| {})
            .await?;
        let h = &summary.histogram;
        if !(60..=86_400).contains(&h.bucket_seconds) || h.buckets.len() > 1000 {
            return Err(ApiError::Malformed(format!(
                "a histogram of {} buckets of {} s",
                h.buckets.len(),
                h.bucket_seconds
            )));
        }
        Ok(summary)
    }
}

/// What a rejected `fetch` says (its error's message).
fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map_or_else(
        || e.as_string().unwrap_or_default(),
        |e| String::from(e.message()),
    )
}

/// A file beside the app (the guidance), or a console's: its bytes, or why not. Sent
/// without the API's token; the time limit is the API's default.
pub async fn get_file(url: &str) -> Result<Vec<u8>, String> {
    let abort = AbortOnDrop::new();
    let signal = abort.signal();
    let exchange = async {
        let response = Request::get(url)
            .abort_signal(signal.as_ref())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.ok() {
            return Err(format!("{url} answered {}", response.status()));
        }
        response.binary().await.map_err(|e| e.to_string())
    };
    match select(pin!(exchange), pin!(sleep(DEFAULT_TIMEOUT_S * 1000))).await {
        Either::Left((answer, _)) => answer,
        Either::Right(_) => Err(format!("{url} did not answer in {DEFAULT_TIMEOUT_S} s")),
    }
}
