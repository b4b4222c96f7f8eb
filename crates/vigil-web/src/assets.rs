//! Static assets compiled into the binary (`include_bytes!`): stylesheet, ES modules, icons.
//! Nothing is fetched from elsewhere at run time. Served with an ETag and `no-cache`, so a
//! browser revalidates cheaply and never runs a stale module after an upgrade.

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::OnceLock;
use vigil_server::AppState;

/// One embedded file, served at `/static/{path}`.
#[derive(Debug)]
pub struct Asset {
    pub path: &'static str,
    pub bytes: &'static [u8],
}

macro_rules! assets {
    ($($p:literal),* $(,)?) => {
        /// Every embedded file.
        pub static ASSETS: &[Asset] = &[
            $(Asset { path: $p, bytes: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/", $p)) },)*
        ];
    };
}

assets!(
    "css/vigil.css",
    "img/favicon.svg",
    "js/api.js",
    "js/step-up.js",
    "js/ui.js",
    "js/shell.js",
    "js/login-flow.js",
    "js/entity-form.js",
    "js/xref.js",
    "js/pages/login.js",
    "js/pages/home.js",
    "js/pages/cases.js",
    "js/pages/case.js",
    "js/pages/entity.js",
    "js/pages/admin.js",
    "js/pages/audit.js",
    "js/pages/account.js",
    "js/pages/chart.js",
    "js/pages/triage.js",
    "js/pages/vault.js",
    "js/chart/graph.js",
    "js/chart/layout.js",
    "js/chart/view.js",
    "js/chart/export.js",
);

/// The embedded file at `path`, if any.
#[must_use]
pub fn asset(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.path == path)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, e)| e) {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

fn etags() -> &'static HashMap<&'static str, String> {
    static TAGS: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    TAGS.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| {
                let d = Sha256::digest(a.bytes);
                (a.path, format!("\"{}\"", hex::encode(&d[..12])))
            })
            .collect()
    })
}

async fn serve(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let Some(a) = asset(&path) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let tag = etags().get(a.path).cloned().unwrap_or_default();
    let mut res = if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == tag)
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, content_type(a.path))], a.bytes).into_response()
    };
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    res
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/static/{*path}", get(serve))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_has_a_known_content_type_and_a_unique_path() {
        let mut seen = std::collections::HashSet::new();
        for a in ASSETS {
            assert_ne!(
                content_type(a.path),
                "application/octet-stream",
                "{}",
                a.path
            );
            assert!(seen.insert(a.path), "{} listed twice", a.path);
            assert!(!a.bytes.is_empty(), "{} is empty", a.path);
        }
    }
}
