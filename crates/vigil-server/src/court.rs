//! The court package of a case's evidence, shared by `POST /cases/{id}/evidence/export` (a tar
//! stream) and `vigil evidence export` (a directory): the `exported` custody events to record
//! before anything is written, and the `Package` that names every item with its custody log.

use std::collections::HashMap;
use vigil_core::Actor;
use vigil_evidence::{CustodyLine, Package, PackageItem};
use vigil_store::cases::Case;
use vigil_store::evidence::{CustodyEvent, CustodyKind, Evidence};
use vigil_store::{Store, StoreError};
use vigil_types::{Timestamp, UserId};

/// One `exported` custody event per item, naming the recipient and the purpose.
#[must_use]
pub fn exported_events(
    items: &[Evidence],
    actor: &Actor,
    at: Timestamp,
    purpose: &str,
    recipient: &str,
) -> Vec<CustodyEvent> {
    items
        .iter()
        .map(|e| CustodyEvent {
            evidence_id: e.id,
            kind: CustodyKind::Exported,
            at,
            actor_id: actor.user,
            actor_agency: actor.agency,
            from_user: None,
            to_user: None,
            recipient: Some(recipient.to_owned()),
            purpose: Some(purpose.to_owned()),
            sha256: e.sha256,
        })
        .collect()
}

/// A user's display name for the custody report (the id if the account is gone).
async fn display_name(
    store: &Store,
    cache: &mut HashMap<UserId, String>,
    id: UserId,
) -> Result<String, StoreError> {
    if let Some(n) = cache.get(&id) {
        return Ok(n.clone());
    }
    let n = store
        .user(id)
        .await?
        .map_or_else(|| id.to_string(), |u| u.display_name);
    cache.insert(id, n.clone());
    Ok(n)
}

/// The package for `items` of `case`, read after the export's custody events committed (so the
/// report shows them).
pub async fn package(
    store: &Store,
    case: &Case,
    items: &[Evidence],
    exported_by: UserId,
    at: Timestamp,
    purpose: String,
    recipient: String,
) -> Result<Package, StoreError> {
    let mut names: HashMap<UserId, String> = HashMap::new();
    let mut package_items = Vec::with_capacity(items.len());
    for e in items {
        let custody = store
            .custody(e.id)
            .await?
            .into_iter()
            .map(|c| CustodyLine {
                at: c.event.at,
                kind: c.event.kind.as_str().into(),
                actor: c.actor_name,
                from: c.from_name,
                to: c.to_name.or(c.event.recipient),
                purpose: c.event.purpose,
                sha256: c.event.sha256,
            })
            .collect();
        package_items.push(PackageItem {
            id: e.id,
            name: e.name.clone(),
            description: e.description.clone(),
            media_type: e.media_type.clone(),
            size: e.size,
            sha256: e.sha256,
            collected_by: display_name(store, &mut names, e.collected_by).await?,
            collected_at: e.collected_at,
            collected_where: e.collected_where.clone(),
            custody,
        });
    }
    Ok(Package {
        case_id: case.id,
        case_number: case.number.to_string(),
        case_title: case.title.clone(),
        exported_at: at,
        exported_by: display_name(store, &mut names, exported_by).await?,
        purpose,
        recipient,
        tool: format!("Vigil {}", env!("CARGO_PKG_VERSION")),
        items: package_items,
    })
}
