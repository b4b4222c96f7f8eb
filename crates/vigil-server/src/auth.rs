//! Who is calling: the `Authed` extractor (full session or API token) and `PendingLogin`
//! (password accepted, second factor due). Cookie-authenticated state changes must carry the
//! session's CSRF token; bearer credentials are not ambient and need none.

use crate::{ApiError, AppState};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
use vigil_core::auth::secret;
use vigil_core::auth::session::Status;
use vigil_core::{Actor, TokenScope};
use vigil_store::sessions::{Session, Stage};
use vigil_store::users::User;
use vigil_types::TokenId;

/// The session cookie. `__Host-` binds it to this origin, path `/`, Secure (SC-23).
pub const COOKIE: &str = "__Host-vigil_session";
/// The cookie name when secure cookies are off (non-localhost plain-HTTP tests only).
pub const COOKIE_INSECURE: &str = "vigil_session";
/// The CSRF header for cookie sessions.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the caller authenticated.
#[derive(Clone, Debug)]
pub enum Credential {
    Session { token_hash: String },
    ApiToken { id: TokenId },
}

/// An authenticated caller with a complete login.
#[derive(Clone, Debug)]
pub struct Authed {
    pub actor: Actor,
    pub credential: Credential,
    /// When this session last entered the password and second factor (`None` for API tokens).
    pub auth_at: Option<vigil_types::Timestamp>,
}

impl Authed {
    /// The session to mark active when this request is audited.
    #[must_use]
    pub fn session_hash(&self) -> Option<&str> {
        match &self.credential {
            Credential::Session { token_hash } => Some(token_hash),
            Credential::ApiToken { .. } => None,
        }
    }
}

fn unauthenticated() -> ApiError {
    ApiError::Unauthenticated {
        code: "UNAUTHENTICATED",
        message: "log in first (session missing, expired or ended)",
    }
}

/// The presented secret and whether it came from the cookie.
pub(crate) fn presented(parts: &Parts) -> Option<(String, bool)> {
    if let Some(v) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        return v
            .strip_prefix("Bearer ")
            .map(|t| (t.trim().to_owned(), false));
    }
    for v in parts.headers.get_all(header::COOKIE) {
        let Ok(v) = v.to_str() else { continue };
        for pair in v.split(';') {
            if let Some((name, value)) = pair.trim().split_once('=') {
                if name == COOKIE || name == COOKIE_INSECURE {
                    return Some((value.to_owned(), true));
                }
            }
        }
    }
    None
}

fn is_unsafe(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn check_csrf(parts: &Parts, session: &Session, via_cookie: bool) -> Result<(), ApiError> {
    if !via_cookie || !is_unsafe(&parts.method) {
        return Ok(());
    }
    let sent = parts
        .headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !sent.is_empty() && secret::digest(sent) == session.csrf_hash {
        Ok(())
    } else {
        Err(ApiError::Forbidden {
            message: "missing or wrong X-CSRF-Token header for a cookie session",
        })
    }
}

fn usable(user: &User) -> bool {
    !user.disabled && !user.lockout.locked
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let (presented, via_cookie) = presented(parts).ok_or_else(unauthenticated)?;
        let now = app.now();
        let digest = secret::digest(&presented);
        if presented.starts_with("vt_") {
            let (token, user) = app
                .store
                .api_token_with_user(&digest)
                .await?
                .ok_or_else(unauthenticated)?;
            if token.revoked || now >= token.expires_at {
                return Err(unauthenticated());
            }
            if !usable(&user) {
                return Err(unauthenticated());
            }
            let actor = Actor {
                user: user.id,
                agency: user.agency_id,
                role: user.role,
                scope: token.scope,
            };
            return Ok(Self {
                actor,
                credential: Credential::ApiToken { id: token.id },
                auth_at: None,
            });
        }
        let (session, user) = app
            .store
            .session_with_user(&digest)
            .await?
            .ok_or_else(unauthenticated)?;
        if session.stage != Stage::Full {
            return Err(ApiError::Unauthenticated {
                code: "SECOND_FACTOR_REQUIRED",
                message: "finish the second factor first",
            });
        }
        if session.times().status(now) != Status::Active {
            return Err(ApiError::Unauthenticated {
                code: "SESSION_EXPIRED",
                message: "your session has expired; log in again",
            });
        }
        check_csrf(parts, &session, via_cookie)?;
        if !usable(&user) {
            return Err(unauthenticated());
        }
        let actor = Actor {
            user: user.id,
            agency: user.agency_id,
            role: user.role,
            scope: TokenScope::Full,
        };
        Ok(Self {
            actor,
            credential: Credential::Session { token_hash: digest },
            auth_at: session.auth_at,
        })
    }
}

/// A login whose password was accepted and whose second factor is due (or must be enrolled).
pub struct PendingLogin {
    pub session: Session,
    pub user: User,
}

impl FromRequestParts<AppState> for PendingLogin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let (presented, via_cookie) = presented(parts).ok_or_else(unauthenticated)?;
        let session = app
            .store
            .session(&secret::digest(&presented))
            .await?
            .ok_or_else(unauthenticated)?;
        if session.stage == Stage::Full || session.times().status(app.now()) != Status::Active {
            return Err(ApiError::Unauthenticated {
                code: "LOGIN_EXPIRED",
                message: "start the login again",
            });
        }
        check_csrf(parts, &session, via_cookie)?;
        let user = app
            .store
            .user(session.user_id)
            .await?
            .ok_or_else(unauthenticated)?;
        if !usable(&user) {
            return Err(unauthenticated());
        }
        Ok(Self { session, user })
    }
}

/// The `Set-Cookie` value for a session token (`None` clears it).
#[must_use]
pub fn session_cookie(app: &AppState, token: Option<&str>) -> String {
    let (name, secure) = if app.config.secure_cookies {
        (COOKIE, "; Secure")
    } else {
        (COOKIE_INSECURE, "")
    };
    match token {
        Some(t) => format!("{name}={t}; Path=/; HttpOnly; SameSite=Strict{secure}"),
        None => format!("{name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}"),
    }
}
