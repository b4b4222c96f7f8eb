//! Idempotency keys for POST routes: a client that may retry sends `Idempotency-Key`; the first
//! response is stored with a hash of the request, per caller scope, for 24 hours, in the same
//! transaction as the change. A retry with the same key and the same request gets the stored
//! response (and creates nothing); the same key with a different request answers 422; a retry
//! that races the first request while it is still being written answers 409.
//!
//! The stored response is sealed with a key derived from the request itself (which is never
//! stored), so the table alone does not reveal responses such as a tipster's receipt code.

use crate::extract::json_rejection;
use crate::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::time::Duration;
use vigil_store::intake::{remember_response, IdempotentResponse};
use vigil_store::{StoreError, WriteCtx};

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// Set on a replayed response.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";
/// How long a key is remembered.
pub const TTL: Duration = Duration::from_secs(24 * 3600);
/// Longest key accepted.
pub const MAX_KEY_CHARS: usize = 128;

/// The `Idempotency-Key` of a request, if any: 1–128 visible ASCII characters.
pub fn key_from_headers(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(v) = headers.get(HEADER) else {
        return Ok(None);
    };
    let bad = || {
        ApiError::invalid(
            "Idempotency-Key header",
            format!("must be 1 to {MAX_KEY_CHARS} visible ASCII characters"),
        )
    };
    let s = v.to_str().map_err(|_| bad())?;
    if s.is_empty() || s.len() > MAX_KEY_CHARS || !s.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad());
    }
    Ok(Some(s.to_owned()))
}

/// A key read from the request, before the caller's scope is known.
#[derive(Clone)]
pub struct PendingKey {
    key: String,
    /// SHA-256 of method, path and body. Kept in memory only.
    request: [u8; 32],
}

/// A key bound to a caller scope: what is stored and looked up.
#[derive(Clone)]
pub struct Idem {
    scope: String,
    key: String,
    request_hash: String,
    seal: [u8; 32],
}

fn h(parts: &[&[u8]]) -> [u8; 32] {
    let mut d = Sha256::new();
    for p in parts {
        d.update((p.len() as u64).to_be_bytes());
        d.update(p);
    }
    d.finalize().into()
}

impl PendingKey {
    #[must_use]
    pub fn new(key: String, method: &str, path: &str, body: &[u8]) -> Self {
        let request = h(&[method.as_bytes(), path.as_bytes(), body]);
        Self { key, request }
    }

    /// Binds the key to a caller scope (`user:<id>`, or for anonymous tips the digest of the
    /// single-use token, so tipsters never share a key space).
    #[must_use]
    pub fn scoped(&self, scope: &str) -> Idem {
        let hash = h(&[
            b"vigil idempotency request v1",
            scope.as_bytes(),
            self.key.as_bytes(),
            &self.request,
        ]);
        let seal = h(&[
            b"vigil idempotency seal v1",
            scope.as_bytes(),
            self.key.as_bytes(),
            &self.request,
        ]);
        Idem {
            scope: scope.to_owned(),
            key: self.key.clone(),
            request_hash: hex::encode(hash),
            seal,
        }
    }
}

fn keystream_xor(seal: &[u8; 32], data: &mut [u8]) {
    for (i, chunk) in data.chunks_mut(32).enumerate() {
        let block = h(&[b"keystream", seal, &(i as u64).to_be_bytes()]);
        for (b, k) in chunk.iter_mut().zip(block) {
            *b ^= k;
        }
    }
}

fn tag(seal: &[u8; 32], ct: &[u8]) -> [u8; 32] {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(seal)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    m.update(ct);
    m.finalize().into_bytes().into()
}

fn seal(seal_key: &[u8; 32], plaintext: &[u8]) -> String {
    let mut ct = plaintext.to_vec();
    keystream_xor(seal_key, &mut ct);
    let t = tag(seal_key, &ct);
    format!("{}{}", hex::encode(&t[..16]), hex::encode(&ct))
}

fn unseal(seal_key: &[u8; 32], stored: &str) -> Option<Vec<u8>> {
    let raw = hex::decode(stored).ok()?;
    if raw.len() < 16 {
        return None;
    }
    let (t, ct) = raw.split_at(16);
    let want = tag(seal_key, ct);
    if want[..16].iter().zip(t).fold(0u8, |a, (x, y)| a | (x ^ y)) != 0 {
        return None;
    }
    let mut pt = ct.to_vec();
    keystream_xor(seal_key, &mut pt);
    Some(pt)
}

