//! Agencies and user accounts: creation, the directory, unlock and disable.

use crate::access::{draft, Object};
use crate::auth::Authed;
use crate::extract::{path_id, Body};
use crate::wire::{AgencyOut, CreateAgency, CreateUser, CreatedUser, List, UserOut};
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use vigil_audit::Outcome;
use vigil_core::auth::lockout::Lockout;
use vigil_core::auth::password;
use vigil_core::{Action, AgencyKind, Role, Target};
use vigil_store::agencies::{self, Agency};
use vigil_store::users::{self, User};
use vigil_types::{AgencyId, DisplayText, UserId, Username};

pub async fn list_agencies(
    State(app): State<AppState>,
    who: Authed,
) -> Result<Json<List<AgencyOut>>, ApiError> {
    let object = Object::task_force("agency");
    app.check(&who, Action::ListAgencies, Target::TaskForce, &object)
        .await?;
    let items: Vec<AgencyOut> = app
        .store
        .agencies()
        .await?
        .iter()
        .map(super::agency_out)
        .collect();
    app.audit(
        &who,
        draft(
            &who,
            "agency.list",
            &object,
            Outcome::Success,
            format!("count={}", items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

pub async fn create_agency(
    State(app): State<AppState>,
    who: Authed,
    Body(req): Body<CreateAgency>,
) -> Result<(StatusCode, Json<AgencyOut>), ApiError> {
    app.check(
        &who,
        Action::CreateAgency,
        Target::TaskForce,
        &Object::task_force("agency"),
    )
    .await?;
    let name = DisplayText::parse(&req.name, 200).map_err(|e| ApiError::invalid("name", e))?;
    let code = req.short_code.trim().to_ascii_uppercase();
    if !(2..=12).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(ApiError::invalid(
            "short_code",
            "must be 2 to 12 letters or digits",
        ));
    }
    let kind = AgencyKind::parse(&req.kind).map_err(|e| ApiError::invalid("kind", e))?;
    let agency = Agency {
        id: AgencyId::new_random(),
        name: name.into_string(),
        short_code: code,
        kind,
        created_at: app.now(),
    };
    let out = super::agency_out(&agency);
    let d = draft(
        &who,
        "agency.create",
        &Object::with_id("agency", agency.id, Some(agency.id)),
        Outcome::Success,
        kind.as_str(),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = agencies::insert(&mut ctx, &agency).await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

pub async fn list_users(
    State(app): State<AppState>,
    who: Authed,
) -> Result<Json<List<UserOut>>, ApiError> {
    let object = Object::task_force("user");
    app.check(&who, Action::ListUsers, Target::TaskForce, &object)
        .await?;
    let items: Vec<UserOut> = app
        .store
        .users(None)
        .await?
        .iter()
        .map(super::user_out)
        .collect();
    app.audit(
        &who,
        draft(
            &who,
            "user.list",
            &object,
            Outcome::Success,
            format!("count={}", items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

pub async fn create_user(
    State(app): State<AppState>,
    who: Authed,
    Body(req): Body<CreateUser>,
) -> Result<(StatusCode, Json<CreatedUser>), ApiError> {
    app.check(
        &who,
        Action::CreateUser,
        Target::TaskForce,
        &Object::task_force("user"),
    )
    .await?;
    let username = Username::parse(&req.username).map_err(|e| ApiError::invalid("username", e))?;
    let display = DisplayText::parse(&req.display_name, 120)
        .map_err(|e| ApiError::invalid("display_name", e))?;
    let role = Role::parse(&req.role).map_err(|e| ApiError::invalid("role", e))?;
    let agency_id =
        AgencyId::parse(&req.agency_id).map_err(|e| ApiError::invalid("agency_id", e))?;
    if app.store.agency(agency_id).await?.is_none() {
        return Err(ApiError::invalid("agency_id", "no such agency"));
    }
    let initial = password::generate_initial(&mut rand::rngs::OsRng);
    let pw = initial.clone();
    let phc = tokio::task::spawn_blocking(move || password::hash(&pw, &mut rand::rngs::OsRng))
        .await
        .map_err(|e| ApiError::internal("password hash task", &e))?
        .map_err(|e| ApiError::internal("password hash", &e))?;
    let user = User {
        id: UserId::new_random(),
        agency_id,
        username,
        display_name: display.into_string(),
        role,
        password_hash: phc,
        totp_secret: None,
        totp_pending_secret: None,
        totp_last_step: None,
        lockout: Lockout::default(),
        disabled: false,
        created_at: app.now(),
        last_login_at: None,
    };
    let out = super::user_out(&user);
    let d = draft(
        &who,
        "user.create",
        &Object::with_id("user", user.id, Some(agency_id)),
        Outcome::Success,
        role.as_str(),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = users::insert(&mut ctx, &user).await;
        (ctx, r)
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedUser {
            user: out,
            initial_password: initial,
        }),
    ))
}

async fn target_user(app: &AppState, raw: &str) -> Result<User, ApiError> {
    let id = path_id(raw, UserId::parse)?;
    app.store.user(id).await?.ok_or(ApiError::NotFound)
}

/// What an administrator (or, for unlocking, a supervisor) does to an account.
#[derive(Clone, Copy)]
enum AccountChange {
    Unlock,
    Enable,
    Disable,
}

impl AccountChange {
    const fn action(self) -> Action {
        match self {
            Self::Unlock => Action::UnlockUser,
            Self::Enable => Action::EnableUser,
            Self::Disable => Action::DisableUser,
        }
    }

    /// The audit detail recorded with the change.
    const fn detail(self) -> &'static str {
        match self {
            Self::Disable => "sessions_and_tokens_ended",
            Self::Unlock | Self::Enable => "",
        }
    }
}

/// Loads the account, asks the policy, applies `change` with its audit event, and answers with
/// the account as it is afterwards.
async fn change_account(
    app: &AppState,
    who: &Authed,
    raw: &str,
    change: AccountChange,
) -> Result<Json<UserOut>, ApiError> {
    let user = target_user(app, raw).await?;
    let object = Object::with_id("user", user.id, Some(user.agency_id));
    let action = change.action();
    app.check(
        who,
        action,
        Target::UserIn {
            agency: user.agency_id,
        },
        &object,
    )
    .await?;
    if matches!(change, AccountChange::Disable) && user.id == who.actor.user {
        return Err(ApiError::Unprocessable(
            "you cannot disable your own account".into(),
        ));
    }
    let id = user.id;
    app.audited(
        who,
        draft(
            who,
            action.as_str(),
            &object,
            Outcome::Success,
            change.detail(),
        ),
        move |mut ctx| async move {
            let r = match change {
                AccountChange::Unlock => users::unlock(&mut ctx, id).await,
                AccountChange::Enable => users::enable(&mut ctx, id).await,
                AccountChange::Disable => users::disable(&mut ctx, id).await,
            };
            (ctx, r)
        },
    )
    .await?;
    let user = app.store.user(id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(super::user_out(&user)))
}

pub async fn unlock_user(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<UserOut>, ApiError> {
    change_account(&app, &who, &raw, AccountChange::Unlock).await
}

pub async fn enable_user(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<UserOut>, ApiError> {
    change_account(&app, &who, &raw, AccountChange::Enable).await
}

pub async fn disable_user(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<UserOut>, ApiError> {
    change_account(&app, &who, &raw, AccountChange::Disable).await
}
