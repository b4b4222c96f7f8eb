//! The victim vault over HTTP (V1, V3–V6, T3): victim records, case links, consents, screening
//! and safety plans, and the supervisor override of the "victim, not suspect" guard.
//!
//! Every read of victim data is audited with the record's id and the categories shown, never
//! their content. A read that relied on a consent re-checks, inside the writer's transaction
//! that records its audit event, that the consent is still in force; if a revocation committed
//! first, the read is decided again with fresh facts. So once a revocation is acknowledged, no
//! read returns what it allowed.

use crate::access::{draft, record, Object};
use crate::auth::Authed;
use crate::extract::{path_id, Body};
use crate::wire::{
    ConcernOut, ConsentOut, CreateConsent, CreateScreening, CreateVictim, DomainOut,
    LinkVictimCase, List, OverrideOut, PutSafetyPlan, QuestionOut, QuestionnaireOut, SafetyPlanOut,
    ScreeningOut, UpdateVictim, VictimCaseOut, VictimContactOut, VictimGuardOverride,
    VictimIdentityOut, VictimOut,
};
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;
use vigil_audit::Outcome;
use vigil_core::entity::{self, Schema};
use vigil_core::screening::{self, Answer, Questionnaire};
use vigil_core::vault::{self as rules, DataCategory, Recipient, VictimFacts};
use vigil_core::{authorize, Action, Role, Target};
use vigil_store::vault::{self, Consent, GuardOverride, SafetyPlan, Screening, Victim, VictimCase};
use vigil_store::AuditDraft;
use vigil_types::{
    CaseId, ConsentId, DisplayText, EntityId, OverrideId, ScreeningId, Timestamp, VictimId,
};

/// How often a read is decided again when consents it relied on change under it.
const READ_ATTEMPTS: usize = 4;

pub(crate) fn victim_object(f: &VictimFacts) -> Object {
    Object::with_id("victim", f.id, Some(f.serving_agency))
}

/// Loads a victim record's facts by raw path id and asks the policy; malformed, missing and
/// invisible all answer 404 (the last audited as a denial).
pub(crate) async fn victim_access(
    app: &AppState,
    who: &Authed,
    raw: &str,
    action: Action,
) -> Result<VictimFacts, ApiError> {
    let id = path_id(raw, VictimId::parse)?;
    victim_access_id(app, who, id, action).await
}

pub(crate) async fn victim_access_id(
    app: &AppState,
    who: &Authed,
    id: VictimId,
    action: Action,
) -> Result<VictimFacts, ApiError> {
    let facts = app
        .store
        .victim_facts(id, app.now())
        .await?
        .ok_or(ApiError::NotFound)?;
    app.check(who, action, Target::Victim(&facts), &victim_object(&facts))
        .await?;
    Ok(facts)
}

/// Consents the caller's access relies on (none for the serving agency's advocates).
fn relied_on(who: &Authed, f: &VictimFacts) -> Vec<ConsentId> {
    if who.actor.role == Role::VictimAdvocate && who.actor.agency == f.serving_agency {
        Vec::new()
    } else {
        f.consents_naming(&who.actor)
    }
}

/// Writes the audit event of a read, but only if every consent in `relied` is still in force
/// in the writer's transaction. `Ok(false)`: a consent was revoked or expired meanwhile; nothing
/// was written and the read must be decided again.
pub(crate) async fn audit_read(
    app: &AppState,
    who: &Authed,
    relied: Vec<ConsentId>,
    d: AuditDraft,
) -> Result<bool, ApiError> {
    let touch = who.session_hash().map(str::to_owned);
    Ok(app
        .store
        .write(move |mut ctx| async move {
            let r = async {
                if !vault::consents_in_force(&mut ctx, &relied).await? {
                    return Ok(false);
                }
                record(&mut ctx, touch.as_deref(), d).await?;
                Ok(true)
            }
            .await;
            (ctx, r)
        })
        .await?)
}

