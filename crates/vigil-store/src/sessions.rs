//! Sessions and API tokens, stored only as SHA-256 digests of their secrets.

use crate::row::Cols;
use crate::{Store, StoreError, WriteCtx};
use std::sync::LazyLock;
use vigil_core::auth::session::SessionTimes;
use vigil_core::TokenScope;
use vigil_types::{Timestamp, TokenId, UserId};

/// How far a login has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Password accepted; the TOTP code is due.
    SecondFactor,
    /// Password accepted; the account has no second factor yet and must enrol now.
    Enrol,
    /// Fully authenticated.
    Full,
}

impl Stage {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SecondFactor => "mfa",
            Self::Enrol => "enrol",
            Self::Full => "full",
        }
    }

    fn parse(s: &str) -> Result<Self, ()> {
        match s {
            "mfa" => Ok(Self::SecondFactor),
            "enrol" => Ok(Self::Enrol),
            "full" => Ok(Self::Full),
            _ => Err(()),
        }
    }
}

/// A stored session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub token_hash: String,
    pub user_id: UserId,
    pub csrf_hash: String,
    pub stage: Stage,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub ended: bool,
    /// When the password and second factor were last entered for this session (at login, or
    /// at a step-up); `None` before the second factor.
    pub auth_at: Option<Timestamp>,
}

impl Session {
    #[must_use]
    pub fn times(&self) -> SessionTimes {
        SessionTimes {
            created_at: self.created_at,
            last_seen_at: self.last_seen_at,
            ended: self.ended,
            pending_second_factor: self.stage != Stage::Full,
        }
    }
}

/// A stored API token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiToken {
    pub id: TokenId,
    pub token_hash: String,
    pub user_id: UserId,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked: bool,
}

fn scope_str(s: TokenScope) -> &'static str {
    match s {
        TokenScope::Full => "full",
        TokenScope::ReadOnly => "read",
    }
}

fn parse_scope(s: &str) -> Result<TokenScope, ()> {
    match s {
        "full" => Ok(TokenScope::Full),
        "read" => Ok(TokenScope::ReadOnly),
        _ => Err(()),
    }
}

fn session_from_row(r: &sqlx::any::AnyRow) -> Result<Session, StoreError> {
    let c = Cols::new(r, "sessions");
    Ok(Session {
        token_hash: c.string("token_hash")?,
        user_id: c.parsed("user_id", UserId::parse)?,
        csrf_hash: c.string("csrf_hash")?,
        stage: c.parsed("stage", Stage::parse)?,
        created_at: c.time("created_at")?,
        last_seen_at: c.time("last_seen_at")?,
        ended: c.flag("ended")?,
        auth_at: c.opt_time("auth_at")?,
    })
}

fn token_from_row(r: &sqlx::any::AnyRow) -> Result<ApiToken, StoreError> {
    let c = Cols::new(r, "api_tokens");
    Ok(ApiToken {
        id: c.parsed("id", TokenId::parse)?,
        token_hash: c.string("token_hash")?,
        user_id: c.parsed("user_id", UserId::parse)?,
        name: c.string("name")?,
        scope: c.parsed("scope", parse_scope)?,
        created_at: c.time("created_at")?,
        expires_at: c.time("expires_at")?,
        revoked: c.flag("revoked")?,
    })
}

static SESSION_WITH_USER: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT s.token_hash, s.user_id, s.csrf_hash, s.stage, s.created_at AS s_created_at, s.last_seen_at, s.ended, s.auth_at, {} \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        crate::users::PREFIXED_COLUMNS
    )
});

static TOKEN_WITH_USER: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT t.id AS t_id, t.token_hash, t.user_id AS t_user_id, t.name AS t_name, t.scope, t.created_at AS t_created_at, \
         t.expires_at, t.revoked, {} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
        crate::users::PREFIXED_COLUMNS
    )
});

