//! Joint operations (O1, O2): the plan, participating agencies, roster, victim services on site,
//! linked cases and outcomes, and the facts the policy decides them by.

use crate::row::Cols;
use crate::{Store, StoreError, WriteCtx};
use sqlx::Row;
use vigil_core::operation::{OperationStatus, Outcomes, ParticipantRole};
use vigil_core::{OperationFacts, RosterMember};
use vigil_types::{AgencyId, CaseId, OperationId, Timestamp, UserId};

/// An operation's plan and state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    pub id: OperationId,
    pub lead_agency_id: AgencyId,
    pub name: String,
    pub location: String,
    pub planned_start: Timestamp,
    pub planned_end: Option<Timestamp>,
    pub status: OperationStatus,
    /// `None` until recorded.
    pub outcomes: Option<Outcomes>,
    pub outcome_notes: Option<String>,
    pub outcomes_by: Option<UserId>,
    pub outcomes_at: Option<Timestamp>,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A participating agency and what it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participant {
    pub agency_id: AgencyId,
    pub role: ParticipantRole,
}

/// Someone on the roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterEntry {
    pub user_id: UserId,
    pub agency_id: AgencyId,
    pub display_name: String,
    pub role: vigil_core::Role,
    pub commander: bool,
    pub added_at: Timestamp,
}

/// Victim services on site: who provides them and how many advocates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnsiteService {
    pub provider: String,
    /// The provider's agency when it is a task-force agency.
    pub agency_id: Option<AgencyId>,
    pub advocates: i64,
}

const COLUMNS: &str = "id, lead_agency_id, name, location, planned_start, planned_end, status, \
     people_recovered, minors_recovered, arrests, referrals_made, outcome_notes, outcomes_by, outcomes_at, \
     created_by, created_at, updated_at";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Operation, StoreError> {
    let c = Cols::new(r, "operations");
    let outcomes = match (
        c.opt_int("people_recovered")?,
        c.opt_int("minors_recovered")?,
        c.opt_int("arrests")?,
        c.opt_int("referrals_made")?,
    ) {
        (Some(p), Some(m), Some(a), Some(r)) => Some(Outcomes {
            people_recovered: p,
            minors_recovered: m,
            arrests: a,
            referrals_made: r,
        }),
        _ => None,
    };
    Ok(Operation {
        id: c.parsed("id", OperationId::parse)?,
        lead_agency_id: c.parsed("lead_agency_id", AgencyId::parse)?,
        name: c.string("name")?,
        location: c.string("location")?,
        planned_start: c.time("planned_start")?,
        planned_end: c.opt_time("planned_end")?,
        status: c.parsed("status", OperationStatus::parse)?,
        outcomes,
        outcome_notes: c.opt_string("outcome_notes")?,
        outcomes_by: c.opt_parsed("outcomes_by", UserId::parse)?,
        outcomes_at: c.opt_time("outcomes_at")?,
        created_by: c.parsed("created_by", UserId::parse)?,
        created_at: c.time("created_at")?,
        updated_at: c.time("updated_at")?,
    })
}

