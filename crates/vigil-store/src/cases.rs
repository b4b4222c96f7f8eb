//! Cases, their teams and the facts the authorisation policy needs about them.

use crate::fetch;
use crate::row::Cols;
use crate::{Store, StoreError, WriteCtx};
use sqlx::Row;
use vigil_core::{CaseFacts, CaseStatus, Sensitivity, TeamMember, TraffickingType};
use vigil_types::{AgencyId, CaseId, CaseNumber, Timestamp, UserId};

/// A case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    pub id: CaseId,
    pub agency_id: AgencyId,
    pub number: CaseNumber,
    pub title: String,
    pub trafficking_type: TraffickingType,
    pub status: CaseStatus,
    pub sensitivity: Sensitivity,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A member of a case team, with what the UI shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamEntry {
    pub user_id: UserId,
    pub display_name: String,
    pub agency_id: AgencyId,
    pub role: vigil_core::Role,
    pub lead: bool,
    pub added_at: Timestamp,
}

const COLUMNS: &str =
    "id, agency_id, number, title, trafficking_type, status, sensitivity, created_by, created_at, updated_at";

static CASE_BY_ID: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("SELECT {COLUMNS} FROM cases WHERE id = $1"));

const FACTS_SQL: &str = "SELECT c.agency_id, c.sensitivity, t.user_id, t.lead FROM cases c \
     LEFT JOIN case_team t ON t.case_id = c.id WHERE c.id = $1";

const COUNTS_SQL: &str = "SELECT (SELECT COUNT(*) FROM entities WHERE case_id = $1) AS entities, \
     (SELECT COUNT(*) FROM links WHERE case_id = $1) AS links, \
     (SELECT COUNT(*) FROM notes WHERE case_id = $1) AS notes, \
     (SELECT COUNT(*) FROM tasks WHERE case_id = $1 AND status = 'open') AS open_tasks";

const TEAM_SQL: &str =
    "SELECT t.user_id, u.display_name, u.agency_id, u.role, t.lead, t.added_at FROM case_team t \
     JOIN users u ON u.id = t.user_id WHERE t.case_id = $1 ORDER BY t.lead DESC, u.display_name";

/// A case with its team and counts, and the facts the policy decides by (`Store::case_view`).
#[derive(Clone, Debug)]
pub struct CaseView {
    pub facts: CaseFacts,
    pub case: Case,
    pub team: Vec<TeamEntry>,
    /// (entities, links, notes, open tasks)
    pub counts: (i64, i64, i64, i64),
}

fn facts_from_rows(id: CaseId, rows: &fetch::Rows) -> Result<Option<CaseFacts>, StoreError> {
    let Some(first) = rows.get(0) else {
        return Ok(None);
    };
    let c = Cols::new(first, "cases");
    let owner = c.parsed("agency_id", AgencyId::parse)?;
    let sensitivity = c.parsed("sensitivity", Sensitivity::parse)?;
    let mut team = Vec::with_capacity(rows.len());
    for r in rows.iter() {
        let c = Cols::new(r, "case_team");
        if let Some(user) = c.opt_parsed("user_id", UserId::parse)? {
            team.push(TeamMember {
                user,
                lead: c.opt_int("lead")?.unwrap_or(0) != 0,
            });
        }
    }
    Ok(Some(CaseFacts {
        id,
        owner,
        sensitivity,
        team,
    }))
}

fn counts_from_rows(rows: &fetch::Rows) -> Result<(i64, i64, i64, i64), StoreError> {
    let row = rows.get(0).ok_or(StoreError::NotFound)?;
    let c = Cols::new(row, "cases");
    Ok((
        c.int("entities")?,
        c.int("links")?,
        c.int("notes")?,
        c.int("open_tasks")?,
    ))
}

