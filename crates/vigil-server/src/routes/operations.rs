//! Joint operations (O1, O2): planning, roster, victim services on site, linked cases, status and
//! outcomes. Visibility is the policy's `decide_operation` (roster of participating agencies plus
//! the lead agency's supervisors).

use crate::access::{draft, Object};
use crate::auth::Authed;
use crate::extract::{path_id, Body};
use crate::wire::{
    AddRosterMember, CreateOperation, LinkOperationCase, List, OnsiteServiceIn, OperationDetail,
    OperationOut, OperationOutcomes, OperationStatusChange, OutcomesOut, ParticipantIn,
    ParticipantOut, RosterOut, UpdateOperation,
};
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use vigil_audit::Outcome;
use vigil_core::operation::{
    check_window, OperationStatus, Outcomes, ParticipantRole, MAX_ADVOCATES,
};
use vigil_core::{authorize, Action, OperationFacts, Role, Target};
use vigil_store::operations::{
    self as store_ops, OnsiteService, Operation, Participant, PlanChange,
};
use vigil_types::{AgencyId, DisplayText, OperationId, Timestamp, UserId};

/// At most this many participants or services per operation.
const MAX_LIST: usize = 50;

fn op_object(facts: &OperationFacts) -> Object {
    Object::with_id("operation", facts.id, Some(facts.lead_agency))
}

