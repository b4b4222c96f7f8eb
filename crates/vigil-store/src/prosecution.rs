//! Prosecution tracking (C6): charges against Person entities of a case, their dispositions, and
//! court events.

use crate::row::Cols;
use crate::{Store, StoreError, WriteCtx};
use vigil_core::prosecution::{CourtEventKind, Disposition};
use vigil_types::{CaseId, ChargeId, CourtEventId, EntityId, Timestamp, UserId};

/// A charge line: one statute, against one defendant, with a number of counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Charge {
    pub id: ChargeId,
    pub case_id: CaseId,
    /// A `Person` entity of the case.
    pub defendant_id: EntityId,
    pub statute: String,
    pub description: String,
    /// A trafficking charge (as opposed to a related or other charge).
    pub trafficking: bool,
    pub counts: i64,
    pub disposition: Disposition,
    pub disposed_on: Option<Timestamp>,
    pub sentence: Option<String>,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A hearing, trial, sentencing…
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CourtEvent {
    pub id: CourtEventId,
    pub case_id: CaseId,
    pub defendant_id: Option<EntityId>,
    pub kind: CourtEventKind,
    pub at: Timestamp,
    pub court: String,
    pub note: Option<String>,
    pub created_by: UserId,
    pub created_at: Timestamp,
}

const CHARGE_COLUMNS: &str =
    "id, case_id, defendant_id, statute, description, trafficking, counts, disposition, \
     disposed_on, sentence, created_by, created_at, updated_at";
const EVENT_COLUMNS: &str =
    "id, case_id, defendant_id, kind, at, court, note, created_by, created_at";

fn charge_from_row(r: &sqlx::any::AnyRow) -> Result<Charge, StoreError> {
    let c = Cols::new(r, "charges");
    Ok(Charge {
        id: c.parsed("id", ChargeId::parse)?,
        case_id: c.parsed("case_id", CaseId::parse)?,
        defendant_id: c.parsed("defendant_id", EntityId::parse)?,
        statute: c.string("statute")?,
        description: c.string("description")?,
        trafficking: c.flag("trafficking")?,
        counts: c.int("counts")?,
        disposition: c.parsed("disposition", Disposition::parse)?,
        disposed_on: c.opt_time("disposed_on")?,
        sentence: c.opt_string("sentence")?,
        created_by: c.parsed("created_by", UserId::parse)?,
        created_at: c.time("created_at")?,
        updated_at: c.time("updated_at")?,
    })
}

fn event_from_row(r: &sqlx::any::AnyRow) -> Result<CourtEvent, StoreError> {
    let c = Cols::new(r, "court_events");
    Ok(CourtEvent {
        id: c.parsed("id", CourtEventId::parse)?,
        case_id: c.parsed("case_id", CaseId::parse)?,
        defendant_id: c.opt_parsed("defendant_id", EntityId::parse)?,
        kind: c.parsed("kind", CourtEventKind::parse)?,
        at: c.time("at")?,
        court: c.string("court")?,
        note: c.opt_string("note")?,
        created_by: c.parsed("created_by", UserId::parse)?,
        created_at: c.time("created_at")?,
    })
}

impl Store {
    pub async fn charges(&self, case: CaseId) -> Result<Vec<Charge>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CHARGE_COLUMNS} FROM charges WHERE case_id = $1 ORDER BY created_at, id"
        ))
        .bind(case.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(charge_from_row).collect()
    }

    pub async fn charge(&self, id: ChargeId) -> Result<Option<Charge>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {CHARGE_COLUMNS} FROM charges WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(self.reader())
        .await?;
        row.as_ref().map(charge_from_row).transpose()
    }

    pub async fn court_events(&self, case: CaseId) -> Result<Vec<CourtEvent>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM court_events WHERE case_id = $1 ORDER BY at, id"
        ))
        .bind(case.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(event_from_row).collect()
    }
}

