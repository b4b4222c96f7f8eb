//! A case's content: entities, links, notes, tasks and the timeline.

use crate::access::{draft, Object};
use crate::auth::Authed;
use crate::extract::{path_id, Body};
use crate::victim_view::VictimView;
use crate::wire::{
    CreateEntity, CreateLink, CreateNote, CreateTask, EntityOut, LinkOut, List, NoteOut, TaskOut,
    TimelineEntry, UpdateEntity, UpdateTask,
};
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use vigil_audit::Outcome;
use vigil_core::entity::{self, LinkType, Schema};
use vigil_core::{Action, Target, TaskStatus};
use vigil_store::content::{self, Entity, Link, Note, Task};
use vigil_store::vault; // --- vault
use vigil_types::{DisplayText, EntityId, LinkId, NoteId, TaskId, Timestamp, UserId};

/// How often an entity read is decided again when consents it relied on change under it.
const READ_ATTEMPTS: usize = 4;

pub async fn list_entities(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<List<EntityOut>>, ApiError> {
    let facts = app.case_access(&who, &raw, Action::ReadCase).await?;
    for _ in 0..READ_ATTEMPTS {
        // --- vault: victims the caller may not see are pseudonymised (as in the link chart).
        let view = VictimView::for_case(&app, &who, &facts).await?;
        let entities = app.store.entities(facts.id).await?;
        let relied = view.relied(entities.iter().filter(|e| !view.hides(e)));
        let d = draft(
            &who,
            "entity.list",
            &Object::case(&facts),
            Outcome::Success,
            format!(
                "count={};pseudonymised={}",
                entities.len(),
                view.hidden_count(&entities)
            ),
        );
        if super::vault::audit_read(&app, &who, relied, d).await? {
            let items = entities.iter().map(|e| view.entity_out(e)).collect();
            return Ok(Json(List { items }));
        }
    }
    Err(ApiError::Unavailable)
}

pub async fn create_entity(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<CreateEntity>,
) -> Result<(StatusCode, Json<EntityOut>), ApiError> {
    let facts = app
        .case_access(&who, &raw, Action::WriteCaseContent)
        .await?;
    let schema = Schema::parse(&req.schema).map_err(|e| ApiError::invalid("schema", e))?;
    let props = entity::validate(schema, &req.properties)
        .map_err(|e| ApiError::invalid("properties", e))?;
    let now = app.now();
    let e = Entity {
        id: EntityId::new_random(),
        case_id: facts.id,
        schema,
        caption: entity::caption(schema, &props),
        properties: props,
        created_by: who.actor.user,
        created_at: now,
        updated_at: now,
    };
    let out = super::entity_out(&e);
    let d = draft(
        &who,
        "entity.create",
        &Object::with_id("entity", e.id, Some(facts.owner)),
        Outcome::Success,
        format!("case={};schema={schema}", facts.id),
    );
    // --- xref: a new person is matched against the index in the same job.
    let id = e.id;
    let change = move |mut ctx: vigil_store::WriteCtx| async move {
        // --- vault: "victim, not suspect" (V5)
        let r = match vault::guard_properties(&mut ctx, None, &e.properties).await {
            Ok(()) => content::insert_entity(&mut ctx, &e).await,
            Err(err) => Err(err),
        };
        (ctx, r)
    };
    if schema == Schema::Person {
        super::xref::audited_matching(&app, &who, d, vec![id], change).await?;
    } else {
        app.audited(&who, d, change).await?;
    }
    Ok((StatusCode::CREATED, Json(out)))
}

/// Loads an entity and checks `action` on its case; invisible entities are 404 (and audited).
async fn entity_access(
    app: &AppState,
    who: &Authed,
    raw: &str,
    action: Action,
) -> Result<(Entity, vigil_core::CaseFacts), ApiError> {
    let id = path_id(raw, EntityId::parse)?;
    let e = app.store.entity(id).await?.ok_or(ApiError::NotFound)?;
    let facts = app
        .store
        .case_facts(e.case_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let object = Object::with_id("entity", e.id, Some(facts.owner));
    app.check(who, action, Target::Case(&facts), &object)
        .await?;
    Ok((e, facts))
}

pub async fn show_entity(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<EntityOut>, ApiError> {
    for _ in 0..READ_ATTEMPTS {
        let (e, facts) = entity_access(&app, &who, &raw, Action::ReadCase).await?;
        let view = VictimView::for_case(&app, &who, &facts).await?;
        let hidden = view.hides(&e);
        let relied = if hidden {
            Vec::new()
        } else {
            view.relied([&e])
        };
        let d = draft(
            &who,
            "entity.read",
            &Object::with_id("entity", e.id, Some(facts.owner)),
            Outcome::Success,
            format!("case={};pseudonymised={hidden}", facts.id),
        );
        if super::vault::audit_read(&app, &who, relied, d).await? {
            return Ok(Json(view.entity_out(&e)));
        }
    }
    Err(ApiError::Unavailable)
}

pub async fn update_entity(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<UpdateEntity>,
) -> Result<Json<EntityOut>, ApiError> {
    let (e, facts) = entity_access(&app, &who, &raw, Action::WriteCaseContent).await?;
    let props = entity::validate(e.schema, &req.properties)
        .map_err(|err| ApiError::invalid("properties", err))?;
    let caption = entity::caption(e.schema, &props);
    let id = e.id;
    let d = draft(
        &who,
        "entity.update",
        &Object::with_id("entity", id, Some(facts.owner)),
        Outcome::Success,
        format!("case={}", facts.id),
    );
    // --- xref: the entity (or the persons linked to it) is re-matched in the same job.
    super::xref::audited_matching(&app, &who, d, vec![id], move |mut ctx| async move {
        // --- vault: "victim, not suspect" (V5)
        let r = match vault::guard_properties(&mut ctx, Some(id), &props).await {
            Ok(()) => content::update_entity(&mut ctx, id, &caption, &props).await,
            Err(err) => Err(err),
        };
        (ctx, r)
    })
    .await?;
    let e = app.store.entity(id).await?.ok_or(ApiError::NotFound)?;
    // --- vault: the answer shows a victim as the caller may see it (writes are not refused:
    // the "victim, not suspect" guard and its supervisor override decide those).
    let view = VictimView::for_case(&app, &who, &facts).await?;
    Ok(Json(view.entity_out(&e)))
}

fn link_out(l: &Link) -> LinkOut {
    LinkOut {
        id: l.id.to_string(),
        source_id: l.source_id.to_string(),
        target_id: l.target_id.to_string(),
        link_type: l.link_type.as_str().into(),
        description: l.description.clone(),
        created_at: l.created_at.to_rfc3339(),
    }
}

pub async fn list_links(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<List<LinkOut>>, ApiError> {
    let facts = app.case_access(&who, &raw, Action::ReadCase).await?;
    let items: Vec<LinkOut> = app
        .store
        .links(facts.id)
        .await?
        .iter()
        .map(link_out)
        .collect();
    app.audit(
        &who,
        draft(
            &who,
            "link.list",
            &Object::case(&facts),
            Outcome::Success,
            format!("count={}", items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

pub async fn create_link(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<CreateLink>,
) -> Result<(StatusCode, Json<LinkOut>), ApiError> {
    let facts = app
        .case_access(&who, &raw, Action::WriteCaseContent)
        .await?;
    let source_id =
        EntityId::parse(&req.source_id).map_err(|e| ApiError::invalid("source_id", e))?;
    let target_id =
        EntityId::parse(&req.target_id).map_err(|e| ApiError::invalid("target_id", e))?;
    let link_type =
        LinkType::parse(&req.link_type).map_err(|e| ApiError::invalid("link_type", e))?;
    let description = req
        .description
        .as_deref()
        .map(|d| DisplayText::parse(d, 500))
        .transpose()
        .map_err(|e| ApiError::invalid("description", e))?;
    let l = Link {
        id: LinkId::new_random(),
        case_id: facts.id,
        source_id,
        target_id,
        link_type,
        description: description.map(DisplayText::into_string),
        created_by: who.actor.user,
        created_at: app.now(),
    };
    let out = link_out(&l);
    let d = draft(
        &who,
        "link.create",
        &Object::with_id("link", l.id, Some(facts.owner)),
        Outcome::Success,
        format!("case={}", facts.id),
    );
    // --- xref: persons at either end are re-matched in the same job.
    let ends = vec![l.source_id, l.target_id];
    super::xref::audited_matching(&app, &who, d, ends, move |mut ctx| async move {
        // --- vault: "victim, not suspect" (V5)
        let r = match vault::guard_link(&mut ctx, l.source_id, l.link_type).await {
            Ok(()) => content::insert_link(&mut ctx, &l).await,
            Err(err) => Err(err),
        };
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

pub async fn list_notes(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<List<NoteOut>>, ApiError> {
    let facts = app.case_access(&who, &raw, Action::ReadCase).await?;
    let items: Vec<NoteOut> = app
        .store
        .notes(facts.id)
        .await?
        .into_iter()
        .map(|n| NoteOut {
            id: n.id.to_string(),
            author_id: n.author_id.to_string(),
            body: n.body,
            created_at: n.created_at.to_rfc3339(),
        })
        .collect();
    app.audit(
        &who,
        draft(
            &who,
            "note.list",
            &Object::case(&facts),
            Outcome::Success,
            format!("count={}", items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

pub async fn create_note(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<CreateNote>,
) -> Result<(StatusCode, Json<NoteOut>), ApiError> {
    let facts = app.case_access(&who, &raw, Action::WriteNote).await?;
    let body = DisplayText::parse(&req.body, 20_000).map_err(|e| ApiError::invalid("body", e))?;
    let n = Note {
        id: NoteId::new_random(),
        case_id: facts.id,
        author_id: who.actor.user,
        body: body.into_string(),
        created_at: app.now(),
    };
    let out = NoteOut {
        id: n.id.to_string(),
        author_id: n.author_id.to_string(),
        body: n.body.clone(),
        created_at: n.created_at.to_rfc3339(),
    };
    let d = draft(
        &who,
        "note.create",
        &Object::with_id("note", n.id, Some(facts.owner)),
        Outcome::Success,
        format!("case={}", facts.id),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = content::insert_note(&mut ctx, &n).await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

fn task_out(t: &Task, now: Timestamp) -> TaskOut {
    TaskOut {
        id: t.id.to_string(),
        title: t.title.clone(),
        status: t.status.as_str().into(),
        assignee_id: t.assignee_id.map(|a| a.to_string()),
        due_at: t.due_at.map(Timestamp::to_rfc3339),
        overdue: t.status == TaskStatus::Open && t.due_at.is_some_and(|d| d < now),
        created_at: t.created_at.to_rfc3339(),
    }
}

pub async fn list_tasks(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<List<TaskOut>>, ApiError> {
    let facts = app.case_access(&who, &raw, Action::ReadCase).await?;
    let now = app.now();
    let items: Vec<TaskOut> = app
        .store
        .tasks(facts.id)
        .await?
        .iter()
        .map(|t| task_out(t, now))
        .collect();
    app.audit(
        &who,
        draft(
            &who,
            "task.list",
            &Object::case(&facts),
            Outcome::Success,
            format!("count={}", items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

/// An assignee must be on the case team.
fn check_assignee(facts: &vigil_core::CaseFacts, raw: &str) -> Result<UserId, ApiError> {
    let id = UserId::parse(raw).map_err(|e| ApiError::invalid("assignee_id", e))?;
    if !facts.team.iter().any(|m| m.user == id) {
        return Err(ApiError::invalid(
            "assignee_id",
            "must be a member of the case team",
        ));
    }
    Ok(id)
}

pub async fn create_task(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<CreateTask>,
) -> Result<(StatusCode, Json<TaskOut>), ApiError> {
    let facts = app
        .case_access(&who, &raw, Action::WriteCaseContent)
        .await?;
    let title = DisplayText::parse(&req.title, 200).map_err(|e| ApiError::invalid("title", e))?;
    let assignee = match req.assignee_id.as_deref() {
        Some(a) => Some(check_assignee(&facts, a)?),
        None => None,
    };
    let due_at = req
        .due_at
        .as_deref()
        .map(Timestamp::parse_rfc3339)
        .transpose()
        .map_err(|e| ApiError::invalid("due_at", e))?;
    let now = app.now();
    let t = Task {
        id: TaskId::new_random(),
        case_id: facts.id,
        title: title.into_string(),
        status: TaskStatus::Open,
        assignee_id: assignee,
        due_at,
        created_by: who.actor.user,
        created_at: now,
        updated_at: now,
    };
    let out = task_out(&t, now);
    let d = draft(
        &who,
        "task.create",
        &Object::with_id("task", t.id, Some(facts.owner)),
        Outcome::Success,
        format!("case={}", facts.id),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = content::insert_task(&mut ctx, &t).await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

pub async fn update_task(
    State(app): State<AppState>,
    who: Authed,
    Path((raw, raw_task)): Path<(String, String)>,
    Body(req): Body<UpdateTask>,
) -> Result<Json<TaskOut>, ApiError> {
    let facts = app
        .case_access(&who, &raw, Action::WriteCaseContent)
        .await?;
    let task_id = path_id(&raw_task, TaskId::parse)?;
    let task = app
        .store
        .task(task_id)
        .await?
        .filter(|t| t.case_id == facts.id)
        .ok_or(ApiError::NotFound)?;
    let status = req
        .status
        .as_deref()
        .map(TaskStatus::parse)
        .transpose()
        .map_err(|e| ApiError::invalid("status", e))?;
    let assignee = match &req.assignee_id {
        None => None,
        Some(None) => Some(None),
        Some(Some(a)) => Some(Some(check_assignee(&facts, a)?)),
    };
    let id = task.id;
    let d = draft(
        &who,
        "task.update",
        &Object::with_id("task", id, Some(facts.owner)),
        Outcome::Success,
        format!("case={}", facts.id),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = content::update_task(&mut ctx, id, status, assignee).await;
        (ctx, r)
    })
    .await?;
    let t = app.store.task(id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(task_out(&t, app.now())))
}

pub async fn timeline(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<List<TimelineEntry>>, ApiError> {
    let facts = app.case_access(&who, &raw, Action::ReadCase).await?;
    let items = app
        .store
        .timeline(facts.id)
        .await?
        .into_iter()
        .map(|e| TimelineEntry {
            at: e.at.to_rfc3339(),
            actor_id: e.actor_id.map(|a| a.to_string()),
            kind: e.kind,
            summary: e.summary,
        })
        .collect();
    app.audit(
        &who,
        draft(
            &who,
            "case.timeline",
            &Object::case(&facts),
            Outcome::Success,
            "",
        ),
    )
    .await?;
    Ok(Json(List { items }))
}
