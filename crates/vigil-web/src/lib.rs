//! The browser workspace served by `vigil serve`: HTML shells and our own ES modules (embedded in
//! the binary) that call `/api/v1` with the session cookie and `X-CSRF-Token` like any other
//! client, so the API's one policy decides everything a page shows. The UI holds no access rules.
//! The only server-rendered forms are public ones that must work without JavaScript.

mod assets;
mod html;
mod pages;

use axum::http::{header, HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use vigil_server::{ApiError, AppState};

pub use assets::{asset, Asset, ASSETS};
pub use pages::{Page, PAGES};

/// Every web route: page shells and static assets. Merge with the API through
/// `vigil_server::router_with(state, vigil_web::routes(), vigil_web::not_found)`.
#[must_use]
pub fn routes() -> Router<AppState> {
    pages::routes().merge(assets::routes())
}

/// Unknown paths: the API's JSON 404 under `/api/` and for non-browser clients, a small HTML
/// page otherwise.
pub async fn not_found(uri: Uri, headers: HeaderMap) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if uri.path().starts_with("/api/") || !wants_html {
        return ApiError::NotFound.into_response();
    }
    pages::not_found_page()
}
