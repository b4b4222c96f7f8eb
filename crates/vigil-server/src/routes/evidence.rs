//! Evidence with chain of custody (E1–E3): streaming upload into the blob store, listing,
//! streaming download (a custody event each time), transfers, the custody log and the court
//! export package (a streamed tar).
//!
//! Upload order is the durability invariant: the blob is hashed while it streams to a temp file,
//! fsynced and linked under its digest (`BlobStore`), and only then is its row committed with the
//! `collected` custody event and the audit event. A crash in between leaves an orphan blob that
//! no route shows and `vigil evidence verify` reports.

use super::Params;
use crate::access::{draft, Object};
use crate::auth::Authed;
use crate::extract::{path_id, Body};
use crate::wire::{CustodyOut, EvidenceOut, ExportEvidence, List, TransferEvidence};
use crate::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http_body::{Body as _, Frame};
use std::collections::HashMap;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::mpsc;
use vigil_audit::Outcome;
use vigil_core::{authorize, Action, Actor, CaseFacts, Target, TokenScope};
use vigil_evidence::blobs::ChannelWriter;
use vigil_evidence::package::extension;
use vigil_evidence::{BlobError, BlobStore};
use vigil_store::evidence::{self, Added, CustodyEvent, CustodyKind, CustodyRecord, Evidence};
use vigil_types::{DisplayText, EvidenceId, Timestamp, UserId};

/// Longest stored evidence name, in characters.
const MAX_NAME: usize = 255;

fn blobs(app: &AppState) -> Result<&BlobStore, ApiError> {
    app.blobs.as_ref().ok_or(ApiError::NotConfigured(
        "this server has no blob directory configured; evidence files cannot be stored or read",
    ))
}

fn blob_error(context: &str, e: BlobError) -> ApiError {
    match e {
        BlobError::TooLarge { limit } => ApiError::UploadTooLarge { limit },
        BlobError::Abandoned => ApiError::Invalid {
            code: "UPLOAD_INTERRUPTED",
            message: "the upload ended before the whole file arrived".into(),
        },
        other => ApiError::internal(context, &other),
    }
}

pub(crate) async fn evidence_out(app: &AppState, e: &Evidence) -> Result<EvidenceOut, ApiError> {
    let custodian = app.store.custodian(e).await?;
    Ok(EvidenceOut {
        id: e.id.to_string(),
        case_id: e.case_id.to_string(),
        name: e.name.clone(),
        description: e.description.clone(),
        media_type: e.media_type.clone(),
        size_bytes: e.size,
        sha256: e.sha256.to_hex(),
        collected_by: e.collected_by.to_string(),
        collected_at: e.collected_at.to_rfc3339(),
        collected_where: e.collected_where.clone(),
        added_by: e.added_by.to_string(),
        added_at: e.added_at.to_rfc3339(),
        custodian_id: custodian.to_string(),
    })
}

fn custody_out(c: &CustodyRecord) -> CustodyOut {
    let e = &c.event;
    CustodyOut {
        seq: c.seq,
        kind: e.kind.as_str().into(),
        at: e.at.to_rfc3339(),
        recorded_at: c.recorded_at.to_rfc3339(),
        actor_id: e.actor_id.to_string(),
        actor_agency_id: e.actor_agency.to_string(),
        actor_name: c.actor_name.clone(),
        from_user_id: e.from_user.map(|u| u.to_string()),
        to_user_id: e.to_user.map(|u| u.to_string()),
        recipient: e.recipient.clone(),
        purpose: e.purpose.clone(),
        sha256: e.sha256.to_hex(),
    }
}

