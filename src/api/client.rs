//! The HTTP client of the contract (gloo-net): one function per endpoint, statuses checked,
//! every answer mapped to the contract's types or an [`ApiError`].

use gloo_net::http::{Request, RequestBuilder};
use sync_errors_api::{ErrorPage, LIST_PATH, ListQuery, SyncError};
use web_sys::{AbortController, AbortSignal, RequestCredentials};

use super::error::{ApiError, decode};

/// Where the API is and how to authenticate to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClient {
    base: String,
    token: Option<String>,
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
            token: token.filter(|t| !t.is_empty()),
        }
    }

    fn get(&self, path_and_query: &str, signal: Option<&AbortSignal>) -> RequestBuilder {
        let mut request = Request::get(&format!("{}{}", self.base, path_and_query))
            .credentials(RequestCredentials::Include)
            .header("Accept", "application/json")
            .abort_signal(signal);
        if let Some(token) = &self.token {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        request
    }

    async fn fetch<T: serde::de::DeserializeOwned>(
        &self,
        path_and_query: &str,
    ) -> Result<T, ApiError> {
        let abort = AbortOnDrop::new();
        let signal = abort.signal();
        let response = self
            .get(path_and_query, signal.as_ref())
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        let status = response.status();
        let body = response
            .binary()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        drop(abort);
        if (200..300).contains(&status) {
            decode(&body)
        } else {
            Err(ApiError::from_status(status, &body))
        }
    }

    /// `GET /v1/sync-errors`.
    pub async fn list(&self, query: &ListQuery) -> Result<ErrorPage, ApiError> {
        let qs = query.to_query_string();
        let sep = if qs.is_empty() { "" } else { "?" };
        self.fetch(&format!("{LIST_PATH}{sep}{qs}")).await
    }

    /// `GET /v1/sync-errors/{id}`.
    pub async fn get_one(&self, id: &str) -> Result<SyncError, ApiError> {
        let id: String = form_urlencoded::byte_serialize(id.as_bytes()).collect();
        self.fetch(&format!("{LIST_PATH}/{id}")).await
    }
}
