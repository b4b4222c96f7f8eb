//! Synthetic ads data (seeded).