/// A stored name: display metadata only. Refuses control characters and bidirectional
/// overrides (`invoice\u{202e}fdp.exe` tricks); path separators are kept as text.
fn evidence_name(raw: &str) -> Result<String, ApiError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(ApiError::invalid("name", "must not be empty"));
    }
    if name.chars().count() > MAX_NAME {
        return Err(ApiError::invalid(
            "name",
            format!("must be at most {MAX_NAME} characters"),
        ));
    }
    let bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}');
    if name.chars().any(|c| c.is_control() || bidi(c)) {
        return Err(ApiError::invalid(
            "name",
            "contains a control or text-direction character",
        ));
    }
    Ok(name.to_owned())
}

/// The upload's media type from `Content-Type`: `type/subtype` (RFC 6838 names) with optional
/// parameters, lowercased. Forms are refused: the body must be the file itself.
fn upload_media_type(headers: &HeaderMap) -> Result<String, ApiError> {
    const HOW: &str = "send the file itself as the request body with its media type as Content-Type \
                       (application/octet-stream when unknown); multipart and form bodies are not accepted";
    let raw = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .ok_or(ApiError::UnsupportedUpload(HOW))?;
    let value = raw.trim().to_ascii_lowercase();
    let essence = value.split(';').next().unwrap_or("").trim();
    let Some((top, sub)) = essence.split_once('/') else {
        return Err(ApiError::UnsupportedUpload(HOW));
    };
    let name_ok = |s: &str| {
        !s.is_empty()
            && s.len() <= 127
            && s.starts_with(|c: char| c.is_ascii_alphanumeric())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
    };
    if !name_ok(top) || !name_ok(sub) || value.len() > 255 || value.chars().any(|c| c.is_control())
    {
        return Err(ApiError::UnsupportedUpload(HOW));
    }
    if top == "multipart" || essence == "application/x-www-form-urlencoded" {
        return Err(ApiError::UnsupportedUpload(HOW));
    }
    Ok(value)
}

fn optional_text(p: &Params, field: &str, max: usize) -> Result<Option<String>, ApiError> {
    p.get(field)
        .map(|v| DisplayText::parse(v, max).map(DisplayText::into_string))
        .transpose()
        .map_err(|e| ApiError::invalid(field, e))
}

