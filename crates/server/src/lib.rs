//! The reference backend of the Sync Errors tab: the API of `crates/api/openapi.yaml`,
//! the sign-in form, the built app with an SPA fallback, and demo data.

pub mod auth;
pub mod demo;
pub mod error;
pub mod handlers;
pub mod ingest;
pub mod ingest_cli;
pub mod security;
pub mod signin;
mod static_files;
pub mod store;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, DurationRound, Utc};
use tower_http::set_header::SetResponseHeaderLayer;

/// The server's clock: the system's, or a fixed time (tests, reproducible demos).
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    pub fixed: Option<DateTime<Utc>>,
}

impl Clock {
    /// Now, to the millisecond (the store's precision, and the contract's times).
    pub fn now(&self) -> DateTime<Utc> {
        let now = self.fixed.unwrap_or_else(Utc::now);
        now.duration_trunc(chrono::TimeDelta::milliseconds(1))
            .unwrap_or(now)
    }
}

pub struct AppState {
    /// Where the errors (and, on PostgreSQL, the sessions) are kept: SQLite or PostgreSQL.
    pub store: Arc<dyn store::Store>,
    pub auth: auth::Auth,
    pub clock: Clock,
    /// Mark the session cookie `Secure` (when served over TLS by a proxy).
    pub secure_cookies: bool,
    /// The built app (`dist/`); `None` serves the API and sign-in only.
    pub dist: Option<PathBuf>,
    /// The Content-Security-Policy and other headers on every response.
    pub security: security::Policy,
}

/// The whole HTTP surface.
pub fn router(state: Arc<AppState>) -> Router {
    let mut app = Router::new()
        .route("/signin", get(signin::form).post(signin::submit))
        .route("/signin.css", get(signin::stylesheet))
        .route("/signout", post(signin::sign_out))
        .with_state(state.clone())
        .nest("/api", handlers::router(state.clone()))
        // `nest` leaves the bare prefix with a slash to the fallback (the static files);
        // every path under /api answers in JSON.
        .route_service("/api/", handlers::no_such_path());
    if let Some(dist) = &state.dist {
        app = app.fallback_service(static_files::service(dist));
    }
    app.layer(SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        security::no_store,
    ))
    .layer(middleware::from_fn_with_state(state, security::headers))
    .layer(middleware::from_fn(log_request))
}

/// One log line per request: method, path, status, duration.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    tracing::info!(
        "{method} {path} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}

/// How often the retention task looks for errors that left the window.
pub const RETENTION_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// Deletes every error that failed before the window's start, a chunk per transaction (the
/// writer is let go between chunks, so ingestion waits for one chunk at most). Returns how
/// many it deleted.
pub async fn purge_expired(state: &AppState) -> Result<usize, store::StoreError> {
    let mut deleted = 0;
    loop {
        let n = state
            .store
            .purge_chunk(state.clock.now(), store::retention::CHUNK)
            .await?;
        deleted += n;
        if n < store::retention::CHUNK {
            return Ok(deleted);
        }
    }
}

/// The retention task: every `every`, deletes the errors that left the window (they have
/// vanished from every answer already: the queries are clamped to the window). With the
/// default of 30 s, an error is deleted within a minute of leaving the window.
pub fn spawn_retention(
    state: Arc<AppState>,
    every: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match purge_expired(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("retention: deleted {n} errors older than the window"),
                Err(e) => tracing::warn!("retention: {e}; trying again in {every:?}"),
            }
        }
    })
}

/// Resolves when the process is asked to stop (SIGINT or SIGTERM).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
