//! `GET /health` and `GET /openapi.json`: the only routes that need no login besides the login.

use crate::wire::Health;
use axum::Json;

pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

pub async fn openapi() -> Json<serde_json::Value> {
    Json(crate::openapi::document())
}
