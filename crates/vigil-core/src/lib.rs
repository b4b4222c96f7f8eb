//! Domain model and pure policies: who may do what, how logins, sessions and lockouts behave.
//! No I/O and no clock reads: every function takes the facts and the time it needs.

#[macro_use]
mod macros;

pub mod auth;
pub mod authz;
pub mod entity;
pub mod model;
// --- ops
pub mod operation;
pub mod prosecution;
pub mod protocol;

pub use authz::{
    authorize, xref_view, Action, Actor, CaseFacts, Decision, Deny, OperationFacts, RosterMember,
    Target, TeamMember, TokenScope, XrefSide, XrefView,
};
// --- ops
pub use model::{
    AgencyKind, CaseStatus, EnumError, Role, Sensitivity, TaskStatus, TraffickingType,
};
