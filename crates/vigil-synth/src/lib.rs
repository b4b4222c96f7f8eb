//! Seeded synthetic data sets with ground truth, for demos, tests and benchmarks. Never real people.

pub mod ads;
pub mod graph;
pub mod people;
pub mod taskforce;
