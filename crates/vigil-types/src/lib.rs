//! Identifiers, validated values and time: the vocabulary every other crate shares. Pure.

mod ids;
mod time;
mod values;
// --- evidence
mod digest;
pub use digest::{DigestError, Sha256Digest};
pub use ids::EvidenceId;

pub use ids::{AgencyId, CaseId, EntityId, IdError, LinkId, NoteId, TaskId, TokenId, UserId};
pub use time::{Clock, SystemClock, TestClock, Timestamp, TimestampError};
pub use values::{CaseNumber, DisplayText, Username, ValueError};