fn team_from_rows(rows: &fetch::Rows) -> Result<Vec<TeamEntry>, StoreError> {
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "case_team");
            Ok(TeamEntry {
                user_id: c.parsed("user_id", UserId::parse)?,
                display_name: c.string("display_name")?,
                agency_id: c.parsed("agency_id", AgencyId::parse)?,
                role: c.parsed("role", vigil_core::Role::parse)?,
                lead: c.flag("lead")?,
                added_at: c.time("added_at")?,
            })
        })
        .collect()
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<Case, StoreError> {
    from_source(r)
}

pub(crate) fn from_source(r: &dyn crate::row::RowSource) -> Result<Case, StoreError> {
    let c = Cols::new(r, "cases");
    Ok(Case {
        id: c.parsed("id", CaseId::parse)?,
        agency_id: c.parsed("agency_id", AgencyId::parse)?,
        number: c.parsed("number", CaseNumber::parse)?,
        title: c.string("title")?,
        trafficking_type: c.parsed("trafficking_type", TraffickingType::parse)?,
        status: c.parsed("status", CaseStatus::parse)?,
        sensitivity: c.parsed("sensitivity", Sensitivity::parse)?,
        created_by: c.parsed("created_by", UserId::parse)?,
        created_at: c.time("created_at")?,
        updated_at: c.time("updated_at")?,
    })
}

impl Store {
    pub async fn case(&self, id: CaseId) -> Result<Option<Case>, StoreError> {
        let rows = self.fetch(&CASE_BY_ID, vec![id.to_string().into()]).await?;
        rows.get(0).map(from_source).transpose()
    }

    /// What the policy needs: owner, sensitivity, team. `None` if there is no such case.
    /// One query: this runs on every case-scoped request.
    pub async fn case_facts(&self, id: CaseId) -> Result<Option<CaseFacts>, StoreError> {
        let rows = self.fetch(FACTS_SQL, vec![id.to_string().into()]).await?;
        facts_from_rows(id, &rows)
    }

    /// Everything a case page shows and the facts the policy decides it by, read in one go
    /// (one snapshot; on SQLite one blocking hop). `None` if there is no such case. The caller
    /// must ask the policy with `facts` before showing anything else.
    pub async fn case_view(&self, id: CaseId) -> Result<Option<CaseView>, StoreError> {
        let key = id.to_string();
        let q = |sql: &str| (sql.to_owned(), vec![fetch::Bind::from(key.as_str())]);
        let all = self
            .fetch_many(vec![
                q(FACTS_SQL),
                q(CASE_BY_ID.as_str()),
                q(TEAM_SQL),
                q(COUNTS_SQL),
            ])
            .await?;
        let [facts, case, team, counts] = <[fetch::Rows; 4]>::try_from(all)
            .map_err(|_| StoreError::ReadFailed("case view: wrong number of results".into()))?;
        let Some(facts) = facts_from_rows(id, &facts)? else {
            return Ok(None);
        };
        let Some(case) = case.get(0).map(from_source).transpose()? else {
            return Ok(None);
        };
        Ok(Some(CaseView {
            facts,
            case,
            team: team_from_rows(&team)?,
            counts: counts_from_rows(&counts)?,
        }))
    }

    /// Cases the caller might see: on the team, or owned by the caller's agency. The caller
    /// filters these through the policy, which stays the only judge.
    pub async fn case_candidates(
        &self,
        user: UserId,
        agency: AgencyId,
    ) -> Result<Vec<Case>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM cases WHERE agency_id = $1 OR id IN (SELECT case_id FROM case_team WHERE user_id = $2) \
             ORDER BY updated_at DESC"
        ))
        .bind(agency.to_string())
        .bind(user.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn case_team(&self, id: CaseId) -> Result<Vec<TeamEntry>, StoreError> {
        let rows = self.fetch(TEAM_SQL, vec![id.to_string().into()]).await?;
        team_from_rows(&rows)
    }

    pub async fn case_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM cases")
            .fetch_one(self.reader())
            .await?
            .try_get::<i64, _>(0)?)
    }
}

