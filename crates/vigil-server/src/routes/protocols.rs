//! Protocol checklists on cases (T5): templates, starting a checklist, items and overdue flags.

use crate::access::{draft, Object};
use crate::auth::Authed;
use crate::extract::{path_id, Body};
use crate::wire::{
    AddProtocolItem, List, ProtocolItemOut, ProtocolOut, ProtocolTemplateItemOut,
    ProtocolTemplateOut, StartProtocol, UpdateProtocolItem,
};
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use std::time::Duration;
use vigil_audit::Outcome;
use vigil_core::protocol::{self, is_overdue, ItemStatus, Template, TemplateSet};
use vigil_core::{Action, Target};
use vigil_store::protocols::{self as store_protocols, Item, Protocol};
use vigil_types::{CaseId, DisplayText, ProtocolId, ProtocolItemId, Timestamp};

/// How far back a checklist's start may be dated (the identification happened before it was
/// entered).
const MAX_BACKDATE: Duration = Duration::from_secs(30 * 86_400);

pub(crate) fn templates_set() -> Result<&'static TemplateSet, ApiError> {
    protocol::builtin().map_err(|e| ApiError::internal("protocol templates", e))
}

/// The templates that start by themselves on `trigger` (used by the case status route).
pub(crate) fn triggered(trigger: protocol::Trigger) -> Result<Vec<Template>, ApiError> {
    Ok(templates_set()?
        .triggered_by(trigger)
        .into_iter()
        .cloned()
        .collect())
}

fn template_out(t: &Template) -> ProtocolTemplateOut {
    ProtocolTemplateOut {
        key: t.key.clone(),
        version: t.version,
        title: t.title.clone(),
        trigger: t.trigger.map(|x| x.as_str().to_owned()),
        reviewed_by: t.reviewed_by.clone(),
        reviewed_on: t.reviewed_on.clone(),
        conditions: t.conditions.clone(),
        items: t
            .items
            .iter()
            .map(|i| ProtocolTemplateItemOut {
                key: i.key.clone(),
                text: i.text.clone(),
                due_after_minutes: i.due_after.as_secs() / 60,
                when: i.when.clone(),
            })
            .collect(),
    }
}

fn item_out(i: &Item, now: Timestamp) -> ProtocolItemOut {
    ProtocolItemOut {
        id: i.id.to_string(),
        key: i.key.clone(),
        text: i.text.clone(),
        due_at: i.due_at.to_rfc3339(),
        status: i.status.as_str().into(),
        overdue: is_overdue(i.status, i.due_at, now),
        closed_late: i.status == ItemStatus::Done && i.closed_at.is_some_and(|c| c > i.due_at),
        closed_by: i.closed_by.map(|u| u.to_string()),
        closed_at: i.closed_at.map(Timestamp::to_rfc3339),
        note: i.note.clone(),
        custom: i.custom,
    }
}

fn protocol_out(p: &Protocol, items: &[Item], now: Timestamp) -> ProtocolOut {
    let items: Vec<ProtocolItemOut> = items.iter().map(|i| item_out(i, now)).collect();
    ProtocolOut {
        id: p.id.to_string(),
        case_id: p.case_id.to_string(),
        template: p.template_key.clone(),
        version: p.template_version,
        title: p.title.clone(),
        conditions: p.conditions.clone(),
        trigger: p.trigger.map(|t| t.as_str().to_owned()),
        started_at: p.started_at.to_rfc3339(),
        started_by: p.started_by.to_string(),
        open_items: items.iter().filter(|i| i.status == "open").count(),
        overdue_items: items.iter().filter(|i| i.overdue).count(),
        items,
    }
}

async fn one_protocol(
    app: &AppState,
    case: CaseId,
    id: ProtocolId,
) -> Result<ProtocolOut, ApiError> {
    let now = app.now();
    app.store
        .protocols(case)
        .await?
        .iter()
        .find(|(p, _)| p.id == id)
        .map(|(p, items)| protocol_out(p, items, now))
        .ok_or(ApiError::NotFound)
}

