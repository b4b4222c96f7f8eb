//! Logging in (password, then TOTP or TOTP enrolment), logging out, the session, password change.

use crate::access::{draft, Object};
use crate::auth::{session_cookie, Authed, Credential, PendingLogin};
use crate::extract::Body;
use crate::wire::{
    Banner, LoginRequest, LoginStep, Me, PasswordChange, StepUpDone, StepUpRequest, TotpEnrolment,
    TotpRequest,
};
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use axum::Json;
use vigil_audit::Outcome;
use vigil_core::auth::lockout::Lockout;
use vigil_core::auth::password;
use vigil_core::auth::secret::BearerSecret;
use vigil_core::auth::session::IDLE_LIMIT;
use vigil_core::auth::totp::TotpSecret;
use vigil_store::sessions::{self, Session, Stage};
use vigil_store::users::{self, User};
use vigil_store::AuditDraft;
use vigil_types::Username;

fn login_failed() -> ApiError {
    ApiError::Unauthenticated {
        code: "LOGIN_FAILED",
        message: "username or password is wrong",
    }
}

fn user_draft(user: Option<&User>, action: &str, outcome: Outcome, detail: &str) -> AuditDraft {
    AuditDraft {
        actor_user: user.map(|u| u.id),
        actor_agency: user.map(|u| u.agency_id),
        action: action.into(),
        object_kind: "user".into(),
        object_id: user.map(|u| u.id.to_string()),
        object_agency: user.map(|u| u.agency_id),
        outcome,
        detail: detail.into(),
    }
}

async fn audit_only(app: &AppState, d: AuditDraft) -> Result<(), ApiError> {
    app.store
        .write(move |mut ctx| async move {
            let r = ctx.audit(d).await.map(|_| ());
            (ctx, r)
        })
        .await
        .map_err(ApiError::from)
}

/// Argon2 is deliberately slow: keep it off the async workers.
async fn verify_password(password: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || password::verify(&password, &phc))
        .await
        .unwrap_or(false)
}

fn step_response(
    app: &AppState,
    stage: Stage,
    token: &BearerSecret,
    csrf: &BearerSecret,
) -> Response {
    let stage = match stage {
        Stage::SecondFactor => "second_factor",
        Stage::Enrol => "enrol",
        Stage::Full => "complete",
    };
    let body = LoginStep {
        stage: stage.into(),
        token: token.expose().into(),
        csrf_token: csrf.expose().into(),
    };
    (
        [(SET_COOKIE, session_cookie(app, Some(token.expose())))],
        Json(body),
    )
        .into_response()
}

fn new_session(
    user: &User,
    stage: Stage,
    now: vigil_types::Timestamp,
) -> (Session, BearerSecret, BearerSecret) {
    let mut rng = rand::rngs::OsRng;
    let token = BearerSecret::generate("vs", &mut rng);
    let csrf = BearerSecret::generate("vc", &mut rng);
    let s = Session {
        token_hash: token.digest(),
        user_id: user.id,
        csrf_hash: csrf.digest(),
        stage,
        created_at: now,
        last_seen_at: now,
        ended: false,
        auth_at: (stage == Stage::Full).then_some(now),
    };
    (s, token, csrf)
}

/// Records a failed logon step and, at the fifth, the lockout (AC-7).
async fn record_failure(
    app: &AppState,
    user: &User,
    action: &'static str,
    detail: &'static str,
) -> Result<(), ApiError> {
    let next = user.lockout.after_failure(app.now());
    let (id, u) = (user.id, user.clone());
    app.store
        .write(move |mut ctx| async move {
            let r = async {
                users::set_lockout(&mut ctx, id, next).await?;
                ctx.audit(user_draft(Some(&u), action, Outcome::Failed, detail))
                    .await?;
                if next.locked {
                    ctx.audit(user_draft(
                        Some(&u),
                        "auth.lockout",
                        Outcome::Success,
                        "five_failures",
                    ))
                    .await?;
                }
                Ok(())
            }
            .await;
            (ctx, r)
        })
        .await
        .map_err(ApiError::from)
}

pub async fn banner(State(app): State<AppState>) -> Json<Banner> {
    Json(Banner {
        banner: app.config.banner.clone(),
    })
}

