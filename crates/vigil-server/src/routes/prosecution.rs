//! Prosecution (C6): charges by statute, dispositions and court events of a case.

use crate::access::{draft, Object};
use crate::auth::Authed;
use crate::extract::{path_id, Body};
use crate::wire::{
    ChargeOut, CourtEventOut, CreateCharge, CreateCourtEvent, ProsecutionOut, SetDisposition,
};
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use vigil_audit::Outcome;
use vigil_core::prosecution::{check_counts, CourtEventKind, Disposition, Statute};
use vigil_core::Action;
use vigil_store::prosecution::{self as store_pros, Charge, CourtEvent};
use vigil_types::{ChargeId, CourtEventId, DisplayText, EntityId, Timestamp};

fn charge_out(c: &Charge) -> ChargeOut {
    ChargeOut {
        id: c.id.to_string(),
        defendant_id: c.defendant_id.to_string(),
        known_trafficking_statute: Statute::parse(&c.statute).is_ok_and(|s| s.known_trafficking),
        statute: c.statute.clone(),
        description: c.description.clone(),
        trafficking: c.trafficking,
        counts: c.counts,
        disposition: c.disposition.as_str().into(),
        disposed_on: c.disposed_on.map(Timestamp::to_rfc3339),
        sentence: c.sentence.clone(),
        created_at: c.created_at.to_rfc3339(),
    }
}

fn event_out(e: &CourtEvent) -> CourtEventOut {
    CourtEventOut {
        id: e.id.to_string(),
        kind: e.kind.as_str().into(),
        date: e.at.to_rfc3339(),
        court: e.court.clone(),
        defendant_id: e.defendant_id.map(|d| d.to_string()),
        note: e.note.clone(),
    }
}

fn opt_text(field: &str, raw: Option<&str>, max: usize) -> Result<Option<String>, ApiError> {
    raw.map(|s| DisplayText::parse(s, max))
        .transpose()
        .map_err(|e| ApiError::invalid(field, e))
        .map(|t| t.map(DisplayText::into_string))
}

pub async fn show(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<ProsecutionOut>, ApiError> {
    let facts = app.case_access(&who, &raw, Action::ReadCase).await?;
    let charges: Vec<ChargeOut> = app
        .store
        .charges(facts.id)
        .await?
        .iter()
        .map(charge_out)
        .collect();
    let court_events: Vec<CourtEventOut> = app
        .store
        .court_events(facts.id)
        .await?
        .iter()
        .map(event_out)
        .collect();
    let sum = |t: bool| -> i64 {
        charges
            .iter()
            .filter(|c| c.trafficking == t)
            .map(|c| c.counts)
            .sum()
    };
    let (trafficking_counts, other_counts) = (sum(true), sum(false));
    app.audit(
        &who,
        draft(
            &who,
            "prosecution.read",
            &Object::case(&facts),
            Outcome::Success,
            format!("charges={};events={}", charges.len(), court_events.len()),
        ),
    )
    .await?;
    Ok(Json(ProsecutionOut {
        charges,
        court_events,
        trafficking_counts,
        other_counts,
    }))
}

pub async fn add_charge(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<CreateCharge>,
) -> Result<(StatusCode, Json<ChargeOut>), ApiError> {
    let facts = app
        .case_access(&who, &raw, Action::WriteProsecution)
        .await?;
    let defendant_id =
        EntityId::parse(&req.defendant_id).map_err(|e| ApiError::invalid("defendant_id", e))?;
    let statute = Statute::parse(&req.statute).map_err(|e| ApiError::invalid("statute", e))?;
    let description = DisplayText::parse(&req.description, 300)
        .map_err(|e| ApiError::invalid("description", e))?;
    let counts =
        check_counts(req.counts.unwrap_or(1)).map_err(|e| ApiError::invalid("counts", e))?;
    let now = app.now();
    let c = Charge {
        id: ChargeId::new_random(),
        case_id: facts.id,
        defendant_id,
        statute: statute.citation,
        description: description.into_string(),
        trafficking: req.trafficking,
        counts,
        disposition: Disposition::Pending,
        disposed_on: None,
        sentence: None,
        created_by: who.actor.user,
        created_at: now,
        updated_at: now,
    };
    let out = charge_out(&c);
    let d = draft(
        &who,
        "charge.create",
        &Object::with_id("charge", c.id, Some(facts.owner)),
        Outcome::Success,
        format!(
            "case={};trafficking={};counts={counts}",
            facts.id, req.trafficking
        ),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = store_pros::insert_charge(&mut ctx, &c).await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

pub async fn set_disposition(
    State(app): State<AppState>,
    who: Authed,
    Path((raw, raw_charge)): Path<(String, String)>,
    Body(req): Body<SetDisposition>,
) -> Result<Json<ChargeOut>, ApiError> {
    let facts = app
        .case_access(&who, &raw, Action::WriteProsecution)
        .await?;
    let cid = path_id(&raw_charge, ChargeId::parse)?;
    app.store
        .charge(cid)
        .await?
        .filter(|c| c.case_id == facts.id)
        .ok_or(ApiError::NotFound)?;
    let next =
        Disposition::parse(&req.disposition).map_err(|e| ApiError::invalid("disposition", e))?;
    if next == Disposition::Pending {
        return Err(ApiError::invalid(
            "disposition",
            "a charge is pending until decided; give convicted, plea, dismissed or acquitted",
        ));
    }
    let on = Timestamp::parse_rfc3339(&req.date).map_err(|e| ApiError::invalid("date", e))?;
    if on > app.now() {
        return Err(ApiError::invalid(
            "date",
            "is in the future; record a disposition once it is decided",
        ));
    }
    let sentence = opt_text("sentence", req.sentence.as_deref(), 200)?;
    let user = who.actor.user;
    let d = draft(
        &who,
        "charge.disposition",
        &Object::with_id("charge", cid, Some(facts.owner)),
        Outcome::Success,
        format!("case={};disposition={next}", facts.id),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = store_pros::set_disposition(&mut ctx, cid, next, on, sentence.as_deref(), user)
            .await
            .map(|_| ());
        (ctx, r)
    })
    .await?;
    let c = app.store.charge(cid).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(charge_out(&c)))
}

pub async fn add_court_event(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<CreateCourtEvent>,
) -> Result<(StatusCode, Json<CourtEventOut>), ApiError> {
    let facts = app
        .case_access(&who, &raw, Action::WriteProsecution)
        .await?;
    let kind = CourtEventKind::parse(&req.kind).map_err(|e| ApiError::invalid("kind", e))?;
    let at = Timestamp::parse_rfc3339(&req.date).map_err(|e| ApiError::invalid("date", e))?;
    let court = DisplayText::parse(&req.court, 200).map_err(|e| ApiError::invalid("court", e))?;
    let defendant_id = req
        .defendant_id
        .as_deref()
        .map(EntityId::parse)
        .transpose()
        .map_err(|e| ApiError::invalid("defendant_id", e))?;
    let note = opt_text("note", req.note.as_deref(), 2000)?;
    let e = CourtEvent {
        id: CourtEventId::new_random(),
        case_id: facts.id,
        defendant_id,
        kind,
        at,
        court: court.into_string(),
        note,
        created_by: who.actor.user,
        created_at: app.now(),
    };
    let out = event_out(&e);
    let d = draft(
        &who,
        "court_event.create",
        &Object::with_id("court_event", e.id, Some(facts.owner)),
        Outcome::Success,
        format!("case={};kind={kind}", facts.id),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = store_pros::insert_court_event(&mut ctx, &e).await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}
