//! The audit trail for supervisors: search and export, scoped to their agency. Reading the trail
//! is itself audited (CJIS AU-2: any access to the audit log).

use super::Params;
use crate::access::{draft, Object};
use crate::auth::Authed;
use crate::wire::{AuditEventOut, List};
use crate::{ApiError, AppState};
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::collections::HashMap;
use vigil_audit::Outcome;
use vigil_core::{Action, Target};
use vigil_store::audit::{AuditQuery, StoredEvent};
use vigil_types::{Timestamp, UserId};

const FILTERS: &[&str] = &[
    "actor",
    "action",
    "object_id",
    "outcome",
    "from",
    "to",
    "after_seq",
    "limit",
];

fn event_out(s: &StoredEvent) -> AuditEventOut {
    AuditEventOut::from(s)
}

fn query_from(who: &Authed, p: &Params, default_limit: u32) -> Result<AuditQuery, ApiError> {
    let time = |k: &str| {
        p.get(k)
            .map(Timestamp::parse_rfc3339)
            .transpose()
            .map_err(|e| ApiError::invalid(k, e))
    };
    Ok(AuditQuery {
        agency_scope: Some(who.actor.agency),
        actor: p
            .get("actor")
            .map(UserId::parse)
            .transpose()
            .map_err(|e| ApiError::invalid("actor", e))?,
        action_prefix: p.get("action").map(|a| a.chars().take(64).collect()),
        object_id: p.get("object_id").map(|o| o.chars().take(64).collect()),
        outcome: p
            .get("outcome")
            .map(|o| {
                Outcome::parse(o).ok_or_else(|| {
                    ApiError::invalid("outcome", "must be success, denied or failed")
                })
            })
            .transpose()?,
        from: time("from")?,
        to: time("to")?,
        after_seq: p
            .get("after_seq")
            .map(str::parse)
            .transpose()
            .map_err(|_| ApiError::invalid("after_seq", "must be a whole number"))?,
        limit: p
            .get("limit")
            .map(str::parse)
            .transpose()
            .map_err(|_| ApiError::invalid("limit", "must be a whole number"))?
            .unwrap_or(default_limit)
            .min(1000),
    })
}

pub async fn search(
    State(app): State<AppState>,
    who: Authed,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Json<List<AuditEventOut>>, ApiError> {
    let p = Params::only(raw, FILTERS)?;
    let object = Object::task_force("audit_log");
    app.check(&who, Action::ReadAudit, Target::TaskForce, &object)
        .await?;
    let q = query_from(&who, &p, 100)?;
    let items: Vec<AuditEventOut> = app
        .store
        .audit_search(&q)
        .await?
        .iter()
        .map(event_out)
        .collect();
    app.audit(
        &who,
        draft(
            &who,
            "audit.read",
            &object,
            Outcome::Success,
            format!("count={}", items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

/// Every matching event in `seq` order as JSON Lines (up to 1,000,000 per export).
pub async fn export(
    State(app): State<AppState>,
    who: Authed,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let p = Params::only(raw, FILTERS)?;
    let object = Object::task_force("audit_log");
    app.check(&who, Action::ExportAudit, Target::TaskForce, &object)
        .await?;
    let mut q = query_from(&who, &p, 1000)?;
    q.limit = 1000;
    q.after_seq = Some(q.after_seq.unwrap_or(0));
    let mut out = String::new();
    let mut count = 0u64;
    while count < 1_000_000 {
        let page = app.store.audit_search(&q).await?;
        let Some(last) = page.last() else { break };
        q.after_seq = Some(last.event.seq);
        for e in &page {
            out.push_str(
                &serde_json::to_string(&event_out(e))
                    .map_err(|err| ApiError::internal("audit export", &err))?,
            );
            out.push('\n');
            count += 1;
        }
    }
    app.audit(
        &who,
        draft(
            &who,
            "audit.export",
            &object,
            Outcome::Success,
            format!("count={count};bytes={}", out.len()),
        ),
    )
    .await?;
    Ok((
        [
            (CONTENT_TYPE, "application/x-ndjson"),
            (
                CONTENT_DISPOSITION,
                "attachment; filename=\"vigil-audit.jsonl\"",
            ),
        ],
        out,
    )
        .into_response())
}
