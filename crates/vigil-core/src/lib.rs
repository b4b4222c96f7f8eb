//! Domain model and pure policies.
