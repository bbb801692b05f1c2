//! The API routes: `GET /v1/sync-errors` and `GET /v1/sync-errors/{id}`, behind
//! authentication and the admin check, with the contract's error bodies.

use std::sync::Arc;

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sync_errors_api::{ApiErrorBody, ErrorCode, InvalidParameter, ListQuery};

use crate::AppState;
use crate::auth::{Principal, SESSION_COOKIE, cookie_value};
use crate::db::{self, QueryError};

/// A contract error answer: status plus `{"error": {...}}`.
pub struct ApiError {
    status: StatusCode,
    body: ApiErrorBody,
    /// Seconds for a `Retry-After` header.
    retry_after: Option<u32>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: ApiErrorBody::new(code, message),
            retry_after: None,
        }
    }

    pub fn invalid(p: InvalidParameter) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidParameter,
            format!("`{}` {}", p.parameter, p.message),
        );
        e.body.error.parameter = Some(p.parameter.to_owned());
        e
    }

    pub fn not_found(message: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
    }

    fn unavailable(detail: impl std::fmt::Display) -> ApiError {
        tracing::error!("store: {detail}");
        let mut e = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Other("store_unavailable".into()),
            "The error store is unavailable right now. Try again in a moment.",
        );
        e.retry_after = Some(2);
        e
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body)).into_response();
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            "no-store".parse().expect("static header"),
        );
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

pub fn routes(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/v1/sync-errors", get(list_errors))
        .route("/v1/sync-errors/{id}", get(get_error))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_admin))
        .fallback(no_such_path)
        .with_state(state)
}

/// Any path under `/api` that is not one of the routes above.
pub async fn no_such_path() -> ApiError {
    ApiError::not_found("There is no such API path.")
}

/// The caller, from a bearer token or the session cookie.
pub fn principal(state: &AppState, headers: &HeaderMap) -> Option<Principal> {
    if let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let token = auth.strip_prefix("Bearer ").map(str::trim)?;
        return state.auth.check_token(token);
    }
    let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok())?;
    let id = cookie_value(cookies, SESSION_COOKIE)?;
    state.auth.session(id, state.clock.now())
}

async fn require_admin(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    match principal(&state, request.headers()) {
        None => ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            "Sign in to see sync errors.",
        )
        .into_response(),
        Some(p) if !p.admin => ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::AdminRequired,
            "Admin permissions required.",
        )
        .into_response(),
        Some(_) => next.run(request).await,
    }
}

/// Runs a blocking store call on a pooled connection.
async fn with_conn<T, F>(state: &Arc<AppState>, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(
            &r2d2_sqlite::rusqlite::Connection,
            chrono::DateTime<chrono::Utc>,
        ) -> Result<T, ApiError>
        + Send
        + 'static,
{
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let conn = state.pool.get().map_err(ApiError::unavailable)?;
        f(&conn, state.clock.now())
    })
    .await
    .map_err(ApiError::unavailable)?
}

async fn list_errors(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let q =
        ListQuery::from_query_string(query.as_deref().unwrap_or("")).map_err(ApiError::invalid)?;
    let page = with_conn(&state, move |conn, now| {
        db::list(conn, &q, now).map_err(|e| match e {
            QueryError::Invalid(p) => ApiError::invalid(p),
            QueryError::Store(e) => ApiError::unavailable(e),
        })
    })
    .await?;
    Ok(json_no_store(&page))
}

async fn get_error(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    // An id that is not UTF-8 once decoded cannot name an error.
    let Ok(Path(id)) = id else {
        return Err(ApiError::not_found("This sync error no longer exists."));
    };
    let found = with_conn(&state, move |conn, now| {
        db::get(conn, &id, now).map_err(ApiError::unavailable)
    })
    .await?;
    match found {
        Some(error) => Ok(json_no_store(&error)),
        None => Err(ApiError::not_found("This sync error no longer exists.")),
    }
}

fn json_no_store<T: serde::Serialize>(value: &T) -> Response {
    let mut response = axum::Json(value).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        "no-store".parse().expect("static header"),
    );
    response
}
