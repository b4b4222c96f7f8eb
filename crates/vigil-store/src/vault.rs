//! The victim vault (V1, V3–V6, T3): victim records, their links to cases, consents, screenings,
//! safety plans and the "victim, not suspect" guard. Kept in tables of their own, apart from
//! case content; a case sees a victim only through `victim_cases` (and then only a pseudonym,
//! unless the policy says more).

use crate::row::Cols;
use crate::{Store, StoreError, WriteCtx};
use sqlx::Row;
use std::collections::BTreeMap;
use vigil_core::entity::{LinkType, Properties, Schema};
use vigil_core::screening::{Answer, Concern, Recommendation};
use vigil_core::vault::{self as rules, ConsentFacts, DataCategory, Recipient, VictimFacts};
use vigil_types::{
    AgencyId, CaseId, ConsentId, EntityId, OverrideId, ScreeningId, Timestamp, UserId, VictimId,
};

/// A victim/survivor record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Victim {
    pub id: VictimId,
    pub serving_agency: AgencyId,
    pub pseudonym: String,
    pub full_name: String,
    pub preferred_name: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub nationality: Option<String>,
    /// Languages the survivor prefers, e.g. `es`, `en`.
    pub languages: Vec<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// How (and when) it is safe to make contact.
    pub contact_notes: Option<String>,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A victim record's link to a case (and optionally to the Person entity in it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VictimCase {
    pub victim_id: VictimId,
    pub case_id: CaseId,
    pub entity_id: Option<EntityId>,
    pub linked_by: UserId,
    pub linked_at: Timestamp,
}

/// A Person entity of a case that is linked to a vault record (what case views pseudonymise).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkedPerson {
    pub entity_id: EntityId,
    pub victim_id: VictimId,
    /// The record's pseudonym (`Survivor K7QF`): what the case team may always see.
    pub pseudonym: String,
}

/// A consent record (V3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consent {
    pub id: ConsentId,
    pub victim_id: VictimId,
    pub purpose: String,
    pub recipients: Vec<Recipient>,
    pub categories: Vec<DataCategory>,
    pub given_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    /// The language the consent was explained and given in.
    pub language: String,
    pub recorded_by: UserId,
    pub recorded_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub revoked_by: Option<UserId>,
}

impl Consent {
    #[must_use]
    pub fn facts(&self) -> ConsentFacts {
        ConsentFacts {
            id: self.id,
            recipients: self.recipients.clone(),
            categories: self.categories.clone(),
            given_at: self.given_at,
            expires_at: self.expires_at,
            revoked_at: self.revoked_at,
        }
    }
}

/// An administered screening with the result computed when it was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Screening {
    pub id: ScreeningId,
    pub victim_id: VictimId,
    pub questionnaire: String,
    /// The questionnaire version the answers were given under (kept forever).
    pub version: u32,
    pub language: String,
    pub answers: BTreeMap<String, Answer>,
    pub recommendation: Recommendation,
    pub concerns: Vec<Concern>,
    pub administered_by: UserId,
    pub administered_at: Timestamp,
}

/// A safety plan (V6): named sections of free text and a review date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SafetyPlan {
    pub victim_id: VictimId,
    pub sections: BTreeMap<String, String>,
    pub review_on: Option<String>,
    pub updated_by: UserId,
    pub updated_at: Timestamp,
}

/// A supervisor's override of the "victim, not suspect" guard for one entity (V5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardOverride {
    pub id: OverrideId,
    pub case_id: CaseId,
    pub entity_id: EntityId,
    pub reason: String,
    pub approved_by: UserId,
    pub approved_at: Timestamp,
}

/// At most this many victim records are listed at once.
pub const LIST_LIMIT: i64 = 500;

fn json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn strings(c: &Cols<'_>, col: &'static str) -> Result<Vec<String>, StoreError> {
    c.parsed(col, |s| serde_json::from_str::<Vec<String>>(s))
}

const VICTIM_COLUMNS: &str = "id, serving_agency_id, pseudonym, full_name, preferred_name, birth_date, nationality, languages, phone, email, contact_notes, created_by, created_at, updated_at";

