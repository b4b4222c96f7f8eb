//! Evidence items, their custody events and the ledger of blobs on disk (E1–E3).
//!
//! A `blobs` row says "these bytes are durable in the blob store"; callers insert it (through
//! `insert_evidence` or `register_blob`) only after the blob store's `finish` returned. Evidence
//! rows and custody events are immutable (database triggers refuse UPDATE and DELETE).

use crate::row::Cols;
use crate::{Store, StoreError, WriteCtx};
use sqlx::Row;
use vigil_types::{AgencyId, CaseId, EvidenceId, Sha256Digest, Timestamp, UserId};

/// An evidence item. Its bytes live in the blob store under `sha256`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub id: EvidenceId,
    pub case_id: CaseId,
    /// Display metadata only (the name it was uploaded under); never a path.
    pub name: String,
    pub description: Option<String>,
    /// As declared by the uploader.
    pub media_type: String,
    pub size: u64,
    pub sha256: Sha256Digest,
    pub collected_by: UserId,
    pub collected_at: Timestamp,
    pub collected_where: Option<String>,
    pub added_by: UserId,
    pub added_at: Timestamp,
}

/// What happened to an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CustodyKind {
    Collected,
    Transferred,
    Accessed,
    Exported,
}

impl CustodyKind {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Collected => "collected",
            Self::Transferred => "transferred",
            Self::Accessed => "accessed",
            Self::Exported => "exported",
        }
    }

    pub fn parse(s: &str) -> Result<Self, StoreError> {
        Ok(match s {
            "collected" => Self::Collected,
            "transferred" => Self::Transferred,
            "accessed" => Self::Accessed,
            "exported" => Self::Exported,
            _ => {
                return Err(StoreError::Corrupt {
                    table: "evidence_custody",
                    column: "kind",
                })
            }
        })
    }
}

/// One custody event: who did what to an item, when, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustodyEvent {
    pub evidence_id: EvidenceId,
    pub kind: CustodyKind,
    /// When it happened (for `collected`, the collection time given by the uploader).
    pub at: Timestamp,
    pub actor_id: UserId,
    pub actor_agency: AgencyId,
    pub from_user: Option<UserId>,
    pub to_user: Option<UserId>,
    /// Outside recipient (exports).
    pub recipient: Option<String>,
    pub purpose: Option<String>,
    /// The digest the item had when the event was recorded.
    pub sha256: Sha256Digest,
}

/// A custody event as read back, with its position, recording time and people's display names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustodyRecord {
    pub seq: i64,
    pub recorded_at: Timestamp,
    pub event: CustodyEvent,
    pub actor_name: String,
    pub from_name: Option<String>,
    pub to_name: Option<String>,
}

/// The outcome of `insert_evidence`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Added {
    /// A new item.
    New,
    /// The case already holds these bytes: this item (nothing was written).
    Existing(Box<Evidence>),
}

const COLUMNS: &str =
    "id, case_id, name, description, media_type, size_bytes, sha256, collected_by, \
                       collected_at, collected_where, added_by, added_at";

fn digest(c: &Cols<'_>, col: &'static str) -> Result<Sha256Digest, StoreError> {
    c.parsed(col, Sha256Digest::parse)
}

fn size(c: &Cols<'_>, col: &'static str) -> Result<u64, StoreError> {
    u64::try_from(c.int(col)?).map_err(|_| StoreError::Corrupt {
        table: c.table,
        column: col,
    })
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<Evidence, StoreError> {
    let c = Cols::new(r, "evidence");
    Ok(Evidence {
        id: c.parsed("id", EvidenceId::parse)?,
        case_id: c.parsed("case_id", CaseId::parse)?,
        name: c.string("name")?,
        description: c.opt_string("description")?,
        media_type: c.string("media_type")?,
        size: size(&c, "size_bytes")?,
        sha256: digest(&c, "sha256")?,
        collected_by: c.parsed("collected_by", UserId::parse)?,
        collected_at: c.time("collected_at")?,
        collected_where: c.opt_string("collected_where")?,
        added_by: c.parsed("added_by", UserId::parse)?,
        added_at: c.time("added_at")?,
    })
}

fn i64_of(v: u64) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(|_| StoreError::Rejected("the file is too large".into()))
}

