//! Cross-referencing records: match candidates between two entities, the append-only history of
//! human judgements on them (a later judgement supersedes, nothing is overwritten), the stoplist
//! of generic values, and the entity neighbourhoods the matcher turns into person records.

use crate::content::{entity_from_row, link_from_row, Entity, Link, ENTITY_COLUMNS, LINK_COLUMNS};
use crate::row::Cols;
use crate::{Store, StoreError, WriteCtx};
use sqlx::AnyConnection;
use vigil_types::{CandidateId, CaseId, EntityId, Timestamp, UserId};

/// A possible match between two entities (`entity_a` < `entity_b` as strings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub id: CandidateId,
    pub entity_a: EntityId,
    pub case_a: CaseId,
    pub entity_b: EntityId,
    pub case_b: CaseId,
    /// Match probability in millionths.
    pub score_ppm: i64,
    /// The per-field explanation as JSON (holds compared values: never audit it).
    pub explanation: String,
    /// Some agreeing value was generic (stoplist or shared by unrelated records).
    pub generic: bool,
    /// `run`, `incremental` or `seed`.
    pub found_by: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// One judgement in a candidate's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
    pub seq: i64,
    pub candidate_id: CandidateId,
    /// `same`, `different`, `unsure` or `undo` (withdraws the judgement before it).
    pub decision: String,
    pub judged_by: UserId,
    pub judged_at: Timestamp,
}

/// A stoplisted generic value (a hotline, a hotel switchboard).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StopEntry {
    pub id: String,
    /// `phone`, `email` or `national_id`.
    pub kind: String,
    /// The normalised value.
    pub value: String,
    /// A short code or phrase, e.g. `hotline`.
    pub reason: String,
    pub added_by: Option<UserId>,
    pub added_at: Timestamp,
}

const CANDIDATE_COLUMNS: &str = "id, entity_a, case_a, entity_b, case_b, score_ppm, explanation, generic, found_by, created_at, updated_at";

fn candidate_from_row(r: &sqlx::any::AnyRow) -> Result<Candidate, StoreError> {
    let c = Cols::new(r, "xref_candidates");
    Ok(Candidate {
        id: c.parsed("id", CandidateId::parse)?,
        entity_a: c.parsed("entity_a", EntityId::parse)?,
        case_a: c.parsed("case_a", CaseId::parse)?,
        entity_b: c.parsed("entity_b", EntityId::parse)?,
        case_b: c.parsed("case_b", CaseId::parse)?,
        score_ppm: c.int("score_ppm")?,
        explanation: c.string("explanation")?,
        generic: c.flag("generic")?,
        found_by: c.string("found_by")?,
        created_at: c.time("created_at")?,
        updated_at: c.time("updated_at")?,
    })
}

fn judgement_from_row(r: &sqlx::any::AnyRow) -> Result<Judgement, StoreError> {
    let c = Cols::new(r, "xref_judgements");
    Ok(Judgement {
        seq: c.int("seq")?,
        candidate_id: c.parsed("candidate_id", CandidateId::parse)?,
        decision: c.string("decision")?,
        judged_by: c.parsed("judged_by", UserId::parse)?,
        judged_at: c.time("judged_at")?,
    })
}

fn stop_from_row(r: &sqlx::any::AnyRow) -> Result<StopEntry, StoreError> {
    let c = Cols::new(r, "xref_stoplist");
    Ok(StopEntry {
        id: c.string("id")?,
        kind: c.string("kind")?,
        value: c.string("value")?,
        reason: c.string("reason")?,
        added_by: c.opt_parsed("added_by", UserId::parse)?,
        added_at: c.time("added_at")?,
    })
}

/// `$from, $from+1, …` for `n` values.
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Largest number of ids bound into one `IN (…)` list.
const CHUNK: usize = 500;

async fn entities_in(
    conn: &mut AnyConnection,
    ids: &[EntityId],
) -> Result<Vec<Entity>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let sql = format!(
            "SELECT {ENTITY_COLUMNS} FROM entities WHERE id IN ({}) ORDER BY id",
            placeholders(1, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id.to_string());
        }
        for r in q.fetch_all(&mut *conn).await? {
            out.push(entity_from_row(&r)?);
        }
    }
    Ok(out)
}

