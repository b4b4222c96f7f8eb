//! Public tip routes (T1, T2): challenge, submission, and the tipster's follow-up with the
//! receipt code in the body. The logic lives in `crate::tips` so the tip page shares it.

use crate::extract::Body;
use crate::idempotency::IdemBody;
use crate::tips::{self, Submitted};
use crate::wire::{TipChallenge, TipCodeRequest, TipFollowUp, TipSubmission, TipThread};
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

pub async fn challenge(State(app): State<AppState>) -> Result<Json<TipChallenge>, ApiError> {
    let c = tips::issue_challenge(&app)?;
    Ok(Json(TipChallenge {
        challenge: c.challenge,
        difficulty_bits: c.difficulty_bits,
        expires_at: c.expires_at.to_rfc3339(),
    }))
}

pub async fn submit(
    State(app): State<AppState>,
    req: IdemBody<TipSubmission>,
) -> Result<Response, ApiError> {
    let (proof, input) = tips::from_wire(&app, req.body)?;
    match tips::submit(&app, proof, input, req.key.as_ref()).await? {
        Submitted::Created(receipt) => Ok((StatusCode::CREATED, Json(receipt)).into_response()),
        Submitted::Replayed(r) => Ok(r.into_response()),
    }
}

pub async fn status(
    State(app): State<AppState>,
    Body(req): Body<TipCodeRequest>,
) -> Result<Json<TipThread>, ApiError> {
    tips::thread(&app, &req.receipt_code).await.map(Json)
}

pub async fn add_message(
    State(app): State<AppState>,
    Body(req): Body<TipFollowUp>,
) -> Result<StatusCode, ApiError> {
    tips::add_information(&app, &req.receipt_code, &req.text).await?;
    Ok(StatusCode::CREATED)
}
