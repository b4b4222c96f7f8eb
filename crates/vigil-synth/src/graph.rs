//! Synthetic graph data (seeded).
