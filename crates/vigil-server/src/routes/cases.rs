//! Cases: list (need-to-know filtered), open, read, edit, status workflow and the case team.

use super::Params;
use crate::access::{draft, Object};
use crate::auth::Authed;
use crate::extract::{path_id, Body};
use crate::wire::{
    AddMember, CaseCounts, CaseDetail, CaseOut, CreateCase, List, SetStatus, TeamMemberOut,
    UpdateCase,
};
use crate::{ApiError, AppState};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use std::collections::HashMap;
use vigil_audit::Outcome;
use vigil_core::{authorize, Action, CaseStatus, Role, Sensitivity, Target, TraffickingType};
use vigil_store::cases::{self, Case};
use vigil_types::{CaseId, CaseNumber, DisplayText, UserId};

pub async fn list(
    State(app): State<AppState>,
    who: Authed,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<List<CaseOut>>, ApiError> {
    let q = Params::only(q, &["status", "q"])?;
    let status = q
        .get("status")
        .map(CaseStatus::parse)
        .transpose()
        .map_err(|e| ApiError::invalid("status", e))?;
    let needle = q.get("q").map(str::to_lowercase);
    let object = Object::task_force("case");
    app.check(&who, Action::ListCases, Target::TaskForce, &object)
        .await?;
    let mut items = Vec::new();
    for c in app
        .store
        .case_candidates(who.actor.user, who.actor.agency)
        .await?
    {
        if status.is_some_and(|s| s != c.status) {
            continue;
        }
        if let Some(n) = &needle {
            if !c.title.to_lowercase().contains(n) && !c.number.as_str().to_lowercase().contains(n)
            {
                continue;
            }
        }
        // The policy, not the query, decides visibility.
        let Some(facts) = app.store.case_facts(c.id).await? else {
            continue;
        };
        if authorize(&who.actor, Action::ReadCase, Target::Case(&facts)).is_allowed() {
            items.push(super::case_out(&c));
        }
    }
    app.audit(
        &who,
        draft(
            &who,
            "case.list",
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
    Body(req): Body<CreateCase>,
) -> Result<(StatusCode, Json<CaseOut>), ApiError> {
    app.check(
        &who,
        Action::CreateCase,
        Target::TaskForce,
        &Object::task_force("case"),
    )
    .await?;
    let number = CaseNumber::parse(&req.number).map_err(|e| ApiError::invalid("number", e))?;
    let title = DisplayText::parse(&req.title, 200).map_err(|e| ApiError::invalid("title", e))?;
    let kind = TraffickingType::parse(&req.trafficking_type)
        .map_err(|e| ApiError::invalid("trafficking_type", e))?;
    let sensitivity = req
        .sensitivity
        .as_deref()
        .map(Sensitivity::parse)
        .transpose()
        .map_err(|e| ApiError::invalid("sensitivity", e))?
        .unwrap_or(Sensitivity::Normal);
    let now = app.now();
    let case = Case {
        id: CaseId::new_random(),
        agency_id: who.actor.agency,
        number,
        title: title.into_string(),
        trafficking_type: kind,
        status: CaseStatus::Open,
        sensitivity,
        created_by: who.actor.user,
        created_at: now,
        updated_at: now,
    };
    let out = super::case_out(&case);
    let d = draft(
        &who,
        "case.create",
        &Object::with_id("case", case.id, Some(case.agency_id)),
        Outcome::Success,
        "",
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = cases::insert(&mut ctx, &case).await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

pub async fn show(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<CaseDetail>, ApiError> {
    // The hot read: facts, case, team and counts in one snapshot, then the policy decides.
    let Ok(id) = CaseId::parse(&raw) else {
        return Err(ApiError::NotFound);
    };
    let Some(view) = app.store.case_view(id).await? else {
        return Err(ApiError::NotFound);
    };
    let facts = view.facts;
    app.check(
        &who,
        Action::ReadCase,
        Target::Case(&facts),
        &Object::case(&facts),
    )
    .await?;
    let case = view.case;
    let team = view.team.into_iter().map(team_member_out).collect();
    let (entities, links, notes, open_tasks) = view.counts;
    let as_count = |n: i64| usize::try_from(n).unwrap_or(0);
    let counts = CaseCounts {
        entities: as_count(entities),
        links: as_count(links),
        notes: as_count(notes),
        open_tasks: as_count(open_tasks),
    };
    app.audit(
        &who,
        draft(
            &who,
            "case.read",
            &Object::case(&facts),
            Outcome::Success,
            "",
        ),
    )
    .await?;
    Ok(Json(CaseDetail {
        case: super::case_out(&case),
        team,
        counts,
    }))
}

pub async fn update(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<UpdateCase>,
) -> Result<Json<CaseOut>, ApiError> {
    let facts = app.case_access(&who, &raw, Action::UpdateCase).await?;
    let title = req
        .title
        .as_deref()
        .map(|t| DisplayText::parse(t, 200))
        .transpose()
        .map_err(|e| ApiError::invalid("title", e))?;
    let kind = req
        .trafficking_type
        .as_deref()
        .map(TraffickingType::parse)
        .transpose()
        .map_err(|e| ApiError::invalid("trafficking_type", e))?;
    let sens = req
        .sensitivity
        .as_deref()
        .map(Sensitivity::parse)
        .transpose()
        .map_err(|e| ApiError::invalid("sensitivity", e))?;
    let id = facts.id;
    let changed: Vec<&str> = [
        ("title", title.is_some()),
        ("trafficking_type", kind.is_some()),
        ("sensitivity", sens.is_some()),
    ]
    .iter()
    .filter(|(_, c)| *c)
    .map(|(n, _)| *n)
    .collect();
    let d = draft(
        &who,
        "case.update",
        &Object::case(&facts),
        Outcome::Success,
        changed.join(","),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = cases::update(
            &mut ctx,
            id,
            title.as_ref().map(DisplayText::as_str),
            kind,
            sens,
        )
        .await;
        (ctx, r)
    })
    .await?;
    let case = app.store.case(id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(super::case_out(&case)))
}

pub async fn set_status(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<SetStatus>,
) -> Result<Json<CaseOut>, ApiError> {
    let facts = app
        .case_access(&who, &raw, Action::ChangeCaseStatus)
        .await?;
    let next = CaseStatus::parse(&req.status).map_err(|e| ApiError::invalid("status", e))?;
    let (id, user) = (facts.id, who.actor.user);
    let d = draft(
        &who,
        "case.status",
        &Object::case(&facts),
        Outcome::Success,
        next.as_str(),
    );
    // --- ops: protocols with the `case_active` trigger start when a case becomes active (T5).
    let starts = if next == CaseStatus::Active {
        super::protocols::triggered(vigil_core::protocol::Trigger::CaseActive)?
    } else {
        Vec::new()
    };
    app.audited(&who, d, move |mut ctx| async move {
        let r = cases::set_status(&mut ctx, id, user, next)
            .await
            .map(|_| ());
        // --- ops
        let r = match r {
            Ok(()) => vigil_store::protocols::start_triggered(
                &mut ctx,
                id,
                vigil_core::protocol::Trigger::CaseActive,
                &starts,
                user,
            )
            .await
            .map(|_| ()),
            Err(e) => Err(e),
        };
        (ctx, r)
    })
    .await?;
    let case = app.store.case(id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(super::case_out(&case)))
}

async fn team_out(app: &AppState, id: CaseId) -> Result<Vec<TeamMemberOut>, ApiError> {
    Ok(app
        .store
        .case_team(id)
        .await?
        .into_iter()
        .map(team_member_out)
        .collect())
}

fn team_member_out(m: vigil_store::cases::TeamEntry) -> TeamMemberOut {
    TeamMemberOut {
        user_id: m.user_id.to_string(),
        display_name: m.display_name,
        agency_id: m.agency_id.to_string(),
        role: m.role.as_str().into(),
        lead: m.lead,
    }
}

pub async fn team(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<List<TeamMemberOut>>, ApiError> {
    let facts = app.case_access(&who, &raw, Action::ReadCase).await?;
    let items = team_out(&app, facts.id).await?;
    app.audit(
        &who,
        draft(
            &who,
            "case.team.read",
            &Object::case(&facts),
            Outcome::Success,
            "",
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

pub async fn add_member(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<AddMember>,
) -> Result<(StatusCode, Json<List<TeamMemberOut>>), ApiError> {
    let facts = app.case_access(&who, &raw, Action::ManageCaseTeam).await?;
    let user_id = UserId::parse(&req.user_id).map_err(|e| ApiError::invalid("user_id", e))?;
    let user = app
        .store
        .user(user_id)
        .await?
        .ok_or_else(|| ApiError::invalid("user_id", "no such user"))?;
    if user.role == Role::Administrator || user.disabled {
        return Err(ApiError::Unprocessable(
            "administrators and disabled accounts cannot join a case team".into(),
        ));
    }
    // Adding someone from another agency is an explicit, audited cross-agency grant (AC-21).
    let detail = if user.agency_id == facts.owner {
        format!("user={user_id}")
    } else {
        format!("user={user_id};cross_agency={}", user.agency_id)
    };
    let (id, lead) = (facts.id, req.lead);
    app.audited(
        &who,
        draft(
            &who,
            "case.team.add",
            &Object::case(&facts),
            Outcome::Success,
            detail,
        ),
        move |mut ctx| async move {
            let r = cases::add_member(&mut ctx, id, user_id, lead).await;
            (ctx, r)
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(List {
            items: team_out(&app, id).await?,
        }),
    ))
}

pub async fn remove_member(
    State(app): State<AppState>,
    who: Authed,
    Path((raw, raw_user)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let facts = app.case_access(&who, &raw, Action::ManageCaseTeam).await?;
    let user_id = path_id(&raw_user, UserId::parse)?;
    let id = facts.id;
    app.audited(
        &who,
        draft(
            &who,
            "case.team.remove",
            &Object::case(&facts),
            Outcome::Success,
            format!("user={user_id}"),
        ),
        move |mut ctx| async move {
            let r = cases::remove_member(&mut ctx, id, user_id).await;
            (ctx, r)
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