/// The data categories of a record the caller may read.
fn readable(who: &Authed, f: &VictimFacts) -> Vec<DataCategory> {
    DataCategory::ALL
        .iter()
        .copied()
        .filter(|k| authorize(&who.actor, read_action(*k), Target::Victim(f)).is_allowed())
        .collect()
}

pub(crate) const fn read_action(k: DataCategory) -> Action {
    match k {
        DataCategory::Identity => Action::ReadVictimIdentity,
        DataCategory::Contact => Action::ReadVictimContact,
        DataCategory::Screening => Action::ReadVictimScreening,
        DataCategory::Services => Action::ReadVictimServices,
    }
}

fn categories_code(ks: &[DataCategory]) -> String {
    if ks.is_empty() {
        "pseudonym".into()
    } else {
        ks.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",")
    }
}

fn victim_out(v: &Victim, access: &[DataCategory], cases: Option<Vec<VictimCase>>) -> VictimOut {
    VictimOut {
        id: v.id.to_string(),
        pseudonym: v.pseudonym.clone(),
        serving_agency_id: v.serving_agency.to_string(),
        access: access.iter().map(|k| k.as_str().to_owned()).collect(),
        identity: access
            .contains(&DataCategory::Identity)
            .then(|| VictimIdentityOut {
                full_name: v.full_name.clone(),
                preferred_name: v.preferred_name.clone(),
                birth_date: v.birth_date.clone(),
                nationality: v.nationality.clone(),
                languages: v.languages.clone(),
            }),
        contact: access
            .contains(&DataCategory::Contact)
            .then(|| VictimContactOut {
                phone: v.phone.clone(),
                email: v.email.clone(),
                contact_notes: v.contact_notes.clone(),
            }),
        cases: cases.map(|cs| {
            cs.iter()
                .map(|c| VictimCaseOut {
                    case_id: c.case_id.to_string(),
                    entity_id: c.entity_id.map(|e| e.to_string()),
                    linked_at: c.linked_at.to_rfc3339(),
                })
                .collect()
        }),
        created_at: v.created_at.to_rfc3339(),
    }
}

// Validation of personal details. Messages name the field, never the value.

fn person_prop(field: &str, prop: &str, value: &str) -> Result<String, ApiError> {
    let raw: BTreeMap<String, Vec<String>> = [(prop.to_owned(), vec![value.to_owned()])].into();
    let props = entity::validate(Schema::Person, &raw).map_err(|e| match e {
        entity::PropertyError::Invalid { reason, .. } => ApiError::invalid(field, reason),
        _ => ApiError::invalid(field, "must not be empty"),
    })?;
    props
        .get(prop)
        .and_then(|v| v.first().cloned())
        .ok_or_else(|| ApiError::invalid(field, "must not be empty"))
}

/// `None` or `""` → `None`; otherwise validated.
fn optional(
    v: Option<&str>,
    check: impl Fn(&str) -> Result<String, ApiError>,
) -> Result<Option<String>, ApiError> {
    match v.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => check(s).map(Some),
    }
}

fn text(field: &str, v: &str, max: usize) -> Result<String, ApiError> {
    DisplayText::parse(v, max)
        .map(DisplayText::into_string)
        .map_err(|e| ApiError::invalid(field, e))
}

fn language(field: &str, v: &str) -> Result<String, ApiError> {
    let v = v.trim();
    let ok = (2..=35).contains(&v.len())
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && v.as_bytes()[0].is_ascii_alphabetic();
    if ok {
        Ok(v.to_owned())
    } else {
        Err(ApiError::invalid(
            field,
            "expected a language tag such as `es` or `pt-BR`",
        ))
    }
}

fn languages(v: &[String]) -> Result<Vec<String>, ApiError> {
    if v.len() > 10 {
        return Err(ApiError::invalid("languages", "at most 10"));
    }
    let mut out: Vec<String> = Vec::new();
    for l in v {
        let l = language("languages", l)?;
        if !out.contains(&l) {
            out.push(l);
        }
    }
    Ok(out)
}

