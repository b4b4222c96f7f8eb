//! Newtype identifiers: a bare `Uuid` or `String` that means "case" never crosses a crate boundary.

use std::fmt;

/// A malformed identifier. Carries only the kind of id, never the input (it may be hostile).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed {kind} id")]
pub struct IdError {
    pub kind: &'static str,
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// The kind of record this id names, for messages and audit events.
            pub const KIND: &'static str = $kind;

            /// A fresh random (v4) id. Only the store and tests mint ids.
            #[must_use]
            pub fn new_random() -> Self {
                Self(uuid::Uuid::new_v4())
            }

            /// Parses the canonical hyphenated form.
            pub fn parse(s: &str) -> Result<Self, IdError> {
                if s.len() != 36 {
                    return Err(IdError { kind: $kind });
                }
                uuid::Uuid::parse_str(s).map(Self).map_err(|_| IdError { kind: $kind })
            }

            /// A deterministic id derived from a seed (synthetic data and tests only).
            #[must_use]
            pub fn from_u128(v: u128) -> Self {
                Self(uuid::Uuid::from_u128(v))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.as_hyphenated().fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }
    };
}

id_type!(
    /// An agency (tenant) within the task force.
    AgencyId, "agency");
id_type!(
    /// A user account; belongs to exactly one agency.
    UserId, "user");
id_type!(
    /// A case, unique across the deployment.
    CaseId, "case");
id_type!(
    /// An entity (FollowTheMoney-style record) attached to a case.
    EntityId, "entity");
id_type!(
    /// A typed link between two entities.
    LinkId, "link");
id_type!(
    /// A case note.
    NoteId, "note");
id_type!(
    /// A case task.
    TaskId, "task");
id_type!(
    /// An API token (the id, never the secret).
    TokenId, "token");
// --- xref
id_type!(
    /// A cross-referencing match candidate between two entities.
    CandidateId, "candidate");
// --- ops
id_type!(
    /// A protocol checklist started on a case (T5).
    ProtocolId, "protocol");
id_type!(
    /// One item of a protocol checklist.
    ProtocolItemId, "protocol item");
id_type!(
    /// A joint operation (O1).
    OperationId, "operation");
id_type!(
    /// A charge against a defendant (C6).
    ChargeId, "charge");
id_type!(
    /// A court event in a prosecution (C6).
    CourtEventId, "court event");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let id = CaseId::new_random();
        assert_eq!(CaseId::parse(&id.to_string()), Ok(id));
        assert_eq!(CaseId::parse("not-an-id"), Err(IdError { kind: "case" }));
        assert!(CaseId::parse("").is_err());
        // The simple (unhyphenated) form is not canonical and is refused.
        assert!(CaseId::parse(&id.to_string().replace('-', "")).is_err());
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,80}") {
            let _ = UserId::parse(&s);
        }
    }
}