pub async fn login(
    State(app): State<AppState>,
    Body(req): Body<LoginRequest>,
) -> Result<Response, ApiError> {
    if !req.acknowledge_banner {
        return Err(ApiError::invalid(
            "acknowledge_banner",
            "the system-use notice (GET /api/v1/auth/banner) must be acknowledged",
        ));
    }
    let user = match Username::parse(&req.username) {
        Ok(name) => app.store.user_by_username(&name).await?,
        Err(_) => None,
    };
    let Some(user) = user else {
        // Spend the same time as a real check so timing does not reveal which usernames exist.
        verify_password(req.password, password::dummy_hash().into()).await;
        audit_only(
            &app,
            user_draft(None, "auth.password", Outcome::Failed, "unknown_user"),
        )
        .await?;
        return Err(login_failed());
    };
    let ok = verify_password(req.password, user.password_hash.clone()).await;
    if user.disabled {
        audit_only(
            &app,
            user_draft(Some(&user), "auth.password", Outcome::Failed, "disabled"),
        )
        .await?;
        return Err(login_failed());
    }
    if user.lockout.locked {
        audit_only(
            &app,
            user_draft(Some(&user), "auth.password", Outcome::Failed, "locked"),
        )
        .await?;
        return Err(if ok { ApiError::Locked } else { login_failed() });
    }
    if !ok {
        record_failure(&app, &user, "auth.password", "wrong_password").await?;
        return Err(login_failed());
    }
    let stage = if user.totp_secret.is_some() {
        Stage::SecondFactor
    } else {
        Stage::Enrol
    };
    let (session, token, csrf) = new_session(&user, stage, app.now());
    let u = user.clone();
    app.store
        .write(move |mut ctx| async move {
            let r = async {
                users::set_lockout(&mut ctx, u.id, Lockout::default()).await?;
                sessions::insert_session(&mut ctx, &session).await?;
                ctx.audit(user_draft(
                    Some(&u),
                    "auth.password",
                    Outcome::Success,
                    stage.as_str(),
                ))
                .await?;
                Ok(())
            }
            .await;
            (ctx, r)
        })
        .await?;
    Ok(step_response(&app, stage, &token, &csrf))
}

/// Replaces the pending session by a full one (a new id on privilege change, ASVS 7.2.4).
async fn complete_login(
    app: &AppState,
    pending: &PendingLogin,
    step: i64,
    enrolment: bool,
) -> Result<Response, ApiError> {
    let (session, token, csrf) = new_session(&pending.user, Stage::Full, app.now());
    let (u, old) = (pending.user.clone(), pending.session.token_hash.clone());
    app.store
        .write(move |mut ctx| async move {
            let r = async {
                if enrolment {
                    users::confirm_totp(&mut ctx, u.id, step).await?;
                    ctx.audit(user_draft(
                        Some(&u),
                        "auth.mfa_enrolled",
                        Outcome::Success,
                        "totp",
                    ))
                    .await?;
                } else {
                    users::use_totp_step(&mut ctx, u.id, step).await?;
                }
                sessions::end(&mut ctx, &old).await?;
                sessions::insert_session(&mut ctx, &session).await?;
                let now = ctx.now();
                users::set_last_login(&mut ctx, u.id, now).await?;
                ctx.audit(user_draft(Some(&u), "auth.login", Outcome::Success, "totp"))
                    .await?;
                Ok(())
            }
            .await;
            (ctx, r)
        })
        .await?;
    Ok(step_response(app, Stage::Full, &token, &csrf))
}

pub async fn totp(
    State(app): State<AppState>,
    pending: PendingLogin,
    Body(req): Body<TotpRequest>,
) -> Result<Response, ApiError> {
    if pending.session.stage != Stage::SecondFactor {
        return Err(ApiError::Unprocessable(
            "this account has no second factor yet: enrol first (POST /api/v1/auth/totp/enrol)"
                .into(),
        ));
    }
    let secret = enrolled_totp(&pending.user, "totp")?;
    match secret.verify(&req.code, app.now(), pending.user.totp_last_step) {
        Ok(step) => complete_login(&app, &pending, step, false).await,
        Err(e) => {
            record_failure(&app, &pending.user, "auth.totp", "wrong_code").await?;
            Err(ApiError::Unauthenticated {
                code: "SECOND_FACTOR_FAILED",
                message: totp_message(&e),
            })
        }
    }
}