pub async fn templates(
    State(app): State<AppState>,
    who: Authed,
) -> Result<Json<List<ProtocolTemplateOut>>, ApiError> {
    let object = Object::task_force("protocol_template");
    app.check(
        &who,
        Action::ListProtocolTemplates,
        Target::TaskForce,
        &object,
    )
    .await?;
    let items: Vec<ProtocolTemplateOut> = templates_set()?.all().iter().map(template_out).collect();
    app.audit(
        &who,
        draft(
            &who,
            "protocol.templates",
            &object,
            Outcome::Success,
            format!("count={}", items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

pub async fn list(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<List<ProtocolOut>>, ApiError> {
    let facts = app.case_access(&who, &raw, Action::ReadCase).await?;
    let now = app.now();
    let items: Vec<ProtocolOut> = app
        .store
        .protocols(facts.id)
        .await?
        .iter()
        .map(|(p, items)| protocol_out(p, items, now))
        .collect();
    app.audit(
        &who,
        draft(
            &who,
            "protocol.list",
            &Object::case(&facts),
            Outcome::Success,
            format!("count={}", items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

pub async fn start(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<StartProtocol>,
) -> Result<(StatusCode, Json<ProtocolOut>), ApiError> {
    let facts = app.case_access(&who, &raw, Action::WriteProtocol).await?;
    let template = templates_set()?
        .get(&req.template, req.version)
        .ok_or_else(|| {
            ApiError::invalid(
                if req.version.is_some() {
                    "version"
                } else {
                    "template"
                },
                "no such protocol template (or version); see GET /api/v1/protocols",
            )
        })?
        .clone();
    let mut conditions: Vec<String> = Vec::new();
    for c in &req.conditions {
        if !template.conditions.contains(c) {
            return Err(ApiError::invalid(
                "conditions",
                format!(
                    "unknown condition `{}`; this protocol knows: {}",
                    c.chars().take(40).collect::<String>(),
                    if template.conditions.is_empty() {
                        "none".to_owned()
                    } else {
                        template.conditions.join(", ")
                    }
                ),
            ));
        }
        if !conditions.contains(c) {
            conditions.push(c.clone());
        }
    }
    let now = app.now();
    let started_at = match req.started_at.as_deref() {
        None => now,
        Some(s) => {
            let t = Timestamp::parse_rfc3339(s).map_err(|e| ApiError::invalid("started_at", e))?;
            if t > now {
                return Err(ApiError::invalid("started_at", "is in the future"));
            }
            if t.plus(MAX_BACKDATE) < now {
                return Err(ApiError::invalid(
                    "started_at",
                    "is more than 30 days ago; start the checklist from today and note the delay",
                ));
            }
            let case = app.store.case(facts.id).await?.ok_or(ApiError::NotFound)?;
            if t < case.created_at {
                return Err(ApiError::invalid(
                    "started_at",
                    "is before the case was opened",
                ));
            }
            t
        }
    };
    let (case, user) = (facts.id, who.actor.user);
    let d = draft(
        &who,
        "protocol.start",
        &Object::case(&facts),
        Outcome::Success,
        format!(
            "case={case};template={};version={}",
            template.key, template.version
        ),
    );
    let id = app
        .audited(&who, d, move |mut ctx| async move {
            let r = store_protocols::start(
                &mut ctx,
                case,
                &template,
                started_at,
                &conditions,
                user,
                None,
            )
            .await;
            (ctx, r)
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(one_protocol(&app, case, id).await?),
    ))
}

pub async fn add_item(
    State(app): State<AppState>,
    who: Authed,
    Path((raw, raw_protocol)): Path<(String, String)>,
    Body(req): Body<AddProtocolItem>,
) -> Result<(StatusCode, Json<ProtocolItemOut>), ApiError> {
    let facts = app.case_access(&who, &raw, Action::WriteProtocol).await?;
    let pid = path_id(&raw_protocol, ProtocolId::parse)?;
    let p = app
        .store
        .protocol(pid)
        .await?
        .filter(|p| p.case_id == facts.id)
        .ok_or(ApiError::NotFound)?;
    let text = DisplayText::parse(&req.text, 300).map_err(|e| ApiError::invalid("text", e))?;
    let due_at =
        Timestamp::parse_rfc3339(&req.due_at).map_err(|e| ApiError::invalid("due_at", e))?;
    if due_at < app.now() {
        return Err(ApiError::invalid(
            "due_at",
            "is in the past; a new checklist item must be due now or later",
        ));
    }
    let (case, user) = (facts.id, who.actor.user);
    let d = draft(
        &who,
        "protocol.item.add",
        &Object::with_id("protocol", p.id, Some(facts.owner)),
        Outcome::Success,
        format!("case={case}"),
    );
    let id = app
        .audited(&who, d, move |mut ctx| async move {
            let r =
                store_protocols::add_item(&mut ctx, pid, case, text.as_str(), due_at, user).await;
            (ctx, r)
        })
        .await?;
    let item = app
        .store
        .protocol_item(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(item_out(&item, app.now()))))
}

pub async fn update_item(
    State(app): State<AppState>,
    who: Authed,
    Path((raw, raw_item)): Path<(String, String)>,
    Body(req): Body<UpdateProtocolItem>,
) -> Result<Json<ProtocolItemOut>, ApiError> {
    let facts = app.case_access(&who, &raw, Action::WriteProtocol).await?;
    let iid = path_id(&raw_item, ProtocolItemId::parse)?;
    let item = app
        .store
        .protocol_item(iid)
        .await?
        .filter(|i| i.case_id == facts.id)
        .ok_or(ApiError::NotFound)?;
    let next = ItemStatus::parse(&req.status).map_err(|e| ApiError::invalid("status", e))?;
    let note = req
        .note
        .as_deref()
        .map(|n| DisplayText::parse(n, 1000))
        .transpose()
        .map_err(|e| ApiError::invalid("note", e))?
        .map(DisplayText::into_string);
    if next.needs_note() && note.is_none() {
        return Err(ApiError::invalid(
            "note",
            "say why the item does not apply (required with not_applicable)",
        ));
    }
    let user = who.actor.user;
    let d = draft(
        &who,
        "protocol.item.update",
        &Object::with_id("protocol_item", item.id, Some(facts.owner)),
        Outcome::Success,
        format!("case={};status={next}", facts.id),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = store_protocols::set_item_status(&mut ctx, iid, next, note.as_deref(), user)
            .await
            .map(|_| ());
        (ctx, r)
    })
    .await?;
    let item = app
        .store
        .protocol_item(iid)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(item_out(&item, app.now())))
}
