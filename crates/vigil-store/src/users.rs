//! User accounts: credentials, second factor, lockout state.

use crate::row::Cols;
use crate::{Store, StoreError, WriteCtx};
use vigil_core::auth::lockout::Lockout;
use vigil_core::Role;
use vigil_types::{AgencyId, Timestamp, UserId, Username};

/// A user account. `password_hash` and the TOTP secrets never leave the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub agency_id: AgencyId,
    pub username: Username,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    /// Base32 TOTP secret once enrolment is confirmed.
    pub totp_secret: Option<String>,
    /// Base32 secret offered during enrolment, not yet confirmed.
    pub totp_pending_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub lockout: Lockout,
    pub disabled: bool,
    pub created_at: Timestamp,
    pub last_login_at: Option<Timestamp>,
}

const COLUMNS: &str = "id, agency_id, username, display_name, role, password_hash, totp_secret, totp_pending_secret, \
    totp_last_step, failed_logins, failed_window_start, locked, disabled, created_at, last_login_at";

/// The same columns read through a join with the `users` table aliased `u`.
pub(crate) const PREFIXED_COLUMNS: &str = "u.id, u.agency_id, u.username, u.display_name, u.role, u.password_hash, \
    u.totp_secret, u.totp_pending_secret, u.totp_last_step, u.failed_logins, u.failed_window_start, u.locked, \
    u.disabled, u.created_at, u.last_login_at";

pub(crate) fn from_row(r: &sqlx::any::AnyRow) -> Result<User, StoreError> {
    from_source(r)
}

pub(crate) fn from_source(r: &dyn crate::row::RowSource) -> Result<User, StoreError> {
    let c = Cols::new(r, "users");
    Ok(User {
        id: c.parsed("id", UserId::parse)?,
        agency_id: c.parsed("agency_id", AgencyId::parse)?,
        username: c.parsed("username", Username::parse)?,
        display_name: c.string("display_name")?,
        role: c.parsed("role", Role::parse)?,
        password_hash: c.string("password_hash")?,
        totp_secret: c.opt_string("totp_secret")?,
        totp_pending_secret: c.opt_string("totp_pending_secret")?,
        totp_last_step: c.opt_int("totp_last_step")?,
        lockout: Lockout {
            failures: u32::try_from(c.int("failed_logins")?).unwrap_or(u32::MAX),
            window_start: c.opt_time("failed_window_start")?,
            locked: c.flag("locked")?,
        },
        disabled: c.flag("disabled")?,
        created_at: c.time("created_at")?,
        last_login_at: c.opt_time("last_login_at")?,
    })
}

impl Store {
    pub async fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    pub async fn user_by_username(&self, username: &Username) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE username = $1"))
            .bind(username.as_str())
            .fetch_optional(self.reader())
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Every user, or one agency's, ordered by agency then name.
    pub async fn users(&self, agency: Option<AgencyId>) -> Result<Vec<User>, StoreError> {
        let rows = match agency {
            Some(a) => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM users WHERE agency_id = $1 ORDER BY display_name"
                ))
                .bind(a.to_string())
                .fetch_all(self.reader())
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM users ORDER BY agency_id, display_name"
                ))
                .fetch_all(self.reader())
                .await?
            }
        };
        rows.iter().map(from_row).collect()
    }

    /// How many administrators exist (the first one is created from the CLI).
    pub async fn administrator_count(&self) -> Result<i64, StoreError> {
        use sqlx::Row;
        let row =
            sqlx::query("SELECT COUNT(*) FROM users WHERE role = 'administrator' AND disabled = 0")
                .fetch_one(self.reader())
                .await?;
        Ok(row.try_get::<i64, _>(0)?)
    }
}

/// Inserts a user.
pub async fn insert(ctx: &mut WriteCtx, u: &User) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO users ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    ))
    .bind(u.id.to_string())
    .bind(u.agency_id.to_string())
    .bind(u.username.as_str())
    .bind(&u.display_name)
    .bind(u.role.as_str())
    .bind(&u.password_hash)
    .bind(u.totp_secret.clone())
    .bind(u.totp_pending_secret.clone())
    .bind(u.totp_last_step)
    .bind(i64::from(u.lockout.failures))
    .bind(u.lockout.window_start.map(Timestamp::unix_micros))
    .bind(i64::from(u.lockout.locked))
    .bind(i64::from(u.disabled))
    .bind(u.created_at.unix_micros())
    .bind(u.last_login_at.map(Timestamp::unix_micros))
    .execute(ctx.conn())
    .await?;
    Ok(())
}

/// Stores the lockout counters after a logon attempt.
pub async fn set_lockout(ctx: &mut WriteCtx, user: UserId, l: Lockout) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE users SET failed_logins = $1, failed_window_start = $2, locked = $3 WHERE id = $4",
    )
    .bind(i64::from(l.failures))
    .bind(l.window_start.map(Timestamp::unix_micros))
    .bind(i64::from(l.locked))
    .bind(user.to_string())
    .execute(ctx.conn())
    .await?;
    Ok(())
}