fn victim_from_row(r: &sqlx::any::AnyRow) -> Result<Victim, StoreError> {
    let c = Cols::new(r, "victims");
    Ok(Victim {
        id: c.parsed("id", VictimId::parse)?,
        serving_agency: c.parsed("serving_agency_id", AgencyId::parse)?,
        pseudonym: c.string("pseudonym")?,
        full_name: c.string("full_name")?,
        preferred_name: c.opt_string("preferred_name")?,
        birth_date: c.opt_string("birth_date")?,
        nationality: c.opt_string("nationality")?,
        languages: strings(&c, "languages")?,
        phone: c.opt_string("phone")?,
        email: c.opt_string("email")?,
        contact_notes: c.opt_string("contact_notes")?,
        created_by: c.parsed("created_by", UserId::parse)?,
        created_at: c.time("created_at")?,
        updated_at: c.time("updated_at")?,
    })
}

const CONSENT_COLUMNS: &str = "id, victim_id, purpose, recipients, categories, given_at, expires_at, language, recorded_by, recorded_at, revoked_at, revoked_by";

fn consent_from_row(r: &sqlx::any::AnyRow) -> Result<Consent, StoreError> {
    let c = Cols::new(r, "consents");
    let recipients = strings(&c, "recipients")?
        .iter()
        .map(|s| Recipient::parse(s))
        .collect::<Result<_, _>>()
        .map_err(|_| StoreError::Corrupt {
            table: "consents",
            column: "recipients",
        })?;
    let categories = strings(&c, "categories")?
        .iter()
        .map(|s| DataCategory::parse(s))
        .collect::<Result<_, _>>()
        .map_err(|_| StoreError::Corrupt {
            table: "consents",
            column: "categories",
        })?;
    Ok(Consent {
        id: c.parsed("id", ConsentId::parse)?,
        victim_id: c.parsed("victim_id", VictimId::parse)?,
        purpose: c.string("purpose")?,
        recipients,
        categories,
        given_at: c.time("given_at")?,
        expires_at: c.opt_time("expires_at")?,
        language: c.string("language")?,
        recorded_by: c.parsed("recorded_by", UserId::parse)?,
        recorded_at: c.time("recorded_at")?,
        revoked_at: c.opt_time("revoked_at")?,
        revoked_by: c.opt_parsed("revoked_by", UserId::parse)?,
    })
}

fn screening_from_row(r: &sqlx::any::AnyRow) -> Result<Screening, StoreError> {
    let c = Cols::new(r, "screenings");
    let raw: BTreeMap<String, String> = c.parsed("answers", |s| serde_json::from_str(s))?;
    let answers = raw
        .into_iter()
        .map(|(k, v)| Answer::parse(&v).map(|a| (k, a)))
        .collect::<Result<_, _>>()
        .map_err(|_| StoreError::Corrupt {
            table: "screenings",
            column: "answers",
        })?;
    let concerns: Vec<(String, Vec<String>)> = c.parsed("concerns", |s| serde_json::from_str(s))?;
    Ok(Screening {
        id: c.parsed("id", ScreeningId::parse)?,
        victim_id: c.parsed("victim_id", VictimId::parse)?,
        questionnaire: c.string("questionnaire")?,
        version: u32::try_from(c.int("questionnaire_version")?).map_err(|_| {
            StoreError::Corrupt {
                table: "screenings",
                column: "questionnaire_version",
            }
        })?,
        language: c.string("language")?,
        answers,
        recommendation: c.parsed("recommendation", Recommendation::parse)?,
        concerns: concerns
            .into_iter()
            .map(|(domain, questions)| Concern { domain, questions })
            .collect(),
        administered_by: c.parsed("administered_by", UserId::parse)?,
        administered_at: c.time("administered_at")?,
    })
}

