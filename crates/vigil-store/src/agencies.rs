//! Agencies: the tenants of the task force.

use crate::row::Cols;
use crate::{Store, StoreError, WriteCtx};
use vigil_core::AgencyKind;
use vigil_types::{AgencyId, Timestamp};

/// An agency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agency {
    pub id: AgencyId,
    pub name: String,
    /// A short code used in case numbers and the UI, e.g. `PHXPD`.
    pub short_code: String,
    pub kind: AgencyKind,
    pub created_at: Timestamp,
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<Agency, StoreError> {
    let c = Cols::new(r, "agencies");
    Ok(Agency {
        id: c.parsed("id", AgencyId::parse)?,
        name: c.string("name")?,
        short_code: c.string("short_code")?,
        kind: c.parsed("kind", AgencyKind::parse)?,
        created_at: c.time("created_at")?,
    })
}

const COLUMNS: &str = "id, name, short_code, kind, created_at";

impl Store {
    pub async fn agencies(&self) -> Result<Vec<Agency>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM agencies ORDER BY name"))
            .fetch_all(self.reader())
            .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn agency(&self, id: AgencyId) -> Result<Option<Agency>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM agencies WHERE id = $1"))
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await?;
        row.as_ref().map(from_row).transpose()
    }
}

/// Inserts an agency.
pub async fn insert(ctx: &mut WriteCtx, a: &Agency) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO agencies (id, name, short_code, kind, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(a.id.to_string())
    .bind(&a.name)
    .bind(&a.short_code)
    .bind(a.kind.as_str())
    .bind(a.created_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    Ok(())
}
