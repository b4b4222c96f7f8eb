//! API tokens for automation: created from an interactive session, scoped, expiring, revocable.

use crate::access::{draft, Object};
use crate::auth::{Authed, Credential};
use crate::extract::{path_id, Body};
use crate::wire::{CreateToken, CreatedToken, List, TokenOut};
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use std::time::Duration;
use vigil_audit::Outcome;
use vigil_core::auth::secret::BearerSecret;
use vigil_core::{Action, Target, TokenScope};
use vigil_store::sessions::{self, ApiToken};
use vigil_types::{DisplayText, TokenId};

fn token_out(t: &ApiToken) -> TokenOut {
    TokenOut {
        id: t.id.to_string(),
        name: t.name.clone(),
        scope: match t.scope {
            TokenScope::Full => "full".into(),
            TokenScope::ReadOnly => "read".into(),
        },
        created_at: t.created_at.to_rfc3339(),
        expires_at: t.expires_at.to_rfc3339(),
        revoked: t.revoked,
    }
}

pub async fn list(
    State(app): State<AppState>,
    who: Authed,
) -> Result<Json<List<TokenOut>>, ApiError> {
    let object = Object::with_id("user", who.actor.user, Some(who.actor.agency));
    app.check(&who, Action::ListOwnTokens, Target::TaskForce, &object)
        .await?;
    let items = app
        .store
        .api_tokens_of(who.actor.user)
        .await?
        .iter()
        .map(token_out)
        .collect();
    app.audit(
        &who,
        draft(&who, "token.list", &object, Outcome::Success, ""),
    )
    .await?;
    Ok(Json(List { items }))
}

pub async fn create(
    State(app): State<AppState>,
    who: Authed,
    Body(req): Body<CreateToken>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let object = Object::with_id("user", who.actor.user, Some(who.actor.agency));
    app.check(&who, Action::ManageOwnTokens, Target::TaskForce, &object)
        .await?;
    if !matches!(who.credential, Credential::Session { .. }) {
        app.audit(
            &who,
            draft(
                &who,
                "token.create",
                &object,
                Outcome::Denied,
                "token_cannot_mint_tokens",
            ),
        )
        .await?;
        return Err(ApiError::Forbidden {
            message: "API tokens are created from an interactive session, not from another token",
        });
    }
    let name = DisplayText::parse(&req.name, 80).map_err(|e| ApiError::invalid("name", e))?;
    let scope = match req.scope.as_str() {
        "read" => TokenScope::ReadOnly,
        "full" => TokenScope::Full,
        _ => return Err(ApiError::invalid("scope", "must be `read` or `full`")),
    };
    if !(1..=365).contains(&req.days) {
        return Err(ApiError::invalid("days", "must be between 1 and 365"));
    }
    let secret = BearerSecret::generate("vt", &mut rand::rngs::OsRng);
    let now = app.now();
    let token = ApiToken {
        id: TokenId::new_random(),
        token_hash: secret.digest(),
        user_id: who.actor.user,
        name: name.into_string(),
        scope,
        created_at: now,
        expires_at: now.plus(Duration::from_secs(u64::from(req.days) * 86_400)),
        revoked: false,
    };
    let out = token_out(&token);
    let d = draft(
        &who,
        "token.create",
        &Object::with_id("token", token.id, Some(who.actor.agency)),
        Outcome::Success,
        out.scope.clone(),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = sessions::insert_token(&mut ctx, &token).await;
        (ctx, r)
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            token: out,
            secret: secret.expose().into(),
        }),
    ))
}

pub async fn revoke(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&raw, TokenId::parse)?;
    let object = Object::with_id("token", id, Some(who.actor.agency));
    app.check(&who, Action::ManageOwnTokens, Target::TaskForce, &object)
        .await?;
    let user = who.actor.user;
    app.audited(
        &who,
        draft(&who, "token.revoke", &object, Outcome::Success, ""),
        move |mut ctx| async move {
            let r = sessions::revoke_token(&mut ctx, user, id).await;
            (ctx, r)
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