async fn links_touching(
    conn: &mut AnyConnection,
    ids: &[EntityId],
) -> Result<Vec<Link>, StoreError> {
    let mut out: Vec<Link> = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let p = placeholders(1, chunk.len());
        let sql = format!(
            "SELECT {LINK_COLUMNS} FROM links WHERE source_id IN ({p}) OR target_id IN ({p}) ORDER BY id"
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id.to_string());
        }
        for r in q.fetch_all(&mut *conn).await? {
            let l = link_from_row(&r)?;
            if !out.iter().any(|x| x.id == l.id) {
                out.push(l);
            }
        }
    }
    Ok(out)
}

/// The persons affected by a change to `ids` (the ids themselves when they are persons, and the
/// persons linked to them), with every entity and link the matcher needs to describe them.
/// Runs on `conn` so a write job sees its own uncommitted changes.
pub async fn person_neighbourhood(
    conn: &mut AnyConnection,
    ids: &[EntityId],
) -> Result<(Vec<EntityId>, Vec<Entity>, Vec<Link>), StoreError> {
    let first = links_touching(conn, ids).await?;
    let mut around: Vec<EntityId> = ids.to_vec();
    for l in &first {
        around.push(l.source_id);
        around.push(l.target_id);
    }
    around.sort_unstable();
    around.dedup();
    let persons: Vec<EntityId> = entities_in(conn, &around)
        .await?
        .into_iter()
        .filter(|e| e.schema == vigil_core::entity::Schema::Person)
        .map(|e| e.id)
        .collect();
    let links = links_touching(conn, &persons).await?;
    let mut wanted = persons.clone();
    for l in &links {
        wanted.push(l.source_id);
        wanted.push(l.target_id);
    }
    wanted.sort_unstable();
    wanted.dedup();
    let entities = entities_in(conn, &wanted).await?;
    Ok((persons, entities, links))
}

impl Store {
    /// Every person, phone, e-mail and address entity and every link: what the matcher's index
    /// is rebuilt from at start.
    pub async fn xref_sources(&self) -> Result<(Vec<Entity>, Vec<Link>), StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ENTITY_COLUMNS} FROM entities WHERE schema IN ('Person', 'Phone', 'Email', 'Address') ORDER BY id"
        ))
        .fetch_all(self.reader())
        .await?;
        let entities = rows
            .iter()
            .map(entity_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let rows = sqlx::query(&format!("SELECT {LINK_COLUMNS} FROM links ORDER BY id"))
            .fetch_all(self.reader())
            .await?;
        let links = rows
            .iter()
            .map(link_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok((entities, links))
    }

    /// Candidates with a record in `case`, best first.
    pub async fn xref_candidates_for_case(
        &self,
        case: CaseId,
    ) -> Result<Vec<Candidate>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CANDIDATE_COLUMNS} FROM xref_candidates WHERE case_a = $1 OR case_b = $1 ORDER BY score_ppm DESC, id"
        ))
        .bind(case.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(candidate_from_row).collect()
    }

    pub async fn xref_candidate(&self, id: CandidateId) -> Result<Option<Candidate>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {CANDIDATE_COLUMNS} FROM xref_candidates WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(self.reader())
        .await?;
        row.as_ref().map(candidate_from_row).transpose()
    }

    /// Every candidate that has at least one judgement (for label export and same-as clusters).
    pub async fn xref_judged_candidates(&self) -> Result<Vec<Candidate>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CANDIDATE_COLUMNS} FROM xref_candidates WHERE id IN (SELECT candidate_id FROM xref_judgements) ORDER BY id"
        ))
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(candidate_from_row).collect()
    }

    /// Judgements on candidates of `case`, oldest first.
    pub async fn xref_judgements_for_case(
        &self,
        case: CaseId,
    ) -> Result<Vec<Judgement>, StoreError> {
        let rows = sqlx::query(
            "SELECT j.seq, j.candidate_id, j.decision, j.judged_by, j.judged_at FROM xref_judgements j \
             JOIN xref_candidates c ON c.id = j.candidate_id WHERE c.case_a = $1 OR c.case_b = $1 ORDER BY j.seq",
        )
        .bind(case.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(judgement_from_row).collect()
    }

    /// One candidate's judgement history, oldest first.
    pub async fn xref_judgements(&self, id: CandidateId) -> Result<Vec<Judgement>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, candidate_id, decision, judged_by, judged_at FROM xref_judgements WHERE candidate_id = $1 ORDER BY seq",
        )
        .bind(id.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(judgement_from_row).collect()
    }

    /// Every judgement, oldest first.
    pub async fn xref_all_judgements(&self) -> Result<Vec<Judgement>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, candidate_id, decision, judged_by, judged_at FROM xref_judgements ORDER BY seq",
        )
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(judgement_from_row).collect()
    }

    pub async fn xref_stoplist(&self) -> Result<Vec<StopEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, kind, value, reason, added_by, added_at FROM xref_stoplist ORDER BY kind, value",
        )
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(stop_from_row).collect()
    }
}

