//! Request extractors that turn malformed input into a clear 4xx (never a 500 or a panic).

use crate::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

/// A JSON body. Unknown fields, wrong types, broken UTF-8 and oversized bodies are refused with
/// a message saying what was wrong and where (line, column, field).
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|axum::Json(v)| Self(v))
            .map_err(json_rejection)
    }
}

/// The one mapping from axum's JSON rejections to `ApiError`.
pub(crate) fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
        JsonRejection::JsonDataError(e) => ApiError::Invalid {
            code: "INVALID_BODY",
            message: describe(&e.body_text()),
        },
        JsonRejection::JsonSyntaxError(e) => ApiError::Invalid {
            code: "MALFORMED_JSON",
            message: describe(&e.body_text()),
        },
        JsonRejection::BytesRejection(e) => {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge
            } else {
                ApiError::Invalid {
                    code: "UNREADABLE_BODY",
                    message: "the request body could not be read".into(),
                }
            }
        }
        _ => ApiError::Invalid {
            code: "INVALID_BODY",
            message: "the request body is not valid JSON for this endpoint".into(),
        },
    }
}

/// serde_json's messages say what and where ("unknown field `x`, expected one of … at line 1
/// column 9"); strip axum's prefix, which repeats the Rust type name.
fn describe(text: &str) -> String {
    let t = text
        .strip_prefix("Failed to deserialize the JSON body into the target type: ")
        .or_else(|| text.strip_prefix("Failed to parse the request body as JSON: "))
        .unwrap_or(text);
    format!("request body: {t}")
}

/// Parses a path id; anything malformed is simply "not found".
pub fn path_id<T, E>(raw: &str, parse: impl FnOnce(&str) -> Result<T, E>) -> Result<T, ApiError> {
    parse(raw).map_err(|_| ApiError::NotFound)
}