impl Store {
    pub async fn operation(&self, id: OperationId) -> Result<Option<Operation>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM operations WHERE id = $1"))
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// What the policy needs: lead agency, participants, roster. `None` if there is none.
    pub async fn operation_facts(
        &self,
        id: OperationId,
    ) -> Result<Option<OperationFacts>, StoreError> {
        let Some(row) = sqlx::query("SELECT lead_agency_id FROM operations WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await?
        else {
            return Ok(None);
        };
        let lead_agency =
            Cols::new(&row, "operations").parsed("lead_agency_id", AgencyId::parse)?;
        let participants =
            sqlx::query("SELECT agency_id FROM operation_agencies WHERE operation_id = $1")
                .bind(id.to_string())
                .fetch_all(self.reader())
                .await?
                .iter()
                .map(|r| Cols::new(r, "operation_agencies").parsed("agency_id", AgencyId::parse))
                .collect::<Result<_, _>>()?;
        let roster = sqlx::query(
            "SELECT user_id, agency_id, commander FROM operation_roster WHERE operation_id = $1",
        )
        .bind(id.to_string())
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|r| {
            let c = Cols::new(r, "operation_roster");
            Ok(RosterMember {
                user: c.parsed("user_id", UserId::parse)?,
                agency: c.parsed("agency_id", AgencyId::parse)?,
                commander: c.flag("commander")?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
        Ok(Some(OperationFacts {
            id,
            lead_agency,
            participants,
            roster,
        }))
    }

    /// Operations the caller might see: on the roster, or led by the caller's agency. The
    /// caller filters these through the policy, which stays the only judge.
    pub async fn operation_candidates(
        &self,
        user: UserId,
        agency: AgencyId,
    ) -> Result<Vec<Operation>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM operations WHERE lead_agency_id = $1 \
             OR id IN (SELECT operation_id FROM operation_roster WHERE user_id = $2) \
             ORDER BY planned_start DESC, id"
        ))
        .bind(agency.to_string())
        .bind(user.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn operation_participants(
        &self,
        id: OperationId,
    ) -> Result<Vec<Participant>, StoreError> {
        sqlx::query(
            "SELECT agency_id, role FROM operation_agencies WHERE operation_id = $1 ORDER BY role, agency_id",
        )
        .bind(id.to_string())
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|r| {
            let c = Cols::new(r, "operation_agencies");
            Ok(Participant {
                agency_id: c.parsed("agency_id", AgencyId::parse)?,
                role: c.parsed("role", ParticipantRole::parse)?,
            })
        })
        .collect()
    }

    pub async fn operation_roster(&self, id: OperationId) -> Result<Vec<RosterEntry>, StoreError> {
        sqlx::query(
            "SELECT r.user_id, r.agency_id, u.display_name, u.role, r.commander, r.added_at FROM operation_roster r \
             JOIN users u ON u.id = r.user_id WHERE r.operation_id = $1 ORDER BY r.commander DESC, u.display_name",
        )
        .bind(id.to_string())
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|r| {
            let c = Cols::new(r, "operation_roster");
            Ok(RosterEntry {
                user_id: c.parsed("user_id", UserId::parse)?,
                agency_id: c.parsed("agency_id", AgencyId::parse)?,
                display_name: c.string("display_name")?,
                role: c.parsed("role", vigil_core::Role::parse)?,
                commander: c.flag("commander")?,
                added_at: c.time("added_at")?,
            })
        })
        .collect()
    }

    pub async fn operation_services(
        &self,
        id: OperationId,
    ) -> Result<Vec<OnsiteService>, StoreError> {
        sqlx::query(
            "SELECT provider, agency_id, advocates FROM operation_services WHERE operation_id = $1 ORDER BY position",
        )
        .bind(id.to_string())
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|r| {
            let c = Cols::new(r, "operation_services");
            Ok(OnsiteService {
                provider: c.string("provider")?,
                agency_id: c.opt_parsed("agency_id", AgencyId::parse)?,
                advocates: c.int("advocates")?,
            })
        })
        .collect()
    }

    /// The cases linked to an operation (ids only: the caller filters them through the policy).
    pub async fn operation_cases(&self, id: OperationId) -> Result<Vec<CaseId>, StoreError> {
        sqlx::query(
            "SELECT case_id FROM operation_cases WHERE operation_id = $1 ORDER BY linked_at, case_id",
        )
        .bind(id.to_string())
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|r| Cols::new(r, "operation_cases").parsed("case_id", CaseId::parse))
        .collect()
    }
}

async fn replace_participants(
    ctx: &mut WriteCtx,
    id: OperationId,
    lead: AgencyId,
    participants: &[Participant],
) -> Result<(), StoreError> {
    if !participants.iter().any(|p| p.agency_id == lead) {
        return Err(StoreError::Rejected(
            "participants: the lead agency must take part".into(),
        ));
    }
    sqlx::query("DELETE FROM operation_agencies WHERE operation_id = $1")
        .bind(id.to_string())
        .execute(ctx.conn())
        .await?;
    for p in participants {
        sqlx::query(
            "INSERT INTO operation_agencies (operation_id, agency_id, role) VALUES ($1, $2, $3)",
        )
        .bind(id.to_string())
        .bind(p.agency_id.to_string())
        .bind(p.role.as_str())
        .execute(ctx.conn())
        .await?;
    }
    Ok(())
}