/// The user's confirmed TOTP secret; an unreadable one is a server fault (`context` names the
/// step for the log).
fn enrolled_totp(user: &User, context: &'static str) -> Result<TotpSecret, ApiError> {
    user.totp_secret
        .as_deref()
        .and_then(TotpSecret::from_base32)
        .ok_or_else(|| {
            ApiError::internal(
                context,
                &std::io::Error::other("stored TOTP secret unreadable"),
            )
        })
}

fn totp_message(e: &vigil_core::auth::totp::TotpError) -> &'static str {
    use vigil_core::auth::totp::TotpError;
    match e {
        TotpError::Malformed => "the code must be 6 digits",
        TotpError::Wrong => "the code is wrong or expired",
        TotpError::Replayed => "the code was already used; wait for the next one",
    }
}

pub async fn enrol(
    State(app): State<AppState>,
    pending: PendingLogin,
) -> Result<Json<TotpEnrolment>, ApiError> {
    if pending.session.stage != Stage::Enrol {
        return Err(ApiError::Unprocessable(
            "this account already has a second factor".into(),
        ));
    }
    let secret = TotpSecret::generate(&mut rand::rngs::OsRng);
    let b32 = secret.to_base32();
    let (u, stored) = (pending.user.clone(), b32.clone());
    app.store
        .write(move |mut ctx| async move {
            let r = async {
                users::set_totp_pending(&mut ctx, u.id, &stored).await?;
                ctx.audit(user_draft(
                    Some(&u),
                    "auth.mfa_enrol_start",
                    Outcome::Success,
                    "totp",
                ))
                .await?;
                Ok(())
            }
            .await;
            (ctx, r)
        })
        .await?;
    let uri = secret.otpauth_uri("Vigil", pending.user.username.as_str());
    Ok(Json(TotpEnrolment {
        secret_base32: b32,
        otpauth_uri: uri,
    }))
}

pub async fn confirm(
    State(app): State<AppState>,
    pending: PendingLogin,
    Body(req): Body<TotpRequest>,
) -> Result<Response, ApiError> {
    if pending.session.stage != Stage::Enrol {
        return Err(ApiError::Unprocessable(
            "this account already has a second factor".into(),
        ));
    }
    let secret = pending
        .user
        .totp_pending_secret
        .as_deref()
        .and_then(TotpSecret::from_base32)
        .ok_or_else(|| {
            ApiError::Unprocessable("start enrolment first (POST /api/v1/auth/totp/enrol)".into())
        })?;
    match secret.verify(&req.code, app.now(), None) {
        Ok(step) => complete_login(&app, &pending, step, true).await,
        Err(e) => {
            record_failure(&app, &pending.user, "auth.mfa_enrol", "wrong_code").await?;
            Err(ApiError::Unauthenticated {
                code: "SECOND_FACTOR_FAILED",
                message: totp_message(&e),
            })
        }
    }
}

pub async fn logout(State(app): State<AppState>, who: Authed) -> Result<Response, ApiError> {
    let Credential::Session { token_hash } = who.credential.clone() else {
        let object = Object::with_id("user", who.actor.user, Some(who.actor.agency));
        app.audit(
            &who,
            draft(&who, "auth.logout", &object, Outcome::Failed, "api_token"),
        )
        .await?;
        return Err(ApiError::Unprocessable(
            "API tokens are revoked with DELETE /api/v1/tokens/{id}, not logged out".into(),
        ));
    };
    let d = draft(
        &who,
        "auth.logout",
        &Object::with_id("user", who.actor.user, Some(who.actor.agency)),
        Outcome::Success,
        "",
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = sessions::end(&mut ctx, &token_hash).await;
        (ctx, r)
    })
    .await?;
    Ok((
        [(SET_COOKIE, session_cookie(&app, None))],
        axum::http::StatusCode::NO_CONTENT,
    )
        .into_response())
}