impl Store {
    pub async fn victim(&self, id: VictimId) -> Result<Option<Victim>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {VICTIM_COLUMNS} FROM victims WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(self.reader())
        .await?;
        row.as_ref().map(victim_from_row).transpose()
    }

    /// What the policy needs about a victim record at time `at`: serving agency, every consent,
    /// and the facts of each linked case. `None` if there is no such record.
    pub async fn victim_facts(
        &self,
        id: VictimId,
        at: Timestamp,
    ) -> Result<Option<VictimFacts>, StoreError> {
        let Some(row) = sqlx::query("SELECT serving_agency_id FROM victims WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await?
        else {
            return Ok(None);
        };
        let serving_agency =
            Cols::new(&row, "victims").parsed("serving_agency_id", AgencyId::parse)?;
        let consents = self
            .consents(id)
            .await?
            .iter()
            .map(Consent::facts)
            .collect();
        let mut linked_cases = Vec::new();
        for link in self.victim_cases(id).await? {
            if let Some(f) = self.case_facts(link.case_id).await? {
                linked_cases.push(f);
            }
        }
        Ok(Some(VictimFacts {
            id,
            serving_agency,
            consents,
            linked_cases,
            at,
        }))
    }

    /// Records the caller might see: served by their agency, named (by agency or role) in a
    /// consent, or linked to a case of their agency or team. The policy filters these.
    pub async fn victim_candidates(
        &self,
        user: UserId,
        agency: AgencyId,
        role: vigil_core::Role,
    ) -> Result<Vec<Victim>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {VICTIM_COLUMNS} FROM victims WHERE serving_agency_id = $1 \
             OR id IN (SELECT victim_id FROM consents WHERE revoked_at IS NULL AND (recipients LIKE $2 OR recipients LIKE $3)) \
             OR id IN (SELECT vc.victim_id FROM victim_cases vc JOIN cases c ON c.id = vc.case_id \
                       WHERE c.agency_id = $1 OR vc.case_id IN (SELECT case_id FROM case_team WHERE user_id = $4)) \
             ORDER BY created_at DESC LIMIT {LIST_LIMIT}"
        ))
        .bind(agency.to_string())
        .bind(format!("%agency:{agency}%"))
        .bind(format!("%role:{role}\"%"))
        .bind(user.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(victim_from_row).collect()
    }

    pub async fn victim_cases(&self, id: VictimId) -> Result<Vec<VictimCase>, StoreError> {
        let rows = sqlx::query(
            "SELECT victim_id, case_id, entity_id, linked_by, linked_at FROM victim_cases \
             WHERE victim_id = $1 ORDER BY linked_at, case_id",
        )
        .bind(id.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new(r, "victim_cases");
                Ok(VictimCase {
                    victim_id: c.parsed("victim_id", VictimId::parse)?,
                    case_id: c.parsed("case_id", CaseId::parse)?,
                    entity_id: c.opt_parsed("entity_id", EntityId::parse)?,
                    linked_by: c.parsed("linked_by", UserId::parse)?,
                    linked_at: c.time("linked_at")?,
                })
            })
            .collect()
    }

    /// The Person entities of `case` linked to vault records, with each record's pseudonym.
    pub async fn linked_persons(&self, case: CaseId) -> Result<Vec<LinkedPerson>, StoreError> {
        let rows = sqlx::query(
            "SELECT vc.entity_id, vc.victim_id, v.pseudonym FROM victim_cases vc \
             JOIN victims v ON v.id = vc.victim_id \
             WHERE vc.case_id = $1 AND vc.entity_id IS NOT NULL ORDER BY vc.entity_id, vc.victim_id",
        )
        .bind(case.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new(r, "victim_cases");
                Ok(LinkedPerson {
                    entity_id: c.parsed("entity_id", EntityId::parse)?,
                    victim_id: c.parsed("victim_id", VictimId::parse)?,
                    pseudonym: c.string("pseudonym")?,
                })
            })
            .collect()
    }

    pub async fn consents(&self, victim: VictimId) -> Result<Vec<Consent>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CONSENT_COLUMNS} FROM consents WHERE victim_id = $1 ORDER BY recorded_at, id"
        ))
        .bind(victim.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(consent_from_row).collect()
    }

    pub async fn consent(&self, id: ConsentId) -> Result<Option<Consent>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {CONSENT_COLUMNS} FROM consents WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(self.reader())
        .await?;
        row.as_ref().map(consent_from_row).transpose()
    }

    pub async fn screenings(&self, victim: VictimId) -> Result<Vec<Screening>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, victim_id, questionnaire, questionnaire_version, language, answers, recommendation, \
             concerns, administered_by, administered_at FROM screenings WHERE victim_id = $1 \
             ORDER BY administered_at, id",
        )
        .bind(victim.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(screening_from_row).collect()
    }

    pub async fn safety_plan(&self, victim: VictimId) -> Result<Option<SafetyPlan>, StoreError> {
        let row = sqlx::query(
            "SELECT victim_id, sections, review_on, updated_by, updated_at FROM safety_plans WHERE victim_id = $1",
        )
        .bind(victim.to_string())
        .fetch_optional(self.reader())
        .await?;
        row.as_ref()
            .map(|r| {
                let c = Cols::new(r, "safety_plans");
                Ok(SafetyPlan {
                    victim_id: c.parsed("victim_id", VictimId::parse)?,
                    sections: c.parsed("sections", |s| serde_json::from_str(s))?,
                    review_on: c.opt_string("review_on")?,
                    updated_by: c.parsed("updated_by", UserId::parse)?,
                    updated_at: c.time("updated_at")?,
                })
            })
            .transpose()
    }
}

