//! `ApiError`: the only error handlers return, and the one error shape clients see:
//! `{"error": {"code": "...", "message": "...", "request_id": "..."}}`. Messages name the field
//! and what was wrong, never stored values; internal causes go to the server log only.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use vigil_store::StoreError;

/// An error at the HTTP edge.
#[derive(Debug)]
pub enum ApiError {
    /// 400: the request is malformed or a field is invalid.
    Invalid { code: &'static str, message: String },
    /// 401: no valid session or token.
    Unauthenticated {
        code: &'static str,
        message: &'static str,
    },
    /// 403: the caller may see the object but not do this.
    Forbidden { message: &'static str },
    /// 404: absent, or present but not visible to the caller (no existence oracle).
    NotFound,
    /// 409: a uniqueness rule.
    Conflict(String),
    /// 413: body too large.
    TooLarge,
    /// 415: the body is not JSON.
    UnsupportedMediaType,
    /// 422: well-formed, but a domain rule refused it.
    Unprocessable(String),
    /// 423: the account is locked.
    Locked,
    /// A privileged function needs the password and second factor again (IA-11).
    StepUpRequired,
    /// 500: logged with its cause; the client sees only the request id.
    Internal { request_id: String },
    /// 503: the store is shutting down.
    Unavailable,
    // --- tips
    /// 429: a rate limit; retry after this many seconds.
    TooManyRequests { retry_after_secs: u64 },
    // --- evidence
    /// 413: an upload larger than the configured limit.
    UploadTooLarge { limit: u64 },
    /// 415: an upload whose Content-Type is missing or not a single file's media type.
    UnsupportedUpload(&'static str),
    /// 503: the server was started without a setting this route needs.
    NotConfigured(&'static str),
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<&'a str>,
}

impl ApiError {
    pub fn invalid(field: &str, reason: impl std::fmt::Display) -> Self {
        Self::Invalid {
            code: "INVALID_FIELD",
            message: format!("{field}: {reason}"),
        }
    }

    /// Logs an internal error under a fresh request id and returns the 500 to send.
    pub fn internal(context: &str, err: &dyn std::error::Error) -> Self {
        let request_id = hex::encode(rand::random::<[u8; 8]>());
        let mut chain = err.to_string();
        let mut source = err.source();
        while let Some(s) = source {
            chain.push_str(": ");
            chain.push_str(&s.to_string());
            source = s.source();
        }
        // Store errors never carry row values, so the chain is safe to log.
        eprintln!("vigil: internal error request_id={request_id} in {context}: {chain}");
        Self::Internal { request_id }
    }

    fn parts(&self) -> (StatusCode, &str, String, Option<&str>) {
        match self {
            Self::Invalid { code, message } => (StatusCode::BAD_REQUEST, code, message.clone(), None),
            Self::Unauthenticated { code, message } => (StatusCode::UNAUTHORIZED, code, (*message).to_owned(), None),
            Self::Forbidden { message } => (StatusCode::FORBIDDEN, "FORBIDDEN", (*message).to_owned(), None),
            Self::NotFound => (StatusCode::NOT_FOUND, "NOT_FOUND", "no such record, or it is not shared with you".into(), None),
            Self::Conflict(m) => (StatusCode::CONFLICT, "CONFLICT", m.clone(), None),
            Self::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "BODY_TOO_LARGE", format!("the request body is larger than {} bytes", crate::MAX_BODY_BYTES), None),
            Self::UnsupportedMediaType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", "send the body as JSON with Content-Type: application/json".into(), None),
            Self::Unprocessable(m) => (StatusCode::UNPROCESSABLE_ENTITY, "RULE_VIOLATION", m.clone(), None),
            Self::StepUpRequired => (StatusCode::FORBIDDEN, "STEP_UP_REQUIRED", format!("this action needs your password and a new second-factor code from the last {} minutes: POST /api/v1/auth/step-up (API tokens cannot do this)", vigil_core::auth::session::STEP_UP_WINDOW.as_secs() / 60), None),
            Self::Locked => (StatusCode::LOCKED, "ACCOUNT_LOCKED", "this account is locked after repeated failed logons; ask a supervisor or administrator to unlock it".into(), None),
            Self::Internal { request_id } => (StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "something went wrong on the server; quote the request id when reporting it".into(), Some(request_id.as_str())),
            Self::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "UNAVAILABLE", "the server is shutting down; try again shortly".into(), None),
            // --- tips
            Self::TooManyRequests { retry_after_secs } => (StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED", format!("too many requests; try again in {retry_after_secs} s"), None),
            // --- evidence
            Self::UploadTooLarge { limit } => (StatusCode::PAYLOAD_TOO_LARGE, "UPLOAD_TOO_LARGE", format!("the upload is larger than this server's limit of {limit} bytes"), None),
            Self::UnsupportedUpload(m) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", (*m).to_owned(), None),
            Self::NotConfigured(m) => (StatusCode::SERVICE_UNAVAILABLE, "NOT_CONFIGURED", (*m).to_owned(), None),
        }
    }

    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.parts().0
    }

    /// The code and message a client sees, for edges that render them (the no-JavaScript pages
    /// of `vigil-web`).
    #[must_use]
    pub fn code_and_message(&self) -> (String, String) {
        let (_, code, message, _) = self.parts();
        (code.to_owned(), message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, request_id) = self.parts();
        let body = Body {
            error: Inner {
                code,
                message: &message,
                request_id,
            },
        };
        let mut res = (status, axum::Json(body)).into_response();
        // --- tips
        if let Self::TooManyRequests { retry_after_secs } = self {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(retry_after_secs),
            );
        }
        res
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict(rule) => Self::Conflict(format!("{rule} already exists")),
            StoreError::MissingReference => {
                Self::Unprocessable("the request refers to a record that does not exist".into())
            }
            StoreError::NotFound => Self::NotFound,
            StoreError::Rejected(m) => Self::Unprocessable(m),
            StoreError::WriterGone => Self::Unavailable,
            other => Self::internal("store", &other),
        }
    }
}

/// Unknown paths get the same JSON shape.
pub async fn not_found_fallback() -> ApiError {
    ApiError::NotFound
}