/// Loads an operation's facts by raw path id and asks the policy; invisible and missing
/// operations are both 404 (the former audited as a denial).
async fn op_access(
    app: &AppState,
    who: &Authed,
    raw: &str,
    action: Action,
) -> Result<OperationFacts, ApiError> {
    let id = path_id(raw, OperationId::parse)?;
    let facts = app
        .store
        .operation_facts(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    app.check(who, action, Target::Operation(&facts), &op_object(&facts))
        .await?;
    Ok(facts)
}

fn op_out(o: &Operation) -> OperationOut {
    OperationOut {
        id: o.id.to_string(),
        name: o.name.clone(),
        lead_agency_id: o.lead_agency_id.to_string(),
        location: o.location.clone(),
        planned_start: o.planned_start.to_rfc3339(),
        planned_end: o.planned_end.map(Timestamp::to_rfc3339),
        status: o.status.as_str().into(),
        created_by: o.created_by.to_string(),
        created_at: o.created_at.to_rfc3339(),
        updated_at: o.updated_at.to_rfc3339(),
    }
}

/// The whole operation as the caller may see it: linked cases the caller may not read are
/// counted, never named.
async fn detail(
    app: &AppState,
    who: &Authed,
    id: OperationId,
) -> Result<OperationDetail, ApiError> {
    let op = app.store.operation(id).await?.ok_or(ApiError::NotFound)?;
    let participants = app
        .store
        .operation_participants(id)
        .await?
        .into_iter()
        .map(|p| ParticipantOut {
            agency_id: p.agency_id.to_string(),
            role: p.role.as_str().into(),
        })
        .collect();
    let roster = app
        .store
        .operation_roster(id)
        .await?
        .into_iter()
        .map(|r| RosterOut {
            user_id: r.user_id.to_string(),
            display_name: r.display_name,
            agency_id: r.agency_id.to_string(),
            role: r.role.as_str().into(),
            commander: r.commander,
        })
        .collect();
    let victim_services = app
        .store
        .operation_services(id)
        .await?
        .into_iter()
        .map(|s| OnsiteServiceIn {
            provider: s.provider,
            agency_id: s.agency_id.map(|a| a.to_string()),
            advocates: s.advocates,
        })
        .collect();
    let mut linked_cases = Vec::new();
    let mut hidden = 0;
    for case in app.store.operation_cases(id).await? {
        let visible = match app.store.case_facts(case).await? {
            Some(f) => authorize(&who.actor, Action::ReadCase, Target::Case(&f)).is_allowed(),
            None => false,
        };
        if visible {
            linked_cases.push(case.to_string());
        } else {
            hidden += 1;
        }
    }
    let outcomes = op.outcomes.map(|o| OutcomesOut {
        people_recovered: o.people_recovered,
        minors_recovered: o.minors_recovered,
        arrests: o.arrests,
        referrals_made: o.referrals_made,
        notes: op.outcome_notes.clone(),
        recorded_by: op.outcomes_by.map(|u| u.to_string()),
        recorded_at: op.outcomes_at.map(Timestamp::to_rfc3339),
    });
    Ok(OperationDetail {
        operation: op_out(&op),
        participants,
        roster,
        victim_services,
        linked_cases,
        linked_cases_not_shown: hidden,
        outcomes,
    })
}

fn time_field(field: &str, raw: &str) -> Result<Timestamp, ApiError> {
    Timestamp::parse_rfc3339(raw).map_err(|e| ApiError::invalid(field, e))
}

async fn known_agency(app: &AppState, field: &str, raw: &str) -> Result<AgencyId, ApiError> {
    let id = AgencyId::parse(raw).map_err(|e| ApiError::invalid(field, e))?;
    app.store
        .agency(id)
        .await?
        .ok_or_else(|| ApiError::invalid(field, "no such agency"))?;
    Ok(id)
}

/// The lead agency (role `lead`) plus the other participants, checked.
async fn participants(
    app: &AppState,
    lead: AgencyId,
    raw: &[ParticipantIn],
) -> Result<Vec<Participant>, ApiError> {
    if raw.len() > MAX_LIST {
        return Err(ApiError::invalid(
            "participants",
            format!("at most {MAX_LIST}"),
        ));
    }
    let mut out = vec![Participant {
        agency_id: lead,
        role: ParticipantRole::Lead,
    }];
    for p in raw {
        let agency = known_agency(app, "participants.agency_id", &p.agency_id).await?;
        let role = ParticipantRole::parse(&p.role)
            .map_err(|e| ApiError::invalid("participants.role", e))?;
        if agency == lead {
            return Err(ApiError::invalid(
                "participants.agency_id",
                "the lead agency takes part with role `lead` already; list only the others",
            ));
        }
        if role == ParticipantRole::Lead {
            return Err(ApiError::invalid(
                "participants.role",
                "only the lead agency has role `lead`",
            ));
        }
        if out.iter().any(|o| o.agency_id == agency) {
            return Err(ApiError::invalid(
                "participants.agency_id",
                "an agency is listed twice",
            ));
        }
        out.push(Participant {
            agency_id: agency,
            role,
        });
    }
    Ok(out)
}

async fn services(app: &AppState, raw: &[OnsiteServiceIn]) -> Result<Vec<OnsiteService>, ApiError> {
    if raw.len() > MAX_LIST {
        return Err(ApiError::invalid(
            "victim_services",
            format!("at most {MAX_LIST}"),
        ));
    }
    let mut out = Vec::with_capacity(raw.len());
    for s in raw {
        let provider = DisplayText::parse(&s.provider, 200)
            .map_err(|e| ApiError::invalid("victim_services.provider", e))?;
        let agency_id = match s.agency_id.as_deref() {
            Some(a) => Some(known_agency(app, "victim_services.agency_id", a).await?),
            None => None,
        };
        if !(0..=MAX_ADVOCATES).contains(&s.advocates) {
            return Err(ApiError::invalid(
                "victim_services.advocates",
                format!("must be between 0 and {MAX_ADVOCATES}"),
            ));
        }
        out.push(OnsiteService {
            provider: provider.into_string(),
            agency_id,
            advocates: s.advocates,
        });
    }
    Ok(out)
}

pub async fn list(
    State(app): State<AppState>,
    who: Authed,
) -> Result<Json<List<OperationOut>>, ApiError> {
    let object = Object::task_force("operation");
    app.check(&who, Action::ListOperations, Target::TaskForce, &object)
        .await?;
    let mut items = Vec::new();
    for op in app
        .store
        .operation_candidates(who.actor.user, who.actor.agency)
        .await?
    {
        let Some(facts) = app.store.operation_facts(op.id).await? else {
            continue;
        };
        if authorize(&who.actor, Action::ReadOperation, Target::Operation(&facts)).is_allowed() {
            items.push(op_out(&op));
        }
    }
    app.audit(
        &who,
        draft(
            &who,
            "operation.list",
            &object,
            Outcome::Success,
            format!("count={}", items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

pub async fn create(
    State(app): State<AppState>,
    who: Authed,
    Body(req): Body<CreateOperation>,
) -> Result<(StatusCode, Json<OperationDetail>), ApiError> {
    app.check(
        &who,
        Action::CreateOperation,
        Target::TaskForce,
        &Object::task_force("operation"),
    )
    .await?;
    let name = DisplayText::parse(&req.name, 120).map_err(|e| ApiError::invalid("name", e))?;
    let location =
        DisplayText::parse(&req.location, 300).map_err(|e| ApiError::invalid("location", e))?;
    let start = time_field("planned_start", &req.planned_start)?;
    let end = req
        .planned_end
        .as_deref()
        .map(|e| time_field("planned_end", e))
        .transpose()?;
    let now = app.now();
    check_window(start, end, now, true).map_err(|(f, why)| ApiError::invalid(f, why))?;
    let lead = who.actor.agency;
    let parts = participants(&app, lead, &req.participants).await?;
    let servs = services(&app, &req.victim_services).await?;
    let op = Operation {
        id: OperationId::new_random(),
        lead_agency_id: lead,
        name: name.into_string(),
        location: location.into_string(),
        planned_start: start,
        planned_end: end,
        status: OperationStatus::Planned,
        outcomes: None,
        outcome_notes: None,
        outcomes_by: None,
        outcomes_at: None,
        created_by: who.actor.user,
        created_at: now,
        updated_at: now,
    };
    let id = op.id;
    let d = draft(
        &who,
        "operation.create",
        &Object::with_id("operation", id, Some(lead)),
        Outcome::Success,
        format!("participants={};services={}", parts.len(), servs.len()),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = store_ops::insert(&mut ctx, &op, &parts, &servs, lead).await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(detail(&app, &who, id).await?)))
}

pub async fn show(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<OperationDetail>, ApiError> {
    let facts = op_access(&app, &who, &raw, Action::ReadOperation).await?;
    let out = detail(&app, &who, facts.id).await?;
    app.audit(
        &who,
        draft(
            &who,
            "operation.read",
            &op_object(&facts),
            Outcome::Success,
            "",
        ),
    )
    .await?;
    Ok(Json(out))
}

pub async fn update(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<UpdateOperation>,
) -> Result<Json<OperationDetail>, ApiError> {
    let facts = op_access(&app, &who, &raw, Action::ManageOperation).await?;
    let change = PlanChange {
        name: req
            .name
            .as_deref()
            .map(|n| DisplayText::parse(n, 120))
            .transpose()
            .map_err(|e| ApiError::invalid("name", e))?
            .map(DisplayText::into_string),
        location: req
            .location
            .as_deref()
            .map(|n| DisplayText::parse(n, 300))
            .transpose()
            .map_err(|e| ApiError::invalid("location", e))?
            .map(DisplayText::into_string),
        planned_start: req
            .planned_start
            .as_deref()
            .map(|s| time_field("planned_start", s))
            .transpose()?,
        planned_end: req
            .planned_end
            .as_deref()
            .map(|s| time_field("planned_end", s).map(Some))
            .transpose()?,
        participants: match &req.participants {
            Some(p) => Some(participants(&app, facts.lead_agency, p).await?),
            None => None,
        },
        services: match &req.victim_services {
            Some(s) => Some(services(&app, s).await?),
            None => None,
        },
    };
    let id = facts.id;
    let d = draft(
        &who,
        "operation.update",
        &op_object(&facts),
        Outcome::Success,
        "",
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = store_ops::update_plan(&mut ctx, id, &change).await;
        (ctx, r)
    })
    .await?;
    Ok(Json(detail(&app, &who, id).await?))
}

pub async fn set_status(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<OperationStatusChange>,
) -> Result<Json<OperationOut>, ApiError> {
    let facts = op_access(&app, &who, &raw, Action::ManageOperation).await?;
    let next = OperationStatus::parse(&req.status).map_err(|e| ApiError::invalid("status", e))?;
    let (id, user) = (facts.id, who.actor.user);
    let d = draft(
        &who,
        "operation.status",
        &op_object(&facts),
        Outcome::Success,
        next.as_str(),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = store_ops::set_status(&mut ctx, id, next, user)
            .await
            .map(|_| ());
        (ctx, r)
    })
    .await?;
    let op = app.store.operation(id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(op_out(&op)))
}

pub async fn add_roster(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<AddRosterMember>,
) -> Result<(StatusCode, Json<List<RosterOut>>), ApiError> {
    let facts = op_access(&app, &who, &raw, Action::ManageOperation).await?;
    let user_id = UserId::parse(&req.user_id).map_err(|e| ApiError::invalid("user_id", e))?;
    let user = app
        .store
        .user(user_id)
        .await?
        .ok_or_else(|| ApiError::invalid("user_id", "no such user"))?;
    if user.role == Role::Administrator || user.disabled {
        return Err(ApiError::invalid(
            "user_id",
            "administrators and disabled accounts cannot be on an operation roster",
        ));
    }
    let (id, agency, commander) = (facts.id, user.agency_id, req.commander);
    let d = draft(
        &who,
        "operation.roster.add",
        &op_object(&facts),
        Outcome::Success,
        format!("user={user_id};commander={commander}"),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = store_ops::add_to_roster(&mut ctx, id, user_id, agency, commander).await;
        (ctx, r)
    })
    .await?;
    let items = detail(&app, &who, id).await?.roster;
    Ok((StatusCode::CREATED, Json(List { items })))
}

pub async fn link_case(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<LinkOperationCase>,
) -> Result<(StatusCode, Json<OperationDetail>), ApiError> {
    let facts = op_access(&app, &who, &raw, Action::ManageOperation).await?;
    vigil_types::CaseId::parse(&req.case_id).map_err(|e| ApiError::invalid("case_id", e))?;
    // Linking needs the case too: only a case the caller may read can be linked.
    let case = app
        .case_access(&who, &req.case_id, Action::ReadCase)
        .await?;
    let (id, case_id, user) = (facts.id, case.id, who.actor.user);
    let d = draft(
        &who,
        "operation.case.link",
        &op_object(&facts),
        Outcome::Success,
        format!("case={case_id}"),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = store_ops::link_case(&mut ctx, id, case_id, user).await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(detail(&app, &who, id).await?)))
}

pub async fn set_outcomes(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<OperationOutcomes>,
) -> Result<Json<OperationDetail>, ApiError> {
    let facts = op_access(&app, &who, &raw, Action::ManageOperation).await?;
    let outcomes = Outcomes {
        people_recovered: req.people_recovered,
        minors_recovered: req.minors_recovered,
        arrests: req.arrests,
        referrals_made: req.referrals_made,
    }
    .validate()
    .map_err(|e| ApiError::invalid(e.field, e.reason))?;
    let notes = req
        .notes
        .as_deref()
        .map(|n| DisplayText::parse(n, 4000))
        .transpose()
        .map_err(|e| ApiError::invalid("notes", e))?
        .map(DisplayText::into_string);
    let (id, user) = (facts.id, who.actor.user);
    let d = draft(
        &who,
        "operation.outcomes",
        &op_object(&facts),
        Outcome::Success,
        format!(
            "recovered={};minors={};arrests={};referrals={}",
            outcomes.people_recovered,
            outcomes.minors_recovered,
            outcomes.arrests,
            outcomes.referrals_made
        ),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = store_ops::set_outcomes(&mut ctx, id, outcomes, notes.as_deref(), user).await;
        (ctx, r)
    })
    .await?;
    Ok(Json(detail(&app, &who, id).await?))
}
