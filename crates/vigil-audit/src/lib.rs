//! Audit log: canonical event encoding, hash chaining and verification.