/// A date or time: RFC 3339, or `YYYY-MM-DD` (midnight UTC).
fn instant(field: &str, v: &str) -> Result<Timestamp, ApiError> {
    let v = v.trim();
    let parsed = if v.len() == 10 {
        Timestamp::parse_rfc3339(&format!("{v}T00:00:00Z"))
    } else {
        Timestamp::parse_rfc3339(v)
    };
    parsed.map_err(|e| ApiError::invalid(field, e))
}

fn day(field: &str, v: &str) -> Result<String, ApiError> {
    let v = v.trim();
    if v.len() != 10 {
        return Err(ApiError::invalid(field, "expected a date as YYYY-MM-DD"));
    }
    instant(field, v).map(|_| v.to_owned())
}

struct Details {
    full_name: String,
    preferred_name: Option<String>,
    birth_date: Option<String>,
    nationality: Option<String>,
    languages: Vec<String>,
    phone: Option<String>,
    email: Option<String>,
    contact_notes: Option<String>,
}

fn details(req: &CreateVictim) -> Result<Details, ApiError> {
    Ok(Details {
        full_name: text("full_name", &req.full_name, 200)?,
        preferred_name: optional(req.preferred_name.as_deref(), |s| {
            text("preferred_name", s, 200)
        })?,
        birth_date: optional(req.birth_date.as_deref(), |s| {
            person_prop("birth_date", "birthDate", s)
        })?,
        nationality: optional(req.nationality.as_deref(), |s| {
            person_prop("nationality", "nationality", s)
        })?,
        languages: languages(&req.languages)?,
        phone: optional(req.phone.as_deref(), |s| person_prop("phone", "phone", s))?,
        email: optional(req.email.as_deref(), |s| person_prop("email", "email", s))?,
        contact_notes: optional(req.contact_notes.as_deref(), |s| {
            text("contact_notes", s, 2000)
        })?,
    })
}

pub async fn list(
    State(app): State<AppState>,
    who: Authed,
) -> Result<Json<List<VictimOut>>, ApiError> {
    app.check(
        &who,
        Action::ListVictims,
        Target::TaskForce,
        &Object::task_force("victim"),
    )
    .await?;
    for _ in 0..READ_ATTEMPTS {
        let now = app.now();
        let mut items = Vec::new();
        let mut relied = BTreeSet::new();
        for v in app
            .store
            .victim_candidates(who.actor.user, who.actor.agency, who.actor.role)
            .await?
        {
            let Some(f) = app.store.victim_facts(v.id, now).await? else {
                continue;
            };
            if authorize(&who.actor, Action::ReadVictimPseudonym, Target::Victim(&f)).is_allowed() {
                relied.extend(relied_on(&who, &f));
                // Lists show pseudonyms only; what a full read would show is in `access`.
                let mut out = victim_out(&v, &[], None);
                out.access = readable(&who, &f)
                    .iter()
                    .map(|k| k.as_str().to_owned())
                    .collect();
                items.push(out);
            }
        }
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        let d = draft(
            &who,
            "victim.list",
            &Object::task_force("victim"),
            Outcome::Success,
            format!("count={};ids={}", items.len(), ids.join(",")),
        );
        if audit_read(&app, &who, relied.into_iter().collect(), d).await? {
            return Ok(Json(List { items }));
        }
    }
    Err(ApiError::Unavailable)
}

