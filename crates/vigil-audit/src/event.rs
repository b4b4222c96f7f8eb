//! One audit event and its canonical byte encoding (never serde: field order must not drift).

use sha2::{Digest as _, Sha256};
use vigil_types::{AgencyId, Timestamp, UserId};

/// Version byte at the head of every canonical encoding.
pub const CANONICAL_VERSION: u8 = 1;

/// A SHA-256 digest.
pub type Digest = [u8; 32];

/// How the audited action ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The action was allowed and done.
    Success,
    /// The policy refused it.
    Denied,
    /// It was allowed but failed (bad input, conflict, internal error).
    Failed,
}

impl Outcome {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Denied => "denied",
            Self::Failed => "failed",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "success" => Some(Self::Success),
            "denied" => Some(Self::Denied),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// One audited action (CJIS AU-3): who, which agency, what, which record, when, outcome.
/// `detail` holds ids and codes only, never names, dates of birth, addresses or free text
/// (AU-3(3)); callers build it from ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    /// Gapless position in the log, from 1.
    pub seq: u64,
    pub at: Timestamp,
    pub actor_user: Option<UserId>,
    pub actor_agency: Option<AgencyId>,
    /// Stable action name, e.g. `case.read`, `auth.login`.
    pub action: String,
    /// The kind of object acted on, e.g. `case`, `entity`, `user`.
    pub object_kind: String,
    pub object_id: Option<String>,
    /// The agency that owns the object (scopes audit search for supervisors).
    pub object_agency: Option<AgencyId>,
    pub outcome: Outcome,
    /// Short machine-readable detail: a reason code, a status change, counts.
    pub detail: String,
}

impl AuditEvent {
    /// The canonical bytes: version, then each field in a fixed order, length-prefixed.
    #[must_use]
    pub fn canonical(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(160 + self.detail.len());
        out.push(CANONICAL_VERSION);
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.at.unix_micros().to_be_bytes());
        let mut field = |v: Option<&str>| match v {
            None => out.extend_from_slice(&u32::MAX.to_be_bytes()),
            Some(s) => {
                let len = u32::try_from(s.len()).unwrap_or(u32::MAX - 1);
                out.extend_from_slice(&len.to_be_bytes());
                out.extend_from_slice(s.as_bytes());
            }
        };
        field(self.actor_user.map(|u| u.to_string()).as_deref());
        field(self.actor_agency.map(|a| a.to_string()).as_deref());
        field(Some(&self.action));
        field(Some(&self.object_kind));
        field(self.object_id.as_deref());
        field(self.object_agency.map(|a| a.to_string()).as_deref());
        field(Some(self.outcome.as_str()));
        field(Some(&self.detail));
        out
    }

    /// `SHA-256(0x00 ‖ canonical)`, the RFC 6962 leaf hash.
    #[must_use]
    pub fn leaf_hash(&self) -> Digest {
        let mut h = Sha256::new();
        h.update([0u8]);
        h.update(self.canonical());
        h.finalize().into()
    }
}
