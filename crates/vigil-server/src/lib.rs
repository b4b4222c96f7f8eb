//! The HTTP surface of Vigil: JSON under `/api/v1`, built from one route registry in which every
//! route names its policy. Handlers authorise through `vigil_core::authorize` and write an audit
//! event for every read, change and denial. Only this crate knows HTTP.

mod access;
mod auth;
mod error;
mod extract;
mod headers;
mod openapi;
pub mod registry;
mod routes;
mod state;
pub mod wire;
// --- xref
pub mod xref;
// --- tips
pub mod idempotency;
pub mod tips;

pub use error::ApiError;
pub use state::{AppState, ServerConfig};
// --- evidence
#[cfg(feature = "failpoints")]
pub use state::Failpoints;
pub use state::DEFAULT_MAX_UPLOAD_BYTES;

use axum::Router;

/// Request bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The whole HTTP surface. `vigil serve` and every test use this.
pub fn router(state: AppState) -> Router {
    registry::routes()
        .into_router()
        .fallback(error::not_found_fallback)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(headers::security_headers))
        .with_state(state)
}

/// Serves `router(state)` on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
