//! Victims in case content (V1, V3, V4): which Person entities of a case a caller sees only as a
//! pseudonym. A person is a victim when it is marked `htcdsRole: victim` or linked to a vault
//! record. Its name and properties are shown only when the one policy allows
//! `SeeVictimInChart`: on the case for a marked person (victim advocates on the case), and with
//! the vault record's facts for a linked one (the same advocates, plus whoever a consent in force
//! lets read the record's identity). Shared by the entity routes and the link chart, so both show
//! the same thing.
//!
//! A name shown because of a consent is a read that relied on it: the caller's audit event is
//! written with `routes::vault::audit_read`, which re-checks the consents in the writer's
//! transaction, so a revocation that was acknowledged first always wins.

use crate::auth::Authed;
use crate::wire::EntityOut;
use crate::{ApiError, AppState};
use std::collections::{BTreeMap, HashMap};
use vigil_core::entity::Schema;
use vigil_core::{authorize, Action, CaseFacts, Target};
use vigil_store::content::Entity;
use vigil_types::{ConsentId, EntityId};

/// A stable, per-entity pseudonym: the same victim gets the same id in every request, and the id
/// says nothing about the person.
#[must_use]
pub fn pseudonym(id: EntityId) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(format!("vigil-victim-pseudonym-v1:{id}").as_bytes());
    let hex: String = d.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("victim-{hex}")
}

/// Whether the entity is a Person marked as a victim (`htcdsRole: victim`).
#[must_use]
pub fn is_marked_victim(e: &Entity) -> bool {
    e.schema == Schema::Person
        && e.properties
            .get("htcdsRole")
            .is_some_and(|roles| roles.iter().any(|r| r == "victim"))
}

/// What the caller may see of a linked person.
#[derive(Clone, Debug)]
struct Linked {
    /// The vault record's pseudonym (`Survivor K7QF`).
    pseudonym: String,
    reveal: bool,
    /// Consents the reveal relies on (empty when it relies on none).
    relied: Vec<ConsentId>,
}

/// The caller's view of one case's victims.
#[derive(Clone, Debug)]
pub struct VictimView {
    /// `SeeVictimInChart` on the case: marked victims are shown.
    reveal_marked: bool,
    linked: HashMap<EntityId, Linked>,
}

impl VictimView {
    /// Decides, for `who`, every victim of the case `facts` (reads the case's vault links and
    /// each linked record's facts).
    pub async fn for_case(
        app: &AppState,
        who: &Authed,
        facts: &CaseFacts,
    ) -> Result<Self, ApiError> {
        let reveal_marked =
            authorize(&who.actor, Action::SeeVictimInChart, Target::Case(facts)).is_allowed();
        let now = app.now();
        let mut linked: HashMap<EntityId, Linked> = HashMap::new();
        for p in app.store.linked_persons(facts.id).await? {
            let Some(v) = app.store.victim_facts(p.victim_id, now).await? else {
                continue;
            };
            let reveal = authorize(
                &who.actor,
                Action::SeeVictimInChart,
                Target::CaseVictim {
                    case: facts,
                    victim: &v,
                },
            )
            .is_allowed();
            // Advocates on the case (`reveal_marked`) see victims without any consent; others by one.
            let relied = if reveal && !reveal_marked {
                v.consents_naming(&who.actor)
            } else {
                Vec::new()
            };
            // Two records linked to one person: hidden unless both allow it.
            let entry = linked.entry(p.entity_id).or_insert(Linked {
                pseudonym: p.pseudonym.clone(),
                reveal,
                relied: Vec::new(),
            });
            entry.reveal &= reveal;
            entry.relied.extend(relied);
        }
        Ok(Self {
            reveal_marked,
            linked,
        })
    }

    /// Whether `e` is shown as a pseudonym to this caller.
    #[must_use]
    pub fn hides(&self, e: &Entity) -> bool {
        match self.linked.get(&e.id) {
            Some(l) => !l.reveal,
            None => !self.reveal_marked && is_marked_victim(e),
        }
    }

    /// The label a hidden person gets: the vault record's pseudonym when linked, else one derived
    /// from the entity id (as the link chart's node id).
    #[must_use]
    pub fn label(&self, e: &Entity) -> String {
        match self.linked.get(&e.id) {
            Some(l) => l.pseudonym.clone(),
            None => {
                let p = pseudonym(e.id);
                format!("Victim {}", &p["victim-".len()..])
            }
        }
    }

    /// Consents the shown entities in `shown` rely on (to re-check with the audit event).
    #[must_use]
    pub fn relied<'a>(&self, shown: impl IntoIterator<Item = &'a Entity>) -> Vec<ConsentId> {
        let mut out: Vec<ConsentId> = shown
            .into_iter()
            .filter_map(|e| self.linked.get(&e.id))
            .filter(|l| l.reveal)
            .flat_map(|l| l.relied.iter().copied())
            .collect();
        out.sort_by_key(ToString::to_string);
        out.dedup();
        out
    }

    /// How many of `entities` are hidden (for audit details: a count, never who).
    #[must_use]
    pub fn hidden_count<'a>(&self, entities: impl IntoIterator<Item = &'a Entity>) -> usize {
        entities.into_iter().filter(|e| self.hides(e)).count()
    }

    /// The entity as this caller may see it: in full, or its pseudonym with no properties.
    #[must_use]
    pub fn entity_out(&self, e: &Entity) -> EntityOut {
        let mut out = crate::routes::entity_out(e);
        if self.hides(e) {
            out.caption = self.label(e);
            out.properties = BTreeMap::new();
            out.pseudonymised = true;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_and_distinct() {
        let (a, b) = (EntityId::new_random(), EntityId::new_random());
        assert_eq!(pseudonym(a), pseudonym(a));
        assert_ne!(pseudonym(a), pseudonym(b));
        assert!(pseudonym(a).starts_with("victim-") && pseudonym(a).len() == 19);
        assert!(!pseudonym(a).contains(&a.to_string()));
    }
}