/// Inserts a victim record with a fresh unique pseudonym drawn from `draw` (drawn again on a
/// collision, up to 16 times). Returns the pseudonym given.
pub async fn insert_victim(
    ctx: &mut WriteCtx,
    v: &Victim,
    mut draw: impl FnMut() -> String + Send,
) -> Result<String, StoreError> {
    let mut pseudonym = v.pseudonym.clone();
    for _ in 0..16 {
        let taken = sqlx::query("SELECT 1 FROM victims WHERE pseudonym = $1")
            .bind(&pseudonym)
            .fetch_optional(ctx.conn())
            .await?
            .is_some();
        if !taken {
            sqlx::query(&format!(
                "INSERT INTO victims ({VICTIM_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
            ))
            .bind(v.id.to_string())
            .bind(v.serving_agency.to_string())
            .bind(&pseudonym)
            .bind(&v.full_name)
            .bind(v.preferred_name.clone())
            .bind(v.birth_date.clone())
            .bind(v.nationality.clone())
            .bind(json(&v.languages))
            .bind(v.phone.clone())
            .bind(v.email.clone())
            .bind(v.contact_notes.clone())
            .bind(v.created_by.to_string())
            .bind(v.created_at.unix_micros())
            .bind(v.updated_at.unix_micros())
            .execute(ctx.conn())
            .await?;
            return Ok(pseudonym);
        }
        pseudonym = draw();
    }
    Err(StoreError::Conflict("a victim record with this pseudonym"))
}