/// Inserts a case with its creator as lead.
pub async fn insert(ctx: &mut WriteCtx, c: &Case) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO cases ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ))
    .bind(c.id.to_string())
    .bind(c.agency_id.to_string())
    .bind(c.number.as_str())
    .bind(&c.title)
    .bind(c.trafficking_type.as_str())
    .bind(c.status.as_str())
    .bind(c.sensitivity.as_str())
    .bind(c.created_by.to_string())
    .bind(c.created_at.unix_micros())
    .bind(c.updated_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    add_member(ctx, c.id, c.created_by, true).await?;
    crate::content::insert_event(ctx, c.id, Some(c.created_by), "case.created", "Case opened").await
}

/// Changes title, type or sensitivity (whichever is `Some`).
pub async fn update(
    ctx: &mut WriteCtx,
    id: CaseId,
    title: Option<&str>,
    kind: Option<TraffickingType>,
    sensitivity: Option<Sensitivity>,
) -> Result<(), StoreError> {
    let now = ctx.now().unix_micros();
    let done = sqlx::query(
        "UPDATE cases SET title = COALESCE($1, title), trafficking_type = COALESCE($2, trafficking_type), \
         sensitivity = COALESCE($3, sensitivity), updated_at = $4 WHERE id = $5",
    )
    .bind(title.map(str::to_owned))
    .bind(kind.map(|k| k.as_str().to_owned()))
    .bind(sensitivity.map(|s| s.as_str().to_owned()))
    .bind(now)
    .bind(id.to_string())
    .execute(ctx.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Moves a case along the workflow, refusing transitions the workflow does not allow.
pub async fn set_status(
    ctx: &mut WriteCtx,
    id: CaseId,
    actor: UserId,
    next: CaseStatus,
) -> Result<CaseStatus, StoreError> {
    let row = sqlx::query("SELECT status FROM cases WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(ctx.conn())
        .await?;
    let row = row.ok_or(StoreError::NotFound)?;
    let current = Cols::new(&row, "cases").parsed("status", CaseStatus::parse)?;
    if !current.may_become(next) {
        return Err(StoreError::Rejected(format!(
            "a case cannot move from {current} to {next}"
        )));
    }
    sqlx::query("UPDATE cases SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(next.as_str())
        .bind(ctx.now().unix_micros())
        .bind(id.to_string())
        .execute(ctx.conn())
        .await?;
    crate::content::insert_event(
        ctx,
        id,
        Some(actor),
        "case.status",
        &format!("Status changed from {current} to {next}"),
    )
    .await?;
    Ok(current)
}

pub async fn add_member(
    ctx: &mut WriteCtx,
    case: CaseId,
    user: UserId,
    lead: bool,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO case_team (case_id, user_id, lead, added_at) VALUES ($1, $2, $3, $4)")
        .bind(case.to_string())
        .bind(user.to_string())
        .bind(i64::from(lead))
        .bind(ctx.now().unix_micros())
        .execute(ctx.conn())
        .await?;
    Ok(())
}

/// Removes a member; refuses to remove the last lead.
pub async fn remove_member(
    ctx: &mut WriteCtx,
    case: CaseId,
    user: UserId,
) -> Result<(), StoreError> {
    let leads: i64 = sqlx::query(
        "SELECT COUNT(*) FROM case_team WHERE case_id = $1 AND lead = 1 AND user_id <> $2",
    )
    .bind(case.to_string())
    .bind(user.to_string())
    .fetch_one(ctx.conn())
    .await?
    .try_get(0)?;
    if leads == 0 {
        return Err(StoreError::Rejected(
            "a case must keep at least one lead".into(),
        ));
    }
    let done = sqlx::query("DELETE FROM case_team WHERE case_id = $1 AND user_id = $2")
        .bind(case.to_string())
        .bind(user.to_string())
        .execute(ctx.conn())
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Bumps `updated_at` (content changed).
pub async fn touch(ctx: &mut WriteCtx, case: CaseId) -> Result<(), StoreError> {
    sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2")
        .bind(ctx.now().unix_micros())
        .bind(case.to_string())
        .execute(ctx.conn())
        .await?;
    Ok(())
}
