//! `HttpError`: every way an API request fails, each with its status and the contract's
//! `{"error": {...}}` body. Handlers return it with `?`: the store's errors and a refused
//! parameter convert into it.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use r2d2_sqlite::rusqlite;
use sync_errors_api::{ApiErrorBody, ErrorCode, InvalidParameter};

use crate::store::{QueryError, StoreError};

#[derive(Debug)]
pub enum HttpError {
    /// No credentials, or wrong ones: 401.
    Unauthenticated,
    /// A caller who is not an admin: 403.
    AdminRequired,
    /// A query parameter the contract refuses: 400 naming it.
    InvalidParameter(InvalidParameter),
    /// No such error, or no such path: 404 with this message.
    NotFound(&'static str),
    /// A caller who may not ingest (an admin, a session): 403.
    IngestRequired,
    /// An ingest body over 4 MiB or 1,000 items: 413.
    PayloadTooLarge(String),
    /// An ingest body that is not a batch: 400.
    InvalidBody(String),
    /// The store cannot answer now (locked, gone, a failed read): 503 with `Retry-After`.
    /// The detail goes to the log only.
    StoreUnavailable(String),
}

/// Seconds a client waits before it asks a store that was unavailable again.
const RETRY_AFTER_SECONDS: u32 = 2;

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let (status, code, message) = match &self {
            HttpError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthenticated,
                "Sign in to see sync errors.".to_owned(),
            ),
            HttpError::AdminRequired => (
                StatusCode::FORBIDDEN,
                ErrorCode::AdminRequired,
                "Admin permissions required.".to_owned(),
            ),
            HttpError::IngestRequired => (
                StatusCode::FORBIDDEN,
                ErrorCode::IngestRequired,
                "Only a token marked for ingestion may send errors.".to_owned(),
            ),
            HttpError::PayloadTooLarge(message) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::PayloadTooLarge,
                message.clone(),
            ),
            HttpError::InvalidBody(message) => (
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidBody,
                message.clone(),
            ),
            HttpError::InvalidParameter(p) => (
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidParameter,
                format!("`{}` {}", p.parameter, p.message),
            ),
            HttpError::NotFound(message) => (
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                (*message).to_owned(),
            ),
            HttpError::StoreUnavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Other("store_unavailable".into()),
                "The error store is unavailable right now. Try again in a moment.".to_owned(),
            ),
        };
        let mut body = ApiErrorBody::new(code, message);
        if let HttpError::InvalidParameter(p) = &self {
            body.error.parameter = Some(p.parameter.to_owned());
        }
        let mut response = (status, axum::Json(body)).into_response();
        if let HttpError::StoreUnavailable(detail) = &self {
            tracing::error!("store: {detail}");
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, RETRY_AFTER_SECONDS.into());
        }
        response
    }
}

impl From<InvalidParameter> for HttpError {
    fn from(p: InvalidParameter) -> Self {
        HttpError::InvalidParameter(p)
    }
}

impl From<QueryError> for HttpError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::Invalid(p) => p.into(),
            QueryError::Store(e) => e.into(),
        }
    }
}

impl From<rusqlite::Error> for HttpError {
    fn from(e: rusqlite::Error) -> Self {
        HttpError::StoreUnavailable(e.to_string())
    }
}

impl From<StoreError> for HttpError {
    fn from(e: StoreError) -> Self {
        HttpError::StoreUnavailable(e.to_string())
    }
}

/// No pooled connection came free in time.
impl From<r2d2::Error> for HttpError {
    fn from(e: r2d2::Error) -> Self {
        HttpError::StoreUnavailable(e.to_string())
    }
}

/// The blocking store call panicked or was cancelled.
impl From<tokio::task::JoinError> for HttpError {
    fn from(e: tokio::task::JoinError) -> Self {
        HttpError::StoreUnavailable(e.to_string())
    }
}