/// Inserts a candidate, or refreshes the score and explanation of the existing candidate for the
/// same pair. Returns the candidate's id and whether it is new.
pub async fn upsert_candidate(
    ctx: &mut WriteCtx,
    c: &Candidate,
) -> Result<(CandidateId, bool), StoreError> {
    use sqlx::Row;
    let existing =
        sqlx::query("SELECT id FROM xref_candidates WHERE entity_a = $1 AND entity_b = $2")
            .bind(c.entity_a.to_string())
            .bind(c.entity_b.to_string())
            .fetch_optional(ctx.conn())
            .await?;
    let now = ctx.now().unix_micros();
    if let Some(row) = existing {
        let raw: String = row.try_get(0)?;
        let id = CandidateId::parse(&raw).map_err(|_| StoreError::Corrupt {
            table: "xref_candidates",
            column: "id",
        })?;
        sqlx::query("UPDATE xref_candidates SET score_ppm = $1, explanation = $2, generic = $3, updated_at = $4 WHERE id = $5")
            .bind(c.score_ppm)
            .bind(&c.explanation)
            .bind(i64::from(c.generic))
            .bind(now)
            .bind(raw)
            .execute(ctx.conn())
            .await?;
        return Ok((id, false));
    }
    sqlx::query(&format!(
        "INSERT INTO xref_candidates ({CANDIDATE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ))
    .bind(c.id.to_string())
    .bind(c.entity_a.to_string())
    .bind(c.case_a.to_string())
    .bind(c.entity_b.to_string())
    .bind(c.case_b.to_string())
    .bind(c.score_ppm)
    .bind(&c.explanation)
    .bind(i64::from(c.generic))
    .bind(&c.found_by)
    .bind(now)
    .bind(now)
    .execute(ctx.conn())
    .await?;
    Ok((c.id, true))
}

/// A candidate's judgement history inside a write job (sees the job's own judgements).
pub async fn judgements_in(
    ctx: &mut WriteCtx,
    id: CandidateId,
) -> Result<Vec<Judgement>, StoreError> {
    let rows = sqlx::query(
        "SELECT seq, candidate_id, decision, judged_by, judged_at FROM xref_judgements WHERE candidate_id = $1 ORDER BY seq",
    )
    .bind(id.to_string())
    .fetch_all(ctx.conn())
    .await?;
    rows.iter().map(judgement_from_row).collect()
}

/// Appends a judgement (the table refuses updates and deletes).
pub async fn insert_judgement(
    ctx: &mut WriteCtx,
    candidate: CandidateId,
    decision: &str,
    by: UserId,
) -> Result<(), StoreError> {
    let now = ctx.now().unix_micros();
    sqlx::query(
        "INSERT INTO xref_judgements (candidate_id, decision, judged_by, judged_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(candidate.to_string())
    .bind(decision)
    .bind(by.to_string())
    .bind(now)
    .execute(ctx.conn())
    .await?;
    Ok(())
}

/// Adds a stoplist entry; a value already listed is a conflict.
pub async fn insert_stop(ctx: &mut WriteCtx, s: &StopEntry) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO xref_stoplist (id, kind, value, reason, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&s.id)
    .bind(&s.kind)
    .bind(&s.value)
    .bind(&s.reason)
    .bind(s.added_by.map(|u| u.to_string()))
    .bind(s.added_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    Ok(())
}
