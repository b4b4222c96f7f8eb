//! Integration tests for vigil-graph: agreement with networkx on committed fixtures (N2), graph
//! invariants under random graphs, and the exchange formats (N3).

#![allow(clippy::unwrap_used)] // Fixture helpers: a malformed fixture should fail the test loudly.

mod exports;
mod networkx;
mod properties;
