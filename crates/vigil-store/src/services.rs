//! Services for survivors (V2): the provider directory, referrals with their lifecycle, and the
//! services delivered under them.

use crate::row::Cols;
use crate::{Store, StoreError, WriteCtx};
use vigil_core::vault::{ReferralStatus, ServiceType};
use vigil_types::{ProviderId, ReferralId, ServiceId, Timestamp, UserId, VictimId};

/// A service provider in the directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    pub id: ProviderId,
    pub name: String,
    pub service_types: Vec<ServiceType>,
    pub languages: Vec<String>,
    /// Who the provider serves (free text, e.g. "adults 18+, any gender, Maricopa County").
    pub eligibility: String,
    /// Places or slots currently open, if the provider reports it.
    pub capacity: Option<i64>,
    /// How agencies reach the provider (an intake line, not a survivor's contact).
    pub contact: String,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A referral of a survivor to a provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Referral {
    pub id: ReferralId,
    pub victim_id: VictimId,
    pub provider_id: ProviderId,
    pub service_type: ServiceType,
    pub status: ReferralStatus,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A service delivered under a referral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceDelivered {
    pub id: ServiceId,
    pub referral_id: ReferralId,
    pub service_type: ServiceType,
    /// `YYYY-MM-DD`.
    pub delivered_on: String,
    pub note: Option<String>,
    pub recorded_by: UserId,
    pub recorded_at: Timestamp,
}

const PROVIDER_COLUMNS: &str = "id, name, service_types, languages, eligibility, capacity, contact, created_by, created_at, updated_at";
const REFERRAL_COLUMNS: &str =
    "id, victim_id, provider_id, service_type, status, created_by, created_at, updated_at";

fn provider_from_row(r: &sqlx::any::AnyRow) -> Result<Provider, StoreError> {
    let c = Cols::new(r, "providers");
    let types: Vec<String> = c.parsed("service_types", |s| serde_json::from_str(s))?;
    Ok(Provider {
        id: c.parsed("id", ProviderId::parse)?,
        name: c.string("name")?,
        service_types: types
            .iter()
            .map(|t| ServiceType::parse(t))
            .collect::<Result<_, _>>()
            .map_err(|_| StoreError::Corrupt {
                table: "providers",
                column: "service_types",
            })?,
        languages: c.parsed("languages", |s| serde_json::from_str(s))?,
        eligibility: c.string("eligibility")?,
        capacity: c.opt_int("capacity")?,
        contact: c.string("contact")?,
        created_by: c.parsed("created_by", UserId::parse)?,
        created_at: c.time("created_at")?,
        updated_at: c.time("updated_at")?,
    })
}

fn referral_from_row(r: &sqlx::any::AnyRow) -> Result<Referral, StoreError> {
    let c = Cols::new(r, "referrals");
    Ok(Referral {
        id: c.parsed("id", ReferralId::parse)?,
        victim_id: c.parsed("victim_id", VictimId::parse)?,
        provider_id: c.parsed("provider_id", ProviderId::parse)?,
        service_type: c.parsed("service_type", ServiceType::parse)?,
        status: c.parsed("status", ReferralStatus::parse)?,
        created_by: c.parsed("created_by", UserId::parse)?,
        created_at: c.time("created_at")?,
        updated_at: c.time("updated_at")?,
    })
}

impl Store {
    /// The directory, by name.
    pub async fn providers(&self) -> Result<Vec<Provider>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {PROVIDER_COLUMNS} FROM providers ORDER BY name, id"
        ))
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(provider_from_row).collect()
    }

    pub async fn provider(&self, id: ProviderId) -> Result<Option<Provider>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {PROVIDER_COLUMNS} FROM providers WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(self.reader())
        .await?;
        row.as_ref().map(provider_from_row).transpose()
    }

    pub async fn referrals(&self, victim: VictimId) -> Result<Vec<Referral>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE victim_id = $1 ORDER BY created_at, id"
        ))
        .bind(victim.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(referral_from_row).collect()
    }

    pub async fn referral(&self, id: ReferralId) -> Result<Option<Referral>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(self.reader())
        .await?;
        row.as_ref().map(referral_from_row).transpose()
    }

    /// Services delivered under a victim's referrals, oldest first.
    pub async fn services_delivered(
        &self,
        victim: VictimId,
    ) -> Result<Vec<ServiceDelivered>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.id, s.referral_id, s.service_type, s.delivered_on, s.note, s.recorded_by, s.recorded_at \
             FROM services_delivered s JOIN referrals r ON r.id = s.referral_id WHERE r.victim_id = $1 \
             ORDER BY s.recorded_at, s.id",
        )
        .bind(victim.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new(r, "services_delivered");
                Ok(ServiceDelivered {
                    id: c.parsed("id", ServiceId::parse)?,
                    referral_id: c.parsed("referral_id", ReferralId::parse)?,
                    service_type: c.parsed("service_type", ServiceType::parse)?,
                    delivered_on: c.string("delivered_on")?,
                    note: c.opt_string("note")?,
                    recorded_by: c.parsed("recorded_by", UserId::parse)?,
                    recorded_at: c.time("recorded_at")?,
                })
            })
            .collect()
    }
}