/// Records a completed logon.
pub async fn set_last_login(
    ctx: &mut WriteCtx,
    user: UserId,
    at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
        .bind(at.unix_micros())
        .bind(user.to_string())
        .execute(ctx.conn())
        .await?;
    Ok(())
}

/// Offers a TOTP secret during enrolment.
pub async fn set_totp_pending(
    ctx: &mut WriteCtx,
    user: UserId,
    secret_b32: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET totp_pending_secret = $1 WHERE id = $2")
        .bind(secret_b32)
        .bind(user.to_string())
        .execute(ctx.conn())
        .await?;
    Ok(())
}

/// Confirms enrolment: the pending secret becomes the secret; `step` is the code just used.
pub async fn confirm_totp(ctx: &mut WriteCtx, user: UserId, step: i64) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = $1 \
         WHERE id = $2 AND totp_pending_secret IS NOT NULL",
    )
    .bind(step)
    .bind(user.to_string())
    .execute(ctx.conn())
    .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::Rejected(
            "no second-factor enrolment is in progress".into(),
        ))
    }
}

/// Records the time step of an accepted TOTP code, refusing a step at or before the last one
/// (so two concurrent logins cannot both use one code).
pub async fn use_totp_step(ctx: &mut WriteCtx, user: UserId, step: i64) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
    )
    .bind(step)
    .bind(user.to_string())
    .execute(ctx.conn())
    .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::Rejected(
            "the code was already used; wait for the next one".into(),
        ))
    }
}

/// Replaces the password hash (after the caller checked the current password and the policy).
pub async fn set_password(ctx: &mut WriteCtx, user: UserId, phc: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(phc)
        .bind(user.to_string())
        .execute(ctx.conn())
        .await?;
    Ok(())
}

/// Unlocks an account after a lockout.
pub async fn unlock(ctx: &mut WriteCtx, user: UserId) -> Result<(), StoreError> {
    set_lockout(ctx, user, Lockout::unlocked()).await
}

/// Re-enables a disabled account (an administrator's decision, audited by the caller). Its
/// inactivity is counted from now, so the next sweep does not disable it again at once.
pub async fn enable(ctx: &mut WriteCtx, user: UserId) -> Result<(), StoreError> {
    let now = ctx.now();
    sqlx::query("UPDATE users SET disabled = 0, enabled_at = $1 WHERE id = $2")
        .bind(now.unix_micros())
        .bind(user.to_string())
        .execute(ctx.conn())
        .await?;
    Ok(())
}

/// Disables every account inactive since `cutoff` (AC-2(3)): enabled, no login (nor creation,
/// nor re-enabling) since then, and no live API token (automation in use). Each one is disabled
/// like an administrator's disable and gets an audit event; returns the accounts disabled.
pub async fn disable_inactive(
    ctx: &mut WriteCtx,
    cutoff: Timestamp,
) -> Result<Vec<(UserId, AgencyId)>, StoreError> {
    use sqlx::Row;
    let now = ctx.now();
    let rows = sqlx::query(
        "SELECT id, agency_id FROM users WHERE disabled = 0 \
         AND COALESCE(last_login_at, created_at) < $1 AND COALESCE(enabled_at, 0) < $1 \
         AND NOT EXISTS (SELECT 1 FROM api_tokens t WHERE t.user_id = users.id AND t.revoked = 0 AND t.expires_at > $2) \
         ORDER BY id",
    )
    .bind(cutoff.unix_micros())
    .bind(now.unix_micros())
    .fetch_all(ctx.conn())
    .await?;
    let mut disabled = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: String = r.try_get(0)?;
        let agency: String = r.try_get(1)?;
        let corrupt = |column| StoreError::Corrupt {
            table: "users",
            column,
        };
        let id = UserId::parse(&id).map_err(|_| corrupt("id"))?;
        let agency = AgencyId::parse(&agency).map_err(|_| corrupt("agency_id"))?;
        disable(ctx, id).await?;
        ctx.audit(crate::AuditDraft {
            actor_user: None,
            actor_agency: None,
            action: "user.disable".into(),
            object_kind: "user".into(),
            object_id: Some(id.to_string()),
            object_agency: Some(agency),
            outcome: vigil_audit::Outcome::Success,
            detail: "inactive_90_days".into(),
        })
        .await?;
        disabled.push((id, agency));
    }
    Ok(disabled)
}

/// Disables an account and ends all its sessions and tokens (AC-2(13)).
pub async fn disable(ctx: &mut WriteCtx, user: UserId) -> Result<(), StoreError> {
    let id = user.to_string();
    sqlx::query("UPDATE users SET disabled = 1 WHERE id = $1")
        .bind(&id)
        .execute(ctx.conn())
        .await?;
    sqlx::query("UPDATE sessions SET ended = 1 WHERE user_id = $1")
        .bind(&id)
        .execute(ctx.conn())
        .await?;
    sqlx::query("UPDATE api_tokens SET revoked = 1 WHERE user_id = $1")
        .bind(&id)
        .execute(ctx.conn())
        .await?;
    Ok(())
}
