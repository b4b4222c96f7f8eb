//! The triage queue (T4): list and read intake items (tips and referrals) with their priority
//! explained and their selectors extracted, enter referrals, assign, route, close, merge into a
//! case, and reply to a tipster. Visibility is the policy's (`vigil_core::authz`, intake arm).

use super::Params;
use crate::access::{draft, Object};
use crate::auth::Authed;
use crate::extract::{path_id, Body};
use crate::idempotency::IdemBody;
use crate::tips::{assess, item_text, opt_text, text};
use crate::wire::{
    AssignIntake, AttachmentOut, CloseIntake, CreateIntakeReferral, FiredRuleOut, IntakeDetail,
    IntakeMessageOut, IntakeOut, IntakeReply, List, MergeIntake, MergedOut, RouteIntake,
    SelectorOut,
};
use crate::{ApiError, AppState};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::collections::{BTreeMap, HashMap};
use vigil_audit::Outcome;
use vigil_core::entity::{self, Schema};
use vigil_core::triage::{IntakeKind, IntakeState, MessageAuthor};
use vigil_core::{authorize, Action, CaseStatus, Role, Sensitivity, Target, TraffickingType};
use vigil_store::cases::{self, Case};
use vigil_store::content::{self, Entity, Note};
use vigil_store::intake::{self, IntakeItem, IntakeMessage};
use vigil_types::{
    AgencyId, CaseId, CaseNumber, DisplayText, EntityId, IntakeId, IntakeMessageId, NoteId, UserId,
};

/// Close reasons (codes, so they can go into audit details).
pub const CLOSE_REASONS: &[&str] = &[
    "duplicate",
    "no_trafficking_indicators",
    "insufficient_information",
    "referred_outside_task_force",
    "other",
];

pub(crate) fn intake_out(i: &IntakeItem) -> IntakeOut {
    IntakeOut {
        id: i.id.to_string(),
        kind: i.kind.as_str().into(),
        priority: i.priority.as_str().into(),
        rules: i
            .rules
            .iter()
            .map(|r| FiredRuleOut {
                rule: r.rule.clone(),
                priority: r.priority.clone(),
                because: r.because.clone(),
            })
            .collect(),
        indicates: i.indicates.as_str().into(),
        state: i.state.as_str().into(),
        routed_agency_id: i.routed_agency.map(|a| a.to_string()),
        assignee_id: i.assignee.map(|a| a.to_string()),
        case_id: i.case_id.map(|c| c.to_string()),
        close_reason: i.close_reason.clone(),
        received_at: i.received_at.to_rfc3339(),
        updated_at: i.updated_at.to_rfc3339(),
    }
}

fn object(i: &IntakeItem) -> Object {
    Object::with_id("intake", i.id, i.routed_agency)
}

/// Loads an item and asks the policy; missing and invisible items both answer 404.
async fn item_access(
    app: &AppState,
    who: &Authed,
    raw: &str,
    action: Action,
) -> Result<IntakeItem, ApiError> {
    let id = path_id(raw, IntakeId::parse)?;
    let item = app.store.intake_item(id).await?.ok_or(ApiError::NotFound)?;
    app.check(who, action, Target::Intake(&item.facts()), &object(&item))
        .await?;
    Ok(item)
}