pub async fn create(
    State(app): State<AppState>,
    who: Authed,
    Body(req): Body<CreateVictim>,
) -> Result<(StatusCode, Json<VictimOut>), ApiError> {
    app.check(
        &who,
        Action::CreateVictim,
        Target::TaskForce,
        &Object::task_force("victim"),
    )
    .await?;
    let d = details(&req)?;
    let now = app.now();
    let mut v = Victim {
        id: VictimId::new_random(),
        serving_agency: who.actor.agency,
        pseudonym: rules::pseudonym(&mut rand::rngs::OsRng),
        full_name: d.full_name,
        preferred_name: d.preferred_name,
        birth_date: d.birth_date,
        nationality: d.nationality,
        languages: d.languages,
        phone: d.phone,
        email: d.email,
        contact_notes: d.contact_notes,
        created_by: who.actor.user,
        created_at: now,
        updated_at: now,
    };
    let ev = draft(
        &who,
        "victim.create",
        &Object::with_id("victim", v.id, Some(v.serving_agency)),
        Outcome::Success,
        "",
    );
    let row = v.clone();
    v.pseudonym = app
        .audited(&who, ev, move |mut ctx| async move {
            let r =
                vault::insert_victim(&mut ctx, &row, || rules::pseudonym(&mut rand::rngs::OsRng))
                    .await;
            (ctx, r)
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(victim_out(&v, DataCategory::ALL, Some(Vec::new()))),
    ))
}