async fn replace_services(
    ctx: &mut WriteCtx,
    id: OperationId,
    services: &[OnsiteService],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM operation_services WHERE operation_id = $1")
        .bind(id.to_string())
        .execute(ctx.conn())
        .await?;
    for (n, s) in services.iter().enumerate() {
        sqlx::query(
            "INSERT INTO operation_services (operation_id, position, provider, agency_id, advocates) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.to_string())
        .bind(i64::try_from(n).unwrap_or(i64::MAX))
        .bind(&s.provider)
        .bind(s.agency_id.map(|a| a.to_string()))
        .bind(s.advocates)
        .execute(ctx.conn())
        .await?;
    }
    Ok(())
}

/// Inserts a planned operation with its participants and services, and its creator on the
/// roster as commander.
pub async fn insert(
    ctx: &mut WriteCtx,
    op: &Operation,
    participants: &[Participant],
    services: &[OnsiteService],
    creator_agency: AgencyId,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO operations ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, $8, $9, $10)"
    ))
    .bind(op.id.to_string())
    .bind(op.lead_agency_id.to_string())
    .bind(&op.name)
    .bind(&op.location)
    .bind(op.planned_start.unix_micros())
    .bind(op.planned_end.map(Timestamp::unix_micros))
    .bind(op.status.as_str())
    .bind(op.created_by.to_string())
    .bind(op.created_at.unix_micros())
    .bind(op.updated_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    replace_participants(ctx, op.id, op.lead_agency_id, participants).await?;
    replace_services(ctx, op.id, services).await?;
    add_to_roster(ctx, op.id, op.created_by, creator_agency, true).await
}

/// What a plan change may replace (`None` leaves a part as it is).
#[derive(Clone, Debug, Default)]
pub struct PlanChange {
    pub name: Option<String>,
    pub location: Option<String>,
    pub planned_start: Option<Timestamp>,
    /// `Some(None)` clears the end.
    pub planned_end: Option<Option<Timestamp>>,
    pub participants: Option<Vec<Participant>>,
    pub services: Option<Vec<OnsiteService>>,
}

