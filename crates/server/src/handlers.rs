//! The API's handlers: `GET /v1/sync-errors`, `GET /v1/sync-errors/summary` and
//! `GET /v1/sync-errors/{id}` (nested under `/api`), behind authentication and the admin
//! check; `POST /v1/sync-errors` (ingestion) behind the ingest check; failing with
//! `HttpError`.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{MethodRouter, any, get, post};
use axum::{Json, Router};
use axum_extra::extract::CookieJar;
use sync_errors_api::{
    ErrorPage, Filters, IngestAnswer, LIST_PATH, ListQuery, MAX_INGEST_BYTES, MAX_INGEST_ITEMS,
    SUMMARY_PATH, Summary, SyncError,
};
use tower_http::compression::CompressionLayer;

use crate::AppState;
use crate::auth::{Principal, SESSION_COOKIE, sha256_hex};
use crate::error::HttpError;
use crate::ingest::{self, BodyError};

const NO_SUCH_ERROR: &str = "This sync error no longer exists.";

/// The API's routes, to nest under `/api`.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route(LIST_PATH, get(list_errors))
        .route(SUMMARY_PATH, get(summarize_errors))
        .route(&format!("{LIST_PATH}/{{id}}"), get(get_error))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_admin))
        .merge(
            Router::new()
                .route(LIST_PATH, post(ingest_errors))
                .route_layer(middleware::from_fn_with_state(
                    state.clone(),
                    require_ingest,
                ))
                // The body is read by the handler, up to its own limit (413 beyond).
                .layer(DefaultBodyLimit::disable()),
        )
        .fallback_service(no_such_path())
        .with_state(state)
        // JSON compressed on the fly for a client that accepts brotli or gzip (a page of
        // 100 errors: about 50 KB raw); `Vary: Accept-Encoding` is set with it. Brotli at
        // quality 4: most of the saving of 11 at a small part of its time.
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .quality(tower_http::CompressionLevel::Precise(4)),
        )
}

/// Any path under `/api` that is not one of the routes above: 404, in JSON.
pub fn no_such_path() -> MethodRouter {
    any(|| async { HttpError::NotFound("There is no such API path.") })
}

/// The caller, from a bearer token or the session cookie (`None`: unauthenticated). A
/// session is looked up in the store (PostgreSQL shares it between servers), which may fail.
pub async fn principal(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Principal>, HttpError> {
    if let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let Some(token) = auth.strip_prefix("Bearer ").map(str::trim) else {
            return Ok(None);
        };
        return Ok(state.auth.check_token(token));
    }
    let jar = CookieJar::from_headers(headers);
    let Some(cookie) = jar.get(SESSION_COOKIE) else {
        return Ok(None);
    };
    Ok(state
        .store
        .session(sha256_hex(cookie.value()), state.clock.now())
        .await?)
}

async fn require_admin(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Result<Response, HttpError> {
    let caller = principal(&state, request.headers())
        .await?
        .ok_or(HttpError::Unauthenticated)?;
    if !caller.admin {
        return Err(HttpError::AdminRequired);
    }
    Ok(next.run(request).await)
}

async fn require_ingest(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Result<Response, HttpError> {
    let caller = principal(&state, request.headers())
        .await?
        .ok_or(HttpError::Unauthenticated)?;
    if !caller.ingest {
        return Err(HttpError::IngestRequired);
    }
    Ok(next.run(request).await)
}

async fn list_errors(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Json<ErrorPage>, HttpError> {
    let q = ListQuery::from_query_string(query.as_deref().unwrap_or(""))?;
    let page = state.store.list(q, state.clock.now()).await?;
    Ok(Json(page))
}

async fn summarize_errors(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Json<Summary>, HttpError> {
    let filters = Filters::from_query_string(query.as_deref().unwrap_or(""))?;
    let summary = state.store.summary(filters, state.clock.now()).await?;
    Ok(Json(summary))
}

async fn get_error(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<SyncError>, HttpError> {
    // An id that is not UTF-8 once decoded cannot name an error.
    let Ok(Path(id)) = id else {
        return Err(HttpError::NotFound(NO_SUCH_ERROR));
    };
    let found = state.store.get(id, state.clock.now()).await?;
    found.map(Json).ok_or(HttpError::NotFound(NO_SUCH_ERROR))
}

/// `POST /v1/sync-errors`: one batch from a sync engine, written in one transaction;
/// answered once committed (and synced: see `store::ingest::Writer`, and PostgreSQL's
/// `synchronous_commit`).
async fn ingest_errors(
    State(state): State<Arc<AppState>>,
    body: Body,
) -> Result<Json<IngestAnswer>, HttpError> {
    let bytes = axum::body::to_bytes(body, MAX_INGEST_BYTES)
        .await
        .map_err(|_| {
            HttpError::PayloadTooLarge(format!(
                "The body is over {MAX_INGEST_BYTES} bytes (4 MiB); send smaller batches."
            ))
        })?;
    let now = state.clock.now();
    // Reading a batch of 1,000 items takes milliseconds: off the async threads.
    let batch = tokio::task::spawn_blocking(move || ingest::parse(&bytes, now))
        .await?
        .map_err(|e| match e {
            BodyError::Invalid(message) => HttpError::InvalidBody(message),
            BodyError::TooMany(n) => HttpError::PayloadTooLarge(format!(
                "The batch has {n} items, over {MAX_INGEST_ITEMS}; send smaller batches."
            )),
        })?;
    let answer =
        ingest::ingest_into(&*state.store, batch.current_sync_at, batch.items, now).await?;
    Ok(Json(answer))
}