pub async fn list(
    State(app): State<AppState>,
    who: Authed,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<List<IntakeOut>>, ApiError> {
    let q = Params::only(q, &["state"])?;
    let state = q
        .get("state")
        .map(IntakeState::parse)
        .transpose()
        .map_err(|e| ApiError::invalid("state", e))?
        .unwrap_or(IntakeState::Open);
    let obj = Object::task_force("intake");
    app.check(&who, Action::ListIntake, Target::TaskForce, &obj)
        .await?;
    let items: Vec<IntakeOut> = app
        .store
        .intake_queue(state, 2_000)
        .await?
        .iter()
        .filter(|i| {
            authorize(&who.actor, Action::ReadIntake, Target::Intake(&i.facts())).is_allowed()
        })
        .map(intake_out)
        .collect();
    app.audit(
        &who,
        draft(
            &who,
            "intake.list",
            &obj,
            Outcome::Success,
            format!("state={state};count={}", items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

pub async fn create(
    State(app): State<AppState>,
    who: Authed,
    req: IdemBody<CreateIntakeReferral>,
) -> Result<Response, ApiError> {
    app.check(
        &who,
        Action::CreateIntake,
        Target::TaskForce,
        &Object::task_force("intake"),
    )
    .await?;
    let idem = req
        .key
        .as_ref()
        .map(|k| k.scoped(&format!("user:{}", who.actor.user)));
    if let Some(i) = &idem {
        if let Some(replay) = app.idempotent_replay(i).await? {
            app.audit(
                &who,
                draft(
                    &who,
                    "intake.create",
                    &Object::task_force("intake"),
                    Outcome::Success,
                    "idempotent_replay",
                ),
            )
            .await?;
            return Ok(replay.into_response());
        }
    }
    let r = req.body;
    let what = text("what", &r.what, app.config.tips.max_text_chars)?;
    let where_text = opt_text("where", r.where_text.as_deref(), 1_000)?;
    let when_text = opt_text("when", r.when_text.as_deref(), 1_000)?;
    let contact = opt_text("contact", r.contact.as_deref(), 500)?;
    let (a, rules) = assess(&item_text(
        &what,
        where_text.as_deref(),
        when_text.as_deref(),
    ));
    let now = app.now();
    let item = IntakeItem {
        id: IntakeId::new_random(),
        kind: IntakeKind::Referral,
        receipt_lookup: None,
        receipt_hash: None,
        what,
        where_text,
        when_text,
        contact,
        created_by: Some(who.actor.user),
        priority: a.priority,
        indicates: a.indicates,
        rules,
        state: IntakeState::Open,
        routed_agency: None,
        assignee: None,
        case_id: None,
        close_reason: None,
        received_at: now,
        updated_at: now,
    };
    let out = intake_out(&item);
    let body = serde_json::to_value(&out).map_err(|e| ApiError::internal("intake out", &e))?;
    let d = draft(
        &who,
        "intake.create",
        &object(&item),
        Outcome::Success,
        format!("kind=referral;priority={}", a.priority),
    );
    let stored = body.clone();
    app.audited(&who, d, move |mut ctx| async move {
        let r = async {
            intake::insert_item(&mut ctx, &item).await?;
            if let Some(i) = &idem {
                i.remember(&mut ctx, StatusCode::CREATED, &stored).await?;
            }
            Ok(())
        }
        .await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Selectors extracted from the item's text and the tipster's follow-ups.
fn selectors(text: &str) -> Vec<SelectorOut> {
    let x = vigil_ident::extract(text, &vigil_ident::Options::default());
    let mut out = Vec::new();
    out.extend(x.phones.into_iter().map(|p| SelectorOut {
        kind: "phone".into(),
        value: p.e164,
        raw: p.raw,
    }));
    out.extend(x.emails.into_iter().map(|e| SelectorOut {
        kind: "email".into(),
        value: e.address,
        raw: e.raw,
    }));
    out.extend(x.handles.into_iter().map(|h| SelectorOut {
        kind: "handle".into(),
        value: format!("{}:{}", h.platform, h.handle),
        raw: h.raw,
    }));
    out.extend(x.wallets.into_iter().map(|w| SelectorOut {
        kind: "wallet".into(),
        value: w.address,
        raw: w.raw,
    }));
    out
}

/// The item's text with every follow-up from the tipster (what selectors are extracted from).
fn full_text(item: &IntakeItem, messages: &[IntakeMessage]) -> String {
    let mut t = item_text(
        &item.what,
        item.where_text.as_deref(),
        item.when_text.as_deref(),
    );
    for m in messages
        .iter()
        .filter(|m| m.author == MessageAuthor::Tipster)
    {
        t.push('\n');
        t.push_str(&m.body);
    }
    t
}

pub async fn show(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<IntakeDetail>, ApiError> {
    let item = item_access(&app, &who, &raw, Action::ReadIntake).await?;
    let messages = app.store.intake_messages(item.id).await?;
    let attachments = app.store.intake_attachments(item.id).await?;
    let sel = selectors(&full_text(&item, &messages));
    app.audit(
        &who,
        draft(
            &who,
            "intake.read",
            &object(&item),
            Outcome::Success,
            format!("priority={}", item.priority),
        ),
    )
    .await?;
    Ok(Json(IntakeDetail {
        item: intake_out(&item),
        what: item.what.clone(),
        where_text: item.where_text.clone(),
        when_text: item.when_text.clone(),
        contact: item.contact.clone(),
        created_by: item.created_by.map(|u| u.to_string()),
        messages: messages
            .into_iter()
            .map(|m| IntakeMessageOut {
                id: m.id.to_string(),
                author: m.author.as_str().into(),
                author_id: m.author_user.map(|u| u.to_string()),
                body: m.body,
                created_at: m.created_at.to_rfc3339(),
            })
            .collect(),
        attachments: attachments
            .into_iter()
            .map(|a| AttachmentOut {
                id: a.id.to_string(),
                name: a.name,
                media_type: a.media_type,
                size: a.size,
                sha256: a.sha256,
            })
            .collect(),
        selectors: sel,
    }))
}

/// Whether `user` may hold intake items for `agency`.
async fn check_assignee(app: &AppState, raw: &str, agency: AgencyId) -> Result<UserId, ApiError> {
    let bad = || {
        ApiError::invalid(
            "assignee_id",
            "must be an active supervisor, investigator or analyst of the item's agency",
        )
    };
    let id = UserId::parse(raw).map_err(|e| ApiError::invalid("assignee_id", e))?;
    let user = app.store.user(id).await?.ok_or_else(bad)?;
    if user.agency_id != agency
        || user.disabled
        || !matches!(
            user.role,
            Role::Supervisor | Role::Investigator | Role::Analyst
        )
    {
        return Err(bad());
    }
    Ok(id)
}

async fn reread(app: &AppState, id: IntakeId) -> Result<Json<IntakeOut>, ApiError> {
    let i = app.store.intake_item(id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(intake_out(&i)))
}

pub async fn assign(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<AssignIntake>,
) -> Result<Json<IntakeOut>, ApiError> {
    let item = item_access(&app, &who, &raw, Action::TriageIntake).await?;
    // An unrouted item goes to the assigning supervisor's agency.
    let agency = item.routed_agency.unwrap_or(who.actor.agency);
    let assignee = match req.assignee_id.as_deref() {
        Some(a) => Some(check_assignee(&app, a, agency).await?),
        None => None,
    };
    let id = item.id;
    let d = draft(
        &who,
        "intake.assign",
        &Object::with_id("intake", id, Some(agency)),
        Outcome::Success,
        format!(
            "agency={agency};assignee={}",
            assignee.map_or_else(|| "none".into(), |a| a.to_string())
        ),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = intake::set_routing(&mut ctx, id, Some(agency), assignee).await;
        (ctx, r)
    })
    .await?;
    reread(&app, id).await
}

pub async fn route(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<RouteIntake>,
) -> Result<Json<IntakeOut>, ApiError> {
    let item = item_access(&app, &who, &raw, Action::TriageIntake).await?;
    let agency = AgencyId::parse(&req.agency_id).map_err(|e| ApiError::invalid("agency_id", e))?;
    if app.store.agency(agency).await?.is_none() {
        return Err(ApiError::invalid("agency_id", "no such agency"));
    }
    // Routing elsewhere clears the assignee (they belong to the old agency).
    let assignee = item.assignee.filter(|_| item.routed_agency == Some(agency));
    let id = item.id;
    let d = draft(
        &who,
        "intake.route",
        &Object::with_id("intake", id, item.routed_agency),
        Outcome::Success,
        format!("agency={agency}"),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = intake::set_routing(&mut ctx, id, Some(agency), assignee).await;
        (ctx, r)
    })
    .await?;
    reread(&app, id).await
}

pub async fn close(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<CloseIntake>,
) -> Result<Json<IntakeOut>, ApiError> {
    let item = item_access(&app, &who, &raw, Action::TriageIntake).await?;
    let Some(reason) = CLOSE_REASONS.iter().find(|r| **r == req.reason) else {
        return Err(ApiError::invalid(
            "reason",
            format!("expected one of: {}", CLOSE_REASONS.join(", ")),
        ));
    };
    let id = item.id;
    let d = draft(
        &who,
        "intake.close",
        &object(&item),
        Outcome::Success,
        format!("reason={reason}"),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = intake::close(&mut ctx, id, reason).await;
        (ctx, r)
    })
    .await?;
    reread(&app, id).await
}

/// The note a merge writes into the case: the item's text, the tipster's follow-ups and the
/// triage explanation. The tipster's contact stays on the intake item.
fn merge_note(item: &IntakeItem, messages: &[IntakeMessage]) -> String {
    let mut n = format!(
        "Merged from the triage queue: {} received {}.\n\nWhat: {}",
        match item.kind {
            IntakeKind::Tip => "anonymous tip",
            IntakeKind::Referral => "referral",
        },
        item.received_at.to_rfc3339_seconds(),
        item.what
    );
    if let Some(w) = &item.where_text {
        n.push_str(&format!("\nWhere: {w}"));
    }
    if let Some(w) = &item.when_text {
        n.push_str(&format!("\nWhen: {w}"));
    }
    for m in messages {
        let who = match m.author {
            MessageAuthor::Tipster => "Tipster",
            MessageAuthor::Staff => "Task force reply",
        };
        n.push_str(&format!(
            "\n\n{who} ({}): {}",
            m.created_at.to_rfc3339_seconds(),
            m.body
        ));
    }
    let why: Vec<String> = item
        .rules
        .iter()
        .map(|r| format!("{} ({})", r.rule, r.because))
        .collect();
    n.push_str(&format!(
        "\n\nTriage priority: {}{}{}",
        item.priority,
        if why.is_empty() { "" } else { " — " },
        why.join("; ")
    ));
    if item.contact.is_some() {
        n.push_str("\nContact details were given; see the intake item.");
    }
    n
}

/// Entities for the extracted selectors (values that do not validate are skipped).
fn selector_entities(
    sel: &[SelectorOut],
    case: CaseId,
    by: UserId,
    now: vigil_types::Timestamp,
) -> Vec<Entity> {
    sel.iter()
        .filter_map(|s| {
            let (schema, props): (Schema, Vec<(&str, String)>) = match s.kind.as_str() {
                "phone" => (Schema::Phone, vec![("number", s.value.clone())]),
                "email" => (Schema::Email, vec![("address", s.value.clone())]),
                "handle" => {
                    let (service, handle) = s.value.split_once(':')?;
                    (
                        Schema::UserAccount,
                        vec![
                            ("username", handle.to_owned()),
                            ("service", service.to_owned()),
                        ],
                    )
                }
                "wallet" => (Schema::CryptoWallet, vec![("publicKey", s.value.clone())]),
                _ => return None,
            };
            let raw: BTreeMap<String, Vec<String>> = props
                .into_iter()
                .map(|(k, v)| (k.to_owned(), vec![v]))
                .collect();
            let properties = entity::validate(schema, &raw).ok()?;
            Some(Entity {
                id: EntityId::new_random(),
                case_id: case,
                schema,
                caption: entity::caption(schema, &properties),
                properties,
                created_by: by,
                created_at: now,
                updated_at: now,
            })
        })
        .collect()
}

pub async fn merge(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<MergeIntake>,
) -> Result<(StatusCode, Json<MergedOut>), ApiError> {
    let item = item_access(&app, &who, &raw, Action::WorkIntake).await?;
    if item.state != IntakeState::Open {
        return Err(ApiError::Unprocessable(
            "this item is no longer open (merged or closed)".into(),
        ));
    }
    let now = app.now();
    let (case_id, owner, new_case) = match (&req.case_id, &req.new_case) {
        (Some(raw_case), None) => {
            let facts = app
                .case_access(&who, raw_case, Action::WriteCaseContent)
                .await?;
            (facts.id, facts.owner, None)
        }
        (None, Some(c)) => {
            app.check(
                &who,
                Action::CreateCase,
                Target::TaskForce,
                &Object::task_force("case"),
            )
            .await?;
            let number = CaseNumber::parse(&c.number)
                .map_err(|e| ApiError::invalid("new_case.number", e))?;
            let title = DisplayText::parse(&c.title, 200)
                .map_err(|e| ApiError::invalid("new_case.title", e))?;
            let kind = TraffickingType::parse(&c.trafficking_type)
                .map_err(|e| ApiError::invalid("new_case.trafficking_type", e))?;
            let sensitivity = c
                .sensitivity
                .as_deref()
                .map(Sensitivity::parse)
                .transpose()
                .map_err(|e| ApiError::invalid("new_case.sensitivity", e))?
                .unwrap_or(Sensitivity::Normal);
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
            (case.id, case.agency_id, Some(case))
        }
        _ => {
            return Err(ApiError::invalid(
                "case_id",
                "give exactly one of case_id and new_case",
            ))
        }
    };
    let messages = app.store.intake_messages(item.id).await?;
    let sel = selectors(&full_text(&item, &messages));
    let entities = selector_entities(&sel, case_id, who.actor.user, now);
    let note = Note {
        id: NoteId::new_random(),
        case_id,
        author_id: who.actor.user,
        body: merge_note(&item, &messages),
        created_at: now,
    };
    let out = MergedOut {
        case_id: case_id.to_string(),
        note_id: note.id.to_string(),
        entity_ids: entities.iter().map(|e| e.id.to_string()).collect(),
    };
    let id = item.id;
    let by = who.actor.user;
    let d = draft(
        &who,
        "intake.merge",
        &Object::with_id("intake", id, Some(owner)),
        Outcome::Success,
        format!(
            "case={case_id};new_case={};entities={}",
            new_case.is_some(),
            entities.len()
        ),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = async {
            if let Some(c) = &new_case {
                cases::insert(&mut ctx, c).await?;
            }
            content::insert_note(&mut ctx, &note).await?;
            for e in &entities {
                content::insert_entity(&mut ctx, e).await?;
            }
            intake::mark_merged(&mut ctx, id, case_id).await?;
            content::insert_event(
                &mut ctx,
                case_id,
                Some(by),
                "intake.merged",
                "Intake item merged into the case",
            )
            .await
        }
        .await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

pub async fn reply(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<IntakeReply>,
) -> Result<(StatusCode, Json<IntakeMessageOut>), ApiError> {
    let item = item_access(&app, &who, &raw, Action::WorkIntake).await?;
    if item.kind != IntakeKind::Tip {
        return Err(ApiError::Unprocessable(
            "only anonymous tips have a tipster to reply to".into(),
        ));
    }
    let body = text("body", &req.body, 5_000)?;
    let m = IntakeMessage {
        id: IntakeMessageId::new_random(),
        item_id: item.id,
        author: MessageAuthor::Staff,
        author_user: Some(who.actor.user),
        body,
        created_at: app.now(),
    };
    let out = IntakeMessageOut {
        id: m.id.to_string(),
        author: m.author.as_str().into(),
        author_id: Some(who.actor.user.to_string()),
        body: m.body.clone(),
        created_at: m.created_at.to_rfc3339(),
    };
    let d = draft(&who, "intake.reply", &object(&item), Outcome::Success, "");
    app.audited(&who, d, move |mut ctx| async move {
        let r = intake::insert_message(&mut ctx, &m).await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Downloads a tip attachment: always as `application/octet-stream` with a server-generated
/// file name (`Content-Disposition: attachment`), never rendered inline; the stored SHA-256 in
/// `X-Content-SHA256`.
pub async fn attachment(
    State(app): State<AppState>,
    who: Authed,
    Path((raw, raw_attachment)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let item = item_access(&app, &who, &raw, Action::ReadIntake).await?;
    let id = path_id(&raw_attachment, vigil_types::AttachmentId::parse)?;
    let a = app
        .store
        .intake_attachment(item.id, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    app.audit(
        &who,
        draft(
            &who,
            "intake.attachment.read",
            &object(&item),
            Outcome::Success,
            format!("attachment={}", a.id),
        ),
    )
    .await?;
    let ext = match a.media_type.as_str() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "application/pdf" => "pdf",
        _ => "txt",
    };
    let disposition = format!("attachment; filename=\"tip-attachment-{}.{ext}\"", a.id);
    let headers = [
        (
            axum::http::header::CONTENT_TYPE,
            "application/octet-stream".to_owned(),
        ),
        (axum::http::header::CONTENT_DISPOSITION, disposition),
        (
            axum::http::HeaderName::from_static("x-content-sha256"),
            a.sha256.clone(),
        ),
    ];
    if !a.in_blob_store {
        return Ok((headers, a.content).into_response());
    }
    // Streamed from the blob store and re-hashed on the way: a damaged file is cut off.
    let blobs = app.blobs.as_ref().ok_or(ApiError::NotConfigured(
        "this server has no blob directory configured; tip attachments cannot be read",
    ))?;
    let digest = vigil_types::Sha256Digest::parse(&a.sha256).map_err(|_| {
        ApiError::internal(
            "tip attachment",
            &std::io::Error::other("stored digest is not hex"),
        )
    })?;
    let size = u64::try_from(a.size).unwrap_or(0);
    let body = super::evidence::ChannelBody {
        rx: blobs.stream(digest, size),
        context: "tip attachment download",
    };
    let mut res = (headers, axum::body::Body::new(body)).into_response();
    res.headers_mut().insert(
        axum::http::header::CONTENT_LENGTH,
        axum::http::HeaderValue::from(size),
    );
    Ok(res)
}
