//! Identifiers, validated values and time: the vocabulary every other crate shares. Pure.

mod ids;
mod time;
mod values;

pub use ids::{
    AgencyId, CandidateId, CaseId, ChargeId, CourtEventId, EntityId, IdError, LinkId, NoteId,
    OperationId, ProtocolId, ProtocolItemId, TaskId, TokenId, UserId,
};
// --- ops
pub use time::{Clock, SystemClock, TestClock, Timestamp, TimestampError};
pub use values::{CaseNumber, DisplayText, Username, ValueError};
