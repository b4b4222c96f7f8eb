//! Identifiers, validated values and time: the vocabulary every other crate shares. Pure.

mod ids;
mod time;
mod values;
// --- evidence
mod digest;
pub use digest::{DigestError, Sha256Digest};
pub use ids::EvidenceId;

pub use ids::{
    AgencyId, AttachmentId, CandidateId, CaseId, ChargeId, ConsentId, CourtEventId, EntityId,
    IdError, IntakeId, IntakeMessageId, LinkId, NoteId, OperationId, OverrideId, ProtocolId,
    ProtocolItemId, ProviderId, ReferralId, ScreeningId, ServiceId, TaskId, TokenId, UserId,
    VictimId,
};
// --- ops
pub use time::{Clock, SystemClock, TestClock, Timestamp, TimestampError};
pub use values::{CaseNumber, DisplayText, Username, ValueError};
// --- tips
// --- vault