/// `POST /cases/{id}/evidence?name=…`: the body is the file. Streamed into the blob store;
/// answers 201 with the new item, or 200 with the case's existing item for the same bytes.
pub async fn upload(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Result<Response, ApiError> {
    let facts = app.case_access(&who, &raw, Action::AddEvidence).await?;
    let blobs = blobs(&app)?.clone();
    let q = Params::only(
        q,
        &[
            "name",
            "description",
            "collected_at",
            "collected_where",
            "collected_by",
            "reason",
        ],
    )?;
    let name = evidence_name(q.get("name").unwrap_or(""))?;
    let description = optional_text(&q, "description", 2000)?;
    let collected_where = optional_text(&q, "collected_where", 500)?;
    let reason = optional_text(&q, "reason", 500)?;
    let now = app.now();
    let collected_at = match q.get("collected_at") {
        None => now,
        Some(t) => {
            let t =
                Timestamp::parse_rfc3339(t).map_err(|e| ApiError::invalid("collected_at", e))?;
            if t > now.plus(std::time::Duration::from_secs(300)) {
                return Err(ApiError::invalid("collected_at", "is in the future"));
            }
            t
        }
    };
    let (collector, collector_agency) = match q.get("collected_by") {
        None => (who.actor.user, who.actor.agency),
        Some(raw) => {
            let id = UserId::parse(raw).map_err(|e| ApiError::invalid("collected_by", e))?;
            let u = app
                .store
                .user(id)
                .await?
                .ok_or_else(|| ApiError::invalid("collected_by", "no such user"))?;
            (u.id, u.agency_id)
        }
    };
    let media_type = upload_media_type(&headers)?;
    let limit = app.config.max_upload_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::UploadTooLarge { limit });
    }

    // Stream the body into the blob store: never more than a few chunks in memory.
    let mut ingest = blobs.start_ingest(limit);
    let mut body = body;
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let Ok(frame) = frame else {
            ingest.abort().await;
            return Err(blob_error("evidence upload", BlobError::Abandoned));
        };
        if let Ok(data) = frame.into_data() {
            ingest
                .push(data)
                .await
                .map_err(|e| blob_error("evidence upload", e))?;
        }
    }
    if ingest.received() == 0 {
        ingest.abort().await;
        return Err(ApiError::Invalid {
            code: "EMPTY_BODY",
            message: "the request body is empty: send the file as the body".into(),
        });
    }
    let stored = ingest
        .finish()
        .await
        .map_err(|e| blob_error("evidence upload", e))?;
    // The blob is durable under its digest; from here on the row may commit.
    #[cfg(feature = "failpoints")]
    if app
        .failpoints
        .evidence_after_blob
        .load(std::sync::atomic::Ordering::SeqCst)
    {
        return Err(ApiError::internal(
            "evidence upload",
            &std::io::Error::other("failpoint evidence_after_blob"),
        ));
    }

    let item = Evidence {
        id: EvidenceId::new_random(),
        case_id: facts.id,
        name,
        description,
        media_type,
        size: stored.size,
        sha256: stored.digest,
        collected_by: collector,
        collected_at,
        collected_where,
        added_by: who.actor.user,
        added_at: now,
    };
    let d = draft(
        &who,
        "evidence.add",
        &Object::with_id("evidence", item.id, Some(facts.owner)),
        Outcome::Success,
        format!(
            "case={};bytes={};sha256={}",
            facts.id, stored.size, stored.digest
        ),
    );
    let new = item.clone();
    let added = app
        .audited(&who, d, move |mut ctx| async move {
            let r = evidence::insert_evidence(&mut ctx, &new, collector_agency, reason.as_deref())
                .await;
            (ctx, r)
        })
        .await?;
    let (status, item) = match added {
        Added::New => (StatusCode::CREATED, item),
        Added::Existing(existing) => (StatusCode::OK, *existing),
    };
    let out = evidence_out(&app, &item).await?;
    let mut res = (status, Json(out)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/evidence/{}", item.id)) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

pub async fn list(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<List<EvidenceOut>>, ApiError> {
    let facts = app.case_access(&who, &raw, Action::ReadEvidence).await?;
    let found = app.store.case_evidence(facts.id).await?;
    let mut items = Vec::with_capacity(found.len());
    for e in &found {
        items.push(evidence_out(&app, e).await?);
    }
    app.audit(
        &who,
        draft(
            &who,
            "evidence.list",
            &Object::case(&facts),
            Outcome::Success,
            format!("count={}", items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

/// Loads an item and checks `action` on its case; invisible items are 404 (and audited).
async fn item_access(
    app: &AppState,
    who: &Authed,
    raw: &str,
    action: Action,
) -> Result<(Evidence, CaseFacts), ApiError> {
    let id = path_id(raw, EvidenceId::parse)?;
    let e = app.store.evidence(id).await?.ok_or(ApiError::NotFound)?;
    let facts = app
        .store
        .case_facts(e.case_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let object = Object::with_id("evidence", e.id, Some(facts.owner));
    app.check(who, action, Target::Case(&facts), &object)
        .await?;
    Ok((e, facts))
}

pub async fn show(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<EvidenceOut>, ApiError> {
    let (e, facts) = item_access(&app, &who, &raw, Action::ReadEvidence).await?;
    let out = evidence_out(&app, &e).await?;
    app.audit(
        &who,
        draft(
            &who,
            "evidence.read",
            &Object::with_id("evidence", e.id, Some(facts.owner)),
            Outcome::Success,
            format!("case={}", facts.id),
        ),
    )
    .await?;
    Ok(Json(out))
}

pub async fn custody(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<List<CustodyOut>>, ApiError> {
    let (e, facts) = item_access(&app, &who, &raw, Action::ReadEvidence).await?;
    let items: Vec<CustodyOut> = app
        .store
        .custody(e.id)
        .await?
        .iter()
        .map(custody_out)
        .collect();
    app.audit(
        &who,
        draft(
            &who,
            "evidence.custody",
            &Object::with_id("evidence", e.id, Some(facts.owner)),
            Outcome::Success,
            format!("case={};count={}", facts.id, items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

/// A response body fed by a blocking producer through a channel. An `Err` ends the response
/// abnormally (the connection is reset), so a client never mistakes a cut-off copy for a whole.
pub(crate) struct ChannelBody {
    pub(crate) rx: mpsc::Receiver<Result<Bytes, BlobError>>,
    pub(crate) context: &'static str,
}

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = BlobError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BlobError>>> {
        match self.rx.poll_recv(cx) {
            Poll::Ready(Some(Ok(b))) => Poll::Ready(Some(Ok(Frame::data(b)))),
            Poll::Ready(Some(Err(e))) => {
                // Logged like a 500: digests and paths only, never names.
                let _ = ApiError::internal(self.context, &e);
                Poll::Ready(Some(Err(e)))
            }
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

fn attachment(res: &mut Response, content_type: &'static str, filename: &str, len: u64) {
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
}

/// `GET /evidence/{id}/content[?purpose=]`: the original bytes, streamed and re-hashed on the
/// way; recorded as an `accessed` custody event before the first byte is sent.
pub async fn download(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let (e, facts) = item_access(&app, &who, &raw, Action::ReadEvidence).await?;
    let q = Params::only(q, &["purpose"])?;
    let purpose = optional_text(&q, "purpose", 500)?;
    let blobs = blobs(&app)?.clone();
    if !blobs.contains(&e.sha256) {
        return Err(ApiError::internal(
            "evidence download",
            &BlobError::Missing(e.sha256),
        ));
    }
    let event = CustodyEvent {
        evidence_id: e.id,
        kind: CustodyKind::Accessed,
        at: app.now(),
        actor_id: who.actor.user,
        actor_agency: who.actor.agency,
        from_user: None,
        to_user: None,
        recipient: None,
        purpose,
        sha256: e.sha256,
    };
    let d = draft(
        &who,
        "evidence.download",
        &Object::with_id("evidence", e.id, Some(facts.owner)),
        Outcome::Success,
        format!("case={};bytes={}", facts.id, e.size),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = evidence::insert_custody(&mut ctx, &event).await;
        (ctx, r)
    })
    .await?;
    let body = ChannelBody {
        rx: blobs.stream(e.sha256, e.size),
        context: "evidence download",
    };
    let mut res = axum::body::Body::new(body).into_response();
    attachment(
        &mut res,
        "application/octet-stream",
        &format!("{}.{}", e.id, extension(&e.media_type)),
        e.size,
    );
    if let Ok(v) = HeaderValue::from_str(&e.sha256.to_hex()) {
        res.headers_mut().insert("x-vigil-sha256", v);
    }
    Ok(res)
}

/// `POST /evidence/{id}/transfers`: hands custody to a task-force member who can see the case.
pub async fn transfer(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<TransferEvidence>,
) -> Result<Json<EvidenceOut>, ApiError> {
    let (e, facts) = item_access(&app, &who, &raw, Action::TransferEvidence).await?;
    let to = UserId::parse(&req.to_user_id).map_err(|err| ApiError::invalid("to_user_id", err))?;
    let purpose = DisplayText::parse(&req.purpose, 500)
        .map_err(|err| ApiError::invalid("purpose", err))?
        .into_string();
    let receiver = app.store.user(to).await?;
    // The receiver must be able to see the case under the same policy (without saying why not,
    // so this cannot probe another agency's cases).
    let may_hold = receiver.as_ref().is_some_and(|u| {
        !u.disabled
            && authorize(
                &Actor {
                    user: u.id,
                    agency: u.agency_id,
                    role: u.role,
                    scope: TokenScope::Full,
                },
                Action::ReadEvidence,
                Target::Case(&facts),
            )
            .is_allowed()
    });
    if !may_hold {
        return Err(ApiError::Unprocessable(
            "to_user_id: the receiver must be an active user who can see this case (add them to the team first)".into(),
        ));
    }
    let from = app.store.custodian(&e).await?;
    if from == to {
        return Err(ApiError::Unprocessable(
            "to_user_id: this user already holds the item".into(),
        ));
    }
    let event = CustodyEvent {
        evidence_id: e.id,
        kind: CustodyKind::Transferred,
        at: app.now(),
        actor_id: who.actor.user,
        actor_agency: who.actor.agency,
        from_user: Some(from),
        to_user: Some(to),
        recipient: None,
        purpose: Some(purpose),
        sha256: e.sha256,
    };
    let d = draft(
        &who,
        "evidence.transfer",
        &Object::with_id("evidence", e.id, Some(facts.owner)),
        Outcome::Success,
        format!("case={};from={from};to={to}", facts.id),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = evidence::insert_custody(&mut ctx, &event).await;
        (ctx, r)
    })
    .await?;
    Ok(Json(evidence_out(&app, &e).await?))
}

/// `POST /cases/{id}/evidence/export`: the court package as a streamed ustar archive. Every item
/// gets an `exported` custody event (with recipient and purpose) before the first byte is sent;
/// each original is re-hashed while it streams and a damaged one cuts the archive short.
pub async fn export(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<ExportEvidence>,
) -> Result<Response, ApiError> {
    let facts = app.case_access(&who, &raw, Action::ExportEvidence).await?;
    let purpose = DisplayText::parse(&req.purpose, 500)
        .map_err(|e| ApiError::invalid("purpose", e))?
        .into_string();
    let recipient = DisplayText::parse(&req.recipient, 200)
        .map_err(|e| ApiError::invalid("recipient", e))?
        .into_string();
    let blobs = blobs(&app)?.clone();
    let items = app.store.case_evidence(facts.id).await?;
    if items.is_empty() {
        return Err(ApiError::Unprocessable(
            "this case has no evidence to export".into(),
        ));
    }
    if let Some(missing) = items.iter().find(|e| !blobs.contains(&e.sha256)) {
        return Err(ApiError::internal(
            "evidence export",
            &BlobError::Missing(missing.sha256),
        ));
    }
    let case = app.store.case(facts.id).await?.ok_or(ApiError::NotFound)?;
    let now = app.now();
    let events = crate::court::exported_events(&items, &who.actor, now, &purpose, &recipient);
    let d = draft(
        &who,
        "evidence.export",
        &Object::case(&facts),
        Outcome::Success,
        format!("items={}", items.len()),
    );
    app.audited(&who, d, move |mut ctx| async move {
        for ev in &events {
            if let Err(e) = evidence::insert_custody(&mut ctx, ev).await {
                return (ctx, Err(e));
            }
        }
        (ctx, Ok(()))
    })
    .await?;
    let package = crate::court::package(
        &app.store,
        &case,
        &items,
        who.actor.user,
        now,
        purpose,
        recipient,
    )
    .await?;
    let len = package.tar_len();
    let filename = format!("{}.tar", package.root());
    let (tx, rx) = mpsc::channel(4);
    tokio::task::spawn_blocking(move || {
        let mut w = ChannelWriter::new(tx.clone());
        if let Err(e) = package.write_tar(&blobs, &mut w) {
            if !w.is_closed() {
                let err = match e {
                    vigil_evidence::package::PackageError::Blob(b) => b,
                    other => BlobError::Io {
                        op: "writing the export package",
                        path: std::path::PathBuf::new(),
                        source: std::io::Error::other(other.to_string()),
                    },
                };
                let _ = tx.blocking_send(Err(err));
            }
        }
    });
    let body = ChannelBody {
        rx,
        context: "evidence export",
    };
    let mut res = axum::body::Body::new(body).into_response();
    attachment(&mut res, "application/x-tar", &filename, len);
    Ok(res)
}