/// A defendant must be a `Person` entity of the same case, and not one recorded as a victim
/// (principle 1: an identified victim is never entered as a suspect).
async fn check_defendant(
    ctx: &mut WriteCtx,
    case: CaseId,
    defendant: EntityId,
) -> Result<(), StoreError> {
    let row = sqlx::query(
        "SELECT properties FROM entities WHERE id = $1 AND case_id = $2 AND schema = 'Person'",
    )
    .bind(defendant.to_string())
    .bind(case.to_string())
    .fetch_optional(ctx.conn())
    .await?
    .ok_or_else(|| {
        StoreError::Rejected("defendant_id: must be a Person entity of this case".into())
    })?;
    let props: vigil_core::entity::Properties =
        Cols::new(&row, "entities").parsed("properties", |s| serde_json::from_str(s))?;
    if props
        .get("htcdsRole")
        .is_some_and(|roles| roles.iter().any(|r| r == "victim"))
    {
        return Err(StoreError::Rejected(
            "defendant_id: this person is recorded as a victim and cannot be charged".into(),
        ));
    }
    Ok(())
}

pub async fn insert_charge(ctx: &mut WriteCtx, c: &Charge) -> Result<(), StoreError> {
    check_defendant(ctx, c.case_id, c.defendant_id).await?;
    sqlx::query(&format!(
        "INSERT INTO charges ({CHARGE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ))
    .bind(c.id.to_string())
    .bind(c.case_id.to_string())
    .bind(c.defendant_id.to_string())
    .bind(&c.statute)
    .bind(&c.description)
    .bind(i64::from(c.trafficking))
    .bind(c.counts)
    .bind(c.disposition.as_str())
    .bind(c.disposed_on.map(Timestamp::unix_micros))
    .bind(c.sentence.clone())
    .bind(c.created_by.to_string())
    .bind(c.created_at.unix_micros())
    .bind(c.updated_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    crate::cases::touch(ctx, c.case_id).await?;
    let kind = if c.trafficking {
        "trafficking"
    } else {
        "other"
    };
    crate::content::insert_event(
        ctx,
        c.case_id,
        Some(c.created_by),
        "charge.created",
        &format!(
            "Charge added: {} ({kind}, {} count(s))",
            c.statute, c.counts
        ),
    )
    .await
}

/// Decides a pending charge. The disposition workflow is checked here, in the transaction.
pub async fn set_disposition(
    ctx: &mut WriteCtx,
    id: ChargeId,
    next: Disposition,
    on: Timestamp,
    sentence: Option<&str>,
    actor: UserId,
) -> Result<Disposition, StoreError> {
    let row = sqlx::query("SELECT case_id, disposition, statute FROM charges WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(ctx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let c = Cols::new(&row, "charges");
    let case = c.parsed("case_id", CaseId::parse)?;
    let current = c.parsed("disposition", Disposition::parse)?;
    let statute = c.string("statute")?;
    if !current.may_become(next) {
        return Err(StoreError::Rejected(format!(
            "a charge cannot move from {current} to {next}; dispositions are recorded once"
        )));
    }
    if sentence.is_some() && !next.may_carry_sentence() {
        return Err(StoreError::Rejected(format!(
            "sentence: only a conviction or plea carries a sentence, not {next}"
        )));
    }
    sqlx::query(
        "UPDATE charges SET disposition = $1, disposed_on = $2, sentence = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(next.as_str())
    .bind(on.unix_micros())
    .bind(sentence.map(str::to_owned))
    .bind(ctx.now().unix_micros())
    .bind(id.to_string())
    .execute(ctx.conn())
    .await?;
    crate::cases::touch(ctx, case).await?;
    crate::content::insert_event(
        ctx,
        case,
        Some(actor),
        "charge.disposition",
        &format!("Charge {statute}: {next}"),
    )
    .await?;
    Ok(current)
}

pub async fn insert_court_event(ctx: &mut WriteCtx, e: &CourtEvent) -> Result<(), StoreError> {
    if let Some(d) = e.defendant_id {
        check_defendant(ctx, e.case_id, d).await?;
    }
    sqlx::query(&format!(
        "INSERT INTO court_events ({EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(e.id.to_string())
    .bind(e.case_id.to_string())
    .bind(e.defendant_id.map(|d| d.to_string()))
    .bind(e.kind.as_str())
    .bind(e.at.unix_micros())
    .bind(&e.court)
    .bind(e.note.clone())
    .bind(e.created_by.to_string())
    .bind(e.created_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    crate::cases::touch(ctx, e.case_id).await?;
    crate::content::insert_event(
        ctx,
        e.case_id,
        Some(e.created_by),
        "court.event",
        &format!("Court event: {} on {}", e.kind, e.at.to_rfc3339_seconds()),
    )
    .await
}