pub async fn session(State(app): State<AppState>, who: Authed) -> Result<Json<Me>, ApiError> {
    let user = app
        .store
        .user(who.actor.user)
        .await?
        .ok_or(ApiError::NotFound)?;
    let agency = app
        .store
        .agency(user.agency_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let expires = match who.session_hash() {
        Some(h) => app.store.session(h).await?.map(|s| {
            s.created_at
                .plus(vigil_core::auth::session::ABSOLUTE_LIMIT)
                .to_rfc3339()
        }),
        None => None,
    };
    let me = Me {
        user: super::user_out(&user),
        agency: super::agency_out(&agency),
        idle_timeout_seconds: IDLE_LIMIT.as_secs(),
        session_expires_at: expires,
    };
    app.audit(
        &who,
        draft(
            &who,
            "auth.session",
            &Object::with_id("user", who.actor.user, Some(who.actor.agency)),
            Outcome::Success,
            "",
        ),
    )
    .await?;
    Ok(Json(me))
}

/// Step-up re-authentication (IA-11): the password and a new TOTP code, entered again in this
/// session, open privileged functions for `STEP_UP_WINDOW`. Failures count toward the lockout.
pub async fn step_up(
    State(app): State<AppState>,
    who: Authed,
    Body(req): Body<StepUpRequest>,
) -> Result<Json<StepUpDone>, ApiError> {
    let object = Object::with_id("user", who.actor.user, Some(who.actor.agency));
    let Credential::Session { token_hash } = who.credential.clone() else {
        app.audit(
            &who,
            draft(&who, "auth.step_up", &object, Outcome::Denied, "api_token"),
        )
        .await?;
        return Err(ApiError::Forbidden {
            message: "API tokens cannot step up: privileged functions need an interactive session",
        });
    };
    let user = app
        .store
        .user(who.actor.user)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !verify_password(req.password, user.password_hash.clone()).await {
        record_failure(&app, &user, "auth.step_up", "wrong_password").await?;
        return Err(ApiError::invalid("password", "is wrong"));
    }
    let secret = enrolled_totp(&user, "step_up")?;
    let step = match secret.verify(&req.code, app.now(), user.totp_last_step) {
        Ok(step) => step,
        Err(e) => {
            record_failure(&app, &user, "auth.step_up", "wrong_code").await?;
            return Err(ApiError::invalid("code", totp_message(&e)));
        }
    };
    let d = draft(&who, "auth.step_up", &object, Outcome::Success, "");
    let id = user.id;
    let at = app
        .audited(&who, d, move |mut ctx| async move {
            let now = ctx.now();
            let r = async {
                users::use_totp_step(&mut ctx, id, step).await?;
                users::set_lockout(&mut ctx, id, Lockout::default()).await?;
                sessions::step_up(&mut ctx, &token_hash, now).await?;
                Ok(now)
            }
            .await;
            (ctx, r)
        })
        .await?;
    Ok(Json(StepUpDone {
        step_up_expires_at: at
            .plus(vigil_core::auth::session::STEP_UP_WINDOW)
            .to_rfc3339(),
    }))
}

pub async fn change_password(
    State(app): State<AppState>,
    who: Authed,
    Body(req): Body<PasswordChange>,
) -> Result<axum::http::StatusCode, ApiError> {
    if !matches!(who.credential, Credential::Session { .. }) {
        let object = Object::with_id("user", who.actor.user, Some(who.actor.agency));
        app.audit(
            &who,
            draft(
                &who,
                "auth.password_change",
                &object,
                Outcome::Denied,
                "api_token",
            ),
        )
        .await?;
        return Err(ApiError::Forbidden {
            message: "passwords are changed in an interactive session, not with an API token",
        });
    }
    let user = app
        .store
        .user(who.actor.user)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !verify_password(req.current_password, user.password_hash.clone()).await {
        record_failure(&app, &user, "auth.password_change", "wrong_password").await?;
        return Err(ApiError::invalid("current_password", "is wrong"));
    }
    password::check_policy(&req.new_password, user.username.as_str())
        .map_err(|e| ApiError::invalid("new_password", e))?;
    let phc = tokio::task::spawn_blocking(move || {
        password::hash(&req.new_password, &mut rand::rngs::OsRng)
    })
    .await
    .map_err(|e| ApiError::internal("password hash task", &e))?
    .map_err(|e| ApiError::internal("password hash", &e))?;
    let id = user.id;
    let d = draft(
        &who,
        "auth.password_change",
        &Object::with_id("user", id, Some(user.agency_id)),
        Outcome::Success,
        "",
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = users::set_password(&mut ctx, id, &phc).await;
        (ctx, r)
    })
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