impl Idem {
    /// The record to store with the change.
    #[must_use]
    pub fn record(
        &self,
        status: StatusCode,
        body: &serde_json::Value,
        now: vigil_types::Timestamp,
    ) -> IdempotentResponse {
        IdempotentResponse {
            request_hash: self.request_hash.clone(),
            status: status.as_u16(),
            response: seal(&self.seal, body.to_string().as_bytes()),
            created_at: now,
        }
    }

    /// Stores the response in the change's transaction (call inside the write job).
    pub async fn remember(
        &self,
        ctx: &mut WriteCtx,
        status: StatusCode,
        body: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let now = ctx.now();
        let r = self.record(status, body, now);
        remember_response(ctx, &self.scope, &self.key, &r, expire_before(now)).await
    }
}

fn expire_before(now: vigil_types::Timestamp) -> vigil_types::Timestamp {
    vigil_types::Timestamp::from_unix_micros(
        now.unix_micros()
            .saturating_sub(i64::try_from(TTL.as_micros()).unwrap_or(i64::MAX)),
    )
}

/// A stored response to send again.
pub struct Replay {
    pub status: StatusCode,
    pub body: serde_json::Value,
}

impl IntoResponse for Replay {
    fn into_response(self) -> Response {
        let mut res = (self.status, axum::Json(self.body)).into_response();
        res.headers_mut()
            .insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
        res
    }
}

impl AppState {
    /// The stored response for this key, if the same request was made before; 422 if the key
    /// was used with a different request.
    pub async fn idempotent_replay(&self, idem: &Idem) -> Result<Option<Replay>, ApiError> {
        let not_before = expire_before(self.now());
        let Some(stored) = self
            .store
            .idempotent_response(&idem.scope, &idem.key, not_before)
            .await?
        else {
            return Ok(None);
        };
        if stored.request_hash != idem.request_hash {
            return Err(ApiError::Unprocessable(
                "this Idempotency-Key was already used with a different request; use a new key"
                    .into(),
            ));
        }
        let body = unseal(&idem.seal, &stored.response)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| ApiError::internal("idempotency", &StoreError::NotFound))?;
        let status = StatusCode::from_u16(stored.status)
            .map_err(|e| ApiError::internal("idempotency status", &e))?;
        Ok(Some(Replay { status, body }))
    }
}

/// A JSON body together with the request's `Idempotency-Key` (if sent). Same refusals as
/// `extract::Body`, plus 400 for a malformed key.
pub struct IdemBody<T> {
    pub body: T,
    pub key: Option<PendingKey>,
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for IdemBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let key = key_from_headers(req.headers())?;
        if !is_json(req.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let method = req.method().as_str().to_owned();
        let path = req.uri().path().to_owned();
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge
            } else {
                ApiError::Invalid {
                    code: "UNREADABLE_BODY",
                    message: "the request body could not be read".into(),
                }
            }
        })?;
        let axum::Json(body) = axum::Json::<T>::from_bytes(&bytes).map_err(json_rejection)?;
        let key = key.map(|k| PendingKey::new(k, &method, &path, &bytes));
        Ok(Self { body, key })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_responses_open_only_with_the_same_request() {
        let a = PendingKey::new("k1".into(), "POST", "/x", b"{\"a\":1}").scoped("user:1");
        let b = PendingKey::new("k1".into(), "POST", "/x", b"{\"a\":2}").scoped("user:1");
        let other_scope = PendingKey::new("k1".into(), "POST", "/x", b"{\"a\":1}").scoped("user:2");
        assert_ne!(a.request_hash, b.request_hash);
        assert_ne!(a.request_hash, other_scope.request_hash);
        let stored = seal(&a.seal, b"{\"receipt_code\":\"SECRET\"}");
        assert!(!stored.contains("SECRET"));
        assert_eq!(
            unseal(&a.seal, &stored).unwrap(),
            b"{\"receipt_code\":\"SECRET\"}"
        );
        assert!(unseal(&b.seal, &stored).is_none());
        assert!(unseal(&a.seal, "zz").is_none());
        assert!(unseal(&a.seal, "").is_none());
    }

    #[test]
    fn key_header_rules() {
        let mut h = HeaderMap::new();
        assert!(key_from_headers(&h).unwrap().is_none());
        h.insert(HEADER, HeaderValue::from_static("abc-123"));
        assert_eq!(key_from_headers(&h).unwrap().as_deref(), Some("abc-123"));
        h.insert(HEADER, HeaderValue::from_static("has space"));
        assert!(key_from_headers(&h).is_err());
        h.insert(HEADER, HeaderValue::from_str(&"k".repeat(129)).unwrap());
        assert!(key_from_headers(&h).is_err());
    }
}
