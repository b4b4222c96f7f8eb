//! Audit log: a versioned canonical encoding of events, RFC 6962 leaf hashing, a hash chain over
//! the leaves and a streaming verifier that names the first bad position. Pure.
//!
//! `leaf = SHA-256(0x00 ‖ canonical(event))` and `chain[n] = SHA-256(0x01 ‖ chain[n-1] ‖ leaf[n])`
//! with `chain[0] = 32 zero bytes` before the first event. Editing, deleting or reordering any
//! event changes every later chain value; truncating the tail is caught against a checkpoint
//! (a `(seq, chain)` pair kept elsewhere).

mod event;
mod verify;

pub use event::{AuditEvent, Digest, Outcome, CANONICAL_VERSION};
pub use verify::{chain_next, Checkpoint, Tamper, Verifier, GENESIS};