/// Changes the plan while the operation is planned or under way.
pub async fn update_plan(
    ctx: &mut WriteCtx,
    id: OperationId,
    change: &PlanChange,
) -> Result<(), StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM operations WHERE id = $1"))
        .bind(id.to_string())
        .fetch_optional(ctx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let op = from_row(&row)?;
    if !op.status.plan_editable() {
        return Err(StoreError::Rejected(format!(
            "the plan of a {} operation cannot change",
            op.status
        )));
    }
    let start = change.planned_start.unwrap_or(op.planned_start);
    let end = change.planned_end.unwrap_or(op.planned_end);
    vigil_core::operation::check_window(start, end, ctx.now(), false)
        .map_err(|(field, why)| StoreError::Rejected(format!("{field}: {why}")))?;
    sqlx::query(
        "UPDATE operations SET name = $1, location = $2, planned_start = $3, planned_end = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(change.name.clone().unwrap_or(op.name))
    .bind(change.location.clone().unwrap_or(op.location))
    .bind(start.unix_micros())
    .bind(end.map(Timestamp::unix_micros))
    .bind(ctx.now().unix_micros())
    .bind(id.to_string())
    .execute(ctx.conn())
    .await?;
    if let Some(p) = &change.participants {
        replace_participants(ctx, id, op.lead_agency_id, p).await?;
    }
    if let Some(s) = &change.services {
        replace_services(ctx, id, s).await?;
    }
    Ok(())
}

/// Puts a user on the roster; their agency must be a participating agency.
pub async fn add_to_roster(
    ctx: &mut WriteCtx,
    id: OperationId,
    user: UserId,
    agency: AgencyId,
    commander: bool,
) -> Result<(), StoreError> {
    let participates: i64 = sqlx::query(
        "SELECT COUNT(*) FROM operation_agencies WHERE operation_id = $1 AND agency_id = $2",
    )
    .bind(id.to_string())
    .bind(agency.to_string())
    .fetch_one(ctx.conn())
    .await?
    .try_get(0)?;
    if participates == 0 {
        return Err(StoreError::Rejected(
            "user_id: the user's agency does not take part; add the agency to the participants first"
                .into(),
        ));
    }
    sqlx::query(
        "INSERT INTO operation_roster (operation_id, user_id, agency_id, commander, added_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.to_string())
    .bind(user.to_string())
    .bind(agency.to_string())
    .bind(i64::from(commander))
    .bind(ctx.now().unix_micros())
    .execute(ctx.conn())
    .await?;
    Ok(())
}

async fn note_on_cases(
    ctx: &mut WriteCtx,
    id: OperationId,
    actor: UserId,
    kind: &str,
    summary: &str,
) -> Result<(), StoreError> {
    let cases: Vec<CaseId> =
        sqlx::query("SELECT case_id FROM operation_cases WHERE operation_id = $1")
            .bind(id.to_string())
            .fetch_all(ctx.conn())
            .await?
            .iter()
            .map(|r| Cols::new(r, "operation_cases").parsed("case_id", CaseId::parse))
            .collect::<Result<_, _>>()?;
    for c in cases {
        crate::content::insert_event(ctx, c, Some(actor), kind, summary).await?;
    }
    Ok(())
}

/// Moves an operation along its workflow; linked cases get a timeline line when it ends.
pub async fn set_status(
    ctx: &mut WriteCtx,
    id: OperationId,
    next: OperationStatus,
    actor: UserId,
) -> Result<OperationStatus, StoreError> {
    let row = sqlx::query("SELECT status FROM operations WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(ctx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let current = Cols::new(&row, "operations").parsed("status", OperationStatus::parse)?;
    if !current.may_become(next) {
        return Err(StoreError::Rejected(format!(
            "an operation cannot move from {current} to {next}"
        )));
    }
    sqlx::query("UPDATE operations SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(next.as_str())
        .bind(ctx.now().unix_micros())
        .bind(id.to_string())
        .execute(ctx.conn())
        .await?;
    if matches!(
        next,
        OperationStatus::Completed | OperationStatus::Cancelled
    ) {
        note_on_cases(
            ctx,
            id,
            actor,
            "operation.status",
            &format!("Joint operation {id} {next}"),
        )
        .await?;
    }
    Ok(current)
}

/// Links a case to an operation and notes it on the case's timeline.
pub async fn link_case(
    ctx: &mut WriteCtx,
    id: OperationId,
    case: CaseId,
    actor: UserId,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO operation_cases (operation_id, case_id, linked_by, linked_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(id.to_string())
    .bind(case.to_string())
    .bind(actor.to_string())
    .bind(ctx.now().unix_micros())
    .execute(ctx.conn())
    .await?;
    crate::cases::touch(ctx, case).await?;
    crate::content::insert_event(
        ctx,
        case,
        Some(actor),
        "operation.linked",
        &format!("Linked to joint operation {id}"),
    )
    .await
}

/// Records (or corrects) the outcomes once the operation is under way or completed. The
/// counts must already be validated (`Outcomes::validate`).
pub async fn set_outcomes(
    ctx: &mut WriteCtx,
    id: OperationId,
    o: Outcomes,
    notes: Option<&str>,
    actor: UserId,
) -> Result<(), StoreError> {
    let row = sqlx::query("SELECT status FROM operations WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(ctx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let status = Cols::new(&row, "operations").parsed("status", OperationStatus::parse)?;
    if !status.takes_outcomes() {
        return Err(StoreError::Rejected(format!(
            "outcomes are recorded once an operation is under way; this one is {status}"
        )));
    }
    let now = ctx.now().unix_micros();
    sqlx::query(
        "UPDATE operations SET people_recovered = $1, minors_recovered = $2, arrests = $3, referrals_made = $4, \
         outcome_notes = $5, outcomes_by = $6, outcomes_at = $7, updated_at = $7 WHERE id = $8",
    )
    .bind(o.people_recovered)
    .bind(o.minors_recovered)
    .bind(o.arrests)
    .bind(o.referrals_made)
    .bind(notes.map(str::to_owned))
    .bind(actor.to_string())
    .bind(now)
    .bind(id.to_string())
    .execute(ctx.conn())
    .await?;
    note_on_cases(
        ctx,
        id,
        actor,
        "operation.outcomes",
        &format!(
            "Joint operation {id} outcomes recorded: {} recovered ({} minors), {} arrests, {} referrals",
            o.people_recovered, o.minors_recovered, o.arrests, o.referrals_made
        ),
    )
    .await
}