pub async fn insert_provider(ctx: &mut WriteCtx, p: &Provider) -> Result<(), StoreError> {
    let types: Vec<&str> = p.service_types.iter().map(|t| t.as_str()).collect();
    sqlx::query(&format!(
        "INSERT INTO providers ({PROVIDER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ))
    .bind(p.id.to_string())
    .bind(&p.name)
    .bind(serde_json::to_string(&types).unwrap_or_else(|_| "[]".into()))
    .bind(serde_json::to_string(&p.languages).unwrap_or_else(|_| "[]".into()))
    .bind(&p.eligibility)
    .bind(p.capacity)
    .bind(&p.contact)
    .bind(p.created_by.to_string())
    .bind(p.created_at.unix_micros())
    .bind(p.updated_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    Ok(())
}

async fn referral_event(
    ctx: &mut WriteCtx,
    id: ReferralId,
    actor: UserId,
    status: ReferralStatus,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO referral_events (referral_id, at, actor_id, status) VALUES ($1, $2, $3, $4)",
    )
    .bind(id.to_string())
    .bind(ctx.now().unix_micros())
    .bind(actor.to_string())
    .bind(status.as_str())
    .execute(ctx.conn())
    .await?;
    Ok(())
}

/// Inserts a referral (normally in status `sent`); the provider must offer the service type.
pub async fn insert_referral(ctx: &mut WriteCtx, r: &Referral) -> Result<(), StoreError> {
    let row = sqlx::query("SELECT service_types FROM providers WHERE id = $1")
        .bind(r.provider_id.to_string())
        .fetch_optional(ctx.conn())
        .await?
        .ok_or_else(|| StoreError::Rejected("provider_id: no such provider".into()))?;
    let types: Vec<String> =
        Cols::new(&row, "providers").parsed("service_types", |s| serde_json::from_str(s))?;
    if !types.iter().any(|t| t == r.service_type.as_str()) {
        return Err(StoreError::Rejected(
            "service_type: this provider does not offer it".into(),
        ));
    }
    sqlx::query(&format!(
        "INSERT INTO referrals ({REFERRAL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(r.id.to_string())
    .bind(r.victim_id.to_string())
    .bind(r.provider_id.to_string())
    .bind(r.service_type.as_str())
    .bind(r.status.as_str())
    .bind(r.created_by.to_string())
    .bind(r.created_at.unix_micros())
    .bind(r.updated_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    referral_event(ctx, r.id, r.created_by, r.status).await
}

async fn current_status(ctx: &mut WriteCtx, id: ReferralId) -> Result<ReferralStatus, StoreError> {
    let row = sqlx::query("SELECT status FROM referrals WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(ctx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    Cols::new(&row, "referrals").parsed("status", ReferralStatus::parse)
}

async fn set_status_unchecked(
    ctx: &mut WriteCtx,
    id: ReferralId,
    actor: UserId,
    next: ReferralStatus,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE referrals SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(next.as_str())
        .bind(ctx.now().unix_micros())
        .bind(id.to_string())
        .execute(ctx.conn())
        .await?;
    referral_event(ctx, id, actor, next).await
}

/// Moves a referral along its lifecycle, refusing transitions it does not allow. Returns the
/// previous status.
pub async fn set_referral_status(
    ctx: &mut WriteCtx,
    id: ReferralId,
    actor: UserId,
    next: ReferralStatus,
) -> Result<ReferralStatus, StoreError> {
    let current = current_status(ctx, id).await?;
    if !current.may_become(next) {
        return Err(StoreError::Rejected(format!(
            "a referral cannot move from {current} to {next}"
        )));
    }
    set_status_unchecked(ctx, id, actor, next).await?;
    Ok(current)
}

/// Records a service delivered. The referral must be accepted (it then becomes
/// `service_delivered`) or already have services delivered.
pub async fn record_service(ctx: &mut WriteCtx, s: &ServiceDelivered) -> Result<(), StoreError> {
    let current = current_status(ctx, s.referral_id).await?;
    match current {
        ReferralStatus::Accepted => {
            set_status_unchecked(
                ctx,
                s.referral_id,
                s.recorded_by,
                ReferralStatus::ServiceDelivered,
            )
            .await?;
        }
        ReferralStatus::ServiceDelivered => {}
        other => {
            return Err(StoreError::Rejected(format!(
                "services are recorded on accepted referrals; this one is {other}"
            )))
        }
    }
    sqlx::query(
        "INSERT INTO services_delivered (id, referral_id, service_type, delivered_on, note, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(s.id.to_string())
    .bind(s.referral_id.to_string())
    .bind(s.service_type.as_str())
    .bind(&s.delivered_on)
    .bind(s.note.clone())
    .bind(s.recorded_by.to_string())
    .bind(s.recorded_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    Ok(())
}