impl Store {
    pub async fn evidence(&self, id: EvidenceId) -> Result<Option<Evidence>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM evidence WHERE id = $1"))
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// A case's evidence, oldest first.
    pub async fn case_evidence(&self, case: CaseId) -> Result<Vec<Evidence>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM evidence WHERE case_id = $1 ORDER BY added_at, id"
        ))
        .bind(case.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// An item's custody log in the order it was recorded.
    pub async fn custody(&self, id: EvidenceId) -> Result<Vec<CustodyRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.id, c.evidence_id, c.kind, c.at, c.recorded_at, c.actor_id, c.actor_agency, \
             c.from_user, c.to_user, c.recipient, c.purpose, c.sha256, \
             a.display_name AS actor_name, f.display_name AS from_name, t.display_name AS to_name \
             FROM evidence_custody c JOIN users a ON a.id = c.actor_id \
             LEFT JOIN users f ON f.id = c.from_user LEFT JOIN users t ON t.id = c.to_user \
             WHERE c.evidence_id = $1 ORDER BY c.id",
        )
        .bind(id.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new(r, "evidence_custody");
                Ok(CustodyRecord {
                    seq: c.int("id")?,
                    recorded_at: c.time("recorded_at")?,
                    event: CustodyEvent {
                        evidence_id: c.parsed("evidence_id", EvidenceId::parse)?,
                        kind: CustodyKind::parse(&c.string("kind")?)?,
                        at: c.time("at")?,
                        actor_id: c.parsed("actor_id", UserId::parse)?,
                        actor_agency: c.parsed("actor_agency", AgencyId::parse)?,
                        from_user: c.opt_parsed("from_user", UserId::parse)?,
                        to_user: c.opt_parsed("to_user", UserId::parse)?,
                        recipient: c.opt_string("recipient")?,
                        purpose: c.opt_string("purpose")?,
                        sha256: digest(&c, "sha256")?,
                    },
                    actor_name: c.string("actor_name")?,
                    from_name: c.opt_string("from_name")?,
                    to_name: c.opt_string("to_name")?,
                })
            })
            .collect()
    }

    /// Who holds an item now: the receiver of its last transfer, or whoever collected it.
    pub async fn custodian(&self, item: &Evidence) -> Result<UserId, StoreError> {
        let row = sqlx::query(
            "SELECT to_user FROM evidence_custody WHERE evidence_id = $1 AND kind = 'transferred' \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(item.id.to_string())
        .fetch_optional(self.reader())
        .await?;
        match row {
            Some(r) => Cols::new(&r, "evidence_custody").parsed("to_user", UserId::parse),
            None => Ok(item.collected_by),
        }
    }

    /// The ledger of blobs the database refers to: digest and recorded size, sorted by digest.
    pub async fn blob_ledger(&self) -> Result<Vec<(Sha256Digest, u64)>, StoreError> {
        let rows = sqlx::query("SELECT sha256, size_bytes FROM blobs ORDER BY sha256")
            .fetch_all(self.reader())
            .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new(r, "blobs");
                Ok((digest(&c, "sha256")?, size(&c, "size_bytes")?))
            })
            .collect()
    }

    /// The items (and their cases) whose bytes are the blob `sha256`.
    pub async fn evidence_with_blob(
        &self,
        sha256: Sha256Digest,
    ) -> Result<Vec<(EvidenceId, CaseId)>, StoreError> {
        let rows = sqlx::query("SELECT id, case_id FROM evidence WHERE sha256 = $1 ORDER BY id")
            .bind(sha256.to_hex())
            .fetch_all(self.reader())
            .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new(r, "evidence");
                Ok((
                    c.parsed("id", EvidenceId::parse)?,
                    c.parsed("case_id", CaseId::parse)?,
                ))
            })
            .collect()
    }

    /// How many evidence items exist (all cases).
    pub async fn evidence_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM evidence")
            .fetch_one(self.reader())
            .await?
            .try_get::<i64, _>(0)?)
    }
}

