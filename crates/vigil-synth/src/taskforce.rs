//! Synthetic taskforce data (seeded).