pub async fn show(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<VictimOut>, ApiError> {
    for _ in 0..READ_ATTEMPTS {
        let f = victim_access(&app, &who, &raw, Action::ReadVictimPseudonym).await?;
        let v = app.store.victim(f.id).await?.ok_or(ApiError::NotFound)?;
        let access: Vec<DataCategory> = readable(&who, &f)
            .into_iter()
            .filter(|k| matches!(k, DataCategory::Identity | DataCategory::Contact))
            .collect();
        let cases = if authorize(&who.actor, Action::WriteVictim, Target::Victim(&f)).is_allowed()
            || (who.actor.role == Role::VictimAdvocate && who.actor.agency == f.serving_agency)
        {
            Some(app.store.victim_cases(f.id).await?)
        } else {
            None
        };
        let d = draft(
            &who,
            "victim.read",
            &victim_object(&f),
            Outcome::Success,
            format!("view={}", categories_code(&access)),
        );
        if audit_read(&app, &who, relied_on(&who, &f), d).await? {
            return Ok(Json(victim_out(&v, &access, cases)));
        }
    }
    Err(ApiError::Unavailable)
}

pub async fn update(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<UpdateVictim>,
) -> Result<Json<VictimOut>, ApiError> {
    let f = victim_access(&app, &who, &raw, Action::WriteVictim).await?;
    let v = app.store.victim(f.id).await?.ok_or(ApiError::NotFound)?;
    let pick = |new: &Option<String>, old: &Option<String>| match new {
        None => old.clone(),
        Some(s) => Some(s.clone()),
    };
    let merged = CreateVictim {
        full_name: req.full_name.clone().unwrap_or_else(|| v.full_name.clone()),
        preferred_name: pick(&req.preferred_name, &v.preferred_name),
        birth_date: pick(&req.birth_date, &v.birth_date),
        nationality: pick(&req.nationality, &v.nationality),
        languages: req.languages.clone().unwrap_or_else(|| v.languages.clone()),
        phone: pick(&req.phone, &v.phone),
        email: pick(&req.email, &v.email),
        contact_notes: pick(&req.contact_notes, &v.contact_notes),
    };
    let d = details(&merged)?;
    let next = Victim {
        full_name: d.full_name,
        preferred_name: d.preferred_name,
        birth_date: d.birth_date,
        nationality: d.nationality,
        languages: d.languages,
        phone: d.phone,
        email: d.email,
        contact_notes: d.contact_notes,
        updated_at: app.now(),
        ..v
    };
    let ev = draft(
        &who,
        "victim.update",
        &victim_object(&f),
        Outcome::Success,
        "",
    );
    let row = next.clone();
    app.audited(&who, ev, move |mut ctx| async move {
        let r = vault::update_victim(&mut ctx, &row).await;
        (ctx, r)
    })
    .await?;
    let cases = app.store.victim_cases(f.id).await?;
    Ok(Json(victim_out(&next, DataCategory::ALL, Some(cases))))
}

pub async fn link_case(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<LinkVictimCase>,
) -> Result<Json<VictimCaseOut>, ApiError> {
    let f = victim_access(&app, &who, &raw, Action::WriteVictim).await?;
    let case_id = CaseId::parse(&req.case_id).map_err(|e| ApiError::invalid("case_id", e))?;
    let entity_id = req
        .entity_id
        .as_deref()
        .map(EntityId::parse)
        .transpose()
        .map_err(|e| ApiError::invalid("entity_id", e))?;
    let l = VictimCase {
        victim_id: f.id,
        case_id,
        entity_id,
        linked_by: who.actor.user,
        linked_at: app.now(),
    };
    let out = VictimCaseOut {
        case_id: case_id.to_string(),
        entity_id: entity_id.map(|e| e.to_string()),
        linked_at: l.linked_at.to_rfc3339(),
    };
    let ev = draft(
        &who,
        "victim.link_case",
        &victim_object(&f),
        Outcome::Success,
        format!(
            "case={case_id};entity={}",
            entity_id.map_or_else(|| "none".into(), |e| e.to_string())
        ),
    );
    app.audited(&who, ev, move |mut ctx| async move {
        let r = vault::link_case(&mut ctx, &l).await;
        (ctx, r)
    })
    .await?;
    Ok(Json(out))
}

fn consent_out(c: &Consent, now: Timestamp) -> ConsentOut {
    ConsentOut {
        id: c.id.to_string(),
        victim_id: c.victim_id.to_string(),
        purpose: c.purpose.clone(),
        recipients: c.recipients.iter().map(ToString::to_string).collect(),
        categories: c.categories.iter().map(|k| k.as_str().to_owned()).collect(),
        given_at: c.given_at.to_rfc3339(),
        expires_at: c.expires_at.map(Timestamp::to_rfc3339),
        language: c.language.clone(),
        recorded_by: c.recorded_by.to_string(),
        recorded_at: c.recorded_at.to_rfc3339(),
        revoked_at: c.revoked_at.map(Timestamp::to_rfc3339),
        revoked_by: c.revoked_by.map(|u| u.to_string()),
        active: c.facts().active_at(now),
    }
}

pub async fn list_consents(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<List<ConsentOut>>, ApiError> {
    let f = victim_access(&app, &who, &raw, Action::ReadConsents).await?;
    let now = app.now();
    let items: Vec<ConsentOut> = app
        .store
        .consents(f.id)
        .await?
        .iter()
        .map(|c| consent_out(c, now))
        .collect();
    app.audit(
        &who,
        draft(
            &who,
            "consent.list",
            &victim_object(&f),
            Outcome::Success,
            format!("count={}", items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

/// At most this many recipients per consent.
const MAX_RECIPIENTS: usize = 20;

pub async fn create_consent(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<CreateConsent>,
) -> Result<(StatusCode, Json<ConsentOut>), ApiError> {
    let f = victim_access(&app, &who, &raw, Action::RecordConsent).await?;
    let purpose = text("purpose", &req.purpose, 500)?;
    if req.recipients.is_empty() || req.recipients.len() > MAX_RECIPIENTS {
        return Err(ApiError::invalid(
            "recipients",
            format!("name 1 to {MAX_RECIPIENTS} recipients"),
        ));
    }
    let mut recipients = Vec::new();
    for r in &req.recipients {
        let r = Recipient::parse(r.trim()).map_err(|e| ApiError::invalid("recipients", e))?;
        let known = match r {
            Recipient::Agency(a) | Recipient::AgencyRole(a, _) => {
                app.store.agency(a).await?.is_some()
            }
            Recipient::Provider(p) => app.store.provider(p).await?.is_some(),
            Recipient::Role(_) => true,
        };
        if !known {
            return Err(ApiError::invalid(
                "recipients",
                "names an agency or provider that does not exist",
            ));
        }
        if !recipients.contains(&r) {
            recipients.push(r);
        }
    }
    if req.categories.is_empty() {
        return Err(ApiError::invalid("categories", "name at least one"));
    }
    let mut categories = Vec::new();
    for k in &req.categories {
        let k = DataCategory::parse(k.trim()).map_err(|e| ApiError::invalid("categories", e))?;
        if !categories.contains(&k) {
            categories.push(k);
        }
    }
    let now = app.now();
    let given_at = match req.given_at.as_deref() {
        Some(s) => instant("given_at", s)?,
        None => now,
    };
    let expires_at = req
        .expires_at
        .as_deref()
        .map(|s| instant("expires_at", s))
        .transpose()?;
    if expires_at.is_some_and(|e| e <= given_at) {
        return Err(ApiError::invalid("expires_at", "must be after given_at"));
    }
    let c = Consent {
        id: ConsentId::new_random(),
        victim_id: f.id,
        purpose,
        recipients,
        categories,
        given_at,
        expires_at,
        language: language("language", &req.language)?,
        recorded_by: who.actor.user,
        recorded_at: now,
        revoked_at: None,
        revoked_by: None,
    };
    let out = consent_out(&c, now);
    let ev = draft(
        &who,
        "consent.create",
        &Object::with_id("consent", c.id, Some(f.serving_agency)),
        Outcome::Success,
        format!(
            "victim={};categories={}",
            f.id,
            categories_code(&c.categories)
        ),
    );
    app.audited(&who, ev, move |mut ctx| async move {
        let r = vault::insert_consent(&mut ctx, &c).await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

pub async fn revoke_consent(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<ConsentOut>, ApiError> {
    let id = path_id(&raw, ConsentId::parse)?;
    let c = app.store.consent(id).await?.ok_or(ApiError::NotFound)?;
    let f = victim_access_id(&app, &who, c.victim_id, Action::RecordConsent).await?;
    let by = who.actor.user;
    let ev = draft(
        &who,
        "consent.revoke",
        &Object::with_id("consent", id, Some(f.serving_agency)),
        Outcome::Success,
        format!("victim={}", f.id),
    );
    app.audited(&who, ev, move |mut ctx| async move {
        let r = vault::revoke_consent(&mut ctx, id, by).await;
        (ctx, r)
    })
    .await?;
    let c = app.store.consent(id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(consent_out(&c, app.now())))
}

// Screening (T3).

/// The questionnaires this build ships (`vigil-core/data/*.toml`).
pub(crate) fn questionnaires() -> &'static [Questionnaire] {
    static Q: OnceLock<Vec<Questionnaire>> = OnceLock::new();
    // The shipped files are checked by vigil-core's tests; a broken one serves none.
    Q.get_or_init(|| screening::builtin().unwrap_or_default())
}

fn questionnaire_out(q: &Questionnaire) -> QuestionnaireOut {
    QuestionnaireOut {
        id: q.id.clone(),
        version: q.version,
        title: q.title.clone(),
        language: q.language.clone(),
        intro: q.intro.clone(),
        domains: q
            .domains
            .iter()
            .map(|d| DomainOut {
                id: d.id.clone(),
                title: d.title.clone(),
                questions: d
                    .questions
                    .iter()
                    .map(|x| QuestionOut {
                        id: x.id.clone(),
                        text: x.text.clone(),
                        concern_if: x.concern_if.as_str().into(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub async fn list_questionnaires(
    State(app): State<AppState>,
    who: Authed,
) -> Result<Json<List<QuestionnaireOut>>, ApiError> {
    let object = Object::task_force("questionnaire");
    app.check(&who, Action::ReadScreeningTool, Target::TaskForce, &object)
        .await?;
    let items: Vec<QuestionnaireOut> = questionnaires().iter().map(questionnaire_out).collect();
    app.audit(
        &who,
        draft(
            &who,
            "screening.tool",
            &object,
            Outcome::Success,
            format!("count={}", items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

fn screening_out(s: &Screening) -> ScreeningOut {
    ScreeningOut {
        id: s.id.to_string(),
        victim_id: s.victim_id.to_string(),
        questionnaire: s.questionnaire.clone(),
        version: s.version,
        language: s.language.clone(),
        answers: s
            .answers
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().to_owned()))
            .collect(),
        recommendation: s.recommendation.as_str().into(),
        message: s.recommendation.message().into(),
        concerns: s
            .concerns
            .iter()
            .map(|c| ConcernOut {
                domain: c.domain.clone(),
                questions: c.questions.clone(),
            })
            .collect(),
        administered_by: s.administered_by.to_string(),
        administered_at: s.administered_at.to_rfc3339(),
    }
}

pub async fn create_screening(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<CreateScreening>,
) -> Result<(StatusCode, Json<ScreeningOut>), ApiError> {
    let f = victim_access(&app, &who, &raw, Action::ScreenVictim).await?;
    let q = questionnaires()
        .iter()
        .filter(|q| q.id == req.questionnaire && req.version.is_none_or(|v| v == q.version))
        .max_by_key(|q| q.version)
        .ok_or_else(|| {
            ApiError::invalid(
                "questionnaire",
                "no such questionnaire and version (GET /api/v1/screening/questionnaires)",
            )
        })?;
    let mut answers = BTreeMap::new();
    for (k, v) in &req.answers {
        let a = Answer::parse(v.trim()).map_err(|e| ApiError::invalid("answers", e))?;
        answers.insert(k.clone(), a);
    }
    let outcome = q
        .score(&answers)
        .map_err(|e| ApiError::invalid("answers", e))?;
    let s = Screening {
        id: ScreeningId::new_random(),
        victim_id: f.id,
        questionnaire: q.id.clone(),
        version: q.version,
        language: language("language", &req.language)?,
        answers,
        recommendation: outcome.recommendation,
        concerns: outcome.concerns,
        administered_by: who.actor.user,
        administered_at: app.now(),
    };
    let out = screening_out(&s);
    let ev = draft(
        &who,
        "screening.create",
        &Object::with_id("screening", s.id, Some(f.serving_agency)),
        Outcome::Success,
        format!("victim={};questionnaire={}@{}", f.id, q.id, q.version),
    );
    app.audited(&who, ev, move |mut ctx| async move {
        let r = vault::insert_screening(&mut ctx, &s).await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

pub async fn list_screenings(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<List<ScreeningOut>>, ApiError> {
    for _ in 0..READ_ATTEMPTS {
        let f = victim_access(&app, &who, &raw, Action::ReadVictimScreening).await?;
        let items: Vec<ScreeningOut> = app
            .store
            .screenings(f.id)
            .await?
            .iter()
            .map(screening_out)
            .collect();
        let d = draft(
            &who,
            "screening.list",
            &victim_object(&f),
            Outcome::Success,
            format!("count={}", items.len()),
        );
        if audit_read(&app, &who, relied_on(&who, &f), d).await? {
            return Ok(Json(List { items }));
        }
    }
    Err(ApiError::Unavailable)
}

// Safety plans (V6): the serving agency's advocates only.

/// The sections a safety plan may have.
pub const SAFETY_PLAN_SECTIONS: &[&str] = &[
    "warning_signs",
    "safe_people",
    "safe_places",
    "communication",
    "emergency_steps",
    "children_and_dependants",
    "documents",
    "other",
];

pub async fn show_safety_plan(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<SafetyPlanOut>, ApiError> {
    let f = victim_access(&app, &who, &raw, Action::ReadSafetyPlan).await?;
    let plan = app.store.safety_plan(f.id).await?;
    app.audit(
        &who,
        draft(
            &who,
            "safety_plan.read",
            &victim_object(&f),
            Outcome::Success,
            if plan.is_some() {
                "plan=yes"
            } else {
                "plan=no"
            },
        ),
    )
    .await?;
    Ok(Json(match plan {
        Some(p) => SafetyPlanOut {
            victim_id: p.victim_id.to_string(),
            sections: p.sections,
            review_on: p.review_on,
            updated_by: Some(p.updated_by.to_string()),
            updated_at: Some(p.updated_at.to_rfc3339()),
        },
        None => SafetyPlanOut {
            victim_id: f.id.to_string(),
            sections: BTreeMap::new(),
            review_on: None,
            updated_by: None,
            updated_at: None,
        },
    }))
}

pub async fn put_safety_plan(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<PutSafetyPlan>,
) -> Result<Json<SafetyPlanOut>, ApiError> {
    let f = victim_access(&app, &who, &raw, Action::WriteSafetyPlan).await?;
    let mut sections = BTreeMap::new();
    for (k, v) in &req.sections {
        if !SAFETY_PLAN_SECTIONS.contains(&k.as_str()) {
            return Err(ApiError::invalid(
                "sections",
                format!(
                    "unknown section; allowed: {}",
                    SAFETY_PLAN_SECTIONS.join(", ")
                ),
            ));
        }
        if !v.trim().is_empty() {
            sections.insert(k.clone(), text("sections", v, 5000)?);
        }
    }
    let review_on = req
        .review_on
        .as_deref()
        .map(|s| day("review_on", s))
        .transpose()?;
    let p = SafetyPlan {
        victim_id: f.id,
        sections,
        review_on,
        updated_by: who.actor.user,
        updated_at: app.now(),
    };
    let out = SafetyPlanOut {
        victim_id: p.victim_id.to_string(),
        sections: p.sections.clone(),
        review_on: p.review_on.clone(),
        updated_by: Some(p.updated_by.to_string()),
        updated_at: Some(p.updated_at.to_rfc3339()),
    };
    let ev = draft(
        &who,
        "safety_plan.write",
        &victim_object(&f),
        Outcome::Success,
        format!("sections={}", p.sections.len()),
    );
    app.audited(&who, ev, move |mut ctx| async move {
        let r = vault::put_safety_plan(&mut ctx, &p).await;
        (ctx, r)
    })
    .await?;
    Ok(Json(out))
}

// The "victim, not suspect" guard (V5).

pub async fn override_guard(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<VictimGuardOverride>,
) -> Result<(StatusCode, Json<OverrideOut>), ApiError> {
    let id = path_id(&raw, EntityId::parse)?;
    let e = app.store.entity(id).await?.ok_or(ApiError::NotFound)?;
    let facts = app
        .store
        .case_facts(e.case_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let object = Object::with_id("entity", e.id, Some(facts.owner));
    app.check(
        &who,
        Action::OverrideVictimGuard,
        Target::Case(&facts),
        &object,
    )
    .await?;
    let reason = text("reason", &req.reason, 1000)?;
    if reason.chars().count() < 10 {
        return Err(ApiError::invalid(
            "reason",
            "say why, in at least 10 characters",
        ));
    }
    let o = GuardOverride {
        id: OverrideId::new_random(),
        case_id: facts.id,
        entity_id: e.id,
        reason,
        approved_by: who.actor.user,
        approved_at: app.now(),
    };
    let out = OverrideOut {
        id: o.id.to_string(),
        case_id: o.case_id.to_string(),
        entity_id: o.entity_id.to_string(),
        approved_by: o.approved_by.to_string(),
        approved_at: o.approved_at.to_rfc3339(),
    };
    let ev = draft(
        &who,
        "victim_guard.override",
        &object,
        Outcome::Success,
        format!("case={};override={}", facts.id, o.id),
    );
    app.audited(&who, ev, move |mut ctx| async move {
        let r = vault::insert_override(&mut ctx, &o).await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}
