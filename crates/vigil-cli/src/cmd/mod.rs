//! One module per top-level command; each exposes `Args` (clap) and `run(Args)`.

pub mod admin;
pub mod ads;
pub mod ads_import;
pub mod audit;
pub mod db;
pub mod demo;
pub mod extract;
pub mod graph;
pub mod migrate;
pub mod resolve;
pub mod serve;
pub mod synth;
pub mod synth_ads;
pub mod synth_graph;
pub mod synth_people;
pub mod totp;
// --- xref
pub mod xref;