/// Replaces a victim record's personal details (not its pseudonym or serving agency).
pub async fn update_victim(ctx: &mut WriteCtx, v: &Victim) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE victims SET full_name = $1, preferred_name = $2, birth_date = $3, nationality = $4, \
         languages = $5, phone = $6, email = $7, contact_notes = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(&v.full_name)
    .bind(v.preferred_name.clone())
    .bind(v.birth_date.clone())
    .bind(v.nationality.clone())
    .bind(json(&v.languages))
    .bind(v.phone.clone())
    .bind(v.email.clone())
    .bind(v.contact_notes.clone())
    .bind(ctx.now().unix_micros())
    .bind(v.id.to_string())
    .execute(ctx.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Links a victim record to a case, optionally to a Person entity of that case; re-linking
/// replaces the entity. The entity must be a Person of the case and must not be marked as a
/// suspect (or be the exploiting end of a link) unless a supervisor's override is on record.
pub async fn link_case(ctx: &mut WriteCtx, l: &VictimCase) -> Result<(), StoreError> {
    let case_exists = sqlx::query("SELECT 1 FROM cases WHERE id = $1")
        .bind(l.case_id.to_string())
        .fetch_optional(ctx.conn())
        .await?
        .is_some();
    if !case_exists {
        return Err(StoreError::Rejected("case_id: no such case".into()));
    }
    if let Some(entity) = l.entity_id {
        let row =
            sqlx::query("SELECT schema, properties FROM entities WHERE id = $1 AND case_id = $2")
                .bind(entity.to_string())
                .bind(l.case_id.to_string())
                .fetch_optional(ctx.conn())
                .await?
                .ok_or_else(|| {
                    StoreError::Rejected("entity_id: not an entity of this case".into())
                })?;
        let c = Cols::new(&row, "entities");
        if c.parsed("schema", Schema::parse)? != Schema::Person {
            return Err(StoreError::Rejected(
                "entity_id: a victim record links to a Person entity".into(),
            ));
        }
        let props: Properties = c.parsed("properties", |s| serde_json::from_str(s))?;
        let suspect = rules::marks_suspect(&props) || exploits_from(ctx, entity).await?;
        let overridden = override_exists(ctx, entity).await?;
        if !rules::suspect_change_allowed(true, suspect, overridden) {
            return Err(guard_refusal());
        }
    }
    sqlx::query("DELETE FROM victim_cases WHERE victim_id = $1 AND case_id = $2")
        .bind(l.victim_id.to_string())
        .bind(l.case_id.to_string())
        .execute(ctx.conn())
        .await?;
    sqlx::query(
        "INSERT INTO victim_cases (victim_id, case_id, entity_id, linked_by, linked_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(l.victim_id.to_string())
    .bind(l.case_id.to_string())
    .bind(l.entity_id.map(|e| e.to_string()))
    .bind(l.linked_by.to_string())
    .bind(l.linked_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    Ok(())
}

pub async fn insert_consent(ctx: &mut WriteCtx, c: &Consent) -> Result<(), StoreError> {
    let recipients: Vec<String> = c.recipients.iter().map(ToString::to_string).collect();
    let categories: Vec<&str> = c.categories.iter().map(|k| k.as_str()).collect();
    sqlx::query(&format!(
        "INSERT INTO consents ({CONSENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .bind(c.id.to_string())
    .bind(c.victim_id.to_string())
    .bind(&c.purpose)
    .bind(json(&recipients))
    .bind(json(&categories))
    .bind(c.given_at.unix_micros())
    .bind(c.expires_at.map(Timestamp::unix_micros))
    .bind(&c.language)
    .bind(c.recorded_by.to_string())
    .bind(c.recorded_at.unix_micros())
    .bind(c.revoked_at.map(Timestamp::unix_micros))
    .bind(c.revoked_by.map(|u| u.to_string()))
    .execute(ctx.conn())
    .await?;
    Ok(())
}

/// Revokes a consent at the job's time. Once this commits, every later read decision sees it.
pub async fn revoke_consent(
    ctx: &mut WriteCtx,
    id: ConsentId,
    by: UserId,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE consents SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL",
    )
    .bind(ctx.now().unix_micros())
    .bind(by.to_string())
    .bind(id.to_string())
    .execute(ctx.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Rejected(
            "this consent is already revoked".into(),
        ));
    }
    Ok(())
}

/// Whether every consent in `ids` is still in force at the job's time (not revoked, not
/// expired). Checked inside the writer's transaction, which is ordered after any revocation that
/// was already acknowledged: a read whose audit event commits after a revocation never returns
/// what that consent allowed.
pub async fn consents_in_force(ctx: &mut WriteCtx, ids: &[ConsentId]) -> Result<bool, StoreError> {
    let now = ctx.now().unix_micros();
    for id in ids {
        let row = sqlx::query("SELECT revoked_at, expires_at FROM consents WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(ctx.conn())
            .await?;
        let Some(row) = row else { return Ok(false) };
        let c = Cols::new(&row, "consents");
        if c.opt_int("revoked_at")?.is_some() || c.opt_int("expires_at")?.is_some_and(|e| e <= now)
        {
            return Ok(false);
        }
    }
    Ok(true)
}

pub async fn insert_screening(ctx: &mut WriteCtx, s: &Screening) -> Result<(), StoreError> {
    let answers: BTreeMap<&str, &str> = s
        .answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let concerns: Vec<(&str, &Vec<String>)> = s
        .concerns
        .iter()
        .map(|c| (c.domain.as_str(), &c.questions))
        .collect();
    sqlx::query(
        "INSERT INTO screenings (id, victim_id, questionnaire, questionnaire_version, language, answers, \
         recommendation, concerns, administered_by, administered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(s.id.to_string())
    .bind(s.victim_id.to_string())
    .bind(&s.questionnaire)
    .bind(i64::from(s.version))
    .bind(&s.language)
    .bind(json(&answers))
    .bind(s.recommendation.as_str())
    .bind(json(&concerns))
    .bind(s.administered_by.to_string())
    .bind(s.administered_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    Ok(())
}

/// Creates or replaces a victim's safety plan.
pub async fn put_safety_plan(ctx: &mut WriteCtx, p: &SafetyPlan) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM safety_plans WHERE victim_id = $1")
        .bind(p.victim_id.to_string())
        .execute(ctx.conn())
        .await?;
    sqlx::query(
        "INSERT INTO safety_plans (victim_id, sections, review_on, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(p.victim_id.to_string())
    .bind(json(&p.sections))
    .bind(p.review_on.clone())
    .bind(p.updated_by.to_string())
    .bind(p.updated_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    Ok(())
}

// The "victim, not suspect" guard (V5).

fn guard_refusal() -> StoreError {
    StoreError::Rejected(
        "this person is an identified victim: recording them as a suspect or as the exploiting \
         party needs a supervisor's override with a reason (POST /api/v1/entities/{id}/victim-override)"
            .into(),
    )
}

async fn override_exists(ctx: &mut WriteCtx, entity: EntityId) -> Result<bool, StoreError> {
    Ok(
        sqlx::query("SELECT 1 FROM victim_guard_overrides WHERE entity_id = $1")
            .bind(entity.to_string())
            .fetch_optional(ctx.conn())
            .await?
            .is_some(),
    )
}

async fn exploits_from(ctx: &mut WriteCtx, entity: EntityId) -> Result<bool, StoreError> {
    Ok(
        sqlx::query("SELECT 1 FROM links WHERE source_id = $1 AND link_type = $2")
            .bind(entity.to_string())
            .bind(LinkType::Exploits.as_str())
            .fetch_optional(ctx.conn())
            .await?
            .is_some(),
    )
}

/// Whether an entity is an identified victim: marked `htcdsRole = victim`, or linked from a
/// victim record in the vault.
async fn identified_victim(ctx: &mut WriteCtx, entity: EntityId) -> Result<bool, StoreError> {
    let row = sqlx::query("SELECT properties FROM entities WHERE id = $1")
        .bind(entity.to_string())
        .fetch_optional(ctx.conn())
        .await?;
    if let Some(row) = row {
        let props: Properties =
            Cols::new(&row, "entities").parsed("properties", |s| serde_json::from_str(s))?;
        if rules::marks_victim(&props) {
            return Ok(true);
        }
    }
    Ok(
        sqlx::query("SELECT 1 FROM victim_cases WHERE entity_id = $1")
            .bind(entity.to_string())
            .fetch_optional(ctx.conn())
            .await?
            .is_some(),
    )
}

/// Checks new properties for an entity against the guard: a person cannot be both victim and
/// suspect in one entry, and an identified victim cannot become a suspect without an override.
/// `existing` is `None` for a new entity.
pub async fn guard_properties(
    ctx: &mut WriteCtx,
    existing: Option<EntityId>,
    props: &Properties,
) -> Result<(), StoreError> {
    if !rules::marks_suspect(props) {
        return Ok(());
    }
    let identified = rules::marks_victim(props)
        || match existing {
            Some(e) => identified_victim(ctx, e).await?,
            None => false,
        };
    let overridden = match existing {
        Some(e) => override_exists(ctx, e).await?,
        None => false,
    };
    if rules::suspect_change_allowed(identified, true, overridden) {
        Ok(())
    } else {
        Err(guard_refusal())
    }
}

/// Checks a new link against the guard: an identified victim is never the exploiting end of an
/// `exploits` link without an override.
pub async fn guard_link(
    ctx: &mut WriteCtx,
    source: EntityId,
    link_type: LinkType,
) -> Result<(), StoreError> {
    if link_type != LinkType::Exploits {
        return Ok(());
    }
    let identified = identified_victim(ctx, source).await?;
    let overridden = override_exists(ctx, source).await?;
    if rules::suspect_change_allowed(identified, true, overridden) {
        Ok(())
    } else {
        Err(guard_refusal())
    }
}

pub async fn insert_override(ctx: &mut WriteCtx, o: &GuardOverride) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO victim_guard_overrides (id, case_id, entity_id, reason, approved_by, approved_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(o.id.to_string())
    .bind(o.case_id.to_string())
    .bind(o.entity_id.to_string())
    .bind(&o.reason)
    .bind(o.approved_by.to_string())
    .bind(o.approved_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    crate::content::insert_event(
        ctx,
        o.case_id,
        Some(o.approved_by),
        "victim_guard.override",
        "Supervisor override of the victim-not-suspect guard recorded",
    )
    .await
}

/// How many victim records exist (for `vigil demo` and reports).
pub async fn count(store: &Store) -> Result<i64, StoreError> {
    Ok(sqlx::query("SELECT COUNT(*) FROM victims")
        .fetch_one(store.reader())
        .await?
        .try_get::<i64, _>(0)?)
}