/// Records that a blob is durable in the blob store. Call only after the blob store's `finish`
/// returned. Idempotent; a second registration with another size is refused (a digest names
/// exactly one byte string).
pub async fn register_blob(
    ctx: &mut WriteCtx,
    sha256: Sha256Digest,
    size: u64,
) -> Result<(), StoreError> {
    let now = ctx.now().unix_micros();
    sqlx::query(
        "INSERT INTO blobs (sha256, size_bytes, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(sha256.to_hex())
    .bind(i64_of(size)?)
    .bind(now)
    .execute(ctx.conn())
    .await?;
    let stored: i64 = sqlx::query("SELECT size_bytes FROM blobs WHERE sha256 = $1")
        .bind(sha256.to_hex())
        .fetch_one(ctx.conn())
        .await?
        .try_get(0)?;
    if stored != i64_of(size)? {
        return Err(StoreError::Corrupt {
            table: "blobs",
            column: "size_bytes",
        });
    }
    Ok(())
}

/// Adds an item with its `collected` custody event (actor: the collector, purpose: `reason`), or
/// answers with the case's existing item for the same bytes (idempotent re-upload).
pub async fn insert_evidence(
    ctx: &mut WriteCtx,
    e: &Evidence,
    collector_agency: AgencyId,
    reason: Option<&str>,
) -> Result<Added, StoreError> {
    let existing = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM evidence WHERE case_id = $1 AND sha256 = $2"
    ))
    .bind(e.case_id.to_string())
    .bind(e.sha256.to_hex())
    .fetch_optional(ctx.conn())
    .await?;
    if let Some(row) = existing {
        return Ok(Added::Existing(Box::new(from_row(&row)?)));
    }
    register_blob(ctx, e.sha256, e.size).await?;
    sqlx::query(&format!(
        "INSERT INTO evidence ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .bind(e.id.to_string())
    .bind(e.case_id.to_string())
    .bind(&e.name)
    .bind(e.description.clone())
    .bind(&e.media_type)
    .bind(i64_of(e.size)?)
    .bind(e.sha256.to_hex())
    .bind(e.collected_by.to_string())
    .bind(e.collected_at.unix_micros())
    .bind(e.collected_where.clone())
    .bind(e.added_by.to_string())
    .bind(e.added_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    insert_custody(
        ctx,
        &CustodyEvent {
            evidence_id: e.id,
            kind: CustodyKind::Collected,
            at: e.collected_at,
            actor_id: e.collected_by,
            actor_agency: collector_agency,
            from_user: None,
            to_user: None,
            recipient: None,
            purpose: reason.map(str::to_owned),
            sha256: e.sha256,
        },
    )
    .await?;
    crate::cases::touch(ctx, e.case_id).await?;
    crate::content::insert_event(
        ctx,
        e.case_id,
        Some(e.added_by),
        "evidence.added",
        "Evidence added",
    )
    .await?;
    Ok(Added::New)
}

/// Appends a custody event.
pub async fn insert_custody(ctx: &mut WriteCtx, c: &CustodyEvent) -> Result<(), StoreError> {
    let now = ctx.now().unix_micros();
    sqlx::query(
        "INSERT INTO evidence_custody (evidence_id, kind, at, recorded_at, actor_id, actor_agency, \
         from_user, to_user, recipient, purpose, sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(c.evidence_id.to_string())
    .bind(c.kind.as_str())
    .bind(c.at.unix_micros())
    .bind(now)
    .bind(c.actor_id.to_string())
    .bind(c.actor_agency.to_string())
    .bind(c.from_user.map(|u| u.to_string()))
    .bind(c.to_user.map(|u| u.to_string()))
    .bind(c.recipient.clone())
    .bind(c.purpose.clone())
    .bind(c.sha256.to_hex())
    .execute(ctx.conn())
    .await?;
    Ok(())
}
