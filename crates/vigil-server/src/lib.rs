//! The HTTP surface of Vigil: JSON under `/api/v1`, built from one route registry in which every
//! route names its policy. Handlers authorise through `vigil_core::authorize` and write an audit
//! event for every read, change and denial. Only this crate knows HTTP.

mod access;
mod auth;
mod error;
mod extract;
mod headers;
pub mod housekeeping;
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
pub mod court;
// --- vault: victims in case content (entity routes, link chart)
mod victim_view;

use axum::Router;

/// Request bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The whole API surface. The API tests use this.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new(), error::not_found_fallback)
}

/// The API plus `extra` routes that are not part of it (the browser workspace, `vigil-web`), all
/// under the same security headers and body limit. `fallback` answers paths nobody declared; it
/// must answer `/api/` paths with the API's JSON 404 (`ApiError::NotFound`).
pub fn router_with<H, T>(state: AppState, extra: Router<AppState>, fallback: H) -> Router
where
    H: axum::handler::Handler<T, AppState>,
    T: 'static,
{
    registry::routes()
        .into_router()
        .merge(extra)
        .fallback(fallback)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(headers::security_headers))
        .with_state(state)
}

/// Serves `app` (from `router` or `router_with`) on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