impl Store {
    /// A session and its user in one query (this runs on every authenticated request).
    pub async fn session_with_user(
        &self,
        token_hash: &str,
    ) -> Result<Option<(Session, crate::users::User)>, StoreError> {
        let rows = self
            .fetch(&SESSION_WITH_USER, vec![token_hash.into()])
            .await?;
        let Some(r) = rows.get(0) else {
            return Ok(None);
        };
        let c = Cols::new(r, "sessions");
        let session = Session {
            token_hash: c.string("token_hash")?,
            user_id: c.parsed("user_id", UserId::parse)?,
            csrf_hash: c.string("csrf_hash")?,
            stage: c.parsed("stage", Stage::parse)?,
            created_at: c.time("s_created_at")?,
            last_seen_at: c.time("last_seen_at")?,
            ended: c.flag("ended")?,
            auth_at: c.opt_time("auth_at")?,
        };
        Ok(Some((session, crate::users::from_source(r)?)))
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
        let row = sqlx::query(
            "SELECT token_hash, user_id, csrf_hash, stage, created_at, last_seen_at, ended, auth_at FROM sessions WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(self.reader())
        .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    /// An API token and its user in one query (this runs on every token-authenticated request).
    pub async fn api_token_with_user(
        &self,
        token_hash: &str,
    ) -> Result<Option<(ApiToken, crate::users::User)>, StoreError> {
        let rows = self
            .fetch(&TOKEN_WITH_USER, vec![token_hash.into()])
            .await?;
        let Some(r) = rows.get(0) else {
            return Ok(None);
        };
        let c = Cols::new(r, "api_tokens");
        let token = ApiToken {
            id: c.parsed("t_id", TokenId::parse)?,
            token_hash: c.string("token_hash")?,
            user_id: c.parsed("t_user_id", UserId::parse)?,
            name: c.string("t_name")?,
            scope: c.parsed("scope", parse_scope)?,
            created_at: c.time("t_created_at")?,
            expires_at: c.time("expires_at")?,
            revoked: c.flag("revoked")?,
        };
        Ok(Some((token, crate::users::from_source(r)?)))
    }

    pub async fn api_tokens_of(&self, user: UserId) -> Result<Vec<ApiToken>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, token_hash, user_id, name, scope, created_at, expires_at, revoked FROM api_tokens WHERE user_id = $1 ORDER BY created_at",
        )
        .bind(user.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(token_from_row).collect()
    }
}

pub async fn insert_session(ctx: &mut WriteCtx, s: &Session) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_hash, stage, created_at, last_seen_at, ended, auth_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&s.token_hash)
    .bind(s.user_id.to_string())
    .bind(&s.csrf_hash)
    .bind(s.stage.as_str())
    .bind(s.created_at.unix_micros())
    .bind(s.last_seen_at.unix_micros())
    .bind(i64::from(s.ended))
    .bind(s.auth_at.map(Timestamp::unix_micros))
    .execute(ctx.conn())
    .await?;
    Ok(())
}

/// Marks activity on a session (idle timeout is measured from here).
pub async fn touch(ctx: &mut WriteCtx, token_hash: &str, at: Timestamp) -> Result<(), StoreError> {
    touch_many(ctx.conn(), &[token_hash.to_owned()], at).await
}

/// Marks sessions active at `at` in one statement (the writer's batch flush).
pub(crate) async fn touch_many(
    conn: &mut sqlx::AnyConnection,
    token_hashes: &[String],
    at: Timestamp,
) -> Result<(), StoreError> {
    let mut sql = String::from(
        "UPDATE sessions SET last_seen_at = $1 WHERE last_seen_at < $1 AND token_hash IN (",
    );
    for i in 0..token_hashes.len() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("${}", i + 2));
    }
    sql.push(')');
    let mut q = sqlx::query(&sql).bind(at.unix_micros());
    for h in token_hashes {
        q = q.bind(h.as_str());
    }
    q.execute(conn).await?;
    Ok(())
}

/// Records a step-up (IA-11): the password and second factor were entered again at `at`.
pub async fn step_up(
    ctx: &mut WriteCtx,
    token_hash: &str,
    at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET auth_at = $1 WHERE token_hash = $2 AND ended = 0")
        .bind(at.unix_micros())
        .bind(token_hash)
        .execute(ctx.conn())
        .await?;
    Ok(())
}

/// Ends a session (logout, or replaced by a new one at a stage change: ASVS 7.2.4).
pub async fn end(ctx: &mut WriteCtx, token_hash: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET ended = 1 WHERE token_hash = $1")
        .bind(token_hash)
        .execute(ctx.conn())
        .await?;
    Ok(())
}

pub async fn insert_token(ctx: &mut WriteCtx, t: &ApiToken) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO api_tokens (id, token_hash, user_id, name, scope, created_at, expires_at, revoked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(t.id.to_string())
    .bind(&t.token_hash)
    .bind(t.user_id.to_string())
    .bind(&t.name)
    .bind(scope_str(t.scope))
    .bind(t.created_at.unix_micros())
    .bind(t.expires_at.unix_micros())
    .bind(i64::from(t.revoked))
    .execute(ctx.conn())
    .await?;
    Ok(())
}

/// Revokes one of a user's tokens; `NotFound` if the user has no such token.
pub async fn revoke_token(ctx: &mut WriteCtx, user: UserId, id: TokenId) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE api_tokens SET revoked = 1 WHERE id = $1 AND user_id = $2")
        .bind(id.to_string())
        .bind(user.to_string())
        .execute(ctx.conn())
        .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}
