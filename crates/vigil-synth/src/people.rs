//! Synthetic people data (seeded).
